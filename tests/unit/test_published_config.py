"""Configuration published by the central service: validated bundles, applied without a
restart, a case in progress keeps (and records) the version it started with, the last good
version stays when a new one is invalid; `python -m central config publish` / `show`."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app.sync import SyncRuntime
from central.db import make_engine, session_factory
from central.embedded import EmbeddedCentral
from central.models import ConfigVersion
from central.published import PublishedCalendar
from station import published, vocabulary
from station.config import load_settings
from station.db.database import Database
from station.db.models import Case
from station.enrolment import enrol, link_status
from station.events import ConfigChanged, EventBus
from station.published import (
    ConfigInvalid,
    ConfigStore,
    bundle_digest,
    check_bundle,
    read_bundle_directory,
)
from station.workdays import CHINA
from station.workflows import cases
from tests.helpers.processes import run_module
from tests.unit.test_station_enrolment import issue_code, write_settings
from tests.unit.test_workflow_cases import JPEG, card_document, individual_until_signature

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
FLAG_ALL = '''
[[rule]]
code = "ALWAYS_REVIEW"
kinds = ["individual"]
'''
# the flag a published rule adds comes with its texts, in the bundle's vocabulary
ALWAYS_REVIEW = '''
[[flag]]
code = "ALWAYS_REVIEW"
label = { zh = "本周全部复核", en = "Reviewed this week" }
explanation = { zh = "本周所有业务均需人工审核。", en = "Every case is reviewed this week." }
'''


def built_in_bundle() -> dict[str, str]:
    """The built-in resources as a bundle (what an office starts from)."""
    files = {"rules/review_routing.toml":
             (RESOURCES / "rules" / "review_routing.toml").read_text(encoding="utf-8")}
    for path in (RESOURCES / "agreements").iterdir():
        files[f"agreements/{path.name}"] = path.read_text(encoding="utf-8")
    return files


def with_rule(files: dict[str, str], rule: str, flags: str = ALWAYS_REVIEW) -> dict[str, str]:
    return {**files, "rules/review_routing.toml": files["rules/review_routing.toml"] + rule,
            "vocabulary/flags.toml": flags}


def test_a_published_rule_needs_its_flag_in_the_bundles_vocabulary() -> None:
    without = {path: text for path, text in with_rule(built_in_bundle(), FLAG_ALL).items()
               if path != "vocabulary/flags.toml"}
    assert "rule ALWAYS_REVIEW: not a flag of the vocabulary" in " | ".join(
        check_bundle(1, without))
    untranslated = with_rule(built_in_bundle(), FLAG_ALL, ALWAYS_REVIEW.replace(
        'zh = "本周全部复核", ', ""))
    assert "vocabulary/flags.toml" in " | ".join(check_bundle(1, untranslated))
    # the built-in flags stay: a bundle adds to them
    config_flags = published.PublishedConfig(0).flags()
    assert "LOW_FACE_MATCH" in config_flags and "ALWAYS_REVIEW" not in config_flags


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConfigStore]:
    config_store = ConfigStore(tmp_path / "config")
    published.install_store(config_store)
    yield config_store
    published.install_store(None)


def test_a_valid_bundle_passes_and_the_checks_name_each_problem() -> None:
    files = with_rule(built_in_bundle(), FLAG_ALL)
    files["calendar.json"] = json.dumps({"holidays": {"2027-10-08": "国庆节"}})
    files["photo_profiles/cn-driving-licence.toml"] = (
        RESOURCES / "photo_profiles" / "cn-driving-licence.toml").read_text(encoding="utf-8")
    assert check_bundle(1, files) == []

    agreement = next(p for p in files if p.endswith("user_agreement-2026.1.zh_CN.txt"))
    broken = {
        **files,
        "rules/review_routing.toml": "[[rule]]\ncode = 1\n",
        "calendar.json": '{"holidays": {"2027-13-40": "x"}}',
        "photo_profiles/icao-9303.toml": 'name = "another"\n',
        agreement: files[agreement] + "（改动）",
    }
    problems = " | ".join(check_bundle(2, broken))
    assert "review routing rules" in problems
    assert "calendar file" in problems
    assert "icao-9303" in problems
    assert "must not change" in problems  # a published agreement text is never edited
    assert check_bundle(2, {**files, "../etc/passwd": "x"}) == [
        "'../etc/passwd' is not a configuration file this station reads"]  # nothing written
    dropped = {path: text for path, text in files.items() if "power_of_attorney" not in path}
    assert "must be kept" in " | ".join(check_bundle(3, dropped))


def test_the_store_applies_a_version_without_restart_and_keeps_the_last_good_one(
        store: ConfigStore) -> None:
    files = with_rule(built_in_bundle(), FLAG_ALL)
    assert published.active().version == 0
    installed = store.install(1, files, bundle_digest(files))
    assert installed.version == 1 and published.active().version == 1
    assert [r.code for r in published.active().rules()][-1] == "ALWAYS_REVIEW"

    bad = {**files, "rules/review_routing.toml": "not toml ["}
    with pytest.raises(ConfigInvalid) as refused:
        store.install(2, bad, bundle_digest(bad))
    assert refused.value.problems and published.active().version == 1  # the last good one
    assert store.rejected() is not None and store.rejected()["version"] == 2  # type: ignore[index]
    with pytest.raises(ConfigInvalid, match="digest"):
        store.install(3, files, "0" * 64)
    assert ConfigStore(store.directory).current().version == 1  # and after a restart


def test_a_case_in_progress_keeps_the_version_it_started_with(
        store: ConfigStore, database: Database) -> None:
    before = individual_until_signature(database, card_document(chip_image=JPEG),
                                        match=True)  # started under the built-in version 0
    files = with_rule(built_in_bundle(), FLAG_ALL)
    store.install(1, files, bundle_digest(files))
    after = individual_until_signature(database, card_document(chip_image=JPEG),
                                       match=True)
    kept = database.write(lambda s: cases.commit_case(s, before, "clerk"))
    new = database.write(lambda s: cases.commit_case(s, after, "clerk"))
    assert kept.flags == ()  # version 0 never flags a clean case
    assert [f.code for f in new.flags] == ["ALWAYS_REVIEW"]
    assert new.flags[0].message("zh_CN") == "本周所有业务均需人工审核。"
    with database.session() as session:
        versions = {case_id: session.get(Case, case_id).details["config_version"]  # type: ignore[union-attr]
                    for case_id in (before, after)}
    assert versions == {before: 0, after: 1}  # recorded with the case (and sent with it)


@pytest.fixture
def central(tmp_path: Path) -> Iterator[EmbeddedCentral]:
    service = EmbeddedCentral(f"sqlite:///{tmp_path / 'central' / 'c.sqlite3'}",
                              tmp_path / "central", dispatch_notifications=False)
    service.start()
    yield service
    service.stop()


def write_bundle(directory: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (directory / "README.txt").write_text("not part of the bundle", encoding="utf-8")
    return directory


@pytest.mark.error_logs_expected(r"published configuration 3 refused")
def test_publish_fetch_apply_and_refuse(central: EmbeddedCentral, tmp_path: Path) -> None:
    directory = write_bundle(tmp_path / "bundle", with_rule(built_in_bundle(), FLAG_ALL))
    assert set(read_bundle_directory(directory)) == set(with_rule(built_in_bundle(), FLAG_ALL))
    done = run_module("central", "config", "publish", str(directory), "--db", central.db_url,
                      "--note", "本周全部复核")
    assert done.returncode == 0, done.stderr
    assert "version 1 published" in done.stdout
    shown = json.loads(run_module("central", "config", "show", "--db", central.db_url,
                                  "--json").stdout)
    assert shown["version"] == 1 and shown["note"] == "本周全部复核"
    assert "rules/review_routing.toml" in shown["files"]
    rules_text = run_module("central", "config", "show", "--db", central.db_url, "--file",
                            "rules/review_routing.toml").stdout
    assert "ALWAYS_REVIEW" in rules_text
    served = httpx.get(f"{central.base_url}/v1/vocabulary").json()["flags"]  # for the UI
    assert {f["code"]: f["label"]["zh"] for f in served}["ALWAYS_REVIEW"] == "本周全部复核"
    assert len(served) == len(vocabulary.flags().codes) + 1

    (directory / "rules" / "review_routing.toml").write_text("[[rule]]\n", encoding="utf-8")
    refused = run_module("central", "config", "publish", str(directory), "--db", central.db_url)
    assert refused.returncode == 1 and "review routing rules" in refused.stderr

    config = write_settings(tmp_path / "station.toml", tmp_path / "station",
                            central.base_url or "", code="ST-CF", extra="sync_interval_s = 60\n")
    settings = load_settings(config)
    database = Database(settings.storage.resolved_database_url(), tmp_path / "station" / "k")
    enrol(settings, database, issue_code(central, "ST-CF"))
    published.install_store(ConfigStore(Path(settings.storage.data_dir) / "config"))  # as open()
    bus = EventBus()
    changes: list[ConfigChanged] = []
    bus.subscribe(ConfigChanged, changes.append)
    runtime = SyncRuntime(settings, database, bus)
    runtime.start()
    try:
        worker = runtime.worker
        assert worker is not None
        worker.stop()  # rounds by hand
        worker.run_once()
        assert [c.version for c in changes] == [1] and published.active().version == 1
        assert worker.pull_config() is None  # unchanged: answered 304

        # a version that never passed the central checks (an older service, a hand edit)
        bad = {**read_bundle_directory(directory)}
        engine = make_engine(central.db_url, pool_size=1)
        with session_factory(engine).begin() as session:
            for version in (2, 3):
                session.add(ConfigVersion(version=version, sha256=bundle_digest(bad), files=bad,
                                          note="", published_by="test",
                                          published_at=datetime.now(UTC)))
        engine.dispose()
        worker.run_once()
        assert changes[-1].rejected == 3 and published.active().version == 1  # kept
        status = link_status(settings, database)
        assert status["config"]["version"] == 1 and status["config"]["rejected"]["version"] == 3
        worker.run_once()
        assert len(changes) == 2  # judged once, not at every round
        worker.send_heartbeat(force=True)
        listed = json.loads(run_module("central", "stations", "list", "--db", central.db_url,
                                       "--json").stdout)
        assert {row["code"]: row["config_version"] for row in listed}["ST-CF"] == 1
    finally:
        runtime.stop()
        database.close()
        published.install_store(None)


def test_the_central_due_time_follows_the_published_calendar(tmp_path: Path) -> None:
    rows: list[ConfigVersion | None] = [None]
    calendar = PublishedCalendar(None, lambda work: rows[0], ttl_s=0)
    thursday = datetime(2027, 6, 17, 10, 0, tzinfo=CHINA)  # a working day before the weekend
    assert calendar.get().due_time(thursday).astimezone(CHINA).date().isoformat() == "2027-06-18"
    files = {"calendar.json": json.dumps({"holidays": {"2027-06-18": "调休（示例）"}})}
    rows[0] = ConfigVersion(version=1, sha256=bundle_digest(files), files=files, note="",
                            published_by="t", published_at=datetime.now(UTC))
    time.sleep(0.01)
    assert calendar.get().due_time(thursday).astimezone(CHINA).date().isoformat() == "2027-06-21"


def test_the_office_status_page_address_is_published(store: ConfigStore, settings) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from station.workflows.receipt_data import status_url

    files = {**built_in_bundle(), "office.toml": 'status_page_url = "https://jg.example.gov.cn/"\n'}
    assert check_bundle(1, files) == []
    assert "status_page_url must be" in " | ".join(check_bundle(1, {
        **files, "office.toml": 'status_page_url = "javascript:alert(1)"\n'}))
    assert "office.toml" in " | ".join(check_bundle(1, {**files, "office.toml": "not toml ["}))
    case = SimpleNamespace(details={"status_token": "A" * 22})
    assert status_url(settings, case) is None  # nothing configured: the case number is printed
    store.install(1, files, bundle_digest(files))
    assert status_url(settings, case) == "https://jg.example.gov.cn/s/" + "A" * 22
    settings.central.status_page_url = "https://counter.example.gov.cn"  # the station's own
    assert status_url(settings, case) == "https://counter.example.gov.cn/s/" + "A" * 22
