"""The signed-in operator's session with the central service, for ``client_factory``.

The station signs the operator in to the central service with the same user name and
password they used at the station (the central service has its own accounts; demo mode
seeds the same ones), keeps only the token, and hands out clients that carry it:

    central = CentralSession(sync_runtime.review_client)   # or CentralSession(base_url)
    # after the station login succeeded, on a worker thread:
    central.sign_in(username, password)
    register_review_pages(central.client)      # each call: a new authenticated client
    # on sign-out / lock-out:
    central.sign_out()

Qt-free; ``sign_in``/``sign_out`` and ``client`` are called on worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from station.i18n import both
from station.sync.client import CentralClient, CentralError


class CentralSession:
    def __init__(self, central: str | Callable[[], CentralClient], timeout: float = 10.0) -> None:
        """``central``: the service's base URL, or a maker of unauthenticated clients (e.g.
        ``SyncRuntime.review_client``, which knows the embedded service's address)."""
        self._new_client: Callable[[], CentralClient] = (
            (lambda: CentralClient(central, timeout=timeout)) if isinstance(central, str)
            else central)
        self._token: str | None = None
        self._username: str | None = None
        self._lock = threading.Lock()
        self._generation = 0  # one more at every sign-out: a sign-in still on its way is void

    @property
    def username(self) -> str | None:
        return self._username

    @property
    def generation(self) -> int:
        return self._generation

    def sign_in(self, username: str, password: str,
                generation: int | None = None) -> dict[str, object]:
        """Network: raises CentralError (wrong password: 401) or CentralUnavailable.
        ``generation``: what ``generation`` was when the operator signed in at the station;
        when they have signed out since, the token is not kept."""
        with self._new_client() as client:
            answer = client.login(username, password)
        with self._lock:
            if generation is None or generation == self._generation:
                self._token, self._username = str(answer["token"]), username
        return answer

    def adopt(self, username: str, token: str) -> None:
        """Use a token the station's own sign-in already obtained (an enrolled station signs
        operators in at the central service: one password check, one token)."""
        with self._lock:
            self._token, self._username = token, username

    def sign_out(self) -> None:
        with self._lock:
            token, self._token, self._username = self._token, None, None
            self._generation += 1
        if token is None:
            return
        try:
            with self._new_client() as client:
                client.token = token
                client.logout()
        except CentralError:
            pass  # the token expires on its own

    def client(self) -> CentralClient:
        """A client carrying the operator's token (the ``client_factory`` of the pages)."""
        with self._lock:
            token = self._token
        if token is None:
            message = both("ReviewSession", "Sign in to the central service first.")
            raise CentralError(401, "not_signed_in", message["en"], message["zh"])
        client = self._new_client()
        client.token = token
        return client
