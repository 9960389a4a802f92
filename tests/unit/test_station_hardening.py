"""Issue 21 item 6, the station's side: settings mistakes give SettingsError, the log redactor
masks the number formats it missed, personal-data files are 0600 in 0700 directories, and an
imported image is refused from its header before it can take gigabytes to decode."""

from __future__ import annotations

import io
import logging
import stat
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from sqlalchemy import text

from central.db import make_engine as make_central_engine
from station.config import SettingsError, load_settings
from station.db.database import Database, make_engine, sqlite_file
from station.logs import configure_logging, redact
from station.photo.images import ImageLoadError, load_image
from station.scans.page import DECODE_PIXELS, decode_image
from station.security.files import private_dir


@pytest.mark.parametrize("environ", [
    {"STATION__STATION": "abc", "STATION__STATION__CODE": "x"},
    {"STATION__STATION__CODE": "x", "STATION__STATION": "abc"},
])
def test_a_value_and_a_section_of_the_same_name_is_a_settings_error(
        environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="STATION__STATION is set as a value"):
        load_settings(environ=environ)


@pytest.mark.parametrize(("text", "reason"), [
    ("profiles = 5", "must be a list of names"),
    ('profiles = "demo"', "must be a list of names"),
    ("profiles = [5]", "must be a list of names"),
    ('profiles = ["party"]', "unknown settings profile 'party'"),
])
def test_bad_profiles_in_a_settings_file_are_a_settings_error(
        tmp_path: Path, text: str, reason: str) -> None:
    config = tmp_path / "station.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=reason):
        load_settings(config, environ={})
    config.write_text('profiles = ["kiosk"]', encoding="utf-8")
    assert load_settings(config, environ={}).kiosk


@pytest.mark.parametrize(("line", "hidden", "kept"), [
    ("tel +86 138 1234 5678.", "1234", "138****5678"),
    ("tel +8613812345678", "1234", "138****5678"),
    ("tel 0086-138-1234-5678", "1234", "138****5678"),
    ("tel 138-1234-5678", "1234", "138****5678"),
    ("old card 110105490101002", "490101", "110105******002"),
    ("passport E12345678", "123456", "E******78"),
    ("permit EA1234567 / G12345678", "12345", "EA******67"),
])
def test_the_redactor_masks_more_number_formats(line: str, hidden: str, kept: str) -> None:
    masked = redact(line)
    assert hidden not in masked and kept in masked


def test_the_redactor_leaves_ordinary_numbers() -> None:  # case numbers, versions, ports
    line = "case N-20260930-0001 v2026.1 port 8600 pid 12345 sha 3a7bd3e2360a3d29eea4"
    assert redact(line) == line


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_logs_and_data_dirs_are_private(tmp_path: Path) -> None:
    data_dir = private_dir(tmp_path / "data" / "station")
    assert mode(data_dir) == 0o700 and mode(tmp_path / "data") == 0o700
    db = Database(f"sqlite:///{data_dir / 'station.sqlite3'}", data_dir / "data.key")
    try:
        db.write(lambda s: s.execute(text("CREATE TABLE probe (x INTEGER)")))
        assert mode(data_dir / "station.sqlite3") == 0o600
        assert mode(data_dir / "station.sqlite3-wal") == 0o600
        assert mode(data_dir / "data.key") == 0o600
    finally:
        db.close()
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        log_file = configure_logging(data_dir / "logs", max_bytes=200, backups=2)
        for index in range(20):
            logging.getLogger("test").warning("line %d %s", index, "x" * 50)
        assert mode(data_dir / "logs") == 0o700
        assert mode(log_file) == 0o600
        rotated = sorted((data_dir / "logs").glob("station.jsonl.*"))
        assert rotated and all(mode(path) == 0o600 for path in rotated)
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
    # an existing data directory left world-readable is tightened
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    assert mode(private_dir(loose)) == 0o700


def bomb() -> bytes:
    """8944 x 8944 pixels in a small PNG: 80 MP once decoded."""
    buffer = io.BytesIO()
    Image.new("L", (8944, 8944), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite+pysqlite://"])
def test_an_in_memory_database_leaves_no_file_behind(
        url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 0600 guard once created a file named 'sqlite:' in the working directory."""
    monkeypatch.chdir(tmp_path)
    assert sqlite_file(url) is None
    for engine in (make_engine(url), make_central_engine(url)):
        engine.dispose()
    assert list(tmp_path.iterdir()) == []


def test_the_database_file_of_an_sqlite_url(tmp_path: Path) -> None:
    assert sqlite_file(f"sqlite:///{tmp_path}/a.sqlite3") == tmp_path / "a.sqlite3"
    assert sqlite_file("sqlite:///relative.db") == Path("relative.db")
    assert sqlite_file("postgresql+psycopg://postgres@127.0.0.1/x") is None


def test_a_huge_image_is_refused_from_its_header() -> None:
    data = bomb()
    assert len(data) < 300_000
    with pytest.raises(ImageLoadError, match="too large"):
        load_image(data)
    with pytest.raises(ValueError, match="too large"):
        decode_image(data)


def test_a_large_jpeg_scan_is_decoded_at_a_fraction() -> None:
    ok, encoded = cv2.imencode(".jpg", np.full((4000, 6000, 3), 128, np.uint8))
    assert ok
    image = decode_image(encoded.tobytes())
    assert image.shape[0] * image.shape[1] <= DECODE_PIXELS
    assert image.shape[:2] == (2000, 3000)
