"""Questions whose Yes destroys something (captured personal data, an account's access):
No is the default button and the Escape button, so Enter or Esc on the question keeps
everything; only an explicit Yes goes ahead."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def ask_destructive(parent: QWidget, title: str, text: str,
                    on_yes: Callable[[], None]) -> QMessageBox:
    """Show the question window-modally (not blocking the event loop) and call ``on_yes``
    only when Yes is chosen. Returns the box (tests answer it with keys)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("destructiveQuestion")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    yes = box.button(QMessageBox.StandardButton.Yes)

    def answered(_result: int) -> None:
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(answered)
    box.open()
    return box
