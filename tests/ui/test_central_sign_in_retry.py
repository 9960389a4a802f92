"""The supervisor's background sign-in at the central service: a busy or unreachable service
is tried again (the review queue once said 'sign in to the central service first' until the
supervisor signed out and in), a refusal is not, and a sign-out stops the tries."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

from station.sync.client import CentralError, CentralUnavailable
from ui.central_link import sign_in_to_central


class FlakyCentral:
    """Makes clients whose login fails with ``failures`` (in turn), then answers."""

    def __init__(self, *failures: CentralError) -> None:
        self.failures = list(failures)
        self.logins = 0
        self.answered = threading.Event()

    def __call__(self) -> FlakyCentral:
        return self

    def __enter__(self) -> FlakyCentral:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def login(self, username: str, password: str) -> dict[str, object]:
        self.logins += 1
        if self.failures:
            raise self.failures.pop(0)
        self.answered.set()
        return {"token": f"token-of-{username}"}


def runtime_with(central: FlakyCentral) -> Any:
    return SimpleNamespace(extras={}, review_client=central)


def busy() -> CentralUnavailable:
    return CentralUnavailable(503, "unavailable", "timed out")


def test_a_timed_out_sign_in_is_tried_again() -> None:
    central = FlakyCentral(busy(), busy())
    runtime = runtime_with(central)
    sign_in_to_central(runtime, "sup1", "pw", False, retry_delays_s=(0.05, 0.05, 0.05))
    assert central.answered.wait(5)
    assert central.logins == 3
    assert runtime.extras["central_session"].username == "sup1"


def test_a_refused_sign_in_is_not_tried_again() -> None:
    central = FlakyCentral(CentralError(401, "bad_credentials", "wrong password"))
    runtime = runtime_with(central)
    sign_in_to_central(runtime, "sup1", "wrong", False, retry_delays_s=(0.05, 0.05))
    assert not central.answered.wait(0.5)
    assert central.logins == 1 and runtime.extras["central_session"].username is None


def test_a_sign_out_stops_the_tries_and_voids_a_late_answer() -> None:
    central = FlakyCentral(busy())
    runtime = runtime_with(central)
    sign_in_to_central(runtime, "sup1", "pw", False, retry_delays_s=(0.3,))
    runtime.extras["central_session"].sign_out()  # before the second try
    assert not central.answered.wait(1.0)
    assert central.logins == 1 and runtime.extras["central_session"].username is None

    session = runtime.extras["central_session"]
    before = session.generation
    session.sign_out()
    session.sign_in("sup1", "pw", before)  # answered after the operator left
    assert session.username is None
