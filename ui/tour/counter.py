"""The service window's tour: first start, operators, settings, sign-in, the four kinds of
case (F1-F4), the case list, the lock screen, the supervisor's queue, case views and
dashboard, and a returned case resubmitted - each screen photographed and inspected."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QListWidget, QPushButton, QWidget
from sqlalchemy import select

from app.demo import DemoControls
from app.runtime import StationRuntime
from station.db.models import Case, CaseKind
from ui.main_window import MainWindow
from ui.tour.driver import Driver, TourError

ADMIN = ("admin", "王管理员", "Kq7#Vm2!Zp")
CLERK = ("clerk1", "李警官", "Rt5$Hw9@Lc")
SUPERVISOR = ("sup1", "赵科长", "Jn4%Xe8&Db")
PHONE = "13812345678"
ORGANISATION = ("福州某某科技有限公司", "91350100M000100Y43", "陈建国")
NOTE = "身份证反面照片不清楚"  # what the supervisor writes when returning a case


def sms_texts(runtime: StationRuntime) -> list[str]:
    """The texts the embedded service's development gateway "sent" (the applicant's phone)."""
    outbox = Path(runtime.settings.storage.data_dir) / "central" / "sms-dev.jsonl"
    lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
    return [str(json.loads(line).get("text", "")) for line in lines if line.strip()]


def code_in(text: str) -> str:
    found = re.findall(r"(?<!\d)\d{6}(?!\d)", text)
    if not found:
        raise TourError(f"no verification code in the text {text!r}")
    return found[0]


class CounterTour:
    def __init__(self, driver: Driver, runtime: StationRuntime, window: MainWindow) -> None:
        self.d, self.runtime, self.window = driver, runtime, window
        self.controls = DemoControls.for_runtime(runtime)
        self.flows: list[dict[str, Any]] = []
        self.notes: list[str] = []  # what a person had to do again, and why
        self.f1_input: dict[str, int] = {}
        person = self.controls.person
        self.first_person = person.key
        driver.data.update(_person_data(person))
        settings = runtime.settings
        driver.data.update({settings.station.code, settings.station.name, settings.station.office})
        for who in (ADMIN, CLERK, SUPERVISOR):
            driver.data.update(who[:2])
        driver.data.update(ORGANISATION)
        driver.data.add(NOTE)

    # -- helpers ----------------------------------------------------------------------------

    def snap(self, name: str) -> None:
        self.d.data.update(_device_data(self.runtime))
        self.d.snap(name, self.window)

    def fill(self, field: QWidget, text: str) -> None:
        """Click into a field, and type (over what it held)."""
        self.d.click(field)
        field.selectAll()  # type: ignore[attr-defined]
        self.d.type_text(field, text)

    def tick(self, box: QCheckBox) -> None:
        self.d.click(box, QPoint(8, box.height() // 2))  # on its indicator

    def choose_row(self, view: QAbstractItemView, row: int, double: bool = False) -> None:
        index = view.model().index(row, 0)
        view.scrollTo(index)
        rect = view.visualRect(index)
        self.d.click(view.viewport(), rect.center())
        if double:
            from PySide6.QtTest import QTest

            QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier, rect.center())
            self.d.counter.clicks += 1

    @property
    def workspace(self) -> Any:
        workspace = self.window.workspace
        if workspace is None:
            raise TourError("no workspace: not signed in")
        return workspace

    def open_page(self, key: str) -> Any:
        workspace = self.workspace
        rows = [spec.key for spec in workspace.specs]
        if key not in rows:
            raise TourError(f"no page {key!r} for this operator ({rows})")
        nav: QListWidget = workspace.nav
        self.choose_row(nav, rows.index(key))
        self.d.wait_until(lambda: workspace.page(key) is not None
                          and workspace.pages.currentWidget() is workspace.page(key), f"page {key}")
        return workspace.page(key)

    def sign_in(self, who: tuple[str, str, str]) -> None:
        login = self.window.login
        self.d.wait_until(lambda: self.window.stack.currentWidget() is login, "the login screen")
        self.fill(login.username, who[0])
        self.fill(login.password, who[2])
        self.d.click(login.submit)
        self.d.wait_until(lambda: self.window.workspace is not None
                          and self.window.stack.currentWidget() is self.window.workspace,
                          f"{who[0]} signed in", 30)

    def sign_out(self) -> None:
        self.d.click(self.workspace.sign_out_button)
        self.d.wait_until(lambda: self.window.stack.currentWidget() is self.window.login,
                          "signed out")

    def case(self, number: str) -> Case:
        with self.runtime.db.session() as session:
            case = session.scalar(select(Case).where(Case.number == number))
            if case is None:
                raise TourError(f"case {number} not in the station's database")
            session.expunge_all()
            return case

    # -- the tour ---------------------------------------------------------------------------

    def run(self) -> None:
        self.first_start()
        self.administration()
        self.sign_out()
        self.snap("login")
        self.sign_in(CLERK)
        self.snap("home")
        self.individual("f1", CaseKind.INDIVIDUAL, count_input=True)
        self.individual("f2", CaseKind.ORGANISATION)
        self.individual("f3", CaseKind.ELICENCE_PHOTO)
        self.individual("f4", CaseKind.MANUAL_REVIEW)
        self.controls.switch_person("mismatch")  # the trainer: another person steps up
        self.d.wait(2000)  # the new card is read before the clerk starts
        self.d.data.update(_person_data(self.controls.person))
        self.individual("f1-mismatch", CaseKind.INDIVIDUAL, verify_sms=False)
        self.case_list("cases")
        self.lock_screen()
        self.sign_out()
        self.sign_in(SUPERVISOR)
        self.review()
        self.sign_out()
        self.sign_in(CLERK)
        self.controls.switch_person(self.first_person)  # the returned case's applicant is back
        self.d.wait(2000)
        self.resubmission()
        self.sign_out()

    def first_start(self) -> None:
        login = self.window.login
        self.d.wait_until(lambda: login.first_run, "the first start screen", 10)
        self.snap("first-start")
        self.fill(login.username, ADMIN[0])
        self.fill(login.display_name, ADMIN[1])
        self.fill(login.password, ADMIN[2])
        self.fill(login.confirm, ADMIN[2])
        self.d.click(login.submit)
        self.d.wait_until(lambda: self.window.workspace is not None, "the administrator's workspace")
        self.snap("admin-home")

    def administration(self) -> None:
        page = self.open_page("operators")
        self.d.wait_until(lambda: page.table.rowCount() >= 1, "the operators list")
        self.snap("operators")
        for username, name, password, row in ((*CLERK, 0), (*SUPERVISOR, 1)):
            self.fill(page.username, username)
            self.fill(page.display_name, name)
            self.d.click(page.role)  # the role list: Down to the row, Enter
            for _ in range(row):
                self.d.key(page.role.view(), Qt.Key.Key_Down)
            self.d.key(page.role.view(), Qt.Key.Key_Return)
            self.d.wait_until(lambda: not page.role.view().isVisible(), "the role list closed", 5)
            self.fill(page.password, password)
            count = page.table.rowCount()
            self.d.click(page.add_button)
            self.d.wait_until(lambda c=count: page.table.rowCount() > c, f"operator {username} added")
        self.snap("operators-added")
        self.open_page("devices")
        self.snap("devices")
        self.open_page("settings")
        self.snap("settings")

    # -- the clerk's flows ------------------------------------------------------------------

    def individual(self, flow: str, kind: CaseKind, count_input: bool = False,
                   verify_sms: bool = True) -> None:
        page = self.open_page("registration")
        if page.wizard is not None:
            raise TourError("a case is still open on the registration page")
        if self.controls.card != "resident":  # the applicant's card goes on the reader
            self.controls.place_card("resident")
        if count_input:
            self.d.counter.clicks = self.d.counter.key_presses = 0
        self.d.click(page.buttons[kind])
        wizard = page.wizard
        self.d.wait_until(lambda: bool(wizard.ctx.case_number), f"{flow}: the case started")
        self.d.data.add(wizard.ctx.case_number)
        photo_step: Any = None
        seen: set[str] = set()
        while True:
            step = wizard.current()
            key = step.key
            if key in seen and key != "review":
                self.d.wait(100)
                continue
            seen.add(key)
            if key == "document":
                self.card_read(flow, step)
                self.snap(f"{flow}-document")
                self.d.click(step.use_button)
            elif key == "photo":
                photo_step = step
                self.photo(flow, step)
            elif key == "organisation":
                self.snap(f"{flow}-organisation")
                self.fill(step.name, ORGANISATION[0])
                self.fill(step.code, ORGANISATION[1])
                self.fill(step.representative, ORGANISATION[2])
                self.d.click(step.next_button)
            elif key == "scans":
                self.scans(flow, step)
            elif key == "phone":
                self.phone(flow, step, verify_sms)
            elif key == "agreement":
                self.agreement(flow, step)
            elif key == "review":
                self.submit(flow, step, photo_step)
                if count_input:
                    self.f1_input = {"clicks": self.d.counter.clicks,
                                     "key_presses": self.d.counter.key_presses}
                self.d.click(step.receipt_view.done_button)
                self.d.wait_until(lambda: page.wizard is None, f"{flow}: back home")
                return
            self.d.wait_until(lambda k=key: wizard.current().key != k, f"{flow}: past {key}", 30)

    def card_read(self, flow: str, step: Any) -> None:
        """Waits for the card on the reader to be read; a read that did not come is tried
        again the way a person does: the card is put on the reader once more."""
        for attempt in range(3):
            try:
                self.d.wait_until(lambda: step.use_button.isEnabled(), f"{flow}: card read", 15)
                return
            except TourError:
                if attempt == 2:
                    raise
                retry = step.card_panel.findChild(QPushButton, "idcard_retry")
                if retry is not None and retry.isVisible() and retry.isEnabled():
                    self.notes.append(f"{flow}: the card was not read; Retry pressed")
                    self.d.click(retry)
                else:  # the applicant takes the card off and puts it back
                    self.notes.append(f"{flow}: the card was not read; it was placed again")
                    self.controls.pull_card()
                    self.d.wait(2000)  # long enough for the reader to see it gone
                    self.controls.place_card("resident")

    def photo(self, flow: str, step: Any) -> None:
        self.d.wait_until(lambda: step.view is not None, f"{flow}: the camera view")
        self.d.wait(1200)  # guidance on the live picture
        self.snap(f"{flow}-photo-live")
        self.d.wait_until(lambda: step.continue_button.isEnabled(), f"{flow}: photo taken", 120)
        self.snap(f"{flow}-photo-taken")
        self.d.click(step.continue_button)

    def scans(self, flow: str, step: Any) -> None:
        self.d.wait_until(lambda: step.live.showing_frame, f"{flow}: the document camera", 30)
        self.snap(f"{flow}-scans")
        for kind, slot in step.slots.items():
            self.d.click(slot.capture)
            self.d.wait_until(lambda k=kind, s=slot: k in step.done or s.override.isVisible(),
                              f"{flow}: {kind} captured", 30)
            if kind not in step.done:  # the camera shows a person, not a card: say why
                if kind == next(iter(step.slots)):
                    self.snap(f"{flow}-scans-reason")
                self.fill(slot.reason, "演示：摄像头前没有证件")
                self.d.click(slot.keep_button)
                self.d.wait_until(lambda k=kind: k in step.done, f"{flow}: {kind} kept")
        self.snap(f"{flow}-scans-done")
        self.d.click(step.next_button)

    def phone(self, flow: str, step: Any, verify: bool) -> None:
        self.d.wait(200)
        self.snap(f"{flow}-phone")
        if step.phone.text() != PHONE:
            if not step.phone.hasFocus():
                self.d.click(step.phone)
            step.phone.selectAll()
            self.d.type_text(step.phone, PHONE)
        if not verify:
            self.d.click(step.skip)
            self.fill(step.skip_reason, "申请人手机没有信号")
            self.snap(f"{flow}-phone-skip")
            self.d.click(step.skip)
            return
        texts = len(sms_texts(self.runtime))
        self.d.click(step.send)
        self.d.wait_until(lambda: len(sms_texts(self.runtime)) > texts, f"{flow}: the SMS", 30)
        code = code_in(sms_texts(self.runtime)[-1])
        self.d.click(step.code)
        self.d.type_text(step.code, code, data=False)
        self.snap(f"{flow}-phone-code")
        self.d.key(step.code, Qt.Key.Key_Return)  # Enter submits the code
        if not _left(step, 20_000):  # Enter did nothing: the button, then
            self.notes.append(f"{flow}: Enter did not submit the SMS code")
            self.d.click(step.verify)

    def agreement(self, flow: str, step: Any) -> None:
        self.d.wait_until(lambda: step.widget is not None, f"{flow}: the agreement", 30)
        self.d.wait(1500)
        self.snap(f"{flow}-agreement")
        widget = step.widget
        # the pad simulator signs; the signature is accepted after the reading time
        if not _left(step, 45_000) and step.widget is widget and widget is not None:
            if not widget.accept_button.isEnabled():
                self.d.draw_signature(widget.canvas)
            self.d.click(widget.accept_button)

    def submit(self, flow: str, step: Any, photo: Any) -> None:
        self.d.wait_until(lambda: bool(step.summary.text()), f"{flow}: the preview", 30)
        self.snap(f"{flow}-review")
        self.tick(step.confirmed)
        self.d.click(step.commit_button)
        self.d.wait_until(lambda: step.result is not None and step.receipt_view is not None,
                          f"{flow}: committed", 60)
        self.d.wait_until(lambda: _receipt_ready(step.receipt_view), f"{flow}: the receipt", 60)
        self.snap(f"{flow}-receipt")
        result = step.result
        case = self.case(result.number)
        match = (case.details or {}).get("face_match") or {}
        captured = getattr(photo, "captured", None)
        self.flows.append({
            "flow": flow,
            "case_number": result.number,
            "auto_captured": bool(captured.automatic) if captured is not None else None,
            "face_match": {"score": match.get("score"), "match": match.get("match")},
            "routed_to_review": bool(result.flags),
            "review_reasons": [flag.code for flag in result.flags],
        })

    # -- lists, lock ------------------------------------------------------------------------

    def case_list(self, name: str) -> Any:
        page = self.open_page("cases")
        self.d.wait_until(lambda: page.table.rowCount() > 0, "the case list", 30)
        self.snap(name)
        self.choose_row(page.table, 0)
        self.d.wait_until(lambda: bool(page.detail.toPlainText()), "the case's detail")
        self.snap(f"{name}-detail")
        return page

    def lock_screen(self) -> None:
        self.d.click(self.workspace.lock_button)
        lock = self.window.lock_screen
        self.d.wait_until(lambda: self.window.stack.currentWidget() is lock, "the lock screen")
        self.snap("lock")
        self.d.type_text(lock.password, CLERK[2], data=False)
        self.d.click(lock.unlock_button)
        self.d.wait_until(lambda: self.window.stack.currentWidget() is self.window.workspace,
                          "unlocked", 30)

    # -- the supervisor ---------------------------------------------------------------------

    def review(self) -> None:
        from ui.review.queue_model import CASE_ROLE

        kinds = {f["case_number"]: f["flow"] for f in self.flows if f["routed_to_review"]}
        queue = self.open_queue(set(kinds))
        self.snap("review-queue")
        returned: str | None = None
        for number, flow in kinds.items():
            row = next((i for i, r in enumerate(queue.model.rows) if r.number == number), -1)
            if row < 0:
                raise TourError(f"case {number} ({flow}) is not in the review queue")
            item = queue.model.data(queue.model.index(row, 0), CASE_ROLE)
            self.d.data.add(item.case_id)
            self.choose_row(queue.table, row)
            self.d.click(queue.open_button)
            self.d.wait_until(lambda: queue.case_view is not None and queue.case_view.data
                              is not None and queue.case_view.holds_lease(), f"case view {flow}", 30)
            view = queue.case_view
            self.d.wait(500)
            self.snap(f"case-view-{flow}")
            if flow == "f4":  # sent back for a better picture of the card
                returned = number
                self.d.click(view.reason)
                reason_row = next(i for i in range(view.reason.count()) if view.reason.itemData(i))
                for _ in range(reason_row - view.reason.currentIndex()):
                    self.d.key(view.reason.view(), Qt.Key.Key_Down)
                self.d.key(view.reason.view(), Qt.Key.Key_Return)
                self.fill(view.note, NOTE)
                self.d.click(view.return_button)
            else:
                self.d.click(view.approve_button)
            self.d.wait_until(lambda v=view: v.next_button.isVisible(), f"{flow}: decided", 30)
            self.snap(f"case-view-{flow}-decided")
            self.d.click(view.close_button)
            self.d.wait_until(lambda: queue.case_view is None, "back to the queue")
        self.returned_number = returned
        dashboard = self.open_page("dashboard")
        self.d.wait(2500)
        self.snap("dashboard")
        del dashboard

    def open_queue(self, numbers: set[str]) -> Any:
        """The review queue listing every case in ``numbers``. The station signs the supervisor
        in at the central service in the background; one that failed (it timed out on a busy
        machine) leaves the queue saying so, and the supervisor signs in again."""
        from ui.central_link import central_session

        session = central_session(self.runtime)
        for attempt in range(3):
            try:
                self.d.wait_until(lambda: session.username == SUPERVISOR[0],
                                  "the sign-in at the central service", 40)
            except TourError:
                if attempt == 2:
                    raise
                self.notes.append("the supervisor's sign-in at the central service did not "
                                  "come through; signed out and in again")
                self.sign_out()
                self.sign_in(SUPERVISOR)
                continue
            break
        queue = self.open_page("review_queue")

        def all_listed() -> bool:
            listed = {row.number for row in queue.model.rows}
            return not queue.model.busy() and numbers <= listed

        for _ in range(20):  # the last cases may still be on their way: Refresh now and then
            try:
                self.d.wait_until(all_listed, "the review queue", 5)
                return queue
            except TourError:
                self.d.wait_until(lambda: not queue.model.busy(), "the queue's answer", 30)
                if not all_listed():
                    self.d.click(queue.refresh_button)
        listed = sorted(row.number for row in queue.model.rows)
        raise TourError(f"the review queue lists {listed}, not all of {sorted(numbers)} "
                        f"(busy {queue.model.busy()}, says {queue.status.text()!r})")

    def resubmission(self) -> None:
        number = getattr(self, "returned_number", None)
        if number is None:
            raise TourError("no case was returned")
        page = self.open_page("cases")
        def listed_as_returned() -> bool:
            rows = (_row_text(page.table, r) for r in range(page.table.rowCount()))
            return any(number in text and ("退回" in text or "eturned" in text) for text in rows)

        self.d.wait_until(listed_as_returned, "the returned case on the list", 120)
        row = next(r for r in range(page.table.rowCount()) if number in _row_text(page.table, r))
        self.snap("cases-returned")
        self.choose_row(page.table, row)
        self.d.wait_until(lambda: page.resubmit_button.isEnabled(), "resubmit possible", 30)
        self.snap("cases-returned-detail")
        self.d.click(page.resubmit_button)
        registration = self.workspace.page("registration")
        self.d.wait_until(lambda: registration is not None and registration.wizard is not None
                          and bool(registration.wizard.ctx.case_number), "the resubmission", 30)
        self.resubmit_steps(registration)

    def resubmit_steps(self, page: Any) -> None:
        wizard = page.wizard
        self.d.data.add(wizard.ctx.case_number)
        flow = "resubmission"
        photo_step: Any = None
        first = True
        while True:
            step = wizard.current()
            key = step.key
            if first:
                self.d.wait(300)
                self.snap(f"{flow}-{key}")
                first = False
            if key == "document":
                self.card_read(flow, step)
                self.d.click(step.use_button)
            elif key == "photo":
                photo_step = step
                self.photo(flow, step)
            elif key == "scans":
                self.scans(flow, step)
            elif key == "phone":
                self.phone(flow, step, True)
            elif key == "agreement":
                self.agreement(flow, step)
            elif key == "review":
                self.submit(flow, step, photo_step)
                self.d.click(step.receipt_view.done_button)
                self.d.wait_until(lambda: page.wizard is None, f"{flow}: back home")
                return
            else:
                raise TourError(f"{flow}: no driving for the step {key}")
            self.d.wait_until(lambda k=key: wizard.current().key != k, f"{flow}: past {key}", 30)


def _left(step: QWidget, timeout_ms: int) -> bool:
    """Waits up to ``timeout_ms`` for the wizard to move past ``step``."""
    from PySide6.QtTest import QTest

    waited = 0
    while waited < timeout_ms:
        if not step.isVisible():
            return True
        QTest.qWait(100)
        waited += 100
    return not step.isVisible()


def _receipt_ready(view: Any) -> bool:
    pdf = getattr(view, "pdf", None)
    return bool(pdf()) if callable(pdf) else True


def _row_text(table: Any, row: int) -> str:
    return " ".join(table.item(row, c).text() for c in range(table.columnCount())
                    if table.item(row, c) is not None)


def _person_data(person: Any) -> set[str]:
    """What the person's card says (name, address, the nation printed on it, ...)."""
    import dataclasses

    card = person.card("resident")
    values = {getattr(card, f.name) for f in dataclasses.fields(card)}
    values |= {card.nation, person.name_en, person.key}
    if card.name:  # as the kiosk shows it to the people behind: 林**
        values.add(card.name[0] + "*" * (len(card.name) - 1))
    return {v for v in values if isinstance(v, str) and v}


def _device_data(runtime: StationRuntime) -> set[str]:
    """Names the hardware gives itself (a camera's model, a reader's port): shown as they are."""
    values: set[str] = set()
    for status in runtime.devices.statuses().values():
        values.add(status.name)
    camera = runtime.devices.device("camera")
    granted = getattr(camera, "granted", None)
    if granted is not None:
        values.add(str(granted.name))
    return {v for v in values if v}
