"""Translated names of case kinds, identity documents and scanned documents.

Each call passes the receipt's language explicitly, so a receipt can be printed in English on a
station whose interface is in Chinese. The strings stay literal for scripts/i18n.py.
"""

from __future__ import annotations

from station.i18n import translate


def kind_label(kind: str, language: str) -> str:
    labels = {
        "individual": translate("Receipt", "Individual in-person registration", language),
        "organisation": translate("Receipt", "Organisation in-person registration", language),
        "elicence_photo": translate("Receipt", "E-driving-licence photo", language),
        "manual_review": translate("Receipt", "Manual review application", language),
    }
    return labels.get(kind, kind)


def receipt_title(kind: str, language: str) -> str:
    titles = {
        "elicence_photo": translate("Receipt", "12123 E-Driving-Licence Photo Receipt", language),
        "manual_review": translate("Receipt", "12123 Manual Review Application Receipt", language),
    }
    return titles.get(kind, translate("Receipt", "12123 In-Person Registration Receipt", language))


def document_type_label(document_type: str, language: str) -> str:
    labels = {
        "resident_id": translate("Receipt", "Resident identity card", language),
        "hk_mo_tw_residence_permit": translate(
            "Receipt", "Residence permit for Hong Kong, Macao and Taiwan residents", language
        ),
        "foreign_permanent_resident": translate(
            "Receipt", "Foreigner's permanent residence ID card", language
        ),
        "passport": translate("Receipt", "Passport", language),
        "manual": translate("Receipt", "Identity document (entered by hand)", language),
    }
    return labels.get(document_type, document_type)


def scanned_document_label(kind: str, language: str) -> str:
    labels = {
        "business_licence": translate("Receipt", "Business licence", language),
        "power_of_attorney": translate("Receipt", "Power of attorney", language),
        "agent_id_front": translate("Receipt", "Agent's ID card (front)", language),
        "agent_id_back": translate("Receipt", "Agent's ID card (back)", language),
        "id_front": translate("Receipt", "ID card (front)", language),
        "id_back": translate("Receipt", "ID card (back)", language),
    }
    return labels.get(kind, kind)
