"""The signed-in operator's session with the central service, for ``client_factory``.

The station signs the operator in to the central service with the same user name and
password they used at the station (the central service has its own accounts; demo mode
seeds the same ones), keeps only the token, and hands out clients that carry it:

    central = CentralSession(base_url)
    # after the station login succeeded, on a worker thread:
    central.sign_in(username, password)
    register_review_pages(central.client)      # each call: a new authenticated client
    # on sign-out / lock-out:
    central.sign_out()

Qt-free; ``sign_in``/``sign_out`` and ``client`` are called on worker threads.
"""

from __future__ import annotations

import threading

from station.i18n import both
from station.sync.client import CentralClient, CentralError


class CentralSession:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self._token: str | None = None
        self._username: str | None = None
        self._lock = threading.Lock()

    @property
    def username(self) -> str | None:
        return self._username

    def sign_in(self, username: str, password: str) -> dict[str, object]:
        """Network: raises CentralError (wrong password: 401) or CentralUnavailable."""
        with CentralClient(self.base_url, timeout=self.timeout) as client:
            answer = client.login(username, password)
        with self._lock:
            self._token, self._username = str(answer["token"]), username
        return answer

    def sign_out(self) -> None:
        with self._lock:
            token, self._token, self._username = self._token, None, None
        if token is None:
            return
        try:
            with CentralClient(self.base_url, token, timeout=self.timeout) as client:
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
        return CentralClient(self.base_url, token, timeout=self.timeout)
