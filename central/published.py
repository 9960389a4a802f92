"""Publishing configuration to the stations: numbered, validated bundles.

    python -m central config publish DIR        # rules/, agreements/, photo_profiles/, calendar.json
    python -m central config show [--version N]

A bundle is checked with the loaders the stations use (station.published.check_bundle) and
against the version before it (an agreement text once published never changes or goes), then
stored as the next version. Stations fetch the newest at each sync (GET /v1/stations/config);
this service's own due times follow the published calendar too (``PublishedCalendar``).
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.audit import Principal, audit
from central.errors import ApiError
from central.models import ConfigVersion, aware
from station import vocabulary
from station.i18n import both
from station.published import (
    CALENDAR_PATH,
    FLAGS_PATH,
    PublishedConfig,
    bundle_digest,
    check_bundle,
)
from station.vocabulary import Catalogue, VocabularyError
from station.wire import FlagTerm
from station.workdays import CalendarDataError, WorkdayCalendar


def latest(session: Session) -> ConfigVersion | None:
    return session.scalar(select(ConfigVersion).order_by(ConfigVersion.version.desc()).limit(1))


def get(session: Session, version: int) -> ConfigVersion | None:
    return session.get(ConfigVersion, version)


def problems_against(files: dict[str, str], previous: ConfigVersion | None,
                     version: int) -> list[str]:
    """What check_bundle finds, with the previous version's files as the one in force."""
    if previous is None:
        return check_bundle(version, files)
    with tempfile.TemporaryDirectory(prefix="config-previous-") as scratch:
        root = Path(scratch)
        for relative, text in dict(previous.files).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return check_bundle(version, files, PublishedConfig(previous.version, root))


def publish(session: Session, files: dict[str, str], actor: Principal | None, now: datetime,
            note: str = "") -> ConfigVersion:
    """Store ``files`` as the next version, or ApiError 422 config_invalid with the problems."""
    previous = latest(session)
    version = (previous.version if previous else 0) + 1
    problems = problems_against(files, previous, version)
    if problems:
        raise ApiError(422, "config_invalid", both(
            "CentralApi", "The configuration cannot be published; see the listed problems."),
            problems=problems)
    digest = bundle_digest(files)
    if previous is not None and previous.sha256 == digest:
        return previous  # the same files again: nothing new for the stations
    row = ConfigVersion(version=version, sha256=digest, files=dict(files), note=note[:256],
                        published_by=actor.name if actor else "system", published_at=now)
    session.add(row)
    session.flush()
    audit(session, actor, "config.published", version=version, sha256=digest,
          files=sorted(files))
    return row


def flags_of(row: ConfigVersion | None) -> Catalogue[FlagTerm]:
    """The flags in force with ``row`` (the newest version): the built-in vocabulary with
    the ones its bundle adds (checked at publish; the built-in alone if it cannot be read)."""
    text = dict(row.files).get(FLAGS_PATH) if row is not None else None
    if not text:
        return vocabulary.flags()
    try:
        return vocabulary.with_flags(vocabulary.flags(), vocabulary.parse_flags(
            text, f"configuration version {row.version if row else 0} {FLAGS_PATH}"))
    except VocabularyError:
        return vocabulary.flags()


def entity_tag(row: ConfigVersion) -> str:
    return f'"{row.version}-{row.sha256[:16]}"'


def describe(row: ConfigVersion, with_files: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "version": row.version, "sha256": row.sha256, "note": row.note,
        "published_by": row.published_by,
        "published_at": (aware(row.published_at) or row.published_at).isoformat(),
    }
    if with_files:
        out["files"] = dict(row.files)
    else:
        out["files"] = {path: len(text.encode("utf-8")) for path, text in sorted(row.files.items())}
    return out


def published_versions(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ConfigVersion)) or 0)


class PublishedCalendar:
    """This process's working-day calendar: the published calendar.json over the built-in
    one, looked up again at most every ``ttl_s`` (so a new version applies without a
    restart, on every API process)."""

    def __init__(self, base_file: Path | None, read: Callable[[Callable[[Session], Any]], Any],
                 ttl_s: float = 30.0) -> None:
        self.base_file, self._read, self.ttl_s = base_file, read, ttl_s
        self._lock = threading.Lock()
        self._calendar = WorkdayCalendar.load(base_file)
        self._version = 0
        self._checked = 0.0

    def get(self) -> WorkdayCalendar:
        now = time.monotonic()
        with self._lock:
            if now - self._checked < self.ttl_s:
                return self._calendar
            self._checked = now
        try:
            row = self._read(latest)
        except Exception:  # a database hiccup must not stop ingest: keep the one we have
            return self._calendar
        version = row.version if row is not None else 0
        if version != self._version:
            calendar = WorkdayCalendar.load(self.base_file)
            text = dict(row.files).get(CALENDAR_PATH) if row is not None else None
            if text:
                with tempfile.TemporaryDirectory(prefix="calendar-") as scratch:
                    path = Path(scratch) / CALENDAR_PATH
                    path.write_text(text, encoding="utf-8")
                    with contextlib.suppress(CalendarDataError):  # checked at publish
                        calendar.apply_overrides(path)
            with self._lock:
                self._calendar, self._version = calendar, version
        return self._calendar
