"""The traffic-management system upstream (central.upstream), against its simulator on a
local port and the central service on real PostgreSQL: the reviewer's photo on file, and
every approved result handed over exactly once through the outbox, also when the system is
down, slow or refusing for a while."""

from __future__ import annotations

import base64
import json
import random
import secrets
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from central.models import UpstreamHandover
from central.platform_sim import elicence_body, random_person
from central.testing import scratch_database
from central.upstream.handover import HandoverDispatcher, deliver_handovers
from central.upstream.http import HttpTrafficSystem
from central.upstream.protocol import HandOver, UpstreamRefused, UpstreamUnavailable
from central.upstream.simulator import TrafficSystemSimulator
from tests.helpers.platform import World, running_world
from tests.helpers.processes import run_module

SECRET = "traffic-secret-for-tests"


@pytest.fixture
def simulator() -> Iterator[TrafficSystemSimulator]:
    instance = TrafficSystemSimulator("central-test", SECRET, slow_s=5.0).start()
    yield instance
    instance.stop()


@pytest.fixture
def world(tmp_path: Path, postgres_url: str,
          simulator: TrafficSystemSimulator) -> Iterator[World]:
    with scratch_database(postgres_url, "upstream") as url:
        yield from running_world(tmp_path, url, upstream_url=simulator.url,
                                 upstream_client_id="central-test", upstream_secret=SECRET,
                                 upstream_timeout_s=0.5)


