"""The photo on file for a reviewer: the case's identity number (from its sealed payload)
looked up in the traffic-management system on request. Nothing of the answer is stored."""

from __future__ import annotations

import base64
import logging

from sqlalchemy.orm import Session

from central import schemas
from central.models import Case
from central.persons import document_number
from central.review.leases import not_found
from central.sealing import Sealer
from central.upstream.protocol import TrafficSystem, UpstreamRefused, UpstreamUnavailable

log = logging.getLogger(__name__)


def case_id_number(session: Session, case_id: str, sealer: Sealer) -> str | None:
    case = session.get(Case, case_id)
    if case is None:
        raise not_found()
    return document_number(sealer.open_payload(case.id, case.payload).get("fields") or {})


def look_up(system: TrafficSystem | None, id_number: str | None) -> schemas.PhotoOnFileOut:
    if system is None:
        return schemas.PhotoOnFileOut(state="not_configured")
    if not id_number:
        return schemas.PhotoOnFileOut(state="no_document")
    try:
        found = system.photo_on_file(id_number)
    except UpstreamUnavailable as exc:
        log.warning("photo on file unavailable: %s", exc)
        return schemas.PhotoOnFileOut(state="unavailable", detail=str(exc)[:300])
    except UpstreamRefused as exc:
        log.warning("photo on file refused: %s", exc)
        return schemas.PhotoOnFileOut(state="refused", detail=str(exc)[:300])
    if found is None:
        return schemas.PhotoOnFileOut(state="not_found")
    return schemas.PhotoOnFileOut(state="found", photo_b64=base64.b64encode(found.photo).decode(),
                                  media_type=found.media_type, taken_on=found.taken_on)
