"""Structured (JSON lines) logging for the central service, with personal data masked."""

from __future__ import annotations

import logging
import sys

from station.logs import JsonLineFormatter, RedactingFilter


class CentralJsonFormatter(JsonLineFormatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = {key: getattr(record, key) for key in ("status", "ms") if hasattr(record, key)}
        if not extra:
            return line
        import json

        entry = json.loads(line)
        entry.update(extra)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(CentralJsonFormatter())
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
