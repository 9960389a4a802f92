"""The applicant's mobile number, verified by an SMS code when the central service is online."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton

from station.identity.checks import validate_mobile
from station.workflows import cases
from ui.flows.step import FlowContext, FlowStep
from ui.workers import run_async


def _recorded_phone(runtime: Any, case_id: str) -> str | None:
    from station.db.models import Case

    with runtime.db.session() as session:
        case = session.get(Case, case_id)
        return next((p.phone for p in case.people if p.phone), None) if case else None


CODE_LENGTH = 6  # the central service's codes (central/sync/phone.py)


class PhoneStep(FlowStep):
    key = "phone"
    RESEND_SECONDS = 60

    def __init__(self, ctx: FlowContext) -> None:
        super().__init__(ctx)
        self.phone = QLineEdit()
        self.phone.setObjectName("phoneNumber")
        self.phone.setMaxLength(14)
        self.phone.textChanged.connect(self._check)
        self.phone.returnPressed.connect(self._send_code)  # Enter sends the code
        self.check_label = QLabel()
        self.check_label.setObjectName("phoneCheck")
        self.send = QPushButton()
        self.send.setObjectName("sendCode")
        self.send.clicked.connect(self._send_code)
        self.code = QLineEdit()
        self.code.setObjectName("smsCode")
        self.code.setMaxLength(CODE_LENGTH)
        self.code.returnPressed.connect(self._verify)  # Enter submits the code
        self.code.textChanged.connect(self._code_typed)
        self.verify = QPushButton()
        self.verify.setObjectName("verifyCode")
        self.verify.setDefault(True)
        self.verify.clicked.connect(self._verify)
        self.skip = QPushButton()
        self.skip.setObjectName("skipVerification")
        self.skip.clicked.connect(self._skip)
        self.skip_reason = QLineEdit()  # why the number is not verified (the reviewer reads it)
        self.skip_reason.setObjectName("skipReason")
        self.skip_reason.setMaxLength(200)
        self.skip_reason.setVisible(False)
        self.skip_reason.returnPressed.connect(self._skip)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self._challenge: str | None = None
        self._checking = False  # a code is being checked: the same one is not sent twice
        self._countdown = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.form = QFormLayout()
        self.form.addRow(QLabel(), self.phone)
        self.form.addRow("", self.check_label)
        row = QHBoxLayout()
        row.addWidget(self.code)
        row.addWidget(self.send)
        self.code_label = QLabel()
        self.form.addRow(self.code_label, row)
        self.body.addWidget(self.hint)
        self.body.addLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip)
        buttons.addWidget(self.skip_reason, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.verify)
        self.body.addLayout(buttons)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Mobile number")

    def retranslate(self) -> None:
        label = self.form.labelForField(self.phone)
        if isinstance(label, QLabel):
            label.setText(self.tr("Mobile number"))
        self.code_label.setText(self.tr("SMS code"))
        self.send.setText(self.tr("Send code"))
        self.verify.setText(self.tr("Verify and continue"))
        self.skip.setText(self.tr("Continue without SMS (case will be reviewed)"))
        self.skip_reason.setPlaceholderText(self.tr(
            "Why without SMS (e.g. the applicant's phone has no signal)"))
        self.hint.setText(self.tr(
            "The applicant's own mobile number receives the 12123 account messages. "
            "Send a verification code and type the code the applicant reads out."))

    def activate(self) -> None:
        self.phone.setFocus()
        if not self.phone.text():  # a resubmission (or a resumed case) already has the number
            runtime, case_id = self.ctx.runtime, self.ctx.case_id
            run_async(lambda: _recorded_phone(runtime, case_id), self._prefill)

    def _prefill(self, phone: str | None) -> None:
        if phone and not self.phone.text():
            self.phone.setText(phone)
            self.show_info(self.tr("The number recorded for this case is filled in; check it "
                                   "with the applicant."))

    def deactivate(self) -> None:
        self._timer.stop()

    def _check(self, text: str) -> bool:
        if not text.strip():
            self.check_label.clear()
            return False
        result = validate_mobile(text)
        self.check_label.setStyleSheet("color: #2e7d32;" if result.ok else "color: #c62828;")
        self.check_label.setText(result.message)
        return result.ok

    def _send_code(self) -> None:
        if not self._check(self.phone.text()):
            return
        sender = self.ctx.runtime.sync
        if sender is None:
            self.show_error(self.tr("SMS is not available at this station: continue without SMS."))
            return
        phone = validate_mobile(self.phone.text()).value
        self.send.setEnabled(False)

        def send() -> str:
            return sender.start_verification(phone)  # the central service makes and sends the code

        def sent(challenge: Any) -> None:
            self._challenge = str(challenge)
            self._countdown = self.RESEND_SECONDS
            self._timer.start()
            self.code.setFocus()  # the applicant reads the code out next
            self.show_info(self.tr("Code sent to {phone}.").format(phone=phone[:3] + "****" + phone[-4:]))

        def failed(error: BaseException) -> None:
            self.send.setEnabled(True)
            self.show_error(self.tr("The code could not be sent: {reason}").format(
                reason=getattr(error, "message", error)))

        run_async(send, sent, failed)

    def _tick(self) -> None:
        self._countdown -= 1
        if self._countdown <= 0:
            self._timer.stop()
            self.send.setEnabled(True)
            self.send.setText(self.tr("Send code"))
        else:
            self.send.setText(self.tr("Resend in {s} s").format(s=self._countdown))

    def _code_typed(self, text: str) -> None:
        """The whole code typed: checked at once (a wrong one just says so)."""
        if len(text.strip()) == CODE_LENGTH and text.strip().isdigit() and self._challenge:
            self._verify()

    def _verify(self) -> None:
        if self._checking:
            return
        if not self._check(self.phone.text()):
            self.show_error(self.tr("Enter a valid mainland mobile number."))
            return
        sender = self.ctx.runtime.sync
        if self._challenge is None or sender is None:
            self.show_error(self.tr("Send a code first, or continue without SMS."))
            return
        challenge, code = self._challenge, self.code.text().strip()
        if len(code) != CODE_LENGTH or not code.isdigit():
            self.show_error(self.tr("Type the {n}-digit code from the SMS.").format(n=CODE_LENGTH))
            self.code.setFocus()
            return

        def checked(ok: Any) -> None:
            self._checking = False
            if ok:
                self._finish(verified=True)
            else:
                self.show_error(self.tr("The code is wrong or has expired. Check it with the applicant."))
                self.code.selectAll()  # typed again over the wrong one

        def failed(error: BaseException) -> None:
            self._checking = False
            self.show_error(str(error))

        self._checking = True
        run_async(lambda: sender.check_verification(challenge, code), checked, failed)

    def _skip(self) -> None:
        """Going on without the SMS code needs the clerk's reason."""
        if self.skip_reason.isHidden():
            self.skip_reason.setVisible(True)
            self.skip_reason.setFocus()
            self.show_info(self.tr("Say why the number is not verified, then continue."))
            return
        reason = self.skip_reason.text().strip()
        if not reason:
            self.show_error(self.tr("Enter the reason for continuing without the SMS code."))
            self.skip_reason.setFocus()
            return
        self._finish(verified=False, skip_reason=reason)

    def _finish(self, verified: bool, skip_reason: str | None = None) -> None:
        if not self._check(self.phone.text()):
            self.show_error(self.tr("Enter a valid mainland mobile number."))
            return
        case_id, actor, phone = self.ctx.case_id, self.ctx.actor, self.phone.text()
        self.completed.emit(lambda s: cases.save_phone(s, case_id, phone, verified, actor,
                                                       skip_reason=skip_reason))
