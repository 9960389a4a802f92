"""What a trainer does to a demo station, on the real simulators (the training console's core).

    controls = DemoControls.for_runtime(runtime)     # DemoModeRequired on any other station
    controls.place_card("expired")                   # the reader simulator gets that card
    controls.unplug("camera"); controls.replug("camera")
    controls.set_central_reachable(False)            # the embedded central service stops

Every action changes a simulator the station's real drivers talk to: the GA 467 reader on its
pseudo-terminal, the ISDV4 pad on its pseudo-terminal, the simulated camera the camera worker
reads, the embedded central service the sync worker delivers to. What the station shows
afterwards is what it shows with real hardware. Qt-free; several methods block for up to a few
seconds (a port vanishing, the central service stopping): call them off the GUI thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from station.demo import CARD_KINDS, DemoPerson, demo_people, demo_person, person_at_camera

log = logging.getLogger(__name__)

CONSOLE_CARDS = (*CARD_KINDS, "unreadable")  # "unreadable": the resident ID with a dead chip
DEVICES = ("idcard", "camera", "sigpad")
OVERDUE_MARGIN = timedelta(hours=1)  # how far past the deadlines "fast-forward" lands


class DemoModeRequired(RuntimeError):
    """The training console only exists on a demo station."""


class DemoActionError(RuntimeError):
    """A console action that this station's set-up cannot do (e.g. the camera is a webcam)."""


