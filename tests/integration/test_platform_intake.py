"""Submissions from the 12123 platform enter the review queue like station cases: the
platform's own credential (scoped to intake), idempotent by its reference, validated,
sealed, analysed (face match, photo compliance) and answered on the status page."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import text

from central.db import make_engine
from central.platform_sim import Faces, elicence_body, manual_review_body, random_person
from tests.helpers.platform import World


@pytest.fixture
def faces(faces_dir: Path) -> Faces:
    return Faces.from_folder(faces_dir)


def _pair(faces_dir: Path, who: str) -> tuple[Image.Image, Image.Image]:
    folder = faces_dir / "verification" / who
    first, second = sorted(folder.glob("*.jpg"))[:2]
    with Image.open(first) as a, Image.open(second) as b:
        return a.copy(), b.copy()


def test_a_manual_review_request_enters_the_queue_with_its_face_match(
        world: World, faces_dir: Path) -> None:
    rng = random.Random(1)
    person = random_person(rng)
    card, live = _pair(faces_dir, "obama")
    body = manual_review_body("REF-GENUINE-0001", person, card, live, rng)
    answer = world.submit("manual-review", body)
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert receipt["review_state"] == "pending" and receipt["due_at"]
    assert receipt["number"].startswith("APP")
    assert receipt["flags"] == ["APP_FACE_RECOGNITION_FAILED"]  # the selfie matches the card

    queue = world.client.get("/v1/review/queue", headers=world.h(world.supervisor)).json()
    item = next(i for i in queue["items"] if i["case_id"] == receipt["case_id"])
    assert item["kind"] == "manual_review"
    detail = world.client.get(f"/v1/cases/{receipt['case_id']}",
                              headers=world.h(world.supervisor)).json()
    roles = sorted((p["role"], p["meta"].get("kind", "")) for p in detail["parts"])
    assert roles == [("document_scan", "id_back"), ("document_scan", "id_front"),
                     ("photo", "")]
    assert detail["match_score"] is not None and detail["match_score"] >= 60
    applicant = detail["fields"]["people"][0]
    assert applicant["name"] == person.name and applicant["phone"] == person.phone

    # what the platform sent is sealed at rest like a station's case
    engine = make_engine(world.db_url)
    with engine.connect() as connection:
        raw = connection.execute(text("select payload from cases where id = :id"),
                                 {"id": receipt["case_id"]}).scalar_one()
    engine.dispose()
    assert person.name not in str(raw) and person.id_number not in str(raw)


def test_an_impostor_selfie_is_flagged_low_face_match(world: World, faces_dir: Path) -> None:
    rng = random.Random(2)
    card, _ = _pair(faces_dir, "obama")
    _, someone_else = _pair(faces_dir, "biden")
    body = manual_review_body("REF-IMPOSTOR-01", random_person(rng), card, someone_else, rng)
    answer = world.submit("manual-review", body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["flags"] == ["APP_FACE_RECOGNITION_FAILED", "LOW_FACE_MATCH"]


def test_a_repeated_reference_returns_the_first_receipt_and_a_changed_one_is_refused(
        world: World, faces_dir: Path) -> None:
    rng = random.Random(3)
    person = random_person(rng)
    photo = (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes()
    body = elicence_body("REF-REPEAT-0001", person, photo, "album")
    first = world.submit("elicence-photo", body)
    again = world.submit("elicence-photo", body)
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["case_id"] == first.json()["case_id"]
    changed = world.submit("elicence-photo", {**body, "photo_source": "camera"})
    assert changed.status_code == 409
    assert changed.json()["error"]["code"] == "idempotency_conflict"


def test_an_elicence_photo_gets_its_compliance_report(world: World, faces_dir: Path) -> None:
    rng = random.Random(4)
    compliant = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    beige = (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes()
    good = world.submit("elicence-photo", elicence_body("REF-PHOTO-GOOD1", random_person(rng),
                                                        compliant, "camera")).json()
    bad = world.submit("elicence-photo", elicence_body("REF-PHOTO-BAD01", random_person(rng),
                                                       beige, "album")).json()
    assert "PHOTO_NONCOMPLIANT" in bad["flags"]
    for receipt in (good, bad):
        detail = world.client.get(f"/v1/cases/{receipt['case_id']}",
                                  headers=world.h(world.supervisor)).json()
        photo = next(p for p in detail["parts"] if p["role"] == "photo_elicence")
        report = photo["meta"]["quality_report"]
        assert report["profile"] == "cn-driving-licence"
        assert photo["meta"]["compliant"] == ("PHOTO_NONCOMPLIANT" not in receipt["flags"])
    bad_report = next(p for p in world.client.get(
        f"/v1/cases/{bad['case_id']}", headers=world.h(world.supervisor)).json()["parts"]
        if p["role"] == "photo_elicence")["meta"]["quality_report"]
    assert bad_report["failed"], "a beige background must name the failing check"


def test_credentials_are_scoped(world: World, faces_dir: Path) -> None:
    rng = random.Random(5)
    body = elicence_body("REF-SCOPE-00001", random_person(rng),
                         (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes(), "album")
    station = world.client.post("/v1/intake/elicence-photo", json=body,
                                headers=world.h(world.station))
    assert station.status_code == 403  # a station cannot pose as the platform
    supervisor = world.client.post("/v1/intake/elicence-photo", json=body,
                                   headers=world.h(world.supervisor))
    assert supervisor.status_code == 403
    for path in ("/v1/review/queue", "/v1/feed"):
        assert world.client.get(path, headers=world.h(world.platform)).status_code == 403
    assert world.client.post("/v1/intake/elicence-photo", json=body).status_code == 401


@pytest.mark.parametrize(("change", "code"), [
    ({"applicant": {"name": "张三", "id_number": "110101199003070001", "phone": "13800138000"}},
     422),  # wrong check digit
    ({"photo": "bm90IGFuIGltYWdl"}, 422),  # "not an image"
    ({"photo_source": "scanner"}, 422),
    ({"reference": "short"}, 422),
    ({"extra": 1}, 422),
])
def test_bad_submissions_get_a_clear_refusal(world: World, faces_dir: Path,
                                             change: dict[str, Any], code: int) -> None:
    rng = random.Random(6)
    body = elicence_body("REF-INVALID-001", random_person(rng),
                         (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes(), "album")
    answer = world.submit("elicence-photo", {**body, **change})
    assert answer.status_code == code, answer.text
    assert answer.json()["error"]["message_zh"]


def test_an_oversized_submission_is_refused_before_it_is_read(world: World) -> None:
    answer = world.client.post("/v1/intake/elicence-photo", content=b"{" + b" " * 33_000_000,
                               headers={**world.h(world.platform),
                                        "Content-Type": "application/json"})
    assert answer.status_code == 413


def test_the_status_page_shows_the_state_without_personal_data(
        world: World, faces_dir: Path) -> None:
    rng = random.Random(7)
    person = random_person(rng)
    receipt = world.submit("elicence-photo", elicence_body(
        "REF-STATUS-0001", person, (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes(),
        "album")).json()
    page = world.client.get(receipt["status_path"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    html = page.text
    assert "审核中" in html and "电子驾驶证照片采集" in html and "审核截止" in html
    assert person.name not in html and person.id_number not in html and person.phone not in html

    lease = world.client.post(f"/v1/review/cases/{receipt['case_id']}/claim",
                              headers=world.h(world.supervisor)).json()
    decided = world.client.post(f"/v1/review/cases/{receipt['case_id']}/decision", json={
        "decision": "return", "note": "请上传白色背景的近期正面免冠照片", "lease_token":
        lease["lease_token"]}, headers=world.h(world.supervisor))
    assert decided.status_code == 201, decided.text
    html = world.client.get(receipt["status_path"]).text
    assert "需补充材料" in html and "请上传白色背景的近期正面免冠照片" in html

    missing = world.client.get("/s/AAAAAAAAAAAAAAAAAAAAAA")
    assert missing.status_code == 404 and "未找到" in missing.text
    assert world.client.get("/s/..%2f..%2fetc").status_code == 404


def test_the_decision_sms_greets_the_applicant_by_masked_name(world: World,
                                                              faces_dir: Path) -> None:
    from central.sms import dispatch_due

    rng = random.Random(8)
    person = random_person(rng)
    receipt = world.submit("elicence-photo", elicence_body(
        "REF-SMS-NAME-01", person, (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes(),
        "album")).json()
    lease = world.client.post(f"/v1/review/cases/{receipt['case_id']}/claim",
                              headers=world.h(world.supervisor)).json()
    world.client.post(f"/v1/review/cases/{receipt['case_id']}/decision", json={
        "decision": "reject", "reason_code": "photo_noncompliant",
        "lease_token": lease["lease_token"]}, headers=world.h(world.supervisor))
    central = world.client_app.state.central
    assert dispatch_due(central.sessions, central.gateway, central.sealer) == 1
    message = central.gateway.sent[-1]
    assert message["phone"] == person.phone
    greeting = person.name[0] + "*" * (len(person.name) - 1) + "您好"
    assert greeting in message["text"] and person.name not in message["text"]
    assert "电子驾驶证照片采集" in message["text"] and "照片不符合要求" in message["text"]


def test_masked_names() -> None:
    from central.sms import masked_name, salutation

    assert masked_name("张三丰") == "张**" and masked_name("李四") == "李*"
    assert masked_name("John Ronald Tolkien") == "John R. T."
    assert salutation({"people": [{"role": "agent", "name": "王五"}]}) == "王*"
    assert salutation({"salutation": "张先生", "people": []}) == "张先生"
    assert salutation({}) == ""


def test_the_same_persons_other_cases_are_found_by_keyed_hash(
        world: World, faces_dir: Path) -> None:
    rng = random.Random(9)
    person = random_person(rng)
    photo = (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes()
    first = world.submit("elicence-photo", elicence_body("REF-REPEAT-VISIT1", person, photo,
                                                         "album")).json()
    second = world.submit("elicence-photo", elicence_body("REF-REPEAT-VISIT2", person, photo,
                                                          "camera")).json()
    stranger = world.submit("elicence-photo", elicence_body(
        "REF-REPEAT-OTHER", random_person(rng), photo, "album")).json()
    detail = world.client.get(f"/v1/cases/{second['case_id']}",
                              headers=world.h(world.supervisor)).json()
    assert [c["case_id"] for c in detail["other_cases"]] == [first["case_id"]]
    assert detail["other_cases"][0]["review_state"] == "pending"
    lookup = world.client.post("/v1/persons/lookup", json={"id_number": person.id_number},
                               headers=world.h(world.station))
    assert lookup.status_code == 200, lookup.text
    assert lookup.json()["open_cases"] == 2
    assert stranger["case_id"] not in {c["case_id"] for c in lookup.json()["cases"]}
    # the number is kept only as a keyed hash
    engine = make_engine(world.db_url)
    with engine.connect() as connection:
        digests = connection.execute(text(
            "select person_digest from cases where id in (:a, :b)"),
            {"a": first["case_id"], "b": second["case_id"]}).scalars().all()
    engine.dispose()
    assert len(set(digests)) == 1 and person.id_number not in digests[0]
    assert world.client.post("/v1/persons/lookup", json={"id_number": person.id_number},
                             headers=world.h(world.platform)).status_code == 403
