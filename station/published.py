"""Configuration published by the central service: routing rules, agreement texts, photo
profiles and the working-day calendar, as numbered versions.

    store = ConfigStore(data_dir / "config"); install_store(store)   # once, at start
    store.install(version, files, sha256)      # at sync: validated first, or ConfigInvalid
    active().rules(); for_case(case).agreement("user_agreement", "zh_CN")

A bundle holds any of ``rules/review_routing.toml``, ``vocabulary/flags.toml`` (the flags its
rules add, with their texts, over the built-in station/vocabulary/flags.toml), ``agreements/``
(index.toml and its texts), ``photo_profiles/*.toml``, ``calendar.json`` (holidays and
make-up working days) and ``office.toml`` (``status_page_url``: the office's public address of
the applicant's status page, which the receipt's QR code opens); what it leaves out comes
from the built-in resources/. Version 0 is the built-in set.

A new version applies without a restart: cases started from then on use it; a case in
progress keeps the version it started with (``Case.details["config_version"]``), so its
rules, texts and profile do not change under the clerk. A bundle that fails validation is
refused as a whole and the last good version stays in force (``ConfigStore.rejected`` says
why). Old versions stay on disk for the drafts and signatures that name them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import string
import tempfile
import threading
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from station import vocabulary
from station.photo.profiles import PROFILES_DIR, PhotoProfile, ProfileError, load_profile_file
from station.signature.agreements import (
    AGREEMENTS_DIR,
    PLACEHOLDERS,
    Agreement,
    AgreementError,
    load_agreement,
)
from station.vocabulary import Catalogue, VocabularyError
from station.wire import FlagTerm
from station.workdays import CalendarDataError, WorkdayCalendar
from station.workflows.rules import RULES_FILE, Rule, RulesError, load_rules

log = logging.getLogger(__name__)

RULES_PATH = "rules/review_routing.toml"
FLAGS_PATH = "vocabulary/flags.toml"
AGREEMENTS_INDEX = "agreements/index.toml"
CALENDAR_PATH = "calendar.json"
OFFICE_PATH = "office.toml"
STATUS_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$")
ALLOWED_PATH = re.compile(
    r"^(rules/review_routing\.toml|vocabulary/flags\.toml|agreements/[A-Za-z0-9_.-]+\.(toml|txt)"
    r"|photo_profiles/[a-z0-9][a-z0-9-]*\.toml|calendar\.json|office\.toml)$")
MAX_BUNDLE_BYTES = 2_000_000
BUILT_IN = 0


class ConfigInvalid(ValueError):
    """A published bundle cannot be used; ``problems`` says what is wrong with it."""

    def __init__(self, version: int, problems: list[str]) -> None:
        super().__init__(f"configuration version {version} is invalid: " + "; ".join(problems))
        self.version = version
        self.problems = problems


def bundle_digest(files: dict[str, str]) -> str:
    """SHA-256 of a bundle's files (path and text), independent of their order."""
    canonical = json.dumps(sorted(files.items()), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PublishedConfig:
    """One version's configuration; a part the bundle leaves out is the built-in one."""

    version: int
    root: Path | None = None  # None: the built-in resources only
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def _has(self, relative: str) -> bool:
        return self.root is not None and (self.root / relative).is_file()

    @property
    def rules_file(self) -> Path:
        return self.root / RULES_PATH if self.root and self._has(RULES_PATH) else RULES_FILE

    @property
    def agreements_dir(self) -> Path:
        return self.root / "agreements" if self.root and self._has(AGREEMENTS_INDEX) \
            else AGREEMENTS_DIR

    @property
    def calendar_file(self) -> Path | None:
        return self.root / CALENDAR_PATH if self.root and self._has(CALENDAR_PATH) else None

    @cached_property
    def _flags(self) -> Catalogue[FlagTerm]:
        if self.root is None or not self._has(FLAGS_PATH):
            return vocabulary.flags()
        return vocabulary.with_flags(vocabulary.flags(),
                                     vocabulary.load_flags(self.root / FLAGS_PATH))

    def flags(self) -> Catalogue[FlagTerm]:
        """The built-in flags with the ones this version adds."""
        with self._lock:
            return self._flags

    @cached_property
    def _rules(self) -> tuple[Rule, ...]:
        return load_rules(self.rules_file, flags=self._flags)

    def rules(self) -> tuple[Rule, ...]:
        with self._lock:
            return self._rules

    @cached_property
    def _calendar(self) -> WorkdayCalendar:
        return WorkdayCalendar.load(self.calendar_file)

    def calendar(self) -> WorkdayCalendar:
        with self._lock:
            return self._calendar

    @cached_property
    def _office(self) -> dict[str, Any]:
        if self.root is None or not self._has(OFFICE_PATH):
            return {}
        return tomllib.loads((self.root / OFFICE_PATH).read_text(encoding="utf-8"))

    @property
    def status_page_url(self) -> str | None:
        """The office's public status page address (office.toml), or None."""
        with self._lock:
            value = self._office.get("status_page_url")
        return value if isinstance(value, str) and value else None

    def agreement(self, kind: str, language: str = "zh_CN", version: str | None = None,
                  fields: dict[str, str] | None = None) -> Agreement:
        return load_agreement(kind, language, version, fields, directory=self.agreements_dir)

    def profile_path(self, name: str) -> Path:
        relative = f"photo_profiles/{name}.toml"
        if self.root is not None and self._has(relative):
            return self.root / relative
        return PROFILES_DIR / f"{name}.toml"

    def profile(self, name: str) -> PhotoProfile:
        path = self.profile_path(name)
        if not path.is_file():
            raise ProfileError(f"unknown photo profile {name!r}")
        return _profile_at(str(path))


BUILT_IN_CONFIG = PublishedConfig(BUILT_IN)


@lru_cache(maxsize=64)
def _profile_at(path: str) -> PhotoProfile:
    """A version's files never change once installed, so a profile is read once."""
    return load_profile_file(Path(path))


# --- validation ------------------------------------------------------------------------------

def check_bundle(version: int, files: dict[str, str],
                 previous: PublishedConfig | None = None) -> list[str]:
    """What is wrong with a bundle (empty: nothing), checked with the same loaders that will
    read it. ``previous`` (the version in force) must keep every agreement text it has."""
    problems: list[str] = []
    if not isinstance(files, dict) or not files:
        return ["the bundle holds no files"]
    size = 0
    for path, text in files.items():
        if not isinstance(path, str) or not ALLOWED_PATH.match(path):
            problems.append(f"{path!r} is not a configuration file this station reads")
        if not isinstance(text, str):
            problems.append(f"{path!r} is not text")
            continue
        size += len(text.encode("utf-8"))
    if size > MAX_BUNDLE_BYTES:
        problems.append(f"the bundle is {size} bytes, more than {MAX_BUNDLE_BYTES}")
    if problems:
        return problems
    with tempfile.TemporaryDirectory(prefix="config-check-") as scratch:
        root = Path(scratch)
        _write_files(root, files)
        problems.extend(check_directory(PublishedConfig(version, root), previous))
    return problems


def check_directory(config: PublishedConfig, previous: PublishedConfig | None) -> list[str]:
    problems: list[str] = []
    try:
        config.flags()
        config.rules()
    except (RulesError, VocabularyError) as exc:
        problems.append(str(exc))
    if config.calendar_file is not None:
        try:
            calendar = WorkdayCalendar()
            calendar.apply_overrides(config.calendar_file)
        except CalendarDataError as exc:
            problems.append(str(exc))
    if config.root is not None:
        for path in sorted((config.root / "photo_profiles").glob("*.toml")):
            try:
                load_profile_file(path)
            except ProfileError as exc:
                problems.append(str(exc))
    problems.extend(_check_agreements(config, previous or BUILT_IN_CONFIG))
    problems.extend(_check_office(config))
    return problems


def _check_office(config: PublishedConfig) -> list[str]:
    try:
        url = config._office.get("status_page_url")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [f"{OFFICE_PATH}: {exc}"]
    if url is not None and (not isinstance(url, str) or not STATUS_URL.match(url)):
        return [f"{OFFICE_PATH}: status_page_url must be an http(s) address without query "
                f"or fragment, e.g. https://jg.example.gov.cn (not {url!r})"]
    return []


def _agreement_index(directory: Path) -> dict[str, Any]:
    return tomllib.loads((directory / "index.toml").read_text(encoding="utf-8"))


def _check_agreements(config: PublishedConfig, previous: PublishedConfig) -> list[str]:
    try:
        index = _agreement_index(config.agreements_dir)
        old_index = _agreement_index(previous.agreements_dir)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [f"agreements/index.toml: {exc}"]
    problems: list[str] = []
    sample = {name: "…" for name in PLACEHOLDERS}
    for kind, entry in index.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("versions"), dict):
            problems.append(f"agreement {kind!r} has no versions")
            continue
        if str(entry.get("current")) not in entry["versions"]:
            problems.append(f"agreement {kind!r}: its current version is not among its versions")
        for version, texts in entry["versions"].items():
            for language in ("zh_CN", "en"):
                if not isinstance(texts, dict) or language not in texts:
                    problems.append(f"agreement {kind!r} {version}: no {language} text")
                    continue
                try:
                    text = config.agreement(kind, language, version, fields=sample).text
                except (AgreementError, OSError, UnicodeDecodeError, ValueError) as exc:
                    problems.append(f"agreement {kind!r} {version} {language}: {exc}")
                    continue
                if not text.strip():
                    problems.append(f"agreement {kind!r} {version} {language} is empty")
                unknown = set(string.Template(_raw(config, kind, version, language))
                              .get_identifiers()) - set(PLACEHOLDERS)
                if unknown:
                    problems.append(f"agreement {kind!r} {version}: unknown fields {sorted(unknown)}")
    # a signature binds the exact text of its version: published texts never change or go
    for kind, entry in old_index.items():
        for version in (entry.get("versions") or {}) if isinstance(entry, dict) else {}:
            for language in ("zh_CN", "en"):
                try:
                    before = _raw(previous, kind, version, language)
                except (AgreementError, OSError, KeyError, TypeError):
                    continue
                try:
                    after = _raw(config, kind, version, language)
                except (AgreementError, OSError, KeyError, TypeError):
                    problems.append(f"agreement {kind!r} {version} {language} was published "
                                    "before and must be kept")
                    continue
                if after != before:
                    problems.append(f"agreement {kind!r} {version} {language} was published "
                                    "before and must not change (add a new version)")
    return problems


