from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.binary(max_size=400),
    st.dictionaries(st.sampled_from(["station", "ui", "devices", "storage", "central", "x"]),
                    st.dictionaries(st.text(min_size=1, max_size=12),
                                    st.one_of(st.integers(), st.text(max_size=20), st.booleans(),
                                              st.floats(allow_nan=False), st.lists(st.integers(),
                                                                                   max_size=3))),
                    max_size=4).map(lambda d: "\n".join(
                        f"[{k}]\n" + "\n".join(f"{key!r} = {value!r}".replace("'", '"')
                                               for key, value in v.items())
                        for k, v in d.items()).encode("utf-8", "surrogatepass")),
))
def test_any_settings_file_loads_or_gives_a_settings_error(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path_factory.mktemp("cfg") / "station.toml"
    cfg.write_bytes(data)
    with contextlib.suppress(SettingsError):
        load_settings(cfg, environ={})
