"""One case under review: photos side by side, quality report, scans, ID fields, signature,
audit trail, and the decision (approve, reject, return) while the lease is held."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PIL import Image
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.i18n import current_language
from station.identity import codes
from station.sync.client import CentralClient, CentralError, CentralUnavailable
from station.wire import IMAGE_PART_KINDS, PORTRAIT_PART_KINDS, PartKind
from ui.fitted_image import FittedImage
from ui.review import words
from ui.review.backend import ReviewBackend
from ui.review.format import (
    ReviewVocabulary,
    decision_label,
    kind_label,
    local_time,
    localised,
    state_label,
)
from ui.review.lease import LeaseKeeper
from ui.review.signature_check import BindingResult, check_signature
from ui.review.thresholds import in_words
from ui.review.zoom_view import ZoomableImageView

DOWNLOADED = frozenset({*IMAGE_PART_KINDS, PartKind.SIGNATURE_RECORD})  # parts the view opens
PASS, FAIL, UNKNOWN = "✓", "✗", "?"
PHOTO_SIZE = 260


@dataclass
class CaseData:
    detail: dict[str, Any]
    images: dict[str, QImage] = field(default_factory=dict)  # sha256 -> image
    signature: BindingResult | None = None
    signature_png: QImage | None = None  # from the record, when no separate image came
    missing_parts: list[str] = field(default_factory=list)


@dataclass
class PhotoOnFile:
    """The traffic system's answer (central.upstream): its state and, if found, the image."""

    answer: dict[str, Any]
    image: QImage | None = None


def load_case(client: CentralClient, case_id: str) -> CaseData:
    """Detail plus every part the view shows (runs on a worker)."""
    detail = client.case_detail(case_id)
    data = CaseData(detail)
    fields = detail.get("fields") or {}
    for part in detail.get("parts", []):
        role = str(part.get("role", ""))
        if role not in DOWNLOADED:
            continue
        try:
            blob = client.download_part(case_id, part["sha256"])
        except CentralError:
            data.missing_parts.append(role)
            continue
        if role == "signature_record":
            station_case_id = fields.get("station_case_id") or fields.get("case_id")
            data.signature = check_signature(blob, part.get("meta") or {},
                                             str(station_case_id) if station_case_id else None)
            if data.signature.png:
                data.signature_png = decode_image(data.signature.png)
            continue
        image = decode_image(blob)
        if image is None:
            data.missing_parts.append(role)
        else:
            data.images[part["sha256"]] = image
    return data


def load_photo_on_file(client: CentralClient, case_id: str) -> PhotoOnFile:
    """The photo in the traffic-management system, fetched by the central service now (on
    a worker; a slow system holds up only this box, not the case)."""
    try:
        answer = client.photo_on_file(case_id)
    except CentralError as exc:
        return PhotoOnFile({"state": "error", "detail": exc.message})
    if answer.get("state") != "found":
        return PhotoOnFile(answer)
    try:
        image = decode_image(base64.b64decode(str(answer.get("photo_b64"))))
    except ValueError:
        image = None
    if image is None:
        return PhotoOnFile({"state": "error", "detail": "the photo cannot be read"})
    return PhotoOnFile(answer, image)


def decode_image(data: bytes) -> QImage | None:
    """Check the bytes with Pillow first: Qt warns (on stderr) about every broken image."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    image = QImage.fromData(data)
    return None if image.isNull() else image


def _parts(detail: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [p for p in detail.get("parts", []) if p.get("role") == role]


def portrait_parts(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The photos to compare with the chip photo (live, e-licence), preferred first."""
    return [p for kind in PORTRAIT_PART_KINDS for p in _parts(detail, kind)]


