"""What the platform sends and what it gets back (request models validate every field)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Base64Bytes, BaseModel, Field, field_validator, model_validator

from central.schemas import Strict
from station.identity.checks import validate_citizen_id

Reference = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                  description="the platform's own id of the submission (idempotency key)")
MAX_IMAGE_BYTES = 4_000_000  # one photo as a phone sends it


def _image(data: bytes) -> bytes:
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(f"an image may have at most {MAX_IMAGE_BYTES} bytes")
    if not (data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")):
        raise ValueError("images must be JPEG or PNG")
    return data


class Applicant(Strict):
    name: str = Field(min_length=1, max_length=64)
    id_number: str = Field(min_length=18, max_length=18, pattern=r"^\d{17}[\dXx]$")
    phone: str = Field(pattern=r"^1[3-9]\d{9}$")

    @field_validator("id_number")
    @classmethod
    def _check_digit(cls, value: str) -> str:
        result = validate_citizen_id(value.upper())
        if not result.ok:
            raise ValueError(result.reason.get("en", "invalid ID number"))
        return value.upper()


class ManualReviewIn(Strict):
    """A person whose online face recognition kept failing sends photos of the ID card."""

    reference: str = Reference
    applicant: Applicant
    id_front: Base64Bytes
    id_back: Base64Bytes
    selfie: Base64Bytes | None = None
    liveness_frames: list[Base64Bytes] = Field(default_factory=list, max_length=5)
    failed_attempts: int = Field(default=0, ge=0, le=100)
    submitted_at: datetime | None = None
    callback_url: str | None = Field(default=None, max_length=512, pattern=r"^https?://")

    @model_validator(mode="after")
    def _images(self) -> ManualReviewIn:
        for image in (self.id_front, self.id_back, *self.liveness_frames):
            _image(image)
        if self.selfie is not None:
            _image(self.selfie)
        elif not self.liveness_frames:
            raise ValueError("a selfie or liveness frames are required")
        return self


class ElicencePhotoIn(Strict):
    """A portrait for the electronic driving licence, from the app."""

    reference: str = Reference
    applicant: Applicant
    photo: Base64Bytes
    photo_source: Literal["on_file", "album", "camera"]
    submitted_at: datetime | None = None
    callback_url: str | None = Field(default=None, max_length=512, pattern=r"^https?://")

    @model_validator(mode="after")
    def _images(self) -> ElicencePhotoIn:
        _image(self.photo)
        return self


class IntakeReceipt(BaseModel):
    case_id: str
    reference: str
    number: str
    received_at: datetime
    due_at: datetime | None
    review_state: str
    status_path: str = Field(description="the applicant's status page, /s/{token}")
    replayed: bool = False
    flags: list[str] = Field(default_factory=list)
