"""HTTP routes of platform intake (``/v1/intake/...``) and the public status page."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, JSONResponse

from central import status_page
from central.intake import service
from central.intake.analysis import IntakeAnalyser
from central.intake.schemas import ElicencePhotoIn, IntakeReceipt, ManualReviewIn


def intake_router(central: Any, platform_only: Any, errors: dict[int | str, Any],
                  analyser: IntakeAnalyser) -> APIRouter:
    """``central`` is the app's per-process state; ``platform_only`` the dependency that admits
    platform clients and nobody else."""
    router = APIRouter()

    def answer(receipt: IntakeReceipt) -> JSONResponse:
        headers = {"Idempotent-Replayed": "true"} if receipt.replayed else None
        return JSONResponse(receipt.model_dump(mode="json"),
                            status_code=200 if receipt.replayed else 201, headers=headers)

    @router.post("/v1/intake/manual-review", response_model=IntakeReceipt, status_code=201,
                 responses={200: {"model": IntakeReceipt, "description": "a repeated submission"},
                            **errors}, tags=["intake"])
    def manual_review(body: ManualReviewIn, who: Any = platform_only) -> Any:
        """A manual-review request after failed online face recognition: the ID card's front
        and back and a selfie (or liveness frames). The selfie is matched against the card's
        portrait; the case enters the review queue with a working-day deadline. Repeating a
        reference returns the first receipt."""
        with central.queue_changing():
            receipt = central.run(lambda s: service.submit_manual_review(
                s, who, body, central.clock(), central.calendar, central.sealer, analyser))
        return answer(receipt)

    @router.post("/v1/intake/elicence-photo", response_model=IntakeReceipt, status_code=201,
                 responses={200: {"model": IntakeReceipt, "description": "a repeated submission"},
                            **errors}, tags=["intake"])
    def elicence_photo(body: ElicencePhotoIn, who: Any = platform_only) -> Any:
        """An e-licence photo application: the photo's compliance report (cn-driving-licence,
        final mode) is stored with it for the reviewer."""
        with central.queue_changing():
            receipt = central.run(lambda s: service.submit_elicence_photo(
                s, who, body, central.clock(), central.calendar, central.sealer, analyser))
        return answer(receipt)

    @router.get("/s/{token}", response_class=HTMLResponse, tags=["public"], responses={
        404: {"content": {"text/html": {}}, "description": "no such status page"}})
    def status(token: Annotated[str, Path(max_length=64)]) -> HTMLResponse:
        """The applicant's status page (the receipt's QR code): kind, state, deadline and what
        a returned case needs; no personal data."""
        found = central.read(lambda s: status_page.find_status(s, token)) \
            if re.fullmatch(status_page.TOKEN_PATTERN, token) else None
        return HTMLResponse(status_page.render_status(found), status_code=200 if found else 404,
                            headers=status_page.HEADERS)

    return router
