"""A reportlab canvas that knows the page count when the footer's page number is drawn
("page 1 of 2"): pages are kept until the document is saved, then finished in one go."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

PageNumberDrawer = Callable[[Canvas, int, int], None]  # (canvas, page, total pages)


def counting_canvas(draw_page_number: PageNumberDrawer) -> type[Canvas]:
    """A Canvas class for ``doc.build(story, canvasmaker=...)`` that calls
    ``draw_page_number`` on every page once the total is known."""

    class CountingCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pending: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pending.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pending)
            for state in self._pending:
                self.__dict__.update(state)
                draw_page_number(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return CountingCanvas
