"""Applicant notifications: Chinese SMS templates, a pluggable gateway, and the dispatcher.

Decisions write a Notification row in their own transaction (the outbox); the dispatcher
sends due rows through the configured gateway and retries failures with backoff, so an SMS is
never lost when the gateway is down and never sent for a decision that rolled back.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from central.db import upsert
from central.errors import ApiError
from central.models import Notification, SmsQuota, aware, new_id, utcnow
from central.sealing import Sealer
from station.i18n import both
from station.receipts.masking import mask_name
from station.security.files import private_file

log = logging.getLogger(__name__)
DATA_DIR = Path(__file__).resolve().parent / "data"
KIND_NAMES = {
    "individual": "个人面签注册",
    "organisation": "单位面签注册",
    "elicence_photo": "电子驾驶证照片采集",
    "manual_review": "人工审核注册",
}


def load_templates() -> dict[str, str]:
    return json.loads((DATA_DIR / "sms_templates.json").read_text(encoding="utf-8"))


def render(template: str, params: dict[str, Any]) -> str:
    text = load_templates()[template]
    safe = {key: str(params.get(key, "")) for key in
            ("name", "submitted", "office", "kind", "reason", "code", "minutes")}
    return text.format(**safe)


def masked_name(name: str) -> str:
    """The applicant's name as an SMS greets them (张** for 张三丰), masked as the station
    masks it on its screens, so a message read over a shoulder names nobody in full."""
    return mask_name(name)


def salutation(fields: dict[str, Any]) -> str:
    """Whom to greet: a salutation the station set, else the applicant's (or for an
    organisation, the agent's) masked name."""
    if fields.get("salutation"):
        return str(fields["salutation"])
    people = fields.get("people") or []
    person = next((p for p in people if p.get("role") in ("applicant", "agent")), None)
    return masked_name(str(person.get("name") or "")) if person else ""


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "***"


@dataclass(frozen=True)
class SmsLimits:
    """How many SMS one mobile number may be sent, and one sender (a station, a platform
    client) may send, per window; counted when queued, across all API processes."""

    per_number: int = 5
    per_sender: int = 100
    window: timedelta = timedelta(hours=1)


def queue_sms(session: Session, sealer: Sealer, case_id: str, phone: str, template: str,
              text: str, now: datetime, *, sender: str | None = None,
              limits: SmsLimits | None = None) -> None:
    """Put an SMS in the outbox (sent by the dispatcher), its number and text sealed. With
    ``limits``: refused (429 sms_rate_limited, Retry-After) when the number, or ``sender``,
    has had its share this window — the caller's transaction then rolls back."""
    if limits is not None:
        # the number only as a keyed hash: the quota table must not list applicants' numbers
        _count(session, "number:" + sealer.lookup_digest("sms:" + phone), limits.per_number,
               limits.window, now)
        if sender is not None:
            _count(session, f"sender:{sender}", limits.per_sender, limits.window, now)
    row_id = new_id()
    session.add(Notification(id=row_id, case_id=case_id, phone=mask_phone(phone),
                             template=template, next_attempt_at=now,
                             text=sealer.seal_message(row_id, phone, text)))


def _count(session: Session, key: str, limit: int, window: timedelta, now: datetime) -> None:
    """One conditional UPDATE (row-locking: concurrent requests on several API processes each
    see the others' counts) counts this SMS unless the key had ``limit`` this window."""
    session.execute(upsert(session, SmsQuota).values(key=key, sent=0, window_start=now)
                    .on_conflict_do_nothing(index_elements=["key"]))
    over = SmsQuota.window_start <= now - window
    counted = session.execute(
        update(SmsQuota).where(SmsQuota.key == key, or_(over, SmsQuota.sent < limit))
        .values(sent=case((over, 1), else_=SmsQuota.sent + 1),
                window_start=case((over, now), else_=SmsQuota.window_start))
        .returning(SmsQuota.sent)
    ).first()
    if counted is not None:
        return
    started = aware(session.scalar(select(SmsQuota.window_start).where(SmsQuota.key == key)))
    wait = ((started or now) + window - now).total_seconds()
    raise ApiError(429, "sms_rate_limited", both(
        "CentralApi", "Too many text messages for this number or from this station; try "
        "again later."), retry_after_s=max(1, int(wait)))


class SmsGateway(Protocol):
    def send(self, phone: str, text: str, request_id: str | None = None) -> str:
        """Send one message; return the gateway's message id; raise on failure. A retry with
        the same ``request_id`` (the outbox row) must not send the message twice."""


class DevelopmentGateway:
    """Records messages (in memory and as JSON lines) instead of sending them."""

    def __init__(self, outbox_file: Path | None = None) -> None:
        self.outbox_file = outbox_file
        self.sent: list[dict[str, str]] = []
        self._lock = threading.Lock()

    def send(self, phone: str, text: str, request_id: str | None = None) -> str:
        record = {"phone": phone, "text": text, "id": f"dev-{len(self.sent) + 1}"}
        with self._lock:
            self.sent.append(record)
            if self.outbox_file is not None:
                private_file(self.outbox_file)  # numbers and codes: 0600
                with self.outbox_file.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return record["id"]


def load_gateway(spec: str | None, data_dir: Path | None) -> SmsGateway:
    """``None``/"dev": the development gateway; else "package.module:ClassName"."""
    if not spec or spec == "dev":
        return DevelopmentGateway(data_dir / "sms-dev.jsonl" if data_dir else None)
    if spec == "http":  # a signed HTTPS SMS platform (central.sms_http, settings from env)
        from central.sms_http import HttpSmsGateway

        return HttpSmsGateway()
    module_name, _, class_name = spec.partition(":")
    gateway_class = getattr(importlib.import_module(module_name), class_name)
    return gateway_class()


def dispatch_due(
    sessions: sessionmaker[Session], gateway: SmsGateway, sealer: Sealer | None = None,
    batch: int = 20, max_attempts: int = 8,
) -> int:
    """Send due notifications once; returns how many were sent. Safe with several processes:
    each row is taken with FOR UPDATE SKIP LOCKED (ignored by SQLite, which serialises)."""
    sent = 0
    with sessions.begin() as session:
        now = utcnow()
        rows = session.scalars(
            select(Notification)
            .where(Notification.state == "pending", Notification.next_attempt_at <= now)
            .order_by(Notification.created_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            try:
                phone, text = sealer.open_message(row.id, row.phone, row.text) if sealer \
                    else (row.phone, row.text)
                gateway.send(phone, text, row.id)
            except Exception as exc:  # any gateway failure is retried later
                row.attempts += 1
                row.last_error = str(exc)[:500]
                row.next_attempt_at = now + timedelta(seconds=min(3600, 5 * 2**row.attempts))
                if row.attempts >= max_attempts:
                    row.state = "failed"
                log.warning("sms to %s failed: %s", mask_phone(row.phone), exc)
                continue
            row.state = "sent"
            row.sent_at = now
            row.attempts += 1
            sent += 1
    return sent


class NotificationDispatcher:
    """Background thread of one API process: sends due notifications every few seconds."""

    def __init__(self, sessions: sessionmaker[Session], gateway: SmsGateway,
                 sealer_of: Callable[[], Sealer] | None = None, interval_s: float = 2.0) -> None:
        self.sessions = sessions
        self.gateway = gateway
        self.sealer_of = sealer_of
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sms-dispatcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                dispatch_due(self.sessions, self.gateway,
                             self.sealer_of() if self.sealer_of else None)
            except Exception:  # database away: try again next round
                log.exception("notification dispatch failed")
