"""Supervisor review: the office's review queue, the case view and the dashboard.

The pages talk only to the central service, through an authenticated ``CentralClient`` made
by ``client_factory`` (called on a worker thread the first time a page needs the network):

    from ui.review import register_review_pages
    register_review_pages(lambda: signed_in_client())   # after register_builtin_pages()
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.runtime import StationRuntime
from station.db.models import Role
from station.operators import OperatorInfo
from ui.review.backend import ClientFactory


def register_review_pages(client_factory: ClientFactory) -> None:
    """Add "review_queue" and "dashboard" to the navigation of supervisors (and admins)."""
    from ui.pages.registry import register
    from ui.places import documents_folder
    from ui.review.dashboard import DashboardPage
    from ui.review.queue_page import ReviewQueuePage

    def queue(_runtime: StationRuntime, _operator: OperatorInfo) -> QWidget:
        return _stopped_on_quit(ReviewQueuePage(client_factory))

    def dashboard(runtime: StationRuntime, _operator: OperatorInfo) -> QWidget:
        settings = runtime.settings
        return _stopped_on_quit(DashboardPage(
            client_factory, office=settings.station.office,
            reports_dir=documents_folder()))

    register("review_queue", {Role.SUPERVISOR},
             lambda: QCoreApplication.translate("ReviewNavigation", "Review queue"), queue)
    register("dashboard", {Role.SUPERVISOR},
             lambda: QCoreApplication.translate("ReviewNavigation", "Review dashboard"),
             dashboard)


def _stopped_on_quit(page: QWidget) -> QWidget:
    """Release an open case and stop the page's workers when the application quits."""
    app = QCoreApplication.instance()
    shutdown = getattr(page, "shutdown", None)
    if app is not None and shutdown is not None:
        app.aboutToQuit.connect(shutdown)
    return page


__all__ = ["register_review_pages"]
