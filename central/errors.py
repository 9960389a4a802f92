"""API errors with a stable code and a message in Chinese and English."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raised by handlers; rendered as ``{"error": {code, message_zh, message_en, ...}}``."""

    def __init__(
        self, status: int, code: str, message: dict[str, str], **extra: Any
    ) -> None:
        super().__init__(message["en"])
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message_zh": self.message["zh"],
                "message_en": self.message["en"],
                **self.extra,
            }
        }
