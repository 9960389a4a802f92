"""Reader errors with messages and a next step for the clerk, in Chinese and English."""

from __future__ import annotations

import enum
from collections.abc import Callable

from devices.base import DeviceDisconnected, DeviceError
from station.i18n import both, current_language


class ErrorKind(enum.StrEnum):
    """What the clerk can do about it; the panel picks its action from this."""

    SAM = "sam"  # reader's security module: check/restart the reader, call support
    CARD = "card"  # the card in the field: keep it still / place it again
    CARD_TYPE = "card_type"  # not a card we can read: use another document / manual entry
    NO_CARD = "no_card"  # nothing on the reader
    LINK = "link"  # cable, port, baud, noise
    DECODE = "decode"  # the chip's data could not be parsed


def _action(kind: ErrorKind) -> dict[str, str]:
    actions: dict[ErrorKind, Callable[[], dict[str, str]]] = {
        ErrorKind.SAM: lambda: both(
            "IdCardReader",
            "Check that the reader is connected and powered, then press Retry. "
            "If it keeps failing, restart the reader or call technical support."),
        ErrorKind.CARD: lambda: both(
            "IdCardReader",
            "Place the card flat on the reader and keep it still until the read finishes."),
        ErrorKind.CARD_TYPE: lambda: both(
            "IdCardReader",
            "This card cannot be read here. Check the document, or enter the details "
            "manually for supervisor review."),
        ErrorKind.NO_CARD: lambda: both("IdCardReader", "Place the card on the reader."),
        ErrorKind.LINK: lambda: both(
            "IdCardReader",
            "Check the reader's cable and port settings; the station reconnects by itself."),
        ErrorKind.DECODE: lambda: both(
            "IdCardReader",
            "The card's data could not be understood. Read it again; if it fails again, "
            "enter the details manually for supervisor review."),
    }
    return actions[kind]()


class IdCardError(DeviceError):
    """A reader or card failure: stable ``code``, messages, ``kind`` and ``action``."""

    def __init__(self, code: str, message: dict[str, str], kind: ErrorKind,
                 status: int | None = None) -> None:
        super().__init__(code, message["en"], message["zh"])
        self.kind = kind
        self.status = status
        self.action = _action(kind)

    @property
    def message(self) -> str:
        return self.message_en if current_language() == "en" else self.message_zh

    @property
    def action_text(self) -> str:
        return self.action["en"] if current_language() == "en" else self.action["zh"]

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "kind": self.kind.value,
            "status": None if self.status is None else f"{self.status:02X}",
            "message": {"zh": self.message_zh, "en": self.message_en},
            "action": self.action,
        }


class IdCardDisconnected(IdCardError, DeviceDisconnected):
    """The port went away (unplugged); the worker reopens it."""

    def __init__(self, detail: str = "") -> None:
        message = both("IdCardReader", "The ID card reader was disconnected.")
        if detail:
            message = {lang: f"{text} ({detail})" for lang, text in message.items()}
        IdCardError.__init__(self, "disconnected", message, ErrorKind.LINK)


def _status_table() -> dict[int, tuple[str, ErrorKind, Callable[[], dict[str, str]]]]:
    return {
        0x91: ("no_content", ErrorKind.CARD, lambda: both(
            "IdCardReader", "The card holds no such information.")),
        0x10: ("reader_checksum_error", ErrorKind.LINK, lambda: both(
            "IdCardReader", "The reader received a corrupted command (checksum error).")),
        0x11: ("reader_length_error", ErrorKind.LINK, lambda: both(
            "IdCardReader", "The reader received a command of the wrong length.")),
        0x21: ("command_error", ErrorKind.LINK, lambda: both(
            "IdCardReader", "The reader does not know this command.")),
        0x23: ("not_permitted", ErrorKind.SAM, lambda: both(
            "IdCardReader", "The reader refused the command (not permitted).")),
        0x24: ("unknown_error", ErrorKind.SAM, lambda: both(
            "IdCardReader", "The reader reported an unknown error.")),
        0x31: ("card_auth_sam_failed", ErrorKind.CARD, lambda: both(
            "IdCardReader", "The card failed to authenticate the reader's security module.")),
        0x32: ("sam_auth_card_failed", ErrorKind.CARD, lambda: both(
            "IdCardReader", "The reader's security module failed to authenticate the card.")),
        0x33: ("info_verify_error", ErrorKind.CARD, lambda: both(
            "IdCardReader", "The card's information failed verification.")),
        0x37: ("fingerprint_verify_error", ErrorKind.CARD, lambda: both(
            "IdCardReader", "The card's fingerprint data failed verification.")),
        0x3F: ("info_length_error", ErrorKind.CARD, lambda: both(
            "IdCardReader", "The card's information has a wrong length.")),
        0x40: ("unknown_card_type", ErrorKind.CARD_TYPE, lambda: both(
            "IdCardReader", "Unknown card type.")),
        0x41: ("read_failed", ErrorKind.CARD, lambda: both(
            "IdCardReader", "Reading the card failed.")),
        0x47: ("random_failed", ErrorKind.CARD, lambda: both(
            "IdCardReader", "The card did not answer the security challenge.")),
        0x60: ("sam_self_test_failed", ErrorKind.SAM, lambda: both(
            "IdCardReader", "The reader's security module (SAM) failed its self-test.")),
        0x66: ("sam_not_authorised", ErrorKind.SAM, lambda: both(
            "IdCardReader", "The reader's security module (SAM) is not authorised.")),
        0x80: ("find_failed", ErrorKind.NO_CARD, lambda: both(
            "IdCardReader", "No card found on the reader.")),
        0x81: ("select_failed", ErrorKind.CARD, lambda: both(
            "IdCardReader", "The card could not be selected.")),
    }


def status_error(status: int) -> IdCardError:
    """The error for a response status (SW3) that is not a success."""
    entry = _status_table().get(status)
    if entry is None:
        message = both("IdCardReader", "The reader answered with unknown status {status}.")
        return IdCardError(
            "unknown_status",
            {lang: text.format(status=f"{status:02X}") for lang, text in message.items()},
            ErrorKind.SAM, status)
    code, kind, message_of = entry
    return IdCardError(code, message_of(), kind, status)


def error(code: str, kind: ErrorKind, message: dict[str, str]) -> IdCardError:
    return IdCardError(code, message, kind)


def card_removed() -> IdCardError:
    return IdCardError("card_removed", both(
        "IdCardReader", "The card was removed during the read."), ErrorKind.CARD)


def no_response(seconds: float) -> IdCardError:
    message = both("IdCardReader", "The reader did not answer within {seconds} s.")
    return IdCardError("no_response", {k: v.format(seconds=f"{seconds:g}")
                                       for k, v in message.items()}, ErrorKind.LINK)


def garbled(attempts: int) -> IdCardError:
    message = both("IdCardReader",
                   "The reader's answers were corrupted {attempts} times in a row.")
    return IdCardError("garbled", {k: v.format(attempts=attempts) for k, v in message.items()},
                       ErrorKind.LINK)


def bad_answer(detail: str) -> IdCardError:
    message = both("IdCardReader", "The reader's answer could not be understood: {detail}")
    return IdCardError("bad_answer", {k: v.format(detail=detail) for k, v in message.items()},
                       ErrorKind.LINK)


def reader_absent() -> IdCardError:
    return IdCardError("reader_absent", both(
        "IdCardReader", "No ID card reader found. Check the cable."), ErrorKind.LINK)


def worker_failed() -> IdCardError:
    return IdCardError("worker_failed", both(
        "IdCardReader", "The ID card reader failed; reconnecting."), ErrorKind.LINK)
