"""The operator's link to the central service: signed in with the station login, used by the
review pages (supervisors) through an authenticated client."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from app.runtime import StationRuntime
from station.signin import SignedIn
from station.sync.client import CentralUnavailable
from ui.review.session import CentralSession

log = logging.getLogger(__name__)
# a busy or briefly unreachable central service: try again before the supervisor has to
# sign out and in (about a minute and a half in all)
RETRY_DELAYS_S = (2.0, 5.0, 10.0, 20.0, 40.0)


def central_session(runtime: StationRuntime) -> CentralSession:
    session = runtime.extras.get("central_session")
    if session is None:
        session = CentralSession(runtime.review_client)
        runtime.extras["central_session"] = session
    return session


def sign_in_to_central(runtime: StationRuntime, username: str, password: str,
                       accounts_changed: bool,
                       retry_delays_s: Sequence[float] = RETRY_DELAYS_S) -> None:
    """Worker thread: after the station login, sign the same operator in to the central
    service (the embedded one in demo mode gets the station's accounts first); a timeout or
    an unreachable service is tried again a few times, unless the operator has signed out."""
    session = central_session(runtime)
    generation = session.generation
    started = runtime.extras.get("sync_started")
    try:
        if started is not None:
            started.result(timeout=60)
        if accounts_changed:
            runtime.operators_changed()
    except Exception as exc:
        log.warning("central service not started: %s", exc)
    _try_sign_in(session, generation, username, password, list(retry_delays_s))


def _try_sign_in(session: CentralSession, generation: int, username: str, password: str,
                 delays_s: list[float]) -> None:
    """One attempt; after a timeout or no answer the next one goes on a timer thread (not a
    pool worker: an offline station must not tie up the interface's background work)."""
    if session.generation != generation:
        return  # signed out meanwhile
    try:
        session.sign_in(username, password, generation)
    except CentralUnavailable as exc:  # busy or offline: again in a while
        if not delays_s:
            log.warning("central sign-in failed, not trying again: %s", exc)
            return
        log.warning("central sign-in failed, trying again in %.0f s: %s", delays_s[0], exc)
        timer = threading.Timer(delays_s[0], _try_sign_in,
                                (session, generation, username, password, delays_s[1:]))
        timer.daemon = True
        timer.start()
    except Exception as exc:  # refused (wrong password, disabled): the pages say so
        log.warning("central sign-in refused: %s", exc)


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
