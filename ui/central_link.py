"""The operator's link to the central service: signed in with the station login, used by the
review pages (supervisors) through an authenticated client."""

from __future__ import annotations

import logging

from app.runtime import StationRuntime
from station.signin import SignedIn
from ui.review.session import CentralSession

log = logging.getLogger(__name__)


def central_session(runtime: StationRuntime) -> CentralSession:
    session = runtime.extras.get("central_session")
    if session is None:
        session = CentralSession(runtime.review_client)
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


def after_sign_in(runtime: StationRuntime, signed: SignedIn, password: str,
                  accounts_changed: bool) -> None:
    """Worker thread: the review pages' session for the operator just signed in: the token
    of the station's central sign-in, else (a local account, demo) a sign-in of its own."""
    if signed.token:
        central_session(runtime).adopt(signed.operator.username, signed.token)
    elif not signed.offline:
        sign_in_to_central(runtime, signed.operator.username, password, accounts_changed)


def register_review_pages(runtime: StationRuntime) -> None:
    from ui.review import register_review_pages as register

    register(central_session(runtime).client)