def _photo(faces_dir: Path) -> bytes:
    return (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes()


def _decide(world: World, case_id: str, decision: str = "approve") -> None:
    lease = world.client.post(f"/v1/review/cases/{case_id}/claim",
                              headers=world.h(world.supervisor)).json()
    answer = world.client.post(f"/v1/review/cases/{case_id}/decision", json={
        "decision": decision, "lease_token": lease["lease_token"],
        **({"reason_code": "photo_noncompliant"} if decision == "reject" else {})},
        headers=world.h(world.supervisor))
    assert answer.status_code == 201, answer.text


def _handover(world: World, case_id: str) -> UpstreamHandover | None:
    central = world.client_app.state.central
    with central.sessions() as session:
        return session.query(UpstreamHandover).filter_by(case_id=case_id).one_or_none()


def _row(world: World, case_id: str) -> UpstreamHandover:
    row = _handover(world, case_id)
    assert row is not None, "no hand-over owed"
    return row


def _metrics(world: World) -> str:
    return world.client.get("/metrics").text


def _deliver(world: World, later: timedelta = timedelta(0)) -> int:
    central = world.client_app.state.central
    moment = central.clock() + later
    return deliver_handovers(central.sessions, central.sealer, central.upstream,
                             clock=lambda: moment)


@pytest.mark.postgres
def test_the_reviewer_gets_the_photo_on_file_fetched_on_request(
        world: World, simulator: TrafficSystemSimulator, faces_dir: Path) -> None:
    rng = random.Random(31)
    on_file, unknown = random_person(rng), random_person(rng)
    photo_on_file = (faces_dir / "portraits" / "fr_obama_smile.jpg").read_bytes()
    simulator.add_photo(on_file.id_number, photo_on_file, "2019-05-06")
    known = world.submit("elicence-photo", elicence_body("REF-UP-PHOTO-1", on_file,
                                                         _photo(faces_dir), "album")).json()
    other = world.submit("elicence-photo", elicence_body("REF-UP-PHOTO-2", unknown,
                                                         _photo(faces_dir), "album")).json()
    sup = world.h(world.supervisor)

    found = world.client.get(f"/v1/cases/{known['case_id']}/photo-on-file", headers=sup).json()
    assert found["state"] == "found" and found["taken_on"] == "2019-05-06"
    assert base64.b64decode(found["photo_b64"]) == photo_on_file
    assert found["media_type"] == "image/jpeg"
    assert simulator.lookups == [on_file.id_number]  # asked by number, in a signed request
    assert world.client.get(f"/v1/cases/{other['case_id']}/photo-on-file",
                            headers=sup).json()["state"] == "not_found"

    simulator.set_mode("down")
    down = world.client.get(f"/v1/cases/{known['case_id']}/photo-on-file", headers=sup).json()
    assert down["state"] == "unavailable" and down["photo_b64"] is None
    simulator.set_mode("slow")
    assert world.client.get(f"/v1/cases/{known['case_id']}/photo-on-file",
                            headers=sup).json()["state"] == "unavailable"
    simulator.set_mode("ok")

    detail = world.client.get(f"/v1/cases/{known['case_id']}", headers=sup).json()
    looked = [a for a in detail["audit"] if a["action"] == "upstream.photo_on_file"]
    assert [a["details"]["state"] for a in looked] == ["found", "unavailable", "unavailable"]
    assert world.client.get(f"/v1/cases/{known['case_id']}/photo-on-file",
                            headers=world.h(world.station)).status_code == 403


@pytest.mark.postgres
def test_an_approved_result_is_handed_over_once_after_the_system_comes_back(
        world: World, simulator: TrafficSystemSimulator, faces_dir: Path) -> None:
    rng = random.Random(32)
    person = random_person(rng)
    receipt = world.submit("elicence-photo", elicence_body("REF-UP-HAND-1", person,
                                                           _photo(faces_dir), "album")).json()
    rejected = world.submit("elicence-photo", elicence_body("REF-UP-HAND-2", random_person(rng),
                                                            _photo(faces_dir), "album")).json()
    assert _deliver(world) == 0 and _handover(world, receipt["case_id"]) is None  # not yet
    _decide(world, rejected["case_id"], "reject")
    assert _handover(world, rejected["case_id"]) is None  # only approved results go
    simulator.set_mode("down")
    _decide(world, receipt["case_id"])

    assert _deliver(world) == 0  # the system is away: waits
    waiting = _handover(world, receipt["case_id"])
    assert waiting is not None and waiting.state == "pending" and waiting.attempts == 1
    assert "unreachable" in (waiting.last_error or "")
    assert 'central_upstream_handovers{state="pending"} 1.0' in _metrics(world)
    assert _deliver(world) == 0  # backing off: not tried again at once
    assert _row(world, receipt["case_id"]).attempts == 1
    simulator.set_mode("slow")  # answers too late: still waiting
    assert _deliver(world, timedelta(seconds=6)) == 0
    assert _row(world, receipt["case_id"]).attempts == 2

    simulator.set_mode("ok")
    assert _deliver(world, timedelta(seconds=30)) == 1
    assert _deliver(world, timedelta(hours=2)) == 0  # delivered: never again
    done = _handover(world, receipt["case_id"])
    assert done is not None and done.state == "delivered" and done.ack
    stored = simulator.handovers[receipt["case_id"]]
    assert stored["ack"] == done.ack and stored["result"] == "licence_photo"
    assert stored["id_number"] == person.id_number and stored["kind"] == "elicence_photo"
    detail = world.client.get(f"/v1/cases/{receipt['case_id']}",
                              headers=world.h(world.supervisor)).json()
    elicence = next(p for p in detail["parts"] if p["role"] == "photo_elicence")
    part = world.client.get(elicence["url"], headers=world.h(world.supervisor)).content
    assert base64.b64decode(stored["photo"]) == part  # the exported e-licence photo
    assert simulator.photos[person.id_number].photo == part  # now the photo on file
    assert list(simulator.handovers) == [receipt["case_id"]]
    assert 'central_upstream_handovers{state="pending"} 0.0' in _metrics(world)


@pytest.mark.postgres
def test_a_case_approved_at_the_counter_is_handed_over_as_an_account_verified(
        world: World, simulator: TrafficSystemSimulator) -> None:
    case: dict[str, Any] = {
        "number": "ST01-20261204-0001", "kind": "individual", "clerk": "clerk1",
        "fields": {"people": [{"role": "applicant", "name": "林浩然", "documents": [
            {"doc_type": "resident_id", "number": "110101199003074514"}]}]},
        "notify_phone": "13800138000"}
    delivered = world.client.post("/v1/cases", json=case, headers={
        **world.h(world.station), "Idempotency-Key": "key-upstream-0001"})
    assert delivered.status_code == 201, delivered.text
    again = world.client.post("/v1/cases", json=case, headers={
        **world.h(world.station), "Idempotency-Key": "key-upstream-0001"})
    assert again.status_code == 200  # a repeated delivery owes nothing more
    assert _deliver(world) == 1
    case_id = delivered.json()["case_id"]
    stored = simulator.handovers[case_id]
    assert stored["result"] == "account_verified" and "photo" not in stored
    assert stored["id_number"] == "110101199003074514" and stored["phone"] == "13800138000"
    assert simulator.attempts == [case_id]


@pytest.mark.postgres
@pytest.mark.error_logs_expected(r"refused the hand-over")
def test_a_refused_hand_over_is_kept_with_its_reason_until_an_administrator_retries(
        world: World, simulator: TrafficSystemSimulator, faces_dir: Path) -> None:
    receipt = world.submit("elicence-photo", elicence_body(
        "REF-UP-REFUSE", random_person(random.Random(33)), _photo(faces_dir), "album")).json()
    _decide(world, receipt["case_id"])
    simulator.set_mode("refuse")
    assert _deliver(world) == 0
    refused = _handover(world, receipt["case_id"])
    assert refused is not None and refused.state == "refused"
    assert "REFUSED" in (refused.last_error or "")
    simulator.set_mode("ok")
    assert _deliver(world, timedelta(hours=2)) == 0  # not sent again by itself

    shown = run_module("central", "handovers", "list", "--db", world.db_url, "--json")
    assert shown.returncode == 0, shown.stderr
    listed = json.loads(shown.stdout)
    assert [(r["case_id"], r["state"]) for r in listed] == [(receipt["case_id"], "refused")]
    assert "REFUSED" in listed[0]["last_error"]
    retried = run_module("central", "handovers", "retry", "--db", world.db_url)
    assert retried.returncode == 0 and "1 refused" in retried.stdout, retried.stderr
    assert _deliver(world, timedelta(seconds=1)) == 1
    assert _row(world, receipt["case_id"]).state == "delivered"
    assert receipt["case_id"] in simulator.handovers


@pytest.mark.postgres
def test_the_dispatcher_thread_hands_over_a_decision(
        world: World, simulator: TrafficSystemSimulator, faces_dir: Path) -> None:
    receipt = world.submit("elicence-photo", elicence_body(
        "REF-UP-THREAD", random_person(random.Random(34)), _photo(faces_dir), "album")).json()
    central = world.client_app.state.central
    dispatcher = HandoverDispatcher(central.sessions, lambda: central.sealer, central.upstream,
                                    interval_s=0.05)
    dispatcher.start()
    try:
        _decide(world, receipt["case_id"])
        for _ in range(400):
            row = _handover(world, receipt["case_id"])
            if row is not None and row.state == "delivered":
                break
            dispatcher.wake()
            time.sleep(0.025)
    finally:
        dispatcher.stop()
    assert _row(world, receipt["case_id"]).state == "delivered"
    assert simulator.attempts == [receipt["case_id"]]


def test_requests_are_signed_and_a_repeated_hand_over_gets_the_first_ack(
        simulator: TrafficSystemSimulator) -> None:
    system = HttpTrafficSystem(simulator.url, "central-test", SECRET, timeout_s=2)
    result = HandOver(handover_id=secrets.token_hex(16), case_number="N-1",
                      kind="individual", result="account_verified",
                      id_number="110101199003074514", decided_at="2026-12-04T10:00:00+00:00")
    first, second = system.hand_over(result), system.hand_over(result)
    assert first.ack == second.ack and not first.replayed and second.replayed
    assert len(simulator.handovers) == 1
    system.close()

    forger = HttpTrafficSystem(simulator.url, "central-test", "not-the-secret", timeout_s=2)
    with pytest.raises(UpstreamRefused) as refused:
        forger.photo_on_file("110101199003074514")
    assert refused.value.code == "BAD_SIGNATURE"
    forger.close()
    stranger = HttpTrafficSystem(simulator.url, "someone-else", SECRET, timeout_s=2)
    with pytest.raises(UpstreamRefused, match="BAD_CLIENT"):
        stranger.photo_on_file("110101199003074514")
    stranger.close()
    assert simulator.refused == ["BAD_SIGNATURE", "BAD_CLIENT"]


def test_a_replayed_request_is_refused(simulator: TrafficSystemSimulator) -> None:
    from central.upstream.protocol import PHOTO_PATH, signature

    body = b'{"id_number":"110101199003074514"}'
    timestamp = str(int(time.time()))
    headers = {"X-Client-Id": "central-test", "X-Timestamp": timestamp, "X-Nonce": "n-1",
               "X-Signature": signature(SECRET, "POST", PHOTO_PATH, timestamp, "n-1", body)}
    assert simulator.handle(PHOTO_PATH, headers, body)[0] == 200
    assert simulator.handle(PHOTO_PATH, headers, body) == (401, {"code": "NONCE_REUSED",
                                                                 "message": ""})
    stale = str(int(time.time()) - 3600)
    old = {**headers, "X-Timestamp": stale, "X-Nonce": "n-2",
           "X-Signature": signature(SECRET, "POST", PHOTO_PATH, stale, "n-2", body)}
    assert simulator.handle(PHOTO_PATH, old, body)[1]["code"] == "STALE_REQUEST"


def test_a_down_system_is_unavailable_not_refused() -> None:
    simulator = TrafficSystemSimulator("central-test", SECRET).start()
    url = simulator.url
    simulator.stop()  # nothing listens there any more
    system = HttpTrafficSystem(url, "central-test", SECRET, timeout_s=1)
    with pytest.raises(UpstreamUnavailable):
        system.photo_on_file("110101199003074514")
    system.close()
