"""How big a window may open: its preferred size, made smaller where the screen (less its
taskbar and the window's frame) has less room, so that nothing opens past a 1366 x 768
counter monitor's edge."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room a window manager takes for the title bar and borders (a window is sized without them).
FRAME_ALLOWANCE = QSize(16, 40)


def within_screen(window: QWidget, preferred: QSize) -> QSize:
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return preferred
    return preferred.boundedTo(screen.availableGeometry().size() - FRAME_ALLOWANCE)