def _raw(config: PublishedConfig, kind: str, version: str, language: str) -> str:
    """The text file of one agreement version as stored, before its fields are filled."""
    entry = _agreement_index(config.agreements_dir)[kind]
    name = str(entry["versions"][version][language])
    return (config.agreements_dir / name).read_text(encoding="utf-8")


def _write_files(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def read_bundle_directory(directory: Path) -> dict[str, str]:
    """The configuration files under ``directory`` (as `python -m central config publish`
    reads them); other files are ignored, a file that is not UTF-8 text is an error."""
    files: dict[str, str] = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory).as_posix()
        if path.is_file() and ALLOWED_PATH.match(relative):
            files[relative] = path.read_text(encoding="utf-8")
    return files


# --- the station's store ---------------------------------------------------------------------

class ConfigStore:
    """Published versions under ``directory`` (``<N>/`` each, ``current.json`` names the one
    in force, ``rejected.json`` the last refused one)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._versions: dict[int, PublishedConfig] = {BUILT_IN: BUILT_IN_CONFIG}
        self._current = self._read_current()

    def _read_current(self) -> PublishedConfig:
        try:
            data = json.loads((self.directory / "current.json").read_text(encoding="utf-8"))
            return self.get(int(data["version"]))
        except (OSError, ValueError, KeyError, TypeError):
            return BUILT_IN_CONFIG

    def current(self) -> PublishedConfig:
        with self._lock:
            return self._current

    def get(self, version: int) -> PublishedConfig:
        """A version kept here (a case in progress names it); the built-in set for 0 or for
        a version this station never had."""
        with self._lock:
            known = self._versions.get(version)
        if known is not None:
            return known
        root = self.directory / str(version)
        if version <= BUILT_IN or not root.is_dir():
            if version > BUILT_IN:
                log.warning("configuration version %d is not kept here; using the built-in",
                            version)
            return BUILT_IN_CONFIG
        config = PublishedConfig(version, root)
        with self._lock:
            return self._versions.setdefault(version, config)

    def install(self, version: int, files: dict[str, str], sha256: str) -> PublishedConfig:
        """Validate and put a new version in force; ConfigInvalid keeps the current one."""
        current = self.current()
        if version == current.version:
            return current
        problems = []
        if version <= BUILT_IN:
            problems.append("the version must be a positive number")
        if bundle_digest(files) != sha256:
            problems.append("the files do not match the published digest")
        problems = problems or check_bundle(version, files, current)
        if problems:
            self._write_json("rejected.json", {
                "version": version, "problems": problems,
                "at": datetime.now(UTC).isoformat()})
            raise ConfigInvalid(version, problems)
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / str(version)
        incoming = Path(tempfile.mkdtemp(prefix=f".incoming-{version}-", dir=self.directory))
        _write_files(incoming, files)
        if target.exists():  # a half-installed earlier attempt
            shutil.rmtree(target)
        os.replace(incoming, target)
        config = PublishedConfig(version, target)
        with self._lock:
            self._versions[version] = config
        self._write_json("current.json", {"version": version, "sha256": sha256,
                                          "installed_at": datetime.now(UTC).isoformat()})
        (self.directory / "rejected.json").unlink(missing_ok=True)
        with self._lock:
            self._current = config
        log.info("configuration version %d in force", version)
        return config

    def rejected(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.directory / "rejected.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = self.directory / f".{name}.tmp"
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.directory / name)  # never a half-written pointer


_store: ConfigStore | None = None


def install_store(store: ConfigStore | None) -> None:
    """The station's store (StationRuntime.open); None: the built-in configuration only."""
    global _store
    _store = store


def store() -> ConfigStore | None:
    return _store


def active() -> PublishedConfig:
    """The configuration in force now (for cases starting now)."""
    return _store.current() if _store is not None else BUILT_IN_CONFIG


def for_version(version: int | None) -> PublishedConfig:
    if not version or _store is None:
        return BUILT_IN_CONFIG
    return _store.get(int(version))


def version_of(details: dict[str, Any] | None) -> int:
    value = (details or {}).get("config_version")
    return int(value) if isinstance(value, int) else BUILT_IN


def for_case(case: Any) -> PublishedConfig:
    """The version a case started with (recorded in its details)."""
    return for_version(version_of(getattr(case, "details", None)))
