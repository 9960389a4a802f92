from __future__ import annotations

from pathlib import Path

import pytest

from station.config import SettingsError, load_settings


def test_defaults_and_demo_profile() -> None:
    plain = load_settings(environ={})
    assert plain.profile == "default" and not plain.devices.simulate
    demo = load_settings(profiles=("demo",), environ={})
    assert demo.demo and demo.devices.simulate and demo.central.embedded
    kiosk = load_settings(profiles=("demo", "kiosk"), environ={})
    assert kiosk.kiosk and kiosk.ui.fullscreen and kiosk.demo


def test_file_then_environment_override(tmp_path: Path) -> None:
    cfg = tmp_path / "station.toml"
    cfg.write_text(
        '[station]\ncode = "BJ-HD-07"\n[ui]\nlanguage = "en"\n[devices.idcard]\nbaud = 9600\n',
        encoding="utf-8",
    )
    s = load_settings(cfg, environ={"STATION__UI__LANGUAGE": "zh_CN",
                                     "STATION__DEVICES__IDCARD__PORT": "/dev/ttyUSB0"})
    assert s.station.code == "BJ-HD-07"
    assert s.ui.language == "zh_CN"  # environment wins over the file
    assert s.devices.idcard.baud == 9600
    assert s.devices.idcard.port == "/dev/ttyUSB0"
    assert s.storage.resolved_database_url().startswith("sqlite:///")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[ui\nlanguage=", "not valid TOML"),
        ('[ui]\nlanguage = "fr"\n', "ui.language"),
        ('[devices.idcard]\nbaud = "fast"\n', "devices.idcard.baud"),
        ('[nonsense]\nx = 1\n', "nonsense"),
    ],
)
def test_bad_settings_give_a_readable_error(tmp_path: Path, content: str, fragment: str) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=fragment.replace(".", r"\.")):
        load_settings(cfg, environ={})


def test_missing_file_and_unknown_profile() -> None:
    with pytest.raises(SettingsError, match="not found"):
        load_settings(Path("/nonexistent/station.toml"), environ={})
    with pytest.raises(SettingsError, match="profile"):
        load_settings(profiles=("party",), environ={})
