"""The operator's link to the central service: signed in with the station login, used by the
review pages (supervisors) through an authenticated client."""

from __future__ import annotations

import logging
from typing import Any

from app.runtime import StationRuntime
from ui.review.session import CentralSession

log = logging.getLogger(__name__)


def central_session(runtime: StationRuntime) -> CentralSession:
    session = runtime.extras.get("central_session")
    if session is None:
        def new_client() -> Any:
            if runtime.sync is None:
                raise RuntimeError("sync is not running on this station")
            return runtime.sync.review_client()

        session = CentralSession(new_client)
        runtime.extras["central_session"] = session
    return session


def sign_in_to_central(runtime: StationRuntime, username: str, password: str,
                       accounts_changed: bool) -> None:
    """Worker thread: after the station login, sign the same operator in to the central
    service (the embedded one in demo mode gets the station's accounts first)."""
    started = runtime.extras.get("sync_started")
    try:
        if started is not None:
            started.result(timeout=60)
        if accounts_changed:
            runtime.operators_changed()
        central_session(runtime).sign_in(username, password)
    except Exception as exc:  # offline: the review pages say so when they are opened
        log.warning("central sign-in failed: %s", exc)


def register_review_pages(runtime: StationRuntime) -> None:
    from ui.review import register_review_pages as register

    register(central_session(runtime).client)
