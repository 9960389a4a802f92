"""One blocking read from a PC/SC reader: pick the reader, wait for the card, read, disconnect.

The CLI calls this on its own thread; the station's driver calls it on its worker thread.
"""

from __future__ import annotations

import threading
import time

from cryptography import x509

from devices.emrtd import errors
from devices.emrtd.pcsc import PcscConnection, PcscContext, pick_reader
from devices.emrtd.reader import DEFAULT_CHUNK, PassportReader, ProgressCallback
from station.identity.passport import EmrtdResult
from station.mrz import Mrz


def wait_for_card(
    context: PcscContext, wanted: str | None, wait_s: float, cancel: threading.Event | None
) -> str:
    deadline = time.monotonic() + wait_s
    while True:
        reader = pick_reader(context, wanted)
        if reader is not None and context.card_present(reader):
            return reader
        if cancel is not None and cancel.is_set():
            raise errors.cancelled()
        if time.monotonic() >= deadline:
            if reader is None:
                raise errors.no_reader()
            raise errors.timeout() if wait_s > 0 else errors.no_card()
        time.sleep(0.1)


def read_passport(
    mrz: Mrz | str,
    *,
    reader: str | None = None,
    csca_certificates: list[x509.Certificate] | None = None,
    wait_s: float = 0.0,
    chunk_size: int = DEFAULT_CHUNK,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    context: PcscContext | None = None,
    use_pace: bool = True,
) -> EmrtdResult:
    """Read the document on ``reader`` (or the first reader holding a card)."""
    own_context = context is None
    context = context or PcscContext()
    try:
        name = wait_for_card(context, reader, wait_s, cancel)
        connection = PcscConnection(context, name).connect()
        try:
            session = PassportReader(
                connection, chunk_size=chunk_size, progress=progress, cancel=cancel,
                use_pace=use_pace,
            )
            result = session.read(mrz, csca_certificates)
        finally:
            connection.close()
    finally:
        if own_context:
            context.release()
    from dataclasses import replace

    return replace(result, reader=name)
