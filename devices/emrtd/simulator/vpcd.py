"""Connect a VirtualPassport to pcscd through vsmartcard's vpcd driver (TCP, port 35963).

vpcd listens; the card connects. Each message is a 2-byte big-endian length and a payload;
a 1-byte payload is a control command (0 power off, 1 power on, 2 reset, 4 ask for the ATR),
anything longer is a command APDU answered with a response APDU. Closing the connection is
what pcscd sees as the card leaving the field.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time

from devices.emrtd.simulator.card import ATR, CardRemoved, VirtualPassport

log = logging.getLogger(__name__)

VPCD_PORT = 35963
_POWER_OFF, _POWER_ON, _RESET, _GET_ATR = 0, 1, 2, 4


class VpcdCard:
    """Presents one card on vpcd until ``remove()`` or a CardRemoved fault."""

    def __init__(self, card: VirtualPassport, host: str = "127.0.0.1",
                 port: int = VPCD_PORT) -> None:
        self.card = card
        self.host, self.port = host, port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.removed = threading.Event()
        self.apdus = 0

    def insert(self, timeout: float = 10.0) -> None:
        """Connect to vpcd (retrying while pcscd starts) and serve in a thread."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._sock = socket.create_connection((self.host, self.port), timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self._sock.settimeout(None)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.removed.clear()
        self._thread = threading.Thread(target=self._serve, name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.removed.set()

    def _recv_exact(self, sock: socket.socket, size: int) -> bytes | None:
        data = b""
        while len(data) < size:
            if hasattr(socket, "TCP_QUICKACK"):
                # vpcd writes length and payload separately; a delayed ACK here would stall
                # its second write for 40 ms (Nagle), for every APDU.
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def _serve(self) -> None:
        sock = self._sock
        try:
            while sock is not None:
                header = self._recv_exact(sock, 2)
                if header is None:
                    break
                payload = self._recv_exact(sock, struct.unpack(">H", header)[0])
                if payload is None:
                    break
                if len(payload) == 1:
                    if payload[0] == _GET_ATR:
                        sock.sendall(struct.pack(">H", len(ATR)) + ATR)
                    elif payload[0] in (_POWER_OFF, _POWER_ON, _RESET):
                        self.card.reset()
                    continue
                self.apdus += 1
                try:
                    response = self.card.process(payload)
                except CardRemoved:
                    log.info("emulated card leaves the field")
                    break
                sock.sendall(struct.pack(">H", len(response)) + response)
        except OSError:
            pass
        finally:
            if sock is not None and self._sock is sock:
                self._sock = None
                sock.close()
            self.removed.set()
