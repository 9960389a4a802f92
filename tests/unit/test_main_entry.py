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
