"""Words for the raw values a case carries (``resident_id``, ``decoder_not_configured``,
``citizen_id``...): a supervisor reads a label, never a code. An unknown value is shown as it
is, so nothing the station sent is hidden."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station.i18n import current_language
from station.receipts.labels import document_type_label

translate = QCoreApplication.translate  # the catalogue scanner finds translate("Ctx", "text")


def document_type(code: str) -> str:
    return document_type_label(code, current_language()) if code else "—"


def document_source(code: str) -> str:
    return {
        "reader": translate("ReviewWords", "read from the card's chip"),
        "emrtd": translate("ReviewWords", "read from the passport's chip"),
        "manual": translate("ReviewWords", "typed in by the clerk"),
    }.get(code, code)


def chip_photo_status(code: str) -> str:
    return {
        "decoded": translate("ReviewWords", "decoded from the chip"),
        "simulated": translate("ReviewWords", "simulated (demo card)"),
        "decoder_not_configured": translate(
            "ReviewWords", "not decoded: no photo decoder is set up at the station"),
        "decoder_unavailable": translate(
            "ReviewWords", "not decoded: the station's photo decoder could not be used"),
        "decode_failed": translate("ReviewWords", "the chip photo could not be decoded"),
        "missing": translate("ReviewWords", "the card has no photo on its chip"),
        "not_read": translate("ReviewWords", "the chip was not read"),
    }.get(code, code)


def document_check(code: str) -> str:
    return {
        "citizen_id": translate("ReviewWords", "ID number check digit"),
        "id_number": translate("ReviewWords", "ID number"),
        "number_kind": translate("ReviewWords", "Number type"),
        "birth_date": translate("ReviewWords", "Date of birth against the number"),
        "sex": translate("ReviewWords", "Sex against the number"),
        "validity": translate("ReviewWords", "Validity period"),
        "card_type": translate("ReviewWords", "Card type accepted here"),
        "expiry": translate("ReviewWords", "Expiry date"),
        "passive_authentication": translate("ReviewWords", "Chip data signed by the issuer"),
    }.get(code, code)


def personal_field(key: str) -> str:
    return {
        "organisation_name": translate("ReviewWords", "Organisation"),
        "organisation_code": translate("ReviewWords", "Organisation code"),
        "organisation_code_kind": translate("ReviewWords", "Kind of organisation code"),
        "legal_representative": translate("ReviewWords", "Legal representative"),
        "phone": translate("ReviewWords", "Mobile phone"),
    }.get(key, key)


def personal_value(key: str, value: object) -> str:
    if key == "organisation_code_kind":
        kinds = {"uscc": translate("ReviewWords", "unified social credit code"),
                 "org_code": translate("ReviewWords", "organisation code (GB 11714)")}
        return kinds.get(str(value), str(value))
    return str(value)


def scan_kind(code: str) -> str:
    return {
        "business_licence": translate("ReviewWords", "Business licence"),
        "power_of_attorney": translate("ReviewWords", "Power of attorney"),
        "agent_id_front": translate("ReviewWords", "Agent's ID card, front"),
        "agent_id_back": translate("ReviewWords", "Agent's ID card, back"),
        "id_front": translate("ReviewWords", "ID card, front"),
        "id_back": translate("ReviewWords", "ID card, back"),
    }.get(code, code)
