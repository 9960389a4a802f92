"""Failures of an eMRTD read, each with a stable code and a message in both languages.

A read either returns a complete result or raises one of these: never half a result.
"""

from __future__ import annotations

from devices.base import DeviceDisconnected, DeviceError
from station.i18n import both


class EmrtdError(DeviceError):
    """A read that did not complete."""


class CardRemovedError(EmrtdError):
    """The document left the field during the read."""


class ReaderGoneError(EmrtdError, DeviceDisconnected):
    """The reader (or the PC/SC service) went away."""


def _make(cls: type[EmrtdError], code: str, text: dict[str, str], detail: str = "") -> EmrtdError:
    en = f"{text['en']} ({detail})" if detail else text["en"]
    zh = f"{text['zh']}（{detail}）" if detail else text["zh"]
    return cls(code, en, zh)


def card_removed() -> EmrtdError:
    return _make(CardRemovedError, "card_removed", both(
        "Emrtd",
        "The document was taken away during the read. Place it on the reader and read again.",
    ))


def reader_gone(detail: str = "") -> EmrtdError:
    return _make(ReaderGoneError, "reader_gone", both(
        "Emrtd", "The contactless reader is not available. Check its cable."), detail)


def no_reader() -> EmrtdError:
    return _make(EmrtdError, "no_reader", both(
        "Emrtd", "No contactless (PC/SC) reader is connected."))


def no_service(detail: str = "") -> EmrtdError:
    return _make(EmrtdError, "no_service", both(
        "Emrtd", "The smart-card service (pcscd) is not running."), detail)


def no_card() -> EmrtdError:
    return _make(EmrtdError, "no_card", both(
        "Emrtd", "No document on the reader. Place the passport's photo page on the reader."))


def not_emrtd(detail: str = "") -> EmrtdError:
    return _make(EmrtdError, "not_emrtd", both(
        "Emrtd", "The card on the reader is not an electronic passport or travel document."),
        detail)


def access_denied() -> EmrtdError:
    return _make(EmrtdError, "access_denied", both(
        "Emrtd",
        "The chip refused the machine-readable zone. Check the document number, "
        "birth date and expiry date.",
    ))


def invalid_mrz(detail: str = "") -> EmrtdError:
    return _make(EmrtdError, "invalid_mrz", both(
        "Emrtd", "The machine-readable zone is not valid."), detail)


def protocol_error(detail: str = "") -> EmrtdError:
    return _make(EmrtdError, "protocol_error", both(
        "Emrtd", "The chip answered in a way that cannot be used. Read again."), detail)


def bad_data(detail: str = "") -> EmrtdError:
    return _make(EmrtdError, "bad_data", both(
        "Emrtd", "A file on the chip is damaged or not in the ICAO format."), detail)


def timeout() -> EmrtdError:
    return _make(EmrtdError, "timeout", both(
        "Emrtd", "No document was placed on the reader in time."))


def cancelled() -> EmrtdError:
    return _make(EmrtdError, "cancelled", both("Emrtd", "The read was cancelled."))
