"""The training console of a demo station (Ctrl+Shift+D): a trainer produces what happens at a
real counter — another person steps up, a card is placed, pulled, pulled mid-read or cannot be
read, a cable comes out, a serial line picks up noise, the central service goes away, time
passes until reviews are overdue — and the station shows what it would show with real hardware.

Every button drives the real simulators through app.demo.DemoControls, off the GUI thread;
what the console shows about the devices comes from the station's own device events. Only a
demo station has it (``install_training_console`` does nothing elsewhere).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.demo import CONSOLE_CARDS, DEVICES, DemoControls
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent
from ui.event_bridge import EventBridge
from ui.workers import run_async

log = logging.getLogger(__name__)

SHORTCUT = "Ctrl+Shift+D"
TRAFFIC_MODES = ("ok", "refuse", "slow", "down")  # central.upstream.simulator.MODES
PHONE_REFRESH_MS = 1500


class TrainingConsole(QWidget):
    """A tool window over the station's window (see the module docstring)."""

    def __init__(self, runtime: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)  # its own window, owned by the station
        self.setObjectName("trainingConsole")
        self.controls = DemoControls.for_runtime(runtime)
        self.runtime = runtime
        self.busy = 0  # actions still running (tests wait for 0)
        self.statuses: dict[str, DeviceStatus] = dict(runtime.devices.statuses())

        self.person_box = QGroupBox()
        self.person = QComboBox()
        self.person.setObjectName("demoPerson")
        for person in self.controls.people():
            self.person.addItem(person.title, person.key)
        self.person_button = QPushButton()
        self.person_button.setObjectName("demoSwitchPerson")
        self.person_button.clicked.connect(self._switch_person)
        row = QHBoxLayout(self.person_box)
        row.addWidget(self.person, 1)
        row.addWidget(self.person_button)

        self.card_box = QGroupBox()
        cards = QGridLayout(self.card_box)
        self.card_buttons: dict[str, QPushButton] = {}
        for index, kind in enumerate(CONSOLE_CARDS):
            button = QPushButton()
            button.setObjectName(f"demoCard_{kind}")
            button.clicked.connect(lambda _=False, k=kind: self._run(
                lambda: self.controls.place_card(k)))
            cards.addWidget(button, index // 3, index % 3)
            self.card_buttons[kind] = button
        self.pull_button = QPushButton()
        self.pull_button.setObjectName("demoPullCard")
        self.pull_button.clicked.connect(lambda: self._run(self.controls.pull_card))
        self.pull_mid_read_button = QPushButton()
        self.pull_mid_read_button.setObjectName("demoPullMidRead")
        self.pull_mid_read_button.clicked.connect(lambda: self._run(self.controls.pull_mid_read))
        cards.addWidget(self.pull_button, 2, 0)
        cards.addWidget(self.pull_mid_read_button, 2, 1)

        self.devices_box = QGroupBox()
        devices = QGridLayout(self.devices_box)
        self.device_labels: dict[str, QLabel] = {}
        self.unplug_buttons: dict[str, QPushButton] = {}
        self.replug_buttons: dict[str, QPushButton] = {}
        for row_index, kind in enumerate((*DEVICES, "central")):
            label = QLabel()
            label.setObjectName(f"demoState_{kind}")
            unplug, replug = QPushButton(), QPushButton()
            unplug.setObjectName(f"demoUnplug_{kind}")
            replug.setObjectName(f"demoReplug_{kind}")
            if kind == "central":
                unplug.clicked.connect(lambda: self._run(
                    lambda: self.controls.set_central_reachable(False)))
                replug.clicked.connect(lambda: self._run(
                    lambda: self.controls.set_central_reachable(True)))
            else:
                unplug.clicked.connect(lambda _=False, k=kind: self._run(
                    lambda: self.controls.unplug(k)))
                replug.clicked.connect(lambda _=False, k=kind: self._run(
                    lambda: self.controls.replug(k)))
            devices.addWidget(label, row_index, 0)
            devices.addWidget(unplug, row_index, 1)
            devices.addWidget(replug, row_index, 2)
            self.device_labels[kind] = label
            self.unplug_buttons[kind] = unplug
            self.replug_buttons[kind] = replug
        self.noise = QCheckBox()
        self.noise.setObjectName("demoLineNoise")
        self.noise.toggled.connect(lambda on: self._run(lambda: self.controls.set_line_noise(on)))
        devices.addWidget(self.noise, len(DEVICES) + 1, 0, 1, 3)
        self.traffic_label = QLabel()  # the simulated traffic system's fault mode
        self.traffic_mode = QComboBox()
        self.traffic_mode.setObjectName("demoTrafficSystem")
        for mode in TRAFFIC_MODES:
            self.traffic_mode.addItem("", mode)
        self.traffic_mode.activated.connect(lambda index: self._run(
            lambda: self.controls.set_traffic_system_mode(
                str(self.traffic_mode.itemData(index)))))
        devices.addWidget(self.traffic_label, len(DEVICES) + 2, 0)
        devices.addWidget(self.traffic_mode, len(DEVICES) + 2, 1, 1, 2)

        self.clock_box = QGroupBox()
        clock = QHBoxLayout(self.clock_box)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("demoClock")
        self.forward_button = QPushButton()
        self.forward_button.setObjectName("demoFastForward")
        self.forward_button.clicked.connect(lambda: self._run(
            self.controls.fast_forward_past_deadlines))
        self.real_time_button = QPushButton()
        self.real_time_button.setObjectName("demoRealTime")
        self.real_time_button.clicked.connect(lambda: self._run(self.controls.reset_clock))
        clock.addWidget(self.clock_label, 1)
        clock.addWidget(self.forward_button)
        clock.addWidget(self.real_time_button)

        self.liveness_box = QGroupBox()
        liveness = QVBoxLayout(self.liveness_box)
        self.live_person = QRadioButton()
        self.live_person.setObjectName("demoLivePerson")
        self.replayed_still = QRadioButton()
        self.replayed_still.setObjectName("demoReplayedStill")
        self.replayed_still.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.live_person)
        group.addButton(self.replayed_still)
        self.live_person.toggled.connect(self.controls.set_live_person)
        liveness.addWidget(self.live_person)
        liveness.addWidget(self.replayed_still)

        self.phone_box = QGroupBox()
        phone = QVBoxLayout(self.phone_box)
        self.phone_label = QLabel()
        self.phone_label.setObjectName("demoPhone")
        self.phone_label.setWordWrap(True)
        self.phone_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        phone.addWidget(self.phone_label)
        self._last_sms = ""

        self.result = QLabel()
        self.result.setObjectName("demoResult")
        self.result.setWordWrap(True)

        layout = QVBoxLayout(self)
        for box in (self.person_box, self.card_box, self.devices_box, self.clock_box,
                    self.liveness_box, self.phone_box):
            layout.addWidget(box)
        layout.addWidget(self.result)

        self.bridge = EventBridge.for_bus(runtime.bus)
        off = self.bridge.on(DeviceStatusEvent, self._on_status)
        self.destroyed.connect(lambda *_: off())  # not through self: it is gone by then
        self.phone_timer = QTimer(self)
        self.phone_timer.setInterval(PHONE_REFRESH_MS)
        self.phone_timer.timeout.connect(self._refresh_phone)
        self.retranslate()

    # -- actions ----------------------------------------------------------------------------

    def _run(self, action: Callable[[], Any]) -> None:
        """One trainer action on a worker thread; the outcome in the result line."""
        self.busy += 1
        self.result.setText(self.tr("Working…"))
        run_async(action, self._done, self._failed)

    def _done(self, _value: object) -> None:
        self.busy -= 1
        self.result.setText(self.tr("Done."))
        self._refresh()

    def _failed(self, error: BaseException) -> None:
        self.busy -= 1
        log.warning("training console action failed: %s", error)
        self.result.setText(self.tr("Not possible here: {reason}").format(reason=error))
        self._refresh()

    def _switch_person(self) -> None:
        key = str(self.person.currentData())
        self._run(lambda: self.controls.switch_person(key))

    # -- what the console shows -------------------------------------------------------------

    def _on_status(self, event: DeviceStatusEvent) -> None:
        self.statuses[event.status.kind] = event.status
        self._refresh()

    def _state_text(self, state: DeviceState) -> str:
        return {
            DeviceState.READY: self.tr("ready"), DeviceState.BUSY: self.tr("busy"),
            DeviceState.CONNECTING: self.tr("connecting"),
            DeviceState.ABSENT: self.tr("not connected"), DeviceState.ERROR: self.tr("error"),
            DeviceState.DISABLED: self.tr("not configured"),
        }[state]

    def _refresh(self) -> None:
        names = {"idcard": self.tr("ID card reader"), "camera": self.tr("Camera"),
                 "sigpad": self.tr("Signature pad"), "central": self.tr("Central service")}
        for kind, label in self.device_labels.items():
            status = self.statuses.get(kind)
            state = self._state_text(status.state) if status else "—"
            label.setText(f"{names[kind]}: {state}")
        offset = self.controls.clock.offset if self.controls.clock else timedelta(0)
        hours = offset.total_seconds() / 3600
        self.clock_label.setText(self.tr("Central service clock: real time") if not offset
                                 else self.tr("Central service clock: {hours:+.1f} h").format(hours=hours))
        self.phone_label.setText(self._last_sms or self.tr("No text message yet."))

    def _refresh_phone(self) -> None:
        run_async(self.controls.last_sms, self._phone_read, lambda _e: None)

    def _phone_read(self, text: object) -> None:
        self._last_sms = str(text or "")
        self._refresh()

    def showEvent(self, event: Any) -> None:
        self.phone_timer.start()
        self._refresh_phone()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:
        self.phone_timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event: Any) -> None:
        self.phone_timer.stop()
        super().closeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Training console (demo)"))
        self.person_box.setTitle(self.tr("Simulated person at the counter"))
        self.person_button.setText(self.tr("Step up"))
        for index in range(self.person.count()):
            key = self.person.itemData(index)
            self.person.setItemText(index, next(p.title for p in self.controls.people()
                                                if p.key == key))
        self.card_box.setTitle(self.tr("Card on the reader (the person's own)"))
        texts = {
            "resident": self.tr("Resident ID card"),
            "permit": self.tr("HK/Macao/Taiwan residence permit"),
            "foreigner": self.tr("Foreigner's permanent residence card"),
            "expired": self.tr("Expired ID card"),
            "unreadable": self.tr("Card that cannot be read"),
        }
        for kind, button in self.card_buttons.items():
            button.setText(texts[kind])
        self.pull_button.setText(self.tr("Pull the card"))
        self.pull_mid_read_button.setText(self.tr("Pull it in the middle of the read"))
        self.devices_box.setTitle(self.tr("Cables and lines"))
        for kind in (*DEVICES, "central"):
            central = kind == "central"
            self.unplug_buttons[kind].setText(self.tr("Make unreachable") if central
                                              else self.tr("Unplug"))
            self.replug_buttons[kind].setText(self.tr("Make reachable") if central
                                              else self.tr("Plug in"))
        self.noise.setText(self.tr("Noise on the serial lines (reader and pad)"))
        self.traffic_label.setText(self.tr("Traffic system"))
        modes = {"ok": self.tr("Answers normally"), "refuse": self.tr("Refuses requests"),
                 "slow": self.tr("Answers too slowly"), "down": self.tr("Unreachable")}
        for index in range(self.traffic_mode.count()):
            self.traffic_mode.setItemText(index, modes[str(self.traffic_mode.itemData(index))])
        self.clock_box.setTitle(self.tr("Time"))
        self.forward_button.setText(self.tr("Fast-forward past review deadlines"))
        self.real_time_button.setText(self.tr("Back to real time"))
        self.liveness_box.setTitle(self.tr("Kiosk liveness check"))
        self.live_person.setText(self.tr("A simulated live person answers the challenges"))
        self.replayed_still.setText(self.tr("The camera's picture only (a replayed still)"))
        self.phone_box.setTitle(self.tr("The person's phone (last text message)"))
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def install_training_console(window: QWidget, runtime: Any) -> TrainingConsole | None:
    """On a demo station: Ctrl+Shift+D on ``window`` shows or hides the console (a hidden tool
    window of ``window``). Elsewhere: nothing, and None."""
    if not runtime.settings.demo:
        return None
    console = TrainingConsole(runtime, window)
    shortcut = QShortcut(QKeySequence(SHORTCUT), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(lambda: console.setVisible(not console.isVisible()))
    return console
