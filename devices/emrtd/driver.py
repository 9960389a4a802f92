"""The station's eMRTD reader device: one worker thread owns every PC/SC call.

It watches readers come and go (hotplug) and cards enter and leave the field, publishes
those as events, and performs read requests in order. A read ends with exactly one
EmrtdReadFinished event: a complete result or an error, never half a result.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from devices.emrtd import errors
from devices.emrtd.events import (
    EmrtdCardEvent,
    EmrtdReadersChanged,
    EmrtdReadFinished,
    EmrtdReadProgress,
)
from devices.emrtd.pcsc import PcscContext
from devices.emrtd.reader import DEFAULT_CHUNK
from devices.emrtd.service import read_passport
from devices.emrtd.sod import load_csca_certificates
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent, EventBus
from station.i18n import tr
from station.mrz import Mrz

log = logging.getLogger(__name__)
KIND = "emrtd"


@dataclass(frozen=True)
class _ReadRequest:
    request_id: int
    mrz: Mrz | str
    wait_s: float


class EmrtdReader:
    kind = KIND

    def __init__(
        self,
        bus: EventBus,
        *,
        reader_name: str | None = None,
        csca_paths: tuple[Path, ...] = (),
        chunk_size: int = DEFAULT_CHUNK,
        poll_interval_s: float = 0.25,
        use_pace: bool = True,
    ) -> None:
        self._use_pace = use_pace
        self._bus = bus
        self.reader_name = reader_name
        self._csca_paths = csca_paths
        self._csca: list[x509.Certificate] | None = None
        self._chunk_size = chunk_size
        self._poll = poll_interval_s
        self._requests: queue.Queue[_ReadRequest | None] = queue.Queue()
        self._ids = itertools.count(1)
        self._stop = threading.Event()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = DeviceStatus(KIND, DeviceState.CONNECTING)
        self._readers: tuple[str, ...] = ()
        self._cards: dict[str, bool] = {}

    # -- public API (any thread) -----------------------------------------------------------

    @property
    def status(self) -> DeviceStatus:
        return self._status

    @property
    def readers(self) -> tuple[str, ...]:
        return self._readers

    @property
    def cards_present(self) -> tuple[str, ...]:
        """The readers with a document in the field now (as last published)."""
        return tuple(reader for reader, present in self._cards.items() if present)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._cancel.clear()
        self._requests = queue.Queue()  # a stop() left its sentinel in the old one
        self._readers, self._cards = (), {}
        self._thread = threading.Thread(target=self._run, name="emrtd-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._cancel.set()
        self._requests.put(None)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def request_read(self, mrz: Mrz | str, *, wait_s: float = 15.0) -> int:
        """Queue a read; the answer is an EmrtdReadFinished event with the returned id."""
        request_id = next(self._ids)
        self._cancel.clear()
        self._requests.put(_ReadRequest(request_id, mrz, wait_s))
        return request_id

    def cancel_read(self) -> None:
        self._cancel.set()

    # -- worker ----------------------------------------------------------------------------

    def _assert_worker(self) -> None:
        assert threading.current_thread() is self._thread, "PC/SC I/O off the eMRTD worker"

    def _set_status(self, state: DeviceState, detail: str = "", name: str = "") -> None:
        status = DeviceStatus(KIND, state, detail, name=name)
        if status != self._status:
            self._status = status
            self._bus.publish(DeviceStatusEvent(status=status))

    def _run(self) -> None:
        context: PcscContext | None = None
        try:
            while not self._stop.is_set():
                if context is None:
                    try:
                        context = PcscContext()
                    except errors.EmrtdError:
                        self._set_status(DeviceState.ABSENT, tr(
                            "Emrtd", "The smart-card service (pcscd) is not running."))
                        self._forget_readers()
                        self._stop.wait(1.0)
                        continue
                try:
                    self._watch(context)
                except errors.EmrtdError as exc:
                    log.info("PC/SC context lost: %s", exc)
                    context.release()
                    context = None
                    continue
                try:
                    request = self._requests.get(timeout=self._poll)
                except queue.Empty:
                    continue
                if request is None:
                    break
                self._read(context, request)
        finally:
            if context is not None:
                context.release()

    def _forget_readers(self) -> None:
        if self._readers:
            for reader, present in self._cards.items():
                if present:
                    self._bus.publish(EmrtdCardEvent(reader=reader, present=False))
            self._readers, self._cards = (), {}
            self._bus.publish(EmrtdReadersChanged(readers=()))

    def _watch(self, context: PcscContext) -> None:
        self._assert_worker()
        readers = tuple(context.readers())
        if readers != self._readers:
            for gone in set(self._readers) - set(readers):
                if self._cards.pop(gone, False):
                    self._bus.publish(EmrtdCardEvent(reader=gone, present=False))
            self._readers = readers
            self._bus.publish(EmrtdReadersChanged(readers=readers))
        for reader in readers:
            present = context.card_present(reader)
            if present != self._cards.get(reader, False):
                self._cards[reader] = present
                self._bus.publish(EmrtdCardEvent(reader=reader, present=present))
        usable = [r for r in readers if not self.reader_name
                  or self.reader_name.lower() in r.lower()]
        if not usable:
            self._set_status(DeviceState.ABSENT, tr(
                "Emrtd", "No contactless (PC/SC) reader is connected."))
        else:
            self._set_status(DeviceState.READY, "", name=usable[0])

    def _csca_certificates(self) -> list[x509.Certificate]:
        if self._csca is None:
            self._csca = load_csca_certificates(self._csca_paths)
        return self._csca

    def _read(self, context: PcscContext, request: _ReadRequest) -> None:
        self._assert_worker()
        self._set_status(DeviceState.BUSY, tr("Emrtd", "Reading the document chip"),
                         name=self._status.name)

        def progress(step: str, fraction: float) -> None:
            self._bus.publish(EmrtdReadProgress(
                request_id=request.request_id, step=step, fraction=fraction))

        try:
            result = read_passport(
                request.mrz, reader=self.reader_name,
                csca_certificates=self._csca_certificates(), wait_s=request.wait_s,
                chunk_size=self._chunk_size, progress=progress, cancel=self._cancel,
                context=context, use_pace=self._use_pace,
            )
        except errors.EmrtdError as exc:
            log.info("eMRTD read %d failed: %s", request.request_id, exc.code)
            self._bus.publish(EmrtdReadFinished(
                request_id=request.request_id, error_code=exc.code,
                message_en=exc.message_en, message_zh=exc.message_zh))
        except Exception as exc:  # a driver bug must still answer the request
            log.exception("eMRTD read %d crashed", request.request_id)
            self._bus.publish(EmrtdReadFinished(
                request_id=request.request_id, error_code="internal",
                message_en=f"Internal error: {exc}", message_zh=f"内部错误：{exc}"))
        else:
            self._bus.publish(EmrtdReadFinished(request_id=request.request_id, result=result))
        finally:
            self._set_status(DeviceState.READY, "", name=self._status.name)