class CaseView(QWidget):
    closed = Signal(str)  # case id; the lease (if any) is being released
    next_requested = Signal(str)  # case id of this (decided) case: open the next one
    decided = Signal(str, str)  # case id, decision state

    def __init__(self, backend: ReviewBackend, vocabulary: ReviewVocabulary, case_id: str,
                 lease: dict[str, Any] | None, read_only_reason: str = "",
                 parent: QWidget | None = None, renew_interval_ms: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewCaseView")
        self._backend = backend
        self._vocabulary = vocabulary
        self._reasons = vocabulary.reasons
        self._flags = vocabulary.flags
        self.case_id = case_id
        self.data: CaseData | None = None
        self.on_file: PhotoOnFile | None = None  # None: still asking the traffic system
        self.keeper = LeaseKeeper(backend, lease, self, renew_interval_ms) if lease else None
        self._read_only_reason = read_only_reason
        self._build()
        if self.keeper is not None:
            self.keeper.renewed.connect(self._show_lease)
            self.keeper.lost.connect(self._lease_lost)
            self.keeper.trouble.connect(self._show_message)
        self.retranslate()
        self._set_deciding(self.keeper is not None)
        self._backend.call(lambda client: load_case(client, case_id), self._while_open(self._show),
                           self._while_open(self._load_failed))
        self._backend.call(lambda client: load_photo_on_file(client, case_id),
                           self._while_open(self._photo_on_file_loaded))

    def _while_open(self, handler: Callable[[Any], None]) -> Callable[[Any], None]:
        """``handler`` for an answer that may come after the view was closed and deleted (the
        page's workers outlive it): then the answer is dropped."""
        def deliver(value: Any) -> None:
            if shiboken6.isValid(self):
                handler(value)

        return deliver

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("caseHeading")
        self.heading.setWordWrap(True)
        self.lease_label = QLabel()
        self.lease_label.setObjectName("leaseLabel")
        self.message = QLabel()
        self.message.setObjectName("caseMessage")
        self.message.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeCaseButton")
        self.close_button.clicked.connect(self.close_case)
        self.next_button = QPushButton()  # after a decision: straight on to the next case
        self.next_button.setObjectName("nextCaseButton")
        self.next_button.setVisible(False)
        self.next_button.clicked.connect(lambda: self.next_requested.emit(self.case_id))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.lease_label)
        top.addWidget(self.next_button)
        top.addWidget(self.close_button)

        # the photos scale with the room the screen gives them (their proportions kept)
        photo_minimum = QSize(PHOTO_SIZE * 3 // 7, PHOTO_SIZE * 4 // 7)  # 111 x 148 at least
        self.chip_box, self.chip_photo = QGroupBox(), FittedImage(photo_minimum)
        self.live_box, self.live_photo = QGroupBox(), FittedImage(photo_minimum)
        self.on_file_box, self.on_file_photo = QGroupBox(), FittedImage(photo_minimum)
        self.on_file_note = QLabel()  # when it was taken, or why there is none
        self.on_file_note.setObjectName("onFileNote")
        self.on_file_note.setWordWrap(True)
        self.match_label = QLabel()
        self.match_label.setObjectName("matchLabel")
        self.match_label.setWordWrap(True)
        self.photo_note = QLabel()  # when and by which camera; the clerk's override reason
        self.photo_note.setObjectName("photoNote")
        self.photo_note.setWordWrap(True)
        for box, label in ((self.chip_box, self.chip_photo), (self.on_file_box, self.on_file_photo),
                           (self.live_box, self.live_photo)):
            label.setWordWrap(True)
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(label, 1)
        self.chip_photo.setObjectName("chipPhoto")
        self.live_photo.setObjectName("livePhoto")
        self.on_file_photo.setObjectName("onFilePhoto")
        on_file_layout = self.on_file_box.layout()
        assert on_file_layout is not None
        on_file_layout.addWidget(self.on_file_note)
        photos = QHBoxLayout()
        photos.addWidget(self.chip_box)
        photos.addWidget(self.on_file_box)
        photos.addWidget(self.live_box)
        self.quality_box = QGroupBox()
        self.quality = QListWidget()
        self.quality.setObjectName("qualityReport")
        self.quality.setWordWrap(True)  # each check in full, in the column's width
        self.quality.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QVBoxLayout(self.quality_box).addWidget(self.quality)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(photos, 2)
        # the comparison under both photos, as wide as they are (not squeezed beside one)
        left_layout.addWidget(self.match_label)
        left_layout.addWidget(self.photo_note)
        left_layout.addWidget(self.quality_box, 1)

        self.tabs = QTabWidget()
        self.fields_tree = QTreeWidget()
        self.fields_tree.setObjectName("idFields")
        self.fields_tree.setColumnCount(2)
        self.scan_tabs = QTabWidget()
        self.scan_tabs.setObjectName("scanTabs")
        self.no_scans = QLabel()
        scans_page = QWidget()
        scans_layout = QVBoxLayout(scans_page)
        scans_layout.addWidget(self.no_scans)
        scans_layout.addWidget(self.scan_tabs, 1)
        self.signature_image = FittedImage(QSize(240, 100))
        self.signature_image.setObjectName("signatureImage")
        self.signature_checks = QListWidget()
        self.signature_checks.setObjectName("signatureChecks")
        signature_page = QWidget()
        signature_layout = QVBoxLayout(signature_page)
        signature_layout.addWidget(self.signature_image, 1)
        signature_layout.addWidget(self.signature_checks)
        self.audit = QTreeWidget()
        self.audit.setObjectName("auditTrail")
        self.audit.setColumnCount(4)
        self.parts_list = QTreeWidget()  # every part the case came with, by its label
        self.parts_list.setObjectName("caseParts")
        self.parts_list.setColumnCount(4)
        self.parts_list.setRootIsDecorated(False)
        self.tabs.addTab(self.fields_tree, "")
        self.tabs.addTab(scans_page, "")
        self.tabs.addTab(signature_page, "")
        self.tabs.addTab(self.audit, "")
        self.tabs.addTab(self.parts_list, "")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        self.reason = QComboBox()
        self.reason.setObjectName("reasonCode")
        self.note = QLineEdit()
        self.note.setObjectName("decisionNote")
        self.approve_button = QPushButton()
        self.approve_button.setObjectName("approveButton")
        self.reject_button = QPushButton()
        self.reject_button.setObjectName("rejectButton")
        self.return_button = QPushButton()
        self.return_button.setObjectName("returnButton")
        self.approve_button.clicked.connect(lambda: self.decide("approve"))
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.return_button.clicked.connect(lambda: self.decide("return"))
        self.reason_label, self.note_label = QLabel(), QLabel()
        bar = QGridLayout()  # two rows: the case keeps the screen's height
        bar.addWidget(self.reason_label, 0, 0)
        bar.addWidget(self.reason, 0, 1)
        bar.addWidget(self.note_label, 0, 2)
        bar.addWidget(self.note, 0, 3)
        bar.setColumnStretch(1, 1)
        bar.setColumnStretch(3, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.return_button)
        bar.addLayout(buttons, 1, 0, 1, 4)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        layout.addLayout(bar)

    def retranslate(self) -> None:
        self.close_button.setText(self.tr("Close case"))
        self.next_button.setText(self.tr("Next case"))
        self.chip_box.setTitle(self._vocabulary.part_kinds.label(PartKind.CHIP_PHOTO))
        self.live_box.setTitle(self._vocabulary.part_kinds.label(PartKind.PHOTO))
        self.on_file_box.setTitle(self.tr("Photo in the traffic system"))
        self.quality_box.setTitle(self.tr("Photo quality report"))
        self._fit_titles()
        self.tabs.setTabText(0, self.tr("ID fields"))
        self.tabs.setTabText(1, self.tr("Document scans"))
        self.tabs.setTabText(2, self.tr("Signature"))
        self.tabs.setTabText(3, self.tr("Audit trail"))
        self.tabs.setTabText(4, self.tr("Parts"))
        self.parts_list.setHeaderLabels([self.tr("Part"), self.tr("Type"), self.tr("Size"),
                                         self.tr("Shown")])
        self.fields_tree.setHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.audit.setHeaderLabels([self.tr("Time"), self.tr("Who"), self.tr("What"),
                                    self.tr("Details")])
        self.no_scans.setText(self.tr("No document scans in this case."))
        self.reason_label.setText(self.tr("Reason code"))
        self.note_label.setText(self.tr("Note"))
        self.note.setPlaceholderText(self.tr("What is wrong or missing (sent to the station)"))
        self.approve_button.setText(self.tr("Approve"))
        self.reject_button.setText(self.tr("Reject"))
        self.return_button.setText(self.tr("Return for more information"))
        self._fill_reasons()
        if self.keeper is not None and self.keeper.active:
            self._show_lease(self.keeper.lease)
        elif self._read_only_reason:
            self.lease_label.setText(self.tr("Read only"))
        self._show_photo_on_file()
        if self.data is not None:
            self._show(self.data)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _fill_reasons(self) -> None:
        chosen = self.reason.currentData()
        self.reason.clear()
        self.reason.addItem(self.tr("— choose a reason —"), None)
        for code in self._reasons.codes:
            self.reason.addItem(self._reasons.label(code), code)
        if chosen is not None:
            self.reason.setCurrentIndex(max(0, self.reason.findData(chosen)))

    # --- showing the case -----------------------------------------------------------------

    def _show(self, data: CaseData) -> None:
        self.data = data
        detail, case = data.detail, data.detail["case"]
        due = local_time(case.get("due_at"), with_year=True)
        due_text = (self.tr("OVERDUE since {time}").format(time=due) if case.get("overdue")
                    else self.tr("due {time}").format(time=due))
        self.heading.setText(self.tr(
            "Case {number} · {kind} · station {station} · clerk {clerk} · received {received}"
            " · {due} · {state}").format(
            number=case["number"], kind=kind_label(case["kind"]), station=case["station_code"],
            clerk=case.get("clerk") or "—", received=local_time(case["received_at"], True),
            due=due_text, state=state_label(case["state"])))
        self.heading.setStyleSheet("color: #a61b1b; font-weight: bold;"
                                   if case.get("overdue") else "")
        if self._read_only_reason:
            self._show_message(self._read_only_reason)
        self._show_photos(data)
        portraits = portrait_parts(detail)
        self._show_quality(detail.get("quality_report") or (
            (portraits[0].get("meta") or {}).get("quality_report") if portraits else None))
        self._show_fields(detail.get("fields") or {}, case.get("flags", []))
        self._show_scans(data)
        self._show_signature(data)
        self._show_audit(detail)
        self._show_parts(data)

    def _image_of(self, data: CaseData, role: str) -> QImage | None:
        for part in _parts(data.detail, role):
            image = data.images.get(part["sha256"])
            if image is not None:
                return image
        return None

    def _set_photo(self, label: QLabel, image: QImage | None, missing: str) -> None:
        if image is None:
            label.setPixmap(QPixmap())
            label.setText(missing)
            return
        label.setText("")
        label.setPixmap(QPixmap.fromImage(image))

    def _chip_missing_reason(self, data: CaseData) -> str:
        documents = [d for p in (data.detail.get("fields") or {}).get("people", [])
                     for d in p.get("documents", [])]
        statuses = [str(d.get("chip_photo_status") or "") for d in documents]
        status = next((s for s in statuses if s), "")
        if PartKind.CHIP_PHOTO in data.missing_parts:
            return self.tr("The chip photo could not be loaded.")
        if not documents:
            return self.tr("No identity document in this case.")
        known = {
            "missing": self.tr("The card has no photo on its chip."),
            "decode_failed": self.tr("The chip photo could not be decoded."),
            "not_read": self.tr("The chip was not read (manual entry or scan)."),
            "unsupported": self.tr("This document type carries no readable chip photo."),
        }
        if status in known:
            return known[status]
        if status:
            return self.tr("No chip photo: {why}.").format(why=words.chip_photo_status(status))
        return self.tr("No chip photo was delivered with this case.")

    def _fit_titles(self) -> None:
        """Each photo's box as wide as its title (Qt cuts a group box's title otherwise)."""
        for box in (self.chip_box, self.on_file_box, self.live_box):
            box.setMinimumWidth(box.fontMetrics().horizontalAdvance(box.title()) + 32)

    def _show_photos(self, data: CaseData) -> None:
        documents = [d for p in (data.detail.get("fields") or {}).get("people", [])
                     for d in p.get("documents", [])]
        simulated = any(d.get("chip_photo_status") == "simulated" for d in documents)
        self.chip_box.setTitle(self.tr("Photo on the card chip — SIMULATED (demo card)")
                               if simulated
                               else self._vocabulary.part_kinds.label(PartKind.CHIP_PHOTO))
        self._set_photo(self.chip_photo, self._image_of(data, PartKind.CHIP_PHOTO),
                        self._chip_missing_reason(data))
        portraits = portrait_parts(data.detail)
        photo = portraits[0] if portraits else None  # any other is shown with the scans
        kind = str(photo["role"]) if photo else PartKind.PHOTO
        self.live_box.setTitle(self._vocabulary.part_kinds.label(kind))
        self._fit_titles()
        self._show_photo_on_file()
        self._set_photo(self.live_photo, data.images.get(photo["sha256"]) if photo else None,
                        self.tr("No live photo was delivered with this case."))
        meta = (photo or {}).get("meta") or {}
        self._show_photo_note(meta)
        score, threshold = data.detail.get("match_score"), meta.get("match_threshold")
        if score is None:
            score = meta.get("match_score")
        if not isinstance(score, int | float):
            self.match_label.setText(self.tr("No face match score."))
            self.match_label.setStyleSheet("")
            return
        text = self.tr("Match score {score:.2f}").format(score=float(score))
        below = isinstance(threshold, int | float) and float(score) < float(threshold)
        if isinstance(threshold, int | float):
            verdict = (self.tr("below the threshold {t:.2f}: NOT the same person?") if below
                       else self.tr("at or above the threshold {t:.2f}"))
            text = f"{text} — {verdict.format(t=float(threshold))}"
        self.match_label.setText(text)
        self.match_label.setStyleSheet("color: #a61b1b; font-weight: bold;" if below else "")

    def _photo_on_file_loaded(self, on_file: PhotoOnFile) -> None:
        self.on_file = on_file
        self._show_photo_on_file()

    def _show_photo_on_file(self) -> None:
        answer = self.on_file.answer if self.on_file is not None else {}
        image = self.on_file.image if self.on_file is not None else None
        state = str(answer.get("state", ""))
        why = {
            "not_found": self.tr("The traffic system has no photo on file for this person."),
            "unavailable": self.tr("The traffic system cannot be reached now; open the case "
                                   "again later to compare."),
            "refused": self.tr("The traffic system refused the request: {why}"),
            "not_configured": self.tr("No traffic system is connected to the central service."),
            "no_document": self.tr("The case has no identity number to look up."),
            "error": self.tr("The photo on file could not be loaded: {why}"),
        }.get(state, state or self.tr("Asking the traffic system…"))
        self._set_photo(self.on_file_photo, image, why.format(why=answer.get("detail") or "—"))
        self.on_file_note.setText(self.tr("Taken on {date}").format(
            date=answer.get("taken_on") or "—") if image is not None else "")

    def _show_photo_note(self, meta: dict[str, Any]) -> None:
        lines = []
        if meta.get("override_reason"):
            lines.append(self.tr("Captured by the clerk despite failed checks: {reason}").format(
                reason=meta["override_reason"]))
        camera = meta.get("camera") if isinstance(meta.get("camera"), dict) else None
        if meta.get("captured_at") or camera:
            name = (camera or {}).get("model") or (camera or {}).get("name") or "?"
            if (camera or {}).get("simulated"):
                name = self.tr("{name} (simulated)").format(name=name)
            lines.append(self.tr("Taken {time} with {camera}").format(
                time=local_time(meta.get("captured_at"), with_year=True), camera=name))
        self.photo_note.setText("\n".join(lines))
        self.photo_note.setStyleSheet("color: #a61b1b;" if meta.get("override_reason") else "")

    def _show_quality(self, report: dict[str, Any] | None) -> None:
        self.quality.clear()
        checks = (report or {}).get("checks") if isinstance(report, dict) else None
        if not checks:
            self.quality.addItem(self.tr("No quality report was delivered."))
            return
        ordered = sorted(checks, key=lambda c: bool(c.get("passed")))  # failed first
        for check in ordered:
            passed = bool(check.get("passed"))
            message = localised({"zh": check.get("message_zh", ""),
                                 "en": check.get("message_en", "")}) or str(check.get("name"))
            detail = self.tr("value {value}, limit {limit}").format(
                value=in_words(check.get("value")), limit=in_words(check.get("threshold")))
            item = QListWidgetItem(f"{PASS if passed else FAIL} {message} ({detail})")
            if not passed:
                item.setForeground(Qt.GlobalColor.darkRed)
            item.setData(Qt.ItemDataRole.UserRole, check.get("name"))
            self.quality.addItem(item)

    def _show_fields(self, fields: dict[str, Any], flags: list[str]) -> None:
        tree = self.fields_tree
        tree.clear()
        if flags:  # why the case is here: each flag by its label, explained
            reasons = QTreeWidgetItem(tree, [self.tr("Review reasons"), self._flags.join(flags)])
            for code in flags:
                QTreeWidgetItem(reasons, [self._flags.label(code), self._flags.explanation(code)])
            reasons.setForeground(0, Qt.GlobalColor.darkRed)
        self._show_clerk_reasons(tree, fields)
        earlier = (fields.get("details") or {}).get("resubmission_of")
        if isinstance(earlier, dict):  # what the returned case lacked, next to the new one
            item = QTreeWidgetItem(tree, [self.tr("Resubmission of"), str(earlier.get("number"))])
            QTreeWidgetItem(item, [self.tr("Supervisor's note then"),
                                   str(earlier.get("note") or self.tr("(none)"))])
            item.setForeground(0, Qt.GlobalColor.darkBlue)
        labels = {
            "name": self.tr("Name"), "name_en": self.tr("Name (Latin)"), "sex": self.tr("Sex"),
            "nation": self.tr("Ethnicity"), "birth_date": self.tr("Date of birth"),
            "address": self.tr("Address"), "phone": self.tr("Mobile phone"),
        }
        doc_labels = {
            "doc_type": self.tr("Document type"), "number": self.tr("Document number"),
            "issuing_authority": self.tr("Issuing authority"),
            "valid_from": self.tr("Valid from"), "valid_to": self.tr("Valid to"),
        }
        for person in fields.get("people", []):
            roles = {"applicant": self.tr("applicant"), "agent": self.tr("agent"),
                     "legal_representative": self.tr("legal representative")}
            role = str(person.get("role", ""))
            top = QTreeWidgetItem(tree, [self.tr("Person ({role})").format(
                role=roles.get(role, role)), str(person.get("name") or "")])
            english = current_language() == "en"
            for key, label in labels.items():
                if person.get(key):
                    value = str(person[key])  # sex and nation as printed on the card (男, 汉)
                    QTreeWidgetItem(top, [label, codes.in_english(key, value) if english
                                          else value])
            for document in person.get("documents", []):
                doc_type = words.document_type(str(document.get("doc_type") or ""))
                doc = QTreeWidgetItem(top, [self.tr("Identity document"), doc_type])
                for key, label in doc_labels.items():
                    if document.get(key) and key != "doc_type":
                        QTreeWidgetItem(doc, [label, str(document[key])])
                if document.get("source"):
                    QTreeWidgetItem(doc, [self.tr("How it was taken"),
                                          words.document_source(str(document["source"]))])
                if document.get("chip_photo_status"):
                    QTreeWidgetItem(doc, [self.tr("Chip photo"), words.chip_photo_status(
                        str(document["chip_photo_status"]))])
                for check in (document.get("validation") or {}).get("checks", []):
                    ok = bool(check.get("ok"))
                    reason = localised(check.get("reason")) or str(check.get("code", ""))
                    name = words.document_check(str(check.get("check", "")))
                    item = QTreeWidgetItem(doc, [f"{PASS if ok else FAIL} {name}", reason])
                    if not ok:
                        item.setForeground(0, Qt.GlobalColor.darkRed)
                        item.setForeground(1, Qt.GlobalColor.darkRed)
        for key, value in sorted((fields.get("personal") or {}).items()):
            QTreeWidgetItem(tree, [words.personal_field(str(key)),
                                   words.personal_value(str(key), value)])
        if fields.get("office"):
            QTreeWidgetItem(tree, [self.tr("Office"), str(fields["office"])])
        tree.expandAll()
        tree.resizeColumnToContents(0)

    def _show_clerk_reasons(self, tree: QTreeWidget, fields: dict[str, Any]) -> None:
        """Every place the clerk went past a check, with the reason the clerk gave."""
        details = fields.get("details") or {}
        notes: list[tuple[str, str]] = []
        expiry = (details.get("document") or {}).get("expiry_override") or {}
        if expiry.get("reason"):
            notes.append((self.tr("Expired document used"), str(expiry["reason"])))
        phone = details.get("phone") or {}
        if phone.get("skip_reason"):
            notes.append((self.tr("Mobile number not verified by SMS"), str(phone["skip_reason"])))
        for part in (self.data.detail.get("parts", []) if self.data else []):
            meta = part.get("meta") or {}
            if part.get("role") in PORTRAIT_PART_KINDS and meta.get("override_reason"):
                notes.append((self.tr("Photo captured despite failed checks"),
                              str(meta["override_reason"])))
            quality = meta.get("quality") or {}
            if part.get("role") == PartKind.DOCUMENT_SCAN and quality.get("override_reason"):
                notes.append((self.tr("{scan} kept although it does not look like one").format(
                    scan=words.scan_kind(str(meta.get("kind") or ""))),
                    str(quality["override_reason"])))
        if not notes and not details.get("confirmed_by_applicant"):
            return
        top = QTreeWidgetItem(tree, [self.tr("Clerk's reasons"),
                                     self.tr("{n} given").format(n=len(notes))])
        for label, reason in notes:
            item = QTreeWidgetItem(top, [label, reason])
            item.setForeground(1, Qt.GlobalColor.darkRed)
        if details.get("confirmed_by_applicant"):
            QTreeWidgetItem(top, [self.tr("Applicant checked the preview"),
                                  local_time(details["confirmed_by_applicant"], with_year=True)])
        top.setForeground(0, Qt.GlobalColor.darkRed)

    def _show_scans(self, data: CaseData) -> None:
        """The document scans, and every other image of the case that has no place of its
        own (a second photo, the app's submitted photo, liveness frames), by its label."""
        self.scan_tabs.clear()
        labels = self._vocabulary.part_kinds
        placed = self._placed_images(data)
        for part in data.detail.get("parts", []):
            role = str(part.get("role", ""))
            if role not in IMAGE_PART_KINDS or part.get("sha256") in placed:
                continue
            title = labels.label(role)
            if role == PartKind.DOCUMENT_SCAN:
                kind = str((part.get("meta") or {}).get("kind") or "")
                title = words.scan_kind(kind) if kind else title
            self._add_scan_tab(data, part, title)
        self.no_scans.setVisible(self.scan_tabs.count() == 0)

    @staticmethod
    def _placed_images(data: CaseData) -> set[str]:
        """The parts shown in their own places: the chip photo, the photo compared with it
        and the signature image."""
        placed: set[str] = set()
        for role in (PartKind.CHIP_PHOTO, PartKind.SIGNATURE_IMAGE):
            shown = next((p["sha256"] for p in _parts(data.detail, role)
                          if p["sha256"] in data.images), None)
            if shown is not None:
                placed.add(shown)
        portraits = portrait_parts(data.detail)
        if portraits:
            placed.add(portraits[0]["sha256"])
        return placed

    def _add_scan_tab(self, data: CaseData, part: dict[str, Any], title: str) -> None:
        image = data.images.get(part["sha256"])
        if image is None:
            return
        view = ZoomableImageView()
        view.setObjectName("scanView")
        view.set_image(image)
        self.scan_tabs.addTab(view, title)

    def _show_parts(self, data: CaseData) -> None:
        """Every part the case came with, named by its kind, and whether it is shown."""
        self.parts_list.clear()
        for part in data.detail.get("parts", []):
            role = str(part.get("role", ""))
            if part.get("sha256") in data.images:
                shown = self.tr("shown")
            elif role in data.missing_parts:
                shown = self.tr("could not be loaded")
            elif role == PartKind.SIGNATURE_RECORD:
                shown = self.tr("checked (Signature tab)")
            else:
                shown = self.tr("kept, not an image")
            size = int(part.get("size") or 0)
            item = QTreeWidgetItem(self.parts_list, [
                self._vocabulary.part_kinds.label(role), str(part.get("media_type", "")),
                self.tr("{kb:.0f} KB").format(kb=size / 1024), shown])
            item.setData(0, Qt.ItemDataRole.UserRole, role)
            if role in data.missing_parts:
                item.setForeground(3, Qt.GlobalColor.darkRed)
        for column in range(4):
            self.parts_list.resizeColumnToContents(column)

    def _show_signature(self, data: CaseData) -> None:
        image = self._image_of(data, PartKind.SIGNATURE_IMAGE) or data.signature_png
        if image is None:
            self.signature_image.setPixmap(QPixmap())
            self.signature_image.setText(self.tr("No signature image in this case."))
        else:
            self.signature_image.setText("")
            self.signature_image.setPixmap(QPixmap.fromImage(image))
        self.signature_checks.clear()
        result = data.signature
        if result is None:
            self.signature_checks.addItem(self.tr("No signature record: binding not checked."))
            return
        names = {
            "decoded": self.tr("The signature record can be read"),
            "points": self.tr("Pen data unaltered since signing"),
            "image": self.tr("Signature image unaltered since signing"),
            "seal": self.tr("Record seal matches its contents"),
            "anchored": self.tr("Seal matches the one the station recorded"),
            "agreement": self.tr("Signed the known agreement text of its version"),
            "case": self.tr("Bound to this case"),
        }
        summary = (self.tr("Signature binding: verified") if result.ok
                   else self.tr("Signature binding: PROBLEMS FOUND"))
        head = QListWidgetItem(summary)
        if not result.ok:
            head.setForeground(Qt.GlobalColor.darkRed)
        self.signature_checks.addItem(head)
        for check, name in names.items():
            if check not in result.checks:
                continue
            value = result.checks[check]
            mark = PASS if value else (UNKNOWN if value is None else FAIL)
            suffix = self.tr(" (cannot be checked here)") if value is None else ""
            item = QListWidgetItem(f"{mark} {name}{suffix}")
            item.setData(Qt.ItemDataRole.UserRole, check)
            if value is False:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.signature_checks.addItem(item)

    def _show_audit(self, detail: dict[str, Any]) -> None:
        self.audit.clear()
        entries = detail.get("audit")
        if entries is None:  # an older server: its decisions are the trail it offers
            entries = [{"at": d["decided_at"], "actor": d["reviewer"],
                        "action": f"review.{d['decision']}",
                        "details": {"reason_code": d.get("reason_code"), "note": d.get("note")}}
                       for d in detail.get("decisions", [])]
        actions = {
            "review.claimed": self.tr("Opened for review (claimed)"),
            "review.released": self.tr("Put back in the queue"),
            "review.decided": self.tr("Decided"),
            "review.approved": decision_label("approved"),
            "review.rejected": decision_label("rejected"),
            "review.returned": decision_label("returned"),
            "case.received": self.tr("Received from the station"),
        }
        for entry in entries:
            details = {k: v for k, v in (entry.get("details") or {}).items() if v}
            if "decision" in details:
                details["decision"] = decision_label(str(details["decision"]))
            if "reason_code" in details:
                details["reason_code"] = self._reasons.label(str(details["reason_code"]))
            text = "; ".join(f"{v}" for k, v in details.items() if k != "lease_until")
            QTreeWidgetItem(self.audit, [
                local_time(entry.get("at"), with_year=True), str(entry.get("actor", "")),
                actions.get(str(entry.get("action")), str(entry.get("action"))), text])
        if not entries:
            QTreeWidgetItem(self.audit, ["", "", self.tr("No entries yet."), ""])
        for column in range(3):
            self.audit.resizeColumnToContents(column)

    def _load_failed(self, error: BaseException) -> None:
        self._show_message(self.tr("The case could not be loaded: {why}").format(
            why=error.message if isinstance(error, CentralError) else str(error)))

    # --- lease and decisions ----------------------------------------------------------------

    def _show_lease(self, lease: dict[str, Any]) -> None:
        self.lease_label.setText(self.tr("Held by you until {time}").format(
            time=local_time(lease.get("lease_until"))))

    def _lease_lost(self, why: str) -> None:
        self._set_deciding(False)
        self.lease_label.setText(self.tr("No longer held by you"))
        self._show_message(self.tr(
            "This case went back to the queue and may be with another supervisor: {why}"
        ).format(why=why))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)

    def _set_deciding(self, enabled: bool) -> None:
        for widget in (self.approve_button, self.reject_button, self.return_button,
                       self.reason, self.note):
            widget.setEnabled(enabled)

    def holds_lease(self) -> bool:
        return self.keeper is not None and self.keeper.active

    def decide(self, decision: str) -> None:
        if not self.holds_lease() or self.keeper is None:
            return
        reason = self.reason.currentData()
        note = self.note.text().strip()
        if decision in ("reject", "return") and not reason:
            self._refuse(self.tr("Choose a reason code to reject or return a case."))
            return
        if decision == "return" and not note:
            self._refuse(self.tr("Say in the note what information is missing."))
            return
        self._set_deciding(False)
        case_id, token = self.case_id, self.keeper.lease["lease_token"]
        self._show_message(self.tr("Sending the decision…"))
        self._backend.call(
            lambda client: client.decide(case_id, decision, token, reason_code=reason,
                                         note=note or None),
            self._while_open(self._decided), self._while_open(self._decision_failed))

    def _refuse(self, text: str) -> None:
        self._show_message(text)
        self.message.setStyleSheet("color: #a61b1b; font-weight: bold;")

    def _decided(self, outcome: dict[str, Any]) -> None:
        if self.keeper is not None:
            self.keeper.stop()  # the server ended the lease with the decision
        self.message.setStyleSheet("")
        self._show_message(self.tr("Decision saved: {decision}. The station and the applicant "
                                   "will be told.").format(
            decision=decision_label(outcome["decision"])))
        if self.data is not None:  # the header says what the case is now
            self.data.detail["case"] = {**self.data.detail["case"], "state": outcome["decision"],
                                        "overdue": False}
            self._show(self.data)
        self.lease_label.setText(self.tr("Decided"))
        self.next_button.setVisible(True)
        self.next_button.setFocus()
        self.decided.emit(self.case_id, outcome["decision"])

    def _decision_failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, CentralError) else str(error)
        lost = isinstance(error, CentralError) and error.code in ("lease_lost",
                                                                  "case_not_found")
        if lost and self.keeper is not None:
            reviewer = self.keeper.lease.get("claimed_by")
            self.keeper.stop()
            # an earlier try may have been saved with its answer lost on the way back: then
            # this case is decided by us, not back in the queue
            case_id = self.case_id
            self._backend.call(
                lambda client: client.case_detail(case_id),
                self._while_open(lambda detail: self._after_lost_decision(detail, reviewer,
                                                                          message)),
                self._while_open(lambda _error: self._lease_lost(message)))
            return
        self._set_deciding(True)
        if isinstance(error, CentralUnavailable) or not isinstance(error, CentralError):
            # no answer is not a refusal: the service may have saved it before the link went
            self._refuse(self.tr("The central service did not answer: {why} The decision may "
                                 "not have been saved; press the button again to find out.")
                         .format(why=message))
            return
        self._refuse(self.tr("The decision was not saved: {why}").format(why=message))

    def _after_lost_decision(self, detail: dict[str, Any], reviewer: object,
                             message: str) -> None:
        state = (detail.get("case") or {}).get("state")
        ours = [d for d in detail.get("decisions") or [] if d.get("reviewer") == reviewer]
        if state != "pending" and ours and ours[-1].get("decision") == state:
            self._decided(ours[-1])
        else:
            self._lease_lost(message)

    def close_case(self) -> None:
        """Ask the owner to close the view; it releases the lease (release_lease)."""
        self.closed.emit(self.case_id)

    def release_lease(self, then: Callable[[], None] | None = None) -> None:
        if self.keeper is not None:
            self.keeper.release(then)
        elif then is not None:
            then()
