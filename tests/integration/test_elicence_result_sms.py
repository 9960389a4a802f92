"""An e-licence photo taken at a station reaches its applicant: the mobile number the station
collected travels with the case, and the supervisor's decision is sent to it by SMS (the
development gateway's outbox file), greeting the applicant by masked name."""

from __future__ import annotations

import json
from pathlib import Path

from central.sms import dispatch_due
from station.receipts.masking import mask_name
from station.sync.client import CentralClient
from tests.helpers.cases import LocalStation, card_document
from tests.helpers.platform import World

PHONE = "13698765432"


def _decide(world: World, case_id: str, decision: str, **extra: str) -> None:
    headers = world.h(world.supervisor)
    lease = world.client.post(f"/v1/review/cases/{case_id}/claim", headers=headers)
    assert lease.status_code == 200, lease.text
    answer = world.client.post(f"/v1/review/cases/{case_id}/decision", headers=headers, json={
        "decision": decision, "lease_token": lease.json()["lease_token"], **extra})
    assert answer.status_code == 201, answer.text


def test_the_decision_on_a_station_elicence_case_is_sent_to_its_phone(
        world: World, tmp_path: Path, faces_dir: Path) -> None:
    photo = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    station = LocalStation.open(tmp_path / "station")
    client = CentralClient(str(world.client.base_url), token=world.station)
    try:
        with_phone = station.elicence_photo(photo, phone=PHONE)
        without = station.elicence_photo(photo, phone=None)  # nowhere to send it
        receipts = [station.deliver(client, case_id) for case_id in (with_phone, without)]
    finally:
        client.close()
        station.close()
    assert all(r.review_state == "pending" for r in receipts)  # every e-licence is reviewed

    central = world.client_app.state.central
    _decide(world, receipts[0].case_id, "approve")
    _decide(world, receipts[1].case_id, "approve")
    assert dispatch_due(central.sessions, central.gateway, central.sealer) == 1
    outbox = central.gateway.outbox_file
    assert outbox is not None and outbox.exists()
    sent = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert [message["phone"] for message in sent] == [PHONE]
    name = card_document().name
    text = sent[0]["text"]
    assert f"{mask_name(name)}您好" in text and name not in text
    assert "电子驾驶证照片采集" in text and "审核通过" in text
