"""Translated labels for the core's enumerations (one place, reused by every page)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station.db.models import CaseKind, CaseState, ReviewStatus, Role


def role_label(role: Role | str) -> str:
    return {
        Role.CLERK: QCoreApplication.translate("Labels", "Clerk"),
        Role.SUPERVISOR: QCoreApplication.translate("Labels", "Supervisor"),
        Role.ADMIN: QCoreApplication.translate("Labels", "Administrator"),
    }.get(Role(role), str(role))


def case_kind_label(kind: CaseKind | str) -> str:
    return {
        CaseKind.INDIVIDUAL: QCoreApplication.translate("Labels", "Individual registration"),
        CaseKind.ORGANISATION: QCoreApplication.translate("Labels", "Organisation registration"),
        CaseKind.ELICENCE_PHOTO: QCoreApplication.translate("Labels", "E-licence photo"),
        CaseKind.MANUAL_REVIEW: QCoreApplication.translate("Labels", "Manual review submission"),
    }.get(CaseKind(kind), str(kind))


def case_state_label(state: CaseState | str) -> str:
    return {
        CaseState.DRAFT: QCoreApplication.translate("Labels", "Draft"),
        CaseState.COMMITTED: QCoreApplication.translate("Labels", "Saved, waiting to sync"),
        CaseState.SYNCED: QCoreApplication.translate("Labels", "Synced"),
        CaseState.DECIDED: QCoreApplication.translate("Labels", "Decided"),
        CaseState.CANCELLED: QCoreApplication.translate("Labels", "Cancelled"),
    }.get(CaseState(state), str(state))


def review_status_label(status: ReviewStatus | str) -> str:
    return {
        ReviewStatus.NOT_REQUIRED: QCoreApplication.translate("Labels", "Not required"),
        ReviewStatus.PENDING: QCoreApplication.translate("Labels", "Waiting for review"),
        ReviewStatus.APPROVED: QCoreApplication.translate("Labels", "Approved"),
        ReviewStatus.REJECTED: QCoreApplication.translate("Labels", "Rejected"),
        ReviewStatus.RETURNED: QCoreApplication.translate("Labels", "Returned for more information"),
    }.get(ReviewStatus(status), str(status))
