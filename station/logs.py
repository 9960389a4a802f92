"""Structured logging: JSON lines to a rotating file, human lines to the console.

Personal data never reaches a log in clear: a filter masks citizen ID numbers, mobile
numbers and unified social credit codes in every message and argument.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.security.files import PRIVATE_FILE, private_dir

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# first-generation (15-digit) identity cards: area, YYMMDD birth date, sequence
_ID_NUMBER_15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])")
# mobile numbers, also with the country code (+86, 0086, 86) and spaces or dashes between groups
_MOBILE = re.compile(
    r"(?<![\d+])((?:(?:\+|00)86[ -]?)?1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")
_CREDIT_CODE = re.compile(r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{2}\d{6})[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
# passport and travel-permit numbers: a letter or two and 7-8 digits (E12345678, EA1234567,
# G12345678, C12345678, H1234567801 ...)
_PASSPORT = re.compile(r"(?<![0-9A-Za-z])([A-Z]{1,2})\d{5,8}(\d{2})(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """Mask identity numbers, mobile numbers, credit codes and passport numbers, keeping a
    prefix (and the last digits) for support."""
    text = _ID_NUMBER.sub(r"\1********\2", text)
    text = _CREDIT_CODE.sub(r"\1**********", text)
    text = _MOBILE.sub(r"\1****\2", text)
    text = _ID_NUMBER_15.sub(r"\1******\2", text)
    return _PASSPORT.sub(r"\1******\2", text)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files are created 0600 (the rotated ones keep the mode they had)."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, PRIVATE_FILE)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "thread": record.threadName,
            "msg": record.getMessage(),
        }
        for key in ("event", "case_id", "device", "operator"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(
    log_dir: Path, level: str = "INFO", max_bytes: int = 5_000_000, backups: int = 5
) -> Path:
    """Attach the JSON file handler and console handler to the root logger; return the file."""
    private_dir(log_dir)
    log_file = log_dir / "station.jsonl"
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_station", False):
            root.removeHandler(handler)
    redactor = RedactingFilter()
    file_handler = PrivateRotatingFileHandler(
        log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    file_handler.setFormatter(JsonLineFormatter())
    console = logging.StreamHandler()
    console.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    for handler in (file_handler, console):
        handler.addFilter(redactor)
        setattr(handler, "_station", True)  # noqa: B010  marks our own handlers for reconfiguring
        root.addHandler(handler)
    return log_file
