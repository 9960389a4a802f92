"""Slow clients are timed out: a request's headers must arrive within HEADER_TIMEOUT_S of its
first byte (or of the connection, or of the previous response), and its body may pause at
most BODY_IDLE_TIMEOUT_S between pieces and take BODY_TIMEOUT_S in all. Else one client
trickling bytes holds a connection (and a worker's memory) for ever.

uvicorn itself only closes idle keep-alive connections: ``TimedHttpProtocol`` adds the header
deadline to its HTTP protocol, ``BodyTimeouts`` (ASGI) the body deadlines (408).
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from central.errors import ApiError
from station.i18n import both

HEADER_TIMEOUT_S = float(os.environ.get("CENTRAL_HEADER_TIMEOUT_S", "10"))


class TimedHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol (httptools, as uvicorn[standard] installs it) with a deadline
    for each request's headers: the connection is closed when they are not all there in time."""

    header_timeout_s = HEADER_TIMEOUT_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # made for a new connection, just before it is
        self._header_deadline: asyncio.TimerHandle | None = None
        self._arm()

    def data_received(self, data: bytes) -> None:
        before = self.cycle
        super().data_received(data)
        if self.cycle is not before:  # a request's headers are in: the app has it now
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()  # the next request on this connection has the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
        self._header_deadline = self.loop.call_later(self.header_timeout_s, self._too_slow)

    def _disarm(self) -> None:
        deadline = self._header_deadline
        if deadline is not None:
            deadline.cancel()
            self._header_deadline = None

    def _too_slow(self) -> None:
        self._header_deadline = None
        if self.cycle is None or self.cycle.response_complete:  # still waiting for headers
            self.transport.close()


class BodyTimeouts:
    """Pure ASGI middleware: the body is read here first, under both deadlines (408 when one
    passes), then handed to the app in one piece (Starlette reads it whole anyway). It sits
    inside ``Limits``, so an oversized body is refused before it is all read."""

    def __init__(self, app: ASGIApp, idle_s: float, total_s: float) -> None:
        self.app, self.idle_s, self.total_s = app, idle_s, total_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = time.monotonic() + self.total_s
        pieces: list[bytes] = []
        while True:
            left = min(self.idle_s, deadline - time.monotonic())
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.0, left))
            except TimeoutError:
                error = ApiError(408, "request_timeout", both(
                    "CentralApi", "The request body arrived too slowly; try again."))
                response = JSONResponse(error.body(), status_code=408,
                                        headers={"Connection": "close"})
                await response(scope, _no_body, send)
                return
            if message["type"] != "http.request":  # the client went away
                return
            pieces.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(pieces)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: a disconnect, when it comes

        await self.app(scope, replay, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def uvicorn_options(header_timeout_s: float | None = None) -> dict[str, Any]:
    """What the servers pass to uvicorn. Worker processes (``serve --workers N``) read the
    deadline from $CENTRAL_HEADER_TIMEOUT_S; an embedded server may give its own."""
    if header_timeout_s is None or header_timeout_s == TimedHttpProtocol.header_timeout_s:
        return {"http": TimedHttpProtocol}
    return {"http": type("TimedHttpProtocol", (TimedHttpProtocol,),
                         {"header_timeout_s": header_timeout_s})}
