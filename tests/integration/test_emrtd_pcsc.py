"""eMRTD reads through the real PC/SC stack: pcscd + vsmartcard's vpcd + pyscard.

The emulated chip (devices.emrtd.simulator) connects to vpcd's socket as a card would; the
station's reader code talks to it only through pyscard and pcscd.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from PIL import Image

from devices.emrtd import errors
from devices.emrtd.driver import EmrtdReader
from devices.emrtd.events import (
    EmrtdCardEvent,
    EmrtdReadersChanged,
    EmrtdReadFinished,
    EmrtdReadProgress,
)
from devices.emrtd.pcsc import PcscContext
from devices.emrtd.service import read_passport
from devices.emrtd.simulator import CardFaults, PassportFiles, VirtualPassport, build_passport
from devices.emrtd.simulator.vpcd import VpcdCard
from station.events import EventBus
from tests.helpers.processes import run_module

ROOT = Path(__file__).resolve().parents[2]
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
VPCD_READER = "Virtual PCD 00 00"  # slot 0 listens on port 35963
PASSPORT_MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F3204153ZE184226B<<<<<16"
)
PERMIT_MRZ = (
    "C<UTOD231458907<<<<<<<<<<<<<<<\n"
    "7408122F3204153UTO<<<<<<<<<<<2\n"
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
OTHER_MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C<3UTO6908061F9406236ZE184226B<<<<<14"
)


def _pcscd_binary() -> str | None:
    return shutil.which("pcscd") or next(
        (p for p in ("/usr/sbin/pcscd", "/sbin/pcscd") if Path(p).exists()), None)


def _vpcd_readers() -> list[str]:
    try:
        context = PcscContext()
    except errors.EmrtdError:
        return []
    try:
        return [r for r in context.readers() if r.startswith("Virtual PCD")]
    except errors.EmrtdError:
        return []
    finally:
        context.release()


class Pcscd:
    """pcscd with vpcd's reader: the one already running, or ours (started and stopped)."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.process: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None

    @property
    def ours(self) -> bool:
        return self.process is not None

    def start(self) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as pcscd
        self.process = subprocess.Popen(
            [self.binary, "--foreground", "--error"], stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while not _vpcd_readers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                output = self.log.read().decode(errors="replace")[-2000:]
                self.stop()
                pytest.fail("pcscd did not come up with the vpcd reader "
                            f"(see /etc/reader.conf.d/vpcd): {output}")
            time.sleep(0.1)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self.log is not None:
            self.log.close()


@pytest.fixture(scope="module")
def pcscd() -> Iterator[Pcscd]:
    binary = _pcscd_binary()
    if binary is None or not VPCD_DRIVER.exists():
        reason = "pcscd or vsmartcard-vpcd is not installed (apt-get install pcscd vsmartcard-vpcd)"
        if os.environ.get("CI"):
            pytest.fail(reason + " - required in CI")
        pytest.skip(reason)
    service = Pcscd(binary)
    if not _vpcd_readers():
        service.start()
    yield service
    service.stop()


def _card_state(present: bool, timeout: float = 10.0) -> None:
    context = PcscContext()
    try:
        deadline = time.monotonic() + timeout
        while context.card_present(VPCD_READER) != present:
            assert time.monotonic() < deadline, f"card never became present={present}"
            time.sleep(0.05)
    finally:
        context.release()


@pytest.fixture
def insert_card(pcscd: Pcscd) -> Iterator[Callable[..., VpcdCard]]:
    cards: list[VpcdCard] = []

    def insert(passport: PassportFiles, faults: CardFaults | None = None) -> VpcdCard:
        card = VpcdCard(VirtualPassport(passport, faults))
        card.insert()
        cards.append(card)
        _card_state(True)
        return card

    yield insert
    for card in cards:
        card.remove()
    _card_state(False)


def _portrait(faces_dir: Path, fmt: str) -> tuple[bytes, tuple[int, int]]:
    with Image.open(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg") as image:
        image = image.convert("RGB")
        width, height = image.size
        side = min(width, height * 3 // 4)
        left = (width - side) // 2
        portrait = image.crop((left, 0, left + side, side * 4 // 3)).resize((240, 320))
    buffer = io.BytesIO()
    options = {"quality": 85} if fmt == "JPEG" else {
        "quality_mode": "rates", "quality_layers": [24]}  # about 20 KB, as chips store
    portrait.save(buffer, fmt, **options)
    return buffer.getvalue(), portrait.size


@pytest.fixture
def passport(faces_dir: Path) -> PassportFiles:
    jpeg, size = _portrait(faces_dir, "JPEG")
    return build_passport(PASSPORT_MRZ, jpeg, size, full_name="ERIKSSON<<ANNA MARIA",
                          place_of_birth="ZENITH", issuing_authority="UTOPIA MFA")


def test_bac_dg1_dg2_round_trip(insert_card, passport: PassportFiles) -> None:
    insert_card(passport)
    seen: list[tuple[str, float]] = []
    result = read_passport(
        PASSPORT_MRZ, reader=VPCD_READER, csca_certificates=[passport.csca_certificate],
        progress=lambda step, fraction: seen.append((step, fraction)),
    )
    assert result.reader == VPCD_READER
    assert result.access_control == "BAC"
    holder = result.holder
    assert (holder.surname, holder.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert holder.document_number == "L898902C3"
    assert holder.birth_date is not None and holder.birth_date.isoformat() == "1974-08-12"
    assert holder.expiry_date is not None and holder.expiry_date.isoformat() == "2032-04-15"
    assert holder.full_name == "ERIKSSON, ANNA MARIA"
    assert holder.place_of_birth == "ZENITH"
    assert holder.issuing_authority == "UTOPIA MFA"
    assert result.data_groups_read == (1, 2, 11, 12)
    assert result.face is not None
    photo = passport.files[0x0102]
    assert result.face.format == "jpeg"
    assert (result.face.width, result.face.height) == (240, 320)
    assert result.face.data in photo and len(result.face.data) > 5000
    pa = result.passive_auth
    assert pa.verdict == "passed", pa.to_json()
    assert {c.number: c.status for c in pa.data_groups} == {
        1: "valid", 2: "valid", 11: "valid", 12: "valid"}
    fractions = [f for _s, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any(step == "DG2" for step, _f in seen)


def test_permit_td1_jpeg2000_over_t0_get_response_and_6cxx(
    insert_card, faces_dir: Path
) -> None:
    jp2, size = _portrait(faces_dir, "JPEG2000")
    permit = build_passport(PERMIT_MRZ, jp2, size)
    card = insert_card(permit, CardFaults(t0_get_response=True, eof_answer="6C", max_le=160))
    result = read_passport(PERMIT_MRZ, reader=VPCD_READER, chunk_size=0xDF)
    assert result.holder.document_code == "C"
    assert result.holder.document_number == "D23145890"
    assert result.face is not None and result.face.format == "jp2"
    assert (result.face.width, result.face.height) == (240, 320)
    # No CSCA configured: hashes and signature verified, chain explicitly not checked.
    pa = result.passive_auth
    assert (pa.verdict, pa.signature, pa.chain) == ("hashes_only", "valid", "not_checked")
    assert "no CSCA certificates are configured" in pa.notes
    assert card.apdus > 20


def test_wrong_mrz_is_refused_by_the_chip(insert_card, passport: PassportFiles) -> None:
    insert_card(passport)
    with pytest.raises(errors.EmrtdError) as caught:
        read_passport(OTHER_MRZ, reader=VPCD_READER)
    assert caught.value.code == "access_denied"
    assert "machine-readable zone" in caught.value.message_en


def test_card_removed_mid_read_then_read_again(insert_card, passport: PassportFiles) -> None:
    card = insert_card(passport, CardFaults(remove_after_reads=12))
    with pytest.raises(errors.CardRemovedError) as caught:
        read_passport(PASSPORT_MRZ, reader=VPCD_READER)
    assert caught.value.code == "card_removed"
    assert card.removed.wait(5)
    _card_state(False)
    insert_card(passport)
    result = read_passport(PASSPORT_MRZ, reader=VPCD_READER)
    assert result.holder.surname == "ERIKSSON"


def test_tampered_photo_fails_passive_authentication(
    insert_card, passport: PassportFiles
) -> None:
    insert_card(passport, CardFaults(tamper_dg=2))
    try:
        result = read_passport(PASSPORT_MRZ, reader=VPCD_READER,
                               csca_certificates=[passport.csca_certificate])
    except errors.EmrtdError as exc:  # the flipped byte may break the JPEG itself
        assert exc.code == "bad_data"
        return
    checks = {c.number: c.status for c in result.passive_auth.data_groups}
    assert checks[2] == "invalid" and checks[1] == "valid"
    assert result.passive_auth.verdict == "failed"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_module("devices.emrtd", *args)


def test_cli_prints_json_and_fails_clearly(
    insert_card, passport: PassportFiles, tmp_path: Path
) -> None:
    csca = tmp_path / "csca.pem"
    csca.write_bytes(passport.csca_pem())
    insert_card(passport)
    done = _cli("--mrz", PASSPORT_MRZ, "--reader", VPCD_READER, "--csca", str(csca), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] is True
    assert out["holder"]["surname"] == "ERIKSSON"
    assert out["face"]["format"] == "jpeg" and out["face"]["width"] == 240
    assert out["passive_authentication"]["verdict"] == "passed"
    refused = _cli("--mrz", OTHER_MRZ, "--reader", VPCD_READER, "--json")
    assert refused.returncode == 4
    assert json.loads(refused.stdout)["error"]["code"] == "access_denied"
    bad = _cli("--mrz", "P<UTO", "--json")
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["error"]["code"] == "invalid_mrz"
    # The ID-card CLI hands "emrtd" over to devices.emrtd.cli.main.
    listed = subprocess.run(
        [sys.executable, "-m", "devices.idcard", "emrtd", "--list-readers", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    readers = json.loads(listed.stdout)["readers"]
    assert {"name": VPCD_READER, "card": True} in readers


def test_driver_worker_publishes_cards_progress_and_results(
    insert_card, passport: PassportFiles
) -> None:
    bus = EventBus()
    events: list[object] = []
    finished = threading.Event()
    lock = threading.Lock()

    def record(event: object) -> None:
        with lock:
            events.append(event)
        if isinstance(event, EmrtdReadFinished):
            finished.set()

    bus.subscribe(EmrtdReadersChanged, record)
    bus.subscribe(EmrtdCardEvent, record)
    bus.subscribe(EmrtdReadProgress, record)
    bus.subscribe(EmrtdReadFinished, record)
    device = EmrtdReader(bus, reader_name=VPCD_READER, poll_interval_s=0.05)
    device.start()
    try:
        card = insert_card(passport)
        request = device.request_read(PASSPORT_MRZ, wait_s=5)
        assert finished.wait(60)
        card.remove()
        deadline = time.monotonic() + 10
        while not any(isinstance(e, EmrtdCardEvent) and not e.present for e in events):
            assert time.monotonic() < deadline, "removal never reported"
            time.sleep(0.05)
    finally:
        device.stop()
    with lock:
        snapshot = list(events)
    assert any(isinstance(e, EmrtdReadersChanged) and VPCD_READER in e.readers for e in snapshot)
    assert any(isinstance(e, EmrtdCardEvent) and e.present for e in snapshot)
    results = [e for e in snapshot if isinstance(e, EmrtdReadFinished)]
    assert len(results) == 1 and results[0].request_id == request
    assert results[0].ok and results[0].result is not None
    assert results[0].result.holder.document_number == "L898902C3"
    assert any(isinstance(e, EmrtdReadProgress) and e.step == "DG2" for e in snapshot)


def test_pace_only_chip_through_pcscd(insert_card, faces_dir: Path) -> None:
    jpeg, size = _portrait(faces_dir, "JPEG")
    files = build_passport(PASSPORT_MRZ, jpeg, size, with_card_access=True,
                           pace_oid="0.4.0.127.0.7.2.2.4.2.2", pace_parameter_id=13)
    insert_card(files, CardFaults(bac_disabled=True))
    result = read_passport(PASSPORT_MRZ, reader=VPCD_READER,
                           csca_certificates=[files.csca_certificate])
    assert result.access_control == "PACE"
    assert result.access_protocol == "PACE ECDH-GM AES-128 brainpoolP256r1"
    assert result.face is not None and result.face.data == jpeg
    assert result.passive_auth.verdict == "passed"
    with pytest.raises(errors.EmrtdError) as caught:
        read_passport(OTHER_MRZ, reader=VPCD_READER)
    assert caught.value.code == "access_denied"


def test_driver_follows_the_service_and_reader_going_and_coming_back(pcscd: Pcscd) -> None:
    if not pcscd.ours:
        pytest.skip("pcscd was already running (not ours to stop)")
    bus = EventBus()
    readers: list[tuple[str, ...]] = []
    bus.subscribe(EmrtdReadersChanged, lambda e: readers.append(e.readers))
    device = EmrtdReader(bus, reader_name=VPCD_READER, poll_interval_s=0.05)
    device.start()

    def wait(condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + 20
        while not condition():
            assert time.monotonic() < deadline, what
            time.sleep(0.05)

    try:
        wait(lambda: device.status.state == "ready", "reader never ready")
        pcscd.stop()
        wait(lambda: device.status.state == "absent", "unplug never noticed")
        assert readers[-1] == ()
        pcscd.start()
        wait(lambda: device.status.state == "ready", "reader never came back")
        assert VPCD_READER in readers[-1]
    finally:
        device.stop()
        if not pcscd.ours:
            pcscd.start()
