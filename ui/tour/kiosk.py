"""The kiosk's tour: the attract screen, a self-service registration (card, liveness with the
training console's simulated live person, face match, phone on the keypad, signature,
receipt), the e-licence photo, the idle warning, out of service and the administrator's pad."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from sqlalchemy import select

from app.demo import DemoControls
from station.db.models import Case
from ui.tour.driver import Driver, TourError

PHONE = "13812345678"
ADMIN = ("kioskadmin", "周管理员", "Wz6^Tq3*Mh")
VISIT_TIMEOUT_S = 240


class KioskTour:
    def __init__(self, driver: Driver, runtime: Any, window: Any) -> None:
        self.d, self.runtime, self.window = driver, runtime, window
        self.controls = DemoControls.for_runtime(runtime)
        self.flows: list[dict[str, Any]] = []
        from ui.tour.counter import _device_data, _person_data

        self._device_data = _device_data
        driver.data.update(_person_data(self.controls.person))
        settings = runtime.settings
        driver.data.update({settings.station.code, settings.station.name, settings.station.office})

    def snap(self, name: str) -> None:
        self.d.data.update(self._device_data(self.runtime))
        self.d.snap(name, self.window)

    def run(self) -> None:
        window = self.window
        self.d.wait_until(lambda: window.stack.currentWidget() in (window.attract, window.setup)
                          or window.out_of_service, "the kiosk's first screen", 60)
        if window.stack.currentWidget() is window.setup:
            self.first_start()
        self.d.wait_until(lambda: not self.window.out_of_service, "every device ready", 60)
        self.snap("kiosk-attract")
        self.controls.set_live_person(True)  # the trainer: a live person, not a still
        self.visit("kiosk-registration", self.window.attract.register_button)
        self.visit("kiosk-elicence", self.window.attract.photo_button)
        self.idle_warning()
        self.out_of_service()
        self.admin()

    def first_start(self) -> None:
        """A fresh kiosk asks for its administrator before it serves anybody."""
        setup = self.window.setup
        self.snap("kiosk-first-start")
        for field, text in ((setup.username, ADMIN[0]), (setup.display_name, ADMIN[1]),
                            (setup.password, ADMIN[2]), (setup.confirm, ADMIN[2])):
            self.d.click(field)
            self.d.type_text(field, text, data=field in (setup.username, setup.display_name))
        self.d.click(setup.create_button)
        self.d.wait_until(lambda: not self.window.needs_admin, "the kiosk's administrator", 60)

    # -- one visit, screen by screen ----------------------------------------------------------

    def visit(self, flow: str, start: Any) -> None:
        self.d.click(start)
        session = self.window.session
        if session is None:
            raise TourError(f"{flow}: no visit started")
        self.controls.place_card("resident")  # the visitor puts their card on the reader
        seen: list[str] = []
        deadline = VISIT_TIMEOUT_S * 1000
        waited = 0
        finished = False
        while waited < deadline:
            if self.window.session is not session:
                break  # the visit ended
            key = session.current_key()
            retry = getattr(session.screens.get(key), "retry_button", None)
            if key == "liveness" and retry is not None and retry.isVisible() and retry.isEnabled():
                if "liveness-retry" not in seen:  # the check did not pass: the visitor tries again
                    seen.append("liveness-retry")
                    self.snap(f"{flow}-liveness-retry")
                self.d.click(retry)
            if key and key not in seen:
                seen.append(key)
                self.d.wait(600)
                self.snap(f"{flow}-{key}")
                if self._act(flow, key, session):
                    finished = True
                    break
            QTest.qWait(100)
            waited += 100
        if not finished:
            raise TourError(f"{flow}: the visit did not reach its receipt (screens {seen})")

    def _act(self, flow: str, key: str, session: Any) -> bool:
        """Does what the visitor does on the screen ``key``; True when the visit is over."""
        screen = session.screens.get(key)
        continue_button = getattr(screen, "continue_button", None)
        if key == "card" and continue_button is not None:  # the card's data shown: go on
            self.d.wait_until(lambda: continue_button.isVisible() or session.current_key() != key,
                              f"{flow}: the card read", 30)
            if session.current_key() == key:
                self.snap(f"{flow}-card-read")
                self.d.click(continue_button)
        elif key in ("matched", "noChipPhoto", "manualReview"):
            self.d.wait_until(lambda: screen.next_button.isEnabled(), f"{flow}: {key}")
            self.d.click(screen.next_button)
        elif key == "phone":
            for digit in PHONE:
                self.d.click(screen.keypad.keys[digit])
            self.snap(f"{flow}-phone-typed")
            self.d.click(screen.confirm_button)
        elif key == "sign":
            self.d.wait_until(lambda: screen.widget is not None, f"{flow}: the signature", 30)
            widget = screen.widget
            self.d.wait(1500)
            self.d.draw_signature(widget.canvas)
            self.snap(f"{flow}-sign-signed")
            self.d.wait_until(lambda: widget.accept_button.isEnabled() or session.current_key()
                              != "sign", f"{flow}: signature accepted", 60)
            if session.current_key() == "sign":
                self.d.click(widget.accept_button)
        elif key == "photo":
            self.d.wait_until(lambda: screen.use_button.isEnabled(), f"{flow}: photo taken", 120)
            self.snap(f"{flow}-photo-taken")
            self.d.click(screen.use_button)
        elif key == "scans":
            for _ in range(2):
                self.d.wait_until(lambda: screen.capture_button.isEnabled(), f"{flow}: scan", 30)
                self.d.click(screen.capture_button)
                self.d.wait(800)
        elif key == "done":
            receipt = getattr(screen, "receipt", None)
            if receipt is not None:
                self.d.wait_until(lambda: receipt.pdf() is not None, f"{flow}: the receipt", 60)
            self.d.wait(500)
            self.snap(f"{flow}-done-receipt")
            self._record(flow, session)
            self.d.click(screen.finish_button)
            self.d.wait_until(lambda: self.window.session is None, f"{flow}: back to the start")
            return True
        return False

    def _record(self, flow: str, session: Any) -> None:
        result = session.result
        with self.runtime.db.session() as db:
            case = db.scalar(select(Case).where(Case.number == session.case_number))
            details = dict(case.details or {}) if case is not None else {}
            photo = case.photos[0] if case is not None and case.photos else None
            report = dict(photo.quality_report or {}) if photo is not None else {}
        match = details.get("face_match") or {}
        capture = (details.get("photo_capture") or {})
        automatic = next((v.get("automatic") for v in capture.values()
                          if isinstance(v, dict) and "automatic" in v), None)
        if automatic is None and "liveness" in report:
            automatic = True  # the liveness check's frontal frame, taken by itself
        self.d.data.add(session.case_number)
        self.flows.append({
            "flow": flow, "case_number": session.case_number, "auto_captured": automatic,
            "face_match": {"score": match.get("score"), "match": match.get("match")},
            "routed_to_review": bool(result.flags) if result is not None else None,
            "review_reasons": [f.code for f in result.flags] if result is not None else [],
        })

    # -- the screens outside a visit ----------------------------------------------------------

    def idle_warning(self) -> None:
        """A visit left alone: the warning before it is wiped (the idle time made short)."""
        self.d.click(self.window.attract.register_button)
        session = self.window.session
        self.d.wait_until(lambda: session is not None and session.current_key() != "", "a visit")
        self.window.idle.stop()
        self.window.idle.idle.emit()  # the idle time has passed (minutes, in real life)
        self.d.wait_until(lambda: self.window.warning.isVisible(), "the idle warning", 10)
        self.snap("kiosk-idle-warning")
        self.d.click(self.window.warning.continue_button)
        screen = session.screens.get("card") if session is not None else None
        if screen is not None:
            self.d.click(screen.cancel_button)
        self.d.wait_until(lambda: self.window.session is None, "the visit cancelled", 20)

    def out_of_service(self) -> None:
        self.controls.unplug("camera")  # the trainer pulls the camera's cable
        try:
            self.d.wait_until(lambda: self.window.out_of_service, "out of service", 30)
            self.snap("kiosk-out-of-service")
        finally:
            self.controls.replug("camera")
        self.d.wait_until(lambda: not self.window.out_of_service, "back in service", 60)

    def admin(self) -> None:
        hotspot = self.window.hotspot
        for _ in range(5):
            self.d.click(hotspot, QPoint(hotspot.width() // 2, hotspot.height() // 2))
        self.d.wait_until(lambda: self.window.admin_open, "the administrator's pad", 10)
        self.snap("kiosk-admin")
