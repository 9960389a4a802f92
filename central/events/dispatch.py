"""Publishing the outbox: to an AMQP exchange (RabbitMQ) and to platform callback URLs.

Each event is handed to the broker with publisher confirms and marked published only once
confirmed; a crash between the two republishes it, and consumers drop a seq they have seen,
so every event arrives exactly once in effect. Rows are taken with FOR UPDATE SKIP LOCKED, so
several API processes share the work without sending anything twice at the same time.

Webhooks: ``POST <callback_url>`` with the event as JSON and
``X-CS-Event: <seq>``, ``X-CS-Timestamp: <unix seconds>``,
``X-CS-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>``; any 2xx is
delivered, anything else is retried with exponential backoff (5 s doubling, at most 1 h,
12 attempts).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from central.events.outbox import message
from central.models import EventRecord, Station, WebhookDelivery, utcnow
from central.sealing import Sealer

log = logging.getLogger(__name__)
# pika logs every refused connection attempt at ERROR; the publisher reports an outage once
logging.getLogger("pika").setLevel(logging.CRITICAL)
EXCHANGE = "counter_station.events"
MAX_WEBHOOK_ATTEMPTS = 12


class AmqpPublisher:
    """One blocking connection with publisher confirms; reconnects after a failure."""

    def __init__(self, url: str, exchange: str = EXCHANGE) -> None:
        self.url, self.exchange = url, exchange
        self._connection: Any = None
        self._channel: Any = None
        self.down = False  # reported once per outage, not once per round

    def _ensure(self) -> Any:
        import pika

        if self._channel is None or not self._channel.is_open:
            self.close()
            params = pika.URLParameters(self.url)
            params.socket_timeout = 5
            params.blocked_connection_timeout = 10
            self._connection = pika.BlockingConnection(params)
            self._channel = self._connection.channel()
            self._channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
            self._channel.confirm_delivery()
        return self._channel

    def publish(self, seq: int, topic: str, body: dict[str, Any]) -> None:
        """Raises when the broker did not confirm (the caller retries later)."""
        import pika

        channel = self._ensure()
        try:
            channel.basic_publish(
                self.exchange, topic, json.dumps(body, ensure_ascii=False).encode("utf-8"),
                pika.BasicProperties(message_id=str(seq), content_type="application/json",
                                     delivery_mode=pika.DeliveryMode.Persistent),
                mandatory=False)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken: nothing to release
                log.debug("closing the AMQP connection failed", exc_info=True)


def publish_due(sessions: sessionmaker[Session], publisher: AmqpPublisher,
                batch: int = 200) -> int:
    """Publish unpublished events in seq order; returns how many the broker confirmed."""
    published = 0
    with sessions.begin() as session:
        rows = session.scalars(
            select(EventRecord).where(EventRecord.published_at.is_(None))
            .order_by(EventRecord.seq).limit(batch).with_for_update(skip_locked=True)).all()
        now = utcnow()
        for row in rows:
            try:
                publisher.publish(row.seq, row.topic, message(row.seq, row.body))
            except Exception as exc:  # broker down or refusing: the rest waits for the next round
                if not publisher.down:
                    log.warning("event stream broker unavailable (event %d waits): %s",
                                row.seq, exc or type(exc).__name__)
                publisher.down = True
                break
            if publisher.down:
                log.info("event stream broker reachable again")
                publisher.down = False
            row.published_at = now
            published += 1
    return published


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def deliver_webhooks(sessions: sessionmaker[Session], sealer: Sealer, http: httpx.Client,
                     batch: int = 20, clock: Callable[[], datetime] = utcnow) -> int:
    """POST due callbacks; returns how many were delivered."""
    delivered = 0
    with sessions.begin() as session:
        now = clock()
        rows = session.execute(
            select(WebhookDelivery, EventRecord, Station.webhook_secret)
            .join(EventRecord, EventRecord.seq == WebhookDelivery.event_seq)
            .join(Station, Station.id == WebhookDelivery.client_id)
            .where(WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.id).limit(batch)
            .with_for_update(skip_locked=True, of=WebhookDelivery)).all()
        for delivery, event, sealed_secret in rows:
            body = json.dumps(message(event.seq, event.body), ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
            timestamp = str(int(now.timestamp()))
            delivery.attempts += 1
            try:
                if not sealed_secret:
                    raise RuntimeError("the platform client has no webhook secret")
                secret = sealer.open_secret(delivery.client_id, sealed_secret)
                response = http.post(delivery.url, content=body, headers={
                    "Content-Type": "application/json", "X-CS-Event": str(event.seq),
                    "X-CS-Timestamp": timestamp,
                    "X-CS-Signature": sign(secret, timestamp, body)})
                if not 200 <= response.status_code < 300:
                    raise RuntimeError(f"HTTP {response.status_code}")
            except Exception as exc:  # refused, unreachable, timed out: retried with backoff
                delivery.last_error = str(exc)[:500]
                delivery.next_attempt_at = now + timedelta(
                    seconds=min(3600, 5 * 2 ** (delivery.attempts - 1)))
                if delivery.attempts >= MAX_WEBHOOK_ATTEMPTS:
                    delivery.state = "failed"
                    log.error("webhook for event %d gave up after %d attempts: %s",
                              event.seq, delivery.attempts, exc)
                continue
            delivery.state, delivery.delivered_at = "delivered", now
            delivered += 1
    return delivered


class EventDispatcher:
    """Background thread of one API process: publishes events and delivers webhooks."""

    def __init__(self, sessions: sessionmaker[Session], sealer_of: Callable[[], Sealer],
                 amqp_url: str | None, interval_s: float = 1.0) -> None:
        self.sessions, self.sealer_of, self.interval_s = sessions, sealer_of, interval_s
        self.publisher = AmqpPublisher(amqp_url) if amqp_url else None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="event-dispatch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
        if self.publisher is not None:
            self.publisher.close()

    def _run(self) -> None:
        with httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0)) as http:
            while not self._stop.is_set():
                try:
                    if self.publisher is not None:
                        publish_due(self.sessions, self.publisher)
                    deliver_webhooks(self.sessions, self.sealer_of(), http)
                except Exception:  # the database may be down; the next round tries again
                    log.warning("event dispatch round failed", exc_info=True)
                self._stop.wait(self.interval_s)
