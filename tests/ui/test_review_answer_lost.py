"""A decision the central service saved but whose answer never came back (the link dropped,
the read timed out): pressing Approve again finds the case decided by this reviewer and says
so, instead of telling them it went back to the queue for someone else."""

from __future__ import annotations

import httpx
from PySide6.QtCore import QCoreApplication

from station.sync.client import CentralClient
from tests.integration.test_review_central import PASSWORD
from tests.ui.test_review_pages import seed, station, wait_rows, world  # noqa: F401
from ui.review.format import decision_label
from ui.review.queue_page import ReviewQueuePage


def tr(text: str) -> str:
    return QCoreApplication.translate("CaseView", text)


class AnswerLost(httpx.BaseTransport):
    """The real connection, except that the first decision's answer is lost after the
    service has handled the request (what a dropped link or a read timeout does)."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.url.path.endswith("/decision") and not self.lost:
            response.read()
            response.close()
            self.lost += 1
            raise httpx.ReadTimeout("the answer did not arrive", request=request)
        return response

    def close(self) -> None:
        self._inner.close()


def test_a_saved_decision_whose_answer_was_lost_is_shown_as_saved(  # type: ignore[no-untyped-def]
        world, station, qtbot) -> None:  # noqa: F811 (the fixtures)
    (case_id,) = seed(world, station, 1).ids
    transport = AnswerLost()

    def login() -> CentralClient:
        client = CentralClient(world.base_url, transport=transport)
        world.clients.append(client)
        client.login("sup1", PASSWORD)
        return client

    page = ReviewQueuePage(login, auto_refresh_ms=0)
    qtbot.addWidget(page)
    page.show()
    try:
        wait_rows(qtbot, page, 1)
        page.open_case(case_id)
        qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                        timeout=10_000)
        view = page.case_view
        view.approve_button.click()
        no_answer = tr("The central service did not answer: {why} The decision may not have "
                       "been saved; press the button again to find out.").split("{")[0]
        qtbot.waitUntil(lambda: view.message.text().startswith(no_answer), timeout=10_000)
        assert tr("The decision was not saved: {why}").split("{")[0] not in view.message.text()
        assert transport.lost == 1 and view.approve_button.isEnabled()  # may try again
        assert world.login("sup2").case_detail(case_id)["case"]["state"] == "approved"

        view.approve_button.click()  # the supervisor tries again
        qtbot.waitUntil(lambda: view.lease_label.text() == tr("Decided"), timeout=10_000)
        assert view.message.text() == tr(
            "Decision saved: {decision}. The station and the applicant will be told.").format(
            decision=decision_label("approved"))
        assert view.next_button.isVisibleTo(view) and not view.approve_button.isEnabled()
    finally:
        page.shutdown()