class CentralClock:
    """The embedded central service's clock: real time plus an offset the trainer moves on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    def advance(self, by: timedelta) -> None:
        with self._lock:
            self._offset += by

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)


@dataclass(frozen=True)
class ConsoleState:
    """What the console shows about the simulators."""

    person: str
    card: str | None  # the kind last placed; None: no card on the reader
    plugged: dict[str, bool]
    line_noise: bool
    central_reachable: bool | None  # None: no embedded central service (yet)
    clock_offset: timedelta
    live_person: bool


class DemoControls:
    """One per demo runtime (``for_runtime`` keeps it in ``runtime.extras``)."""

    def __init__(self, runtime: Any) -> None:
        if not runtime.settings.demo:
            raise DemoModeRequired("the training console is for demo stations only")
        self.runtime = runtime
        self._lock = threading.Lock()
        self.person: DemoPerson = demo_person()
        # the kind of card last placed ("sample": the sample card of a camera-less demo)
        self.card: str | None = "resident" if person_at_camera(runtime.settings) else "sample"
        self.line_noise = False
        # kiosk liveness answered by a simulated live person (False: the camera's picture,
        # a still replayed with movement and noise, is what the liveness check sees)
        self.live_person = False

    @classmethod
    def for_runtime(cls, runtime: Any) -> DemoControls:
        controls: DemoControls | None = runtime.extras.get("demo_controls")
        if controls is None:
            controls = runtime.extras["demo_controls"] = cls(runtime)
        return controls

    # -- the simulators ---------------------------------------------------------------------

    def _device(self, kind: str) -> Any:
        device = self.runtime.devices.device(kind)
        if device is None:
            raise DemoActionError(f"no {kind} device on this station")
        return device

    @property
    def reader(self) -> Any:
        simulator = getattr(self._device("idcard"), "simulator", None)
        if simulator is None:
            raise DemoActionError("the ID card reader is not the simulator")
        return simulator

    @property
    def camera(self) -> Any:
        source = getattr(self._device("camera"), "source", None)
        if source is None or not hasattr(source, "set_scene"):
            raise DemoActionError("the camera is not the simulated person's camera")
        return source

    @property
    def pad(self) -> Any:
        simulator = getattr(self._device("sigpad"), "simulator", None)
        if simulator is None:
            raise DemoActionError("the signature pad is not the simulator (on-screen signing)")
        return simulator

    @property
    def central(self) -> Any:
        sync = self.runtime.sync
        embedded = getattr(sync, "embedded", None) if sync is not None else None
        if embedded is None:
            raise DemoActionError("no embedded central service is running")
        return embedded

    # -- cards ------------------------------------------------------------------------------

    def place_card(self, kind: str = "resident") -> None:
        """Put the current person's card of ``kind`` (CONSOLE_CARDS) on the reader."""
        from devices.idcard.simphoto import encode_chip_photo

        if kind not in CONSOLE_CARDS:
            raise KeyError(f"no card {kind!r}; choose from {', '.join(CONSOLE_CARDS)}")
        card = self.person.card("resident" if kind == "unreadable" else kind)
        photo = encode_chip_photo(self.person.chip_image)
        self.reader.place_card(card, photo, fault="readfail" if kind == "unreadable" else None)
        with self._lock:
            self.card = kind
        log.info("training console: card %s of %s placed", kind, self.person.key)

    def pull_card(self) -> None:
        self.reader.remove_card()
        with self._lock:
            self.card = None

    def pull_mid_read(self) -> None:
        """The current person's card is placed and pulled off in the middle of its read; the
        holder puts it back a moment later (the simulator's ``pull_return_after_s``)."""
        from devices.idcard.simphoto import encode_chip_photo

        card = self.person.card("resident")
        self.reader.place_card(card, encode_chip_photo(self.person.chip_image), fault="pull")
        with self._lock:
            self.card = "resident"

    # -- cables -----------------------------------------------------------------------------

    def _cable(self, kind: str) -> Any:
        if kind not in DEVICES:
            raise KeyError(f"no device {kind!r}; choose from {', '.join(DEVICES)}")
        return {"idcard": lambda: self.reader, "camera": lambda: self.camera,
                "sigpad": lambda: self.pad}[kind]()

    def unplug(self, kind: str) -> None:
        self._cable(kind).unplug()

    def replug(self, kind: str) -> None:
        self._cable(kind).replug()

    def plugged(self, kind: str) -> bool:
        try:
            return bool(self._cable(kind).plugged)
        except DemoActionError:
            return False

    def set_line_noise(self, on: bool) -> None:
        """Garbage on the serial lines of the reader and the pad (their drivers must cope)."""
        self.reader.set_fault("noise" if on else None)
        with contextlib.suppress(DemoActionError):  # signing on screen: no pad line
            self.pad.set_fault("noise" if on else None)
        with self._lock:
            self.line_noise = on

    # -- the person -------------------------------------------------------------------------

    def people(self) -> list[DemoPerson]:
        return list(demo_people().values())

    def switch_person(self, key: str) -> None:
        """Another simulated person steps up: the camera shows them and their resident ID is
        placed on the reader."""
        from devices.camera.simulator import counter_scene

        person = demo_person(key)
        try:
            camera = self.camera
        except DemoActionError:
            camera = None  # a webcam or a replay: only the card changes
        if camera is not None:
            granted = self._device("camera").granted
            width, height = (granted.width, granted.height) if granted else (1280, 720)
            camera.set_scene(counter_scene(person.portrait, person.camera_head,
                                           width=width, height=height))  # fmt: skip
        with self._lock:
            self.person = person
        self.place_card("resident")

    def set_live_person(self, on: bool) -> None:
        with self._lock:
            self.live_person = on

    # -- the central service ----------------------------------------------------------------

    def set_central_reachable(self, reachable: bool) -> None:
        """Stop or restart the embedded central service (same address); the sync worker is
        woken so the status bar shows the change at once."""
        central = self.central
        if reachable:
            central.start()
        else:
            central.stop()
        worker = getattr(self.runtime.sync, "worker", None)
        if worker is not None:
            worker.wake()

    @property
    def traffic_system(self) -> Any:
        """The simulated traffic-management system behind the embedded central service."""
        system = getattr(self.runtime.sync, "traffic_system", None) if self.runtime.sync else None
        if system is None:
            raise DemoActionError("no simulated traffic system on this station")
        return system

    def set_traffic_system_mode(self, mode: str) -> None:
        """ok, refuse, slow or down (central.upstream.simulator): what the reviewer's photo
        on file and the hand-over of approved cases meet from now on."""
        self.traffic_system.set_mode(mode)

    def central_reachable(self) -> bool | None:
        try:
            return self.central.base_url is not None
        except DemoActionError:
            return None

    @property
    def clock(self) -> CentralClock | None:
        clock = getattr(self.runtime.sync, "central_clock", None) if self.runtime.sync else None
        return clock if isinstance(clock, CentralClock) else None

    def fast_forward_past_deadlines(self) -> datetime:
        """Move the central service's clock past the review deadline of every case received
        so far (one working day after receipt, station.workdays): pending reviews turn overdue.
        Returns the central service's time now."""
        from station.workdays import WorkdayCalendar

        clock = self.clock
        if clock is None:
            raise DemoActionError("the central service's clock cannot be moved")
        now = clock()
        due = WorkdayCalendar.load().due_time(now)
        clock.advance(due - now + OVERDUE_MARGIN)
        return clock()

    def reset_clock(self) -> None:
        if self.clock is not None:
            self.clock.reset()

    # -- the person's phone -----------------------------------------------------------------

    def last_sms(self) -> str:
        """The last text the embedded central service's development gateway "sent" (what the
        applicant reads off their phone), masked number first; "" when none was sent."""
        outbox = Path(self.runtime.settings.storage.data_dir) / "central" / "sms-dev.jsonl"
        try:
            lines = outbox.read_text(encoding="utf-8").splitlines()
            record = json.loads(lines[-1]) if lines else {}
        except (OSError, ValueError):
            return ""
        phone = str(record.get("phone", ""))
        masked = phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else phone
        return f"{masked}: {record.get('text', '')}" if record else ""

    # -- for the console --------------------------------------------------------------------

    def state(self) -> ConsoleState:
        clock = self.clock
        with self._lock:
            return ConsoleState(
                person=self.person.key, card=self.card,
                plugged={kind: self.plugged(kind) for kind in DEVICES},
                line_noise=self.line_noise, central_reachable=self.central_reachable(),
                clock_offset=clock.offset if clock else timedelta(0),
                live_person=self.live_person,
            )
