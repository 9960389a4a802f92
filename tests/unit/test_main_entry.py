"""`python main.py` without settings must not quietly become a demo station."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_config_and_no_demo_refuses_with_guidance() -> None:
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={"QT_QPA_PLATFORM": "offscreen",
                                                         "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "--demo" in result.stderr and "--config" in result.stderr


def test_kiosk_without_config_also_refuses() -> None:
    result = subprocess.run([sys.executable, "main.py", "--kiosk"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "no settings file" in result.stderr


def test_example_settings_file_loads() -> None:
    from station.config import load_settings

    settings = load_settings(ROOT / "docs" / "station.example.toml", (), {})
    assert settings.station.code == "GZ-TJ-0101"
    assert settings.central.url and settings.central.url.startswith("https://")


def test_the_station_refuses_to_start_with_a_broken_rules_file(tmp_path: Path) -> None:
    """main.py prints the rules file's problem and exits, before any window or device."""
    import shutil

    copy = tmp_path / "station"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "*_cache", "__pycache__", "tests", "bench", "docs"))
    rules_file = copy / "resources" / "rules" / "review_routing.toml"
    rules_file.write_text(rules_file.read_text(encoding="utf-8").replace(
        '"face_match.match"', '"face_match.mach"', 1), encoding="utf-8")
    settings = tmp_path / "station.toml"
    settings.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "main.py", "--demo", "--config", str(settings)],
                            cwd=copy, capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2, result.stderr[-2000:]
    assert "unknown fact 'face_match.mach'" in result.stderr
    assert "rule LOW_FACE_MATCH" in result.stderr
