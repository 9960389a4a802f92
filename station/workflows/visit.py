"""One person's visit at the self-service kiosk, as a Qt-free state machine.

Inputs are method calls: what the person does (``retry``, ``next``, ``phone_entered``), what
the devices report (``card_read``, ``liveness_finished``) and the answers to the visit's own
requests. Outputs are the visit's state (``state``, ``screen``, ``notice``, ...; ``changed``
is called after every input that altered it) and ``Command`` objects handed to ``emit``:
work for the host to carry out and answer. Database work travels as ``Store`` / ``Read``
(a function of a Session, with the input its result goes to), slow computations as
``Compute``, device requests as ``ReadCard`` / ``StartLiveness``. The machine itself never
touches a thread, a device, a clock or the database, so a whole visit runs in a unit test on
a real database without Qt (tests/unit/test_kiosk_visit.py); ui/kiosk/session.py is the
kiosk's host and view.

What each kind of case needs comes from station/workflows/case_kinds.py:

  CARD -> READING -> WELCOME (the card's data, masked; the person confirms it) -> the steps
  of the kind, then COMMITTING -> DONE
  individual:  LIVENESS -> CHECKING -> MATCHED | NO_CHIP_PHOTO -> PHONE -> SIGN
               a failed check -> RETRY -> LIVENESS; after ``fallback.after_failures`` failed
               checks -> FALLBACK -> SWITCHING -> the fallback kind (manual review):
  manual review: SCANS (ID front, ID back, a snapshot of the person) -> PHONE
  e-licence:   PHOTO (guided, taken automatically) -> PHONE -> COMMITTING
  any state -> CLOSED (finished, cancelled, idle, device failure): late answers are dropped;
  an unfinished case is cancelled (cases.cancel_case wipes its personal data).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

import numpy as np
from sqlalchemy.orm import Session

from station import audit
from station.beijing import beijing_today
from station.config import Settings
from station.db.models import CaseKind
from station.i18n import both, current_language, tr
from station.liveness import LivenessVerdict
from station.receipts.masking import mask_id_number, mask_name
from station.scans.page import CARD_SCAN_KINDS
from station.signature.record import SignatureRecord
from station.workflows import cases, face_match
from station.workflows.case_kinds import CASE_KINDS, CaseKindSpec
from station.workflows.documents import DocumentInput
from station.workflows.face_match import FaceMatch
from station.workflows.receipt_data import receipt_data

log = logging.getLogger(__name__)

ACTOR = "kiosk"
SERVICES: dict[str, CaseKind] = {"individual": CaseKind.INDIVIDUAL,
                                 "elicence": CaseKind.ELICENCE_PHOTO}
JPEG_QUALITY = 90


# -- outputs ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Store:
    """Run ``work(session)`` on the database writer thread; ``then(result)`` once committed,
    ``failed(error)`` if it raised (nothing of it is stored then)."""

    work: Callable[[Session], Any]
    then: Callable[[Any], None]
    failed: Callable[[BaseException], None]


@dataclass(frozen=True)
class Read:
    """Run ``work(session)`` in a read session on a worker thread."""

    work: Callable[[Session], Any]
    then: Callable[[Any], None]
    failed: Callable[[BaseException], None]


@dataclass(frozen=True)
class Compute:
    """Run ``work()`` on a worker thread (face match, page capture, reading a text)."""

    work: Callable[[], Any]
    then: Callable[[Any], None]
    failed: Callable[[BaseException], None]


@dataclass(frozen=True)
class ReadCard:
    """Ask the ID-card reader for a read: a card already lying on it is read now."""


@dataclass(frozen=True)
class StartLiveness:
    """Start an active-liveness attempt on the camera; answer with ``liveness_finished`` or
    ``liveness_failed``."""

    attempt: int
    of: int


@dataclass(frozen=True)
class StopLiveness:
    """Stop the running liveness attempt, if any; its answer is no longer wanted."""


@dataclass(frozen=True)
class Finished:
    """The visit is over; the host returns to its start screen."""


Command = Store | Read | Compute | ReadCard | StartLiveness | StopLiveness | Finished


class VisitState(StrEnum):
    CARD = "card"  # waiting for the ID card
    READING = "reading"  # card read, its case being created
    WELCOME = "welcome"  # the card's data is shown masked; waiting for "continue"
    LIVENESS = "liveness"  # an active-liveness attempt runs
    CHECKING = "checking"  # live photo saved, face match running and recorded
    RETRY = "retry"  # an attempt failed; waiting for "try again"
    MATCHED = "matched"  # the face matches the chip photo
    NO_CHIP_PHOTO = "no_chip_photo"  # no chip photo to compare with: a supervisor will
    FALLBACK = "fallback"  # too many failed attempts: the other route is explained
    SWITCHING = "switching"  # the case is withdrawn, the fallback case started
    SCANS = "scans"  # waiting for the next capture (ID front, back, the person)
    SAVING_SCAN = "saving_scan"
    PHOTO = "photo"  # guided e-licence photo
    PHONE = "phone"
    SAVING_PHONE = "saving_phone"
    SIGN = "sign"  # agreement shown, waiting for the signature
    SAVING_SIGNATURE = "saving_signature"
    COMMITTING = "committing"
    DONE = "done"  # committed; the receipt is shown
    CLOSED = "closed"


class Screen(StrEnum):
    """What the person sees; several states share a screen."""

    CARD = "card"
    LIVENESS = "liveness"
    MATCHED = "matched"
    NO_CHIP_PHOTO = "noChipPhoto"
    MANUAL_REVIEW = "manualReview"
    SCANS = "scans"
    PHOTO = "photo"
    PHONE = "phone"
    SIGN = "sign"
    DONE = "done"


class Say(StrEnum):
    """Messages for the current screen; the host words them in the person's language."""

    READING = "reading"
    WELCOME = "welcome"  # the card was read: ``KioskVisit.card`` holds what to show
    CARD_FAILED = "card_failed"  # detail: the reader's reason
    CARD_NOT_VALID = "card_not_valid"  # expired or not yet valid: to a service window
    COMPARING = "comparing"
    TRY_AGAIN = "try_again"  # why, left; detail: the core's reason when ``why`` is unknown
    TAKEN = "taken"
    NO_PICTURE = "no_picture"
    BAD_PHONE = "bad_phone"  # detail: what is wrong with the number
    NOT_A_CARD = "not_a_card"  # the picture shows no ID card's edges: once more, closer
    FAILED = "failed"  # detail: the error


