"""The reader device: one thread that opens the port, waits for the SAM, polls for cards and
publishes CardRead / CardRemoved / CardReadFailed and DeviceStatusEvent on the EventBus.

Placement logic: a card found in the field is read once; it is read again only after it left
(``removal_confirmations`` failed finds in a row) or when ``request_read()`` asks for it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import serial

from devices.idcard import errors
from devices.idcard.errors import ErrorKind, IdCardDisconnected, IdCardError
from devices.idcard.events import CardRead, CardReadFailed, CardRemoved, ReaderProblem
from devices.idcard.protocol import SAM_STATUS
from devices.idcard.reading import interpret
from devices.idcard.session import PORT_ERRORS, ReaderSession
from devices.idcard.simulator import ReaderSimulator
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent, EventBus
from station.i18n import tr
from station.identity.chip_photo import PhotoDecoder

log = logging.getLogger(__name__)
# pyserial raises ValueError for a malformed port name or setting
OPEN_ERRORS: tuple[type[BaseException], ...] = (*PORT_ERRORS, ValueError)

KIND = "idcard"
SELECT_ATTEMPTS = 3  # polls in a row where a found card cannot be selected before we report it


class IdCardReaderDevice:
    """Implements devices.base.IdCardReader. All serial I/O runs on its own thread."""

    kind = KIND

    def __init__(
        self,
        bus: EventBus,
        *,
        port: str | None = None,
        discover: Callable[[], list[str]] | None = None,
        baud: int = 115200,
        timeout_s: float = 5.0,
        poll_interval_s: float = 0.2,
        wlt_decoder_library: Path | str | None = None,
        read_fingerprint: bool = False,
        retries: int = 3,
        reconnect_interval_s: float = 1.0,
        removal_confirmations: int = 2,
        simulated: bool = False,
        on_stop: Callable[[], None] | None = None,
        photo_stand_in: PhotoDecoder | None = None,
    ) -> None:
        if port is None and discover is None:
            raise ValueError("give a port or a discover function")
        self._bus = bus
        self._configured_port = port
        self._discover = discover
        self.baud = baud
        self.timeout_s = timeout_s
        self.poll_interval_s = poll_interval_s
        self.wlt_decoder_library = wlt_decoder_library
        self.read_fingerprint = read_fingerprint
        self.retries = retries
        self.reconnect_interval_s = reconnect_interval_s
        self.removal_confirmations = max(1, removal_confirmations)
        self._simulated = simulated
        self._on_stop = on_stop
        # demo mode's simulated reader only: decodes the simulated cards' photos
        self.photo_stand_in = photo_stand_in
        self._lock = threading.Lock()
        self._status = DeviceStatus(KIND, DeviceState.CONNECTING, simulated=simulated,
                                    name=port or "")
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._read_requested = False
        self._problem_code = ""  # code of the ReaderProblem last published ("" when ready)
        self._thread: threading.Thread | None = None
        self._serial: serial.Serial | None = None
        self.port_name = port or ""
        self.sam_id = ""
        self.simulator: ReaderSimulator | None = None  # set by the factory in demo mode

    # --- IdCardReader ----------------------------------------------------------------------
    @property
    def status(self) -> DeviceStatus:
        with self._lock:
            return self._status

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-reader", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._close()
        if self._on_stop is not None:
            self._on_stop()
            self._on_stop = None

    def request_read(self) -> None:
        """Read the card in the field again (Retry); CardReadFailed(no_card) if there is none."""
        with self._lock:
            self._read_requested = True
        self._wake.set()

    # --- state -----------------------------------------------------------------------------
    def _set_state(self, state: DeviceState, detail: str = "") -> None:
        status = DeviceStatus(KIND, state, detail, self._simulated, self.port_name)
        with self._lock:
            if status == self._status:
                return
            self._status = status
        log.info("idcard reader %s: %s %s", self.port_name, state.value, detail)
        self._bus.publish(DeviceStatusEvent(status=status))

    def _problem(self, state: DeviceState, error: IdCardError) -> None:
        """Enter ABSENT/ERROR; publish ReaderProblem once per episode (not on every retry)."""
        self._set_state(state, error.message)
        if error.code != self._problem_code:
            self._problem_code = error.code
            self._bus.publish(ReaderProblem(error=error, port=self.port_name))

    def _ready(self) -> None:
        self._problem_code = ""
        self._set_state(DeviceState.READY, tr("IdCardReader", "Place the card on the reader."))

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _take_request(self) -> bool:
        with self._lock:
            requested, self._read_requested = self._read_requested, False
        return requested

    # --- port ------------------------------------------------------------------------------
    def _open(self) -> ReaderSession | None:
        ports = [self._configured_port] if self._configured_port else self._candidates()
        for name in ports:
            try:
                port = serial.Serial(name, self.baud, timeout=0.02, write_timeout=self.timeout_s)
            except OPEN_ERRORS as exc:
                log.debug("cannot open %s: %s", name, exc)
                continue
            if self._configured_port is None and not self._answers(port):
                port.close()
                continue
            session = ReaderSession(port, timeout_s=self.timeout_s, retries=self.retries)
            self._serial = port
            self.port_name = name
            return session
        return None

    def _candidates(self) -> list[str]:
        assert self._discover is not None
        try:
            return self._discover()
        except Exception:  # discovery must never kill the worker
            log.exception("serial port discovery failed")
            return []

    def _answers(self, port: serial.Serial) -> bool:
        """Discovery probe: does a GA 467 reader answer on this port (quickly)?"""
        probe = ReaderSession(port, timeout_s=min(self.timeout_s, 0.5), retries=1)
        try:
            probe.transact(SAM_STATUS)
        except IdCardError:
            return False
        return True

    def _close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            with contextlib.suppress(Exception):
                port.close()

    # --- the thread ------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stopping.is_set():
            session = self._open()
            if session is None:
                self._problem(DeviceState.ABSENT, errors.reader_absent())
                self._sleep(self.reconnect_interval_s)
                continue
            try:
                self._serve(session)
            except IdCardDisconnected as exc:
                log.warning("idcard reader disconnected: %s", exc.message_en)
                self._problem(DeviceState.ABSENT, exc)
            except Exception:  # keep the station alive; the port is reopened
                log.exception("idcard reader worker failed")
                self._problem(DeviceState.ERROR, errors.worker_failed())
            self._close()
            if not self._stopping.is_set():
                self._sleep(self.reconnect_interval_s)

    def _serve(self, session: ReaderSession) -> None:
        self._set_state(DeviceState.CONNECTING)
        if not self._wait_for_sam(session):
            return
        present = False  # a read (or failed read) was reported for the card in the field
        misses = select_failures = 0
        while not self._stopping.is_set():
            requested = self._take_request()
            try:
                found = session.find_card()
            except IdCardDisconnected:
                raise
            except IdCardError as exc:
                if exc.kind is ErrorKind.SAM:
                    self._problem(DeviceState.ERROR, exc)
                    return  # reopen, wait for the SAM again
                if exc.code in ("no_response", "garbled"):
                    raise IdCardDisconnected(exc.message_en) from exc
                found = False
            if not found:
                misses += 1
                if present and misses >= self.removal_confirmations:
                    present = False
                    self._bus.publish(CardRemoved(port=self.port_name))
                if requested:
                    self._fail(errors.status_error(0x80))
                self._sleep(self.poll_interval_s)
                continue
            misses = 0
            if present and not requested:
                self._sleep(self.poll_interval_s)
                continue
            if not self._select(session):
                select_failures += 1
                if select_failures >= SELECT_ATTEMPTS:  # found but never selectable: say so
                    present, select_failures = True, 0
                    self._fail(errors.status_error(0x81))
                self._sleep(self.poll_interval_s)
                continue
            present, select_failures = True, 0
            self._read(session)
            self._sleep(self.poll_interval_s)

    def _select(self, session: ReaderSession) -> bool:
        try:
            return session.select_card()
        except IdCardDisconnected:
            raise
        except IdCardError as exc:
            log.info("select failed: %s", exc.code)
            return False

    def _wait_for_sam(self, session: ReaderSession) -> bool:
        while not self._stopping.is_set():
            try:
                self.sam_id = session.sam_id()
            except IdCardDisconnected:
                raise
            except IdCardError as exc:
                if exc.code == "no_response":
                    self._problem(DeviceState.ABSENT, exc)
                    return False  # nothing answers: reopen (maybe it was replugged)
                self._problem(DeviceState.ERROR, exc)
                with contextlib.suppress(IdCardError):
                    session.reset_sam()
                self._sleep(self.reconnect_interval_s)
                continue
            # Vendor SDKs set the RF frame size once the SAM answers; older readers refuse the
            # command, which is harmless.
            with contextlib.suppress(IdCardError):
                session.set_max_rf_byte(0x50)
            self._ready()
            return True
        return False

    def _read(self, session: ReaderSession) -> None:
        self._set_state(DeviceState.BUSY, tr("IdCardReader", "Reading the card..."))
        try:
            raw = session.read_card(self.read_fingerprint)
            reading = interpret(raw, self.wlt_decoder_library, sam_id=self.sam_id,
                                photo_stand_in=self.photo_stand_in)
        except IdCardDisconnected:
            raise
        except IdCardError as exc:
            self._fail(exc)
            self._ready()
            return
        log.info("card read: %s %s photo=%s", reading.card.card_type.value,
                 reading.card.masked_id_number(), reading.photo.status.value)
        self._bus.publish(CardRead(
            card=reading.card, photo=reading.photo, validations=reading.validations,
            fingerprint=reading.fingerprint, port=self.port_name, sam_id=self.sam_id))
        self._ready()

    def _fail(self, exc: IdCardError) -> None:
        log.info("card read failed: %s", exc.code)
        self._bus.publish(CardReadFailed(error=exc, port=self.port_name))