# Why an attempt failed, besides the liveness FailReason values.
CAMERA_FAILED = "camera"
FACE_MISMATCH = "mismatch"


@dataclass(frozen=True)
class Notice:
    say: Say
    detail: str = ""
    why: str = ""
    left: int = 0


@dataclass(frozen=True)
class CardShown:
    """What the person sees of their card once it is read: enough to recognise it as theirs,
    little for a passer-by (张**, 110105********1234)."""

    name: str
    number: str
    valid_to: str  # ISO date, "" for a long-term card


def card_shown(document: DocumentInput) -> CardShown:
    valid_to = document.valid_to.isoformat() if document.valid_to is not None else ""
    return CardShown(mask_name(document.display_name), mask_id_number(document.number),
                     valid_to)


# Screens that carry a step number; notices between them and the receipt do not.
NUMBERED_SCREENS = frozenset({"card", "liveness", "scans", "photo", "phone", "sign"})


def _encode_jpeg(image: np.ndarray) -> bytes:
    from station.scans.page import encode_jpeg

    return encode_jpeg(image, JPEG_QUALITY)


def _capture_page(frame: np.ndarray, card: bool) -> tuple[bytes, dict[str, Any], np.ndarray]:
    """The page in ``frame``; for a picture of the ID card (``card``) also whether it looks
    like one (edges found, ID-1 proportions), in the quality as ``card_shape``."""
    from station.scans.page import capture_page, card_shape, encode_jpeg

    page = capture_page(frame)
    quality = page.quality()
    if card:
        quality["card_shape"] = card_shape(page).to_json()
    return encode_jpeg(page.image), quality, page.image


# A stranger cannot give the clerk's reason for keeping a picture that does not look like a
# card: they are asked once more, and the second picture is kept saying so (a supervisor
# reviews every manual-review case and sees it).
CARD_TRIES = 2


def _load_agreement(document: str, language: str, config_version: int) -> tuple[str, str]:
    from station import published

    # the configuration the case started with, even if a new one came meanwhile
    agreement = published.for_version(config_version).agreement(document, language)
    return agreement.version, agreement.text


F = TypeVar("F", bound=Callable[..., None])


def _input(*, when_closed: bool = False) -> Callable[[F], F]:
    """An input: dropped once the visit is closed (unless ``when_closed``); after it the
    host hears ``changed()`` and then gets the commands it produced, in order."""

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def run(self: KioskVisit, *args: Any, **kwargs: Any) -> None:
            if self.closed and not when_closed:
                return
            self._depth += 1
            try:
                method(self, *args, **kwargs)
            finally:
                self._depth -= 1
            if self._depth == 0:
                self._flush()

        return run  # type: ignore[return-value]

    return wrap


class KioskVisit:
    def __init__(self, service: str, settings: Settings, emit: Callable[[Command], None], *,
                 changed: Callable[[], None] = lambda: None,
                 max_attempts: int | None = None,
                 today: Callable[[], date] = beijing_today) -> None:
        if service not in SERVICES:
            raise ValueError(f"no self-service for {service!r}")
        self.spec: CaseKindSpec = CASE_KINDS[SERVICES[service]]
        self.service = service
        fallback = self.spec.fallback
        self.max_attempts = max_attempts or (fallback.after_failures if fallback else 1)
        self._settings = settings
        self._today = today  # the date a card's validity is judged by (Beijing)
        self._emit = emit
        self._changed = changed
        self._queue: list[Command] = []
        self._depth = 0
        self._dirty = False
        self.state = VisitState.CARD
        self.screen = Screen.CARD
        self.route: list[str] = []  # screens shown, in order (a retried screen again)
        self.notice: Notice | None = None
        self.case_id: str | None = None
        self.config_version = 0  # of the case in progress (station.published)
        self.case_number = ""
        self.document: DocumentInput | None = None
        self.card: CardShown | None = None  # the card's data as shown, masked
        self.attempts = 0  # failed liveness / face-match attempts
        self.parts: tuple[str, ...] = ()  # what the SCANS screen captures, in order
        self.part_index = 0
        self.card_tries = 0  # pictures of the current part that did not look like a card
        self._parts_end = "scans"  # the step the last part completes
        self.taken: np.ndarray | None = None  # the last capture, for the person to see
        self.photo_ready = False  # e-licence photo saved: it can be used
        self.agreement: tuple[str, str] | None = None  # (version, text) to sign
        self.result: cases.CommitResult | None = None
        self.receipt: Any = None  # station.receipts.model.ReceiptData once loaded
        self.committed = False
        self.closed = False

    @property
    def kind(self) -> CaseKind:
        return self.spec.kind

    def step_number(self, screen: str) -> int:
        """The step number ``screen`` shows: numbered screens count in the order this visit
        first showed them, so the numbers are distinct and consecutive whatever the route
        (the fallback's scans follow the live check; the e-licence phone follows its photo).
        0 for a screen without a number or not shown yet."""
        order: list[str] = []
        for shown in self.route:
            if shown in NUMBERED_SCREENS and shown not in order:
                order.append(shown)
        return order.index(screen) + 1 if screen in order else 0

    # -- plumbing ------------------------------------------------------------------------------

    def _out(self, command: Command) -> None:
        self._queue.append(command)

    def _flush(self) -> None:
        if self._dirty:
            self._dirty = False
            self._changed()
        while self._queue:
            self._emit(self._queue.pop(0))

    def _set(self, state: VisitState, *, screen: Screen | None = None,
             notice: Notice | None = None) -> None:
        self.state = state
        if screen is not None:
            self.screen = screen
            self.route.append(str(screen))
        self.notice = notice
        self._dirty = True

    def _say(self, notice: Notice | None) -> None:
        self.notice = notice
        self._dirty = True

    def _store(self, work: Callable[[Session], Any], then: Callable[[Any], None],
               resume: VisitState | None = None) -> None:
        self._out(Store(work, then, functools.partial(self._failed, resume)))

    def _background(self, work: Callable[[], Any], then: Callable[[Any], None],
                    resume: VisitState | None = None) -> None:
        self._out(Compute(work, then, functools.partial(self._failed, resume)))

    def _record(self, work: Callable[[Session], Any]) -> None:
        """Database work nothing waits for (audit lines, step marks): a failure is logged."""
        self._out(Store(work, lambda _result: None, self._log_failure))

    @staticmethod
    def _log_failure(error: BaseException) -> None:
        log.error("kiosk bookkeeping failed: %s", error)

    @_input()
    def _failed(self, resume: VisitState | None, error: BaseException) -> None:
        """A request failed: say so and let the person try the same thing again."""
        log.error("kiosk step failed: %s", error)
        if resume is not None:
            self.state = resume
        self._say(Notice(Say.FAILED, detail=str(error)))

    # -- lifecycle -------------------------------------------------------------------------------

    @_input()
    def start(self) -> None:
        self._set(VisitState.CARD, screen=Screen.CARD)
        self._out(ReadCard())

    @_input()
    def cancel(self) -> None:
        """The person pressed Cancel (or refused to sign): wipe and go back to the start."""
        self.abandon()
        self._out(Finished())

    @_input()
    def finish(self) -> None:
        """The person is done with the receipt."""
        self.abandon()
        self._out(Finished())

    @_input()
    def abandon(self) -> None:
        """End the visit now (cancel, idle, device failure, shutdown): stop the camera work,
        cancel an unfinished case and forget the person's data."""
        self.closed = True
        self.state = VisitState.CLOSED
        self._out(StopLiveness())
        if self.case_id is not None and not self.committed:
            case_id = self.case_id
            self._record(lambda s: cases.cancel_case(s, case_id, ACTOR))
        self.document = None
        self.card = None
        self.result = None
        self.receipt = None
        self.agreement = None
        self.taken = None
        self._dirty = True

    # -- identity card ---------------------------------------------------------------------------

    @_input()
    def card_read(self, document: DocumentInput) -> None:
        if self.state is not VisitState.CARD:
            return
        if not document.valid_now(self._today()):
            # Using an expired (or not yet valid) card needs a clerk's confirmation with a
            # reason; a kiosk has no clerk, so the person is sent to a service window.
            valid_to = document.valid_to.isoformat() if document.valid_to else ""
            self._say(Notice(Say.CARD_NOT_VALID, detail=valid_to))
            return
        self.document = document
        self._set(VisitState.READING, notice=Notice(Say.READING))
        kind, station = self.kind, self._settings.station.code

        def work(session: Session) -> cases.CaseRef:
            ref = cases.start_case(session, kind, station, None, ACTOR)
            cases.save_document(session, ref.id, document, ACTOR, role=CASE_KINDS[kind].document_role)
            return ref

        self._store(work, self._case_started, resume=VisitState.CARD)

    @_input()
    def card_failed(self, reason: str) -> None:
        if self.state is VisitState.CARD:
            self._say(Notice(Say.CARD_FAILED, detail=reason))

    @_input(when_closed=True)
    def _case_started(self, ref: cases.CaseRef) -> None:
        if self.closed:  # the visit ended while its case was created: withdraw it at once
            self._record(lambda s: cases.cancel_case(s, ref.id, ACTOR))
            return
        self.case_id, self.case_number = ref.id, ref.number
        self.config_version = ref.config_version
        if self.state is VisitState.SWITCHING:
            self._next_step("document")
            return
        self.card = card_shown(self.document) if self.document else None
        self._set(VisitState.WELCOME, notice=Notice(Say.WELCOME))

    def _next_step(self, done: str) -> None:
        step = self.spec.step_after(done)
        photo = self.spec.photo
        if step == "photo" and photo is not None and photo.self_service == "liveness":
            self._start_liveness()
        elif step == "photo" and photo is not None and photo.self_service == "guided":
            self.photo_ready = False
            self._set(VisitState.PHOTO, screen=Screen.PHOTO)
        elif step == "scans" or step == "photo":  # a snapshot of the person on the scans screen
            parts: tuple[str, ...] = ()
            self._parts_end = "photo"
            if step == "scans":
                parts, self._parts_end = self.spec.scans, "scans"
                if (self.spec.step_after("scans") == "photo" and photo is not None
                        and photo.self_service == "snapshot"):
                    self._parts_end = "photo"
            if self._parts_end == "photo" and photo is not None:
                parts = (*parts, photo.purpose)
            self.parts, self.part_index, self.taken = parts, 0, None
            self._set(VisitState.SCANS, screen=Screen.SCANS)
        elif step == "phone":
            self._set(VisitState.PHONE, screen=Screen.PHONE)
        elif step == "agreement":
            self._start_signing()
        elif step == "review":
            self._commit()
        else:
            raise ValueError(f"{self.kind.value}: the kiosk has no screen for the step {step!r}")

    # -- liveness and face match -------------------------------------------------------------

    def _start_liveness(self) -> None:
        self._set(VisitState.LIVENESS, screen=Screen.LIVENESS)
        self._out(StopLiveness())
        self._out(StartLiveness(self.attempts + 1, self.max_attempts))

    @_input()
    def retry(self) -> None:
        if self.state is VisitState.RETRY:
            self._start_liveness()

    @_input()
    def liveness_failed(self, error: str) -> None:
        if self.state is VisitState.LIVENESS:
            log.warning("kiosk liveness check could not run: %s", error)
            self._attempt_failed(CAMERA_FAILED)

    @_input()
    def liveness_finished(self, verdict: LivenessVerdict, live_jpeg: bytes | None, *,
                          captured_at: datetime | None = None,
                          camera: dict[str, Any] | None = None) -> None:
        """The attempt's verdict; ``live_jpeg`` is the frontal frame kept as the live photo
        (None unless the person passed), taken at ``captured_at`` by ``camera``."""
        if self.state is not VisitState.LIVENESS or self.case_id is None:
            return
        case_id, attempt = self.case_id, self.attempts + 1
        details = {"live": verdict.live, "reason": str(verdict.reason or ""), "attempt": attempt,
                   "challenges": [str(c.kind) for c in verdict.challenges]}
        self._record(lambda s: audit.record(s, ACTOR, "kiosk.liveness", case_id, details))
        if not verdict.live or live_jpeg is None:
            english = current_language() == "en"
            self._attempt_failed(str(verdict.reason or ""),
                                 detail=verdict.message["en" if english else "zh"])
            return
        self._set(VisitState.CHECKING, notice=Notice(Say.COMPARING))
        report = {"source": "kiosk-liveness", "liveness": verdict.to_json()}
        purpose = self.spec.photo.purpose if self.spec.photo else "live"

        def save(session: Session) -> tuple[bytes | None, bool]:
            cases.save_photo(session, case_id, purpose, live_jpeg, ACTOR, report=report,
                             captured_at=captured_at, camera=camera)
            return face_match.chip_photo(session, case_id), face_match.chip_simulated(session, case_id)

        self._store(save, functools.partial(self._compare, live_jpeg), resume=VisitState.RETRY)

    @_input()
    def _compare(self, live: bytes, chip: tuple[bytes | None, bool]) -> None:
        photo, simulated = chip  # simulated: a demo card's chip photo, and the case says so
        if self.state is VisitState.CHECKING:
            self._background(lambda: face_match.compare(photo, live, simulated_chip=simulated),
                             self._compared, resume=VisitState.RETRY)

    @_input()
    def _compared(self, outcome: FaceMatch) -> None:
        if self.state is not VisitState.CHECKING or self.case_id is None:
            return
        case_id = self.case_id
        self._store(lambda s: outcome.save(s, case_id, ACTOR),
                    functools.partial(self._match_saved, outcome), resume=VisitState.RETRY)

    @_input()
    def _match_saved(self, outcome: FaceMatch, _attempts: int) -> None:
        if self.state is not VisitState.CHECKING:
            return
        if not outcome.available:
            self._set(VisitState.NO_CHIP_PHOTO, screen=Screen.NO_CHIP_PHOTO)
        elif outcome.match:
            self._set(VisitState.MATCHED, screen=Screen.MATCHED)
        else:
            self._attempt_failed(FACE_MISMATCH)

    def _attempt_failed(self, why: str, detail: str = "") -> None:
        self._out(StopLiveness())
        self.attempts += 1
        if self.attempts >= self.max_attempts and self.spec.fallback is not None:
            self._set(VisitState.FALLBACK, screen=Screen.MANUAL_REVIEW)
            return
        left = max(0, self.max_attempts - self.attempts)
        self._set(VisitState.RETRY, notice=Notice(Say.TRY_AGAIN, detail=detail, why=why,
                                                  left=left))

    @_input()
    def proceed(self) -> None:
        """The button of a notice screen (and of the card screen once the card is shown)."""
        if self.state is VisitState.WELCOME:
            self._next_step("document")
        elif self.state in (VisitState.MATCHED, VisitState.NO_CHIP_PHOTO):
            self._next_step("photo")
        elif self.state is VisitState.FALLBACK:
            self._switch_to_fallback()

    def _switch_to_fallback(self) -> None:
        """The 12123 rule: the face-sign case is withdrawn (its data wiped) and a case of the
        fallback kind starts with the same card."""
        fallback, document, old = self.spec.fallback, self.document, self.case_id
        if fallback is None or document is None:
            return
        first = self.spec
        self.spec = CASE_KINDS[fallback.kind]
        self.case_id = None  # cancelled in the same transaction
        self.state = VisitState.SWITCHING
        self._dirty = True
        kind, station, role = fallback.kind, self._settings.station.code, self.spec.document_role

        def work(session: Session) -> cases.CaseRef:
            if old is not None:
                cases.cancel_case(session, old, ACTOR)
            ref = cases.start_case(session, kind, station, None, ACTOR)
            cases.save_document(session, ref.id, document, ACTOR, role=role)
            return ref

        self._out(Store(work, self._case_started,
                        functools.partial(self._fallback_failed, first, old)))

    @_input()
    def _fallback_failed(self, spec: CaseKindSpec, case_id: str | None,
                         error: BaseException) -> None:
        """Nothing of the switch was stored: the first case is still the visit's."""
        self.spec, self.case_id = spec, case_id
        self._failed(VisitState.FALLBACK, error)

    # -- scans (and a snapshot of the person) --------------------------------------------------

    @property
    def part(self) -> str:
        return self.parts[self.part_index] if self.part_index < len(self.parts) else ""

    @_input()
    def capture(self, frame: np.ndarray | None, *, captured_at: datetime | None = None,
                camera: dict[str, Any] | None = None) -> None:
        """The person touched "Take the photo"; ``frame`` is the camera's newest live picture
        (None when there is none), taken at ``captured_at`` by ``camera``."""
        if self.state is not VisitState.SCANS or self.case_id is None:
            return
        if frame is None:
            self._say(Notice(Say.NO_PICTURE))
            return
        self.state = VisitState.SAVING_SCAN
        self._say(None)
        part, case_id = self.part, self.case_id
        if self.spec.photo is not None and part == self.spec.photo.purpose:
            def save_photo(session: Session) -> None:
                cases.save_photo(session, case_id, part, _encode_jpeg(frame), ACTOR,
                                 report={"source": "kiosk-manual-review"},
                                 captured_at=captured_at, camera=camera)

            self._store(save_photo, lambda _r: self._part_saved(frame),
                        resume=VisitState.SCANS)
            return
        card = part in CARD_SCAN_KINDS
        self._background(lambda: _capture_page(frame, card), self._page_captured,
                         resume=VisitState.SCANS)

    @_input()
    def _page_captured(self, page: tuple[bytes, dict[str, Any], np.ndarray]) -> None:
        if self.state is not VisitState.SAVING_SCAN or self.case_id is None:
            return
        jpeg, quality, image = page
        part, case_id = self.part, self.case_id
        shape = quality.get("card_shape")
        if shape is not None and not shape["looks_like_card"]:
            self.card_tries += 1
            if self.card_tries < CARD_TRIES:
                self.taken = image  # what the camera saw, so the person sees what was wrong
                self._set(VisitState.SCANS, notice=Notice(Say.NOT_A_CARD))
                return
            kept = both("Workflow", "Kept at the self-service terminal: no ID card edges "
                                    "in two pictures.")
            quality = {**quality, "override_reason": kept["zh"]}
        self._store(lambda s: cases.save_scan(s, case_id, part, jpeg, ACTOR, quality),
                    lambda _id: self._part_saved(image), resume=VisitState.SCANS)

    @_input()
    def _part_saved(self, image: np.ndarray) -> None:
        if self.state is not VisitState.SAVING_SCAN or self.case_id is None:
            return
        self.taken = image
        self.part_index += 1
        self.card_tries = 0
        if self.part_index == len(self.spec.scans):
            case_id = self.case_id
            self._record(lambda s: cases.complete_step(s, case_id, "scans", ACTOR))
        if self.part_index < len(self.parts):
            self._set(VisitState.SCANS, notice=Notice(Say.TAKEN))
        else:
            self._next_step(self._parts_end)

    # -- guided e-licence photo ----------------------------------------------------------------

    @_input()
    def photo_captured(self, jpeg: bytes, profile: str, report: dict[str, Any], *,
                       captured_at: datetime | None = None,
                       camera: dict[str, Any] | None = None) -> None:
        """The guided camera took a photo that meets the profile (``captured_at`` and
        ``camera``: when and by which camera its frame was taken)."""
        if self.state is not VisitState.PHOTO or self.case_id is None or self.spec.photo is None:
            return
        case_id, purpose = self.case_id, self.spec.photo.purpose
        self.photo_ready = False
        self._dirty = True
        self._store(lambda s: cases.save_photo(s, case_id, purpose, jpeg, ACTOR, profile=profile,
                                               compliant=True, report=report,
                                               captured_at=captured_at, camera=camera),
                    self._photo_saved, resume=VisitState.PHOTO)

    @_input()
    def _photo_saved(self, _photo_id: str) -> None:
        if self.state is VisitState.PHOTO:
            self.photo_ready = True
            self._dirty = True

    @_input()
    def photo_discarded(self) -> None:
        if self.state is VisitState.PHOTO:
            self.photo_ready = False
            self._dirty = True

    @_input()
    def use_photo(self) -> None:
        if self.state is VisitState.PHOTO and self.photo_ready:
            self._next_step("photo")

    # -- mobile number, agreement and signature ---------------------------------------------

    @_input()
    def phone_entered(self, number: str) -> None:
        from station.identity.checks import validate_mobile

        if self.state is not VisitState.PHONE or self.case_id is None:
            return
        checked = validate_mobile(number)
        if not checked.ok:
            self._say(Notice(Say.BAD_PHONE, detail=checked.message))
            return
        case_id = self.case_id
        self._set(VisitState.SAVING_PHONE)
        self._store(lambda s: cases.save_phone(s, case_id, number, False, ACTOR),
                    lambda _r: self._phone_saved(), resume=VisitState.PHONE)

    @_input()
    def _phone_saved(self) -> None:
        if self.state is VisitState.SAVING_PHONE:
            self._next_step("phone")

    def _start_signing(self) -> None:
        agreement = self.spec.agreement
        if agreement is None:
            self._next_step("agreement")
            return
        self.agreement = None
        self._set(VisitState.SIGN, screen=Screen.SIGN)
        document, language = agreement.document, current_language()
        version = self.config_version
        self._background(lambda: _load_agreement(document, language, version),
                         self._agreement_loaded)

    @_input()
    def _agreement_loaded(self, loaded: tuple[str, str]) -> None:
        if self.state is VisitState.SIGN:
            self.agreement = loaded
            self._dirty = True

    @_input()
    def signed(self, record: SignatureRecord) -> None:
        if self.state is not VisitState.SIGN or self.case_id is None:
            return
        case_id = self.case_id
        role = self.spec.agreement.signer_role if self.spec.agreement else "applicant"
        data, png, digest, version = (record.to_bytes(), record.png, record.content_sha256,
                                      record.agreement_version)
        self._set(VisitState.SAVING_SIGNATURE)
        self._store(lambda s: cases.save_signature(s, case_id, data, png, digest, version, ACTOR,
                                                   signer_role=role),
                    lambda _r: self._signature_saved(), resume=VisitState.SIGN)

    @_input()
    def _signature_saved(self) -> None:
        if self.state is VisitState.SAVING_SIGNATURE:
            self._next_step("agreement")

    @_input()
    def signing_ended(self, by_the_person: bool) -> None:
        """The signature page closed without a signature: Cancel by the person ends the
        visit; a timeout gives a fresh page to sign."""
        if self.state is not VisitState.SIGN:
            return
        if by_the_person:
            self.cancel()
        else:
            self._start_signing()

    # -- commit and receipt ----------------------------------------------------------------------

    def _commit(self) -> None:
        if self.case_id is None:
            return
        case_id = self.case_id
        self._set(VisitState.COMMITTING)
        self._out(Store(lambda s: cases.commit_case(s, case_id, ACTOR), self._committed,
                        self._commit_failed))

    @_input()
    def _commit_failed(self, error: BaseException) -> None:
        """Back to the screen the commit came from, so the person can send it again."""
        if self.screen is Screen.SIGN:
            self._start_signing()  # a fresh page: the signature is stored, signing again is
        else:                      # harmless and gives the person a button to press
            self.state = {Screen.PHONE: VisitState.PHONE, Screen.PHOTO: VisitState.PHOTO
                          }.get(self.screen, self.state)
        self._failed(None, error)

    @_input()
    def _committed(self, result: cases.CommitResult) -> None:
        if self.state is not VisitState.COMMITTING:
            return
        self.committed, self.result = True, result
        self.document = None  # the case is stored; the kiosk needs nothing more of it
        self._set(VisitState.DONE, screen=Screen.DONE)
        settings, language = self._settings, current_language()
        terminal = tr("Kiosk", "Self-service terminal")
        self._out(Read(lambda s: receipt_data(s, result.case_id, settings, language,
                                              clerk_name=terminal),
                       self._receipt_loaded, functools.partial(self._failed, None)))

    @_input()
    def _receipt_loaded(self, receipt: Any) -> None:
        if self.state is VisitState.DONE:
            self.receipt = receipt
            self._dirty = True
