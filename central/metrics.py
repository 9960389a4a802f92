"""Prometheus metrics for the office's monitoring (GET /metrics, text format).

Requests and latencies are counted in every API process; with ``python -m central serve``
they are kept in ``PROMETHEUS_MULTIPROC_DIR`` (set by the command) so one scrape of any
process reports the sum over all of them. Queue depth, overdue cases and each station's
sync backlog are read from the database at each scrape, so every process reports the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, MutableMapping
from datetime import datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.models import Case, ConfigVersion, Station, UpstreamHandover, aware

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
REQUESTS = Counter("central_http_requests", "HTTP requests answered",
                   ["method", "route", "status"])
LATENCY = Histogram("central_http_request_duration_seconds", "Time to answer a request",
                    ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))


def observe(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def route_of(scope: MutableMapping[str, Any]) -> str:
    """The route's template (``/v1/cases/{case_id}``), never the raw path: a label per case
    id would grow without bound. Unmatched paths count as one."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class DatabaseGauges(Collector):
    """The review queue and the stations, read at scrape time."""

    def __init__(self, read: Callable[[Callable[[Session], Any]], Any],
                 clock: Callable[[], datetime]) -> None:
        self.read, self.clock = read, clock

    def collect(self) -> Iterator[Metric]:
        now = self.clock()
        figures = self.read(lambda s: _figures(s, now))
        queue = GaugeMetricFamily("central_review_queue_cases",
                                  "Cases waiting for a review decision", labels=["state"])
        queue.add_metric(["pending"], figures["pending"])
        queue.add_metric(["claimed"], figures["claimed"])
        yield queue
        yield GaugeMetricFamily("central_review_overdue_cases",
                                "Cases waiting past their due time", value=figures["overdue"])
        yield GaugeMetricFamily("central_config_version",
                                "The newest published configuration", value=figures["config"])
        backlog = GaugeMetricFamily("central_station_sync_backlog_cases",
                                    "Cases a station reported still to send (its outbox)",
                                    labels=["station", "state"])
        seen = GaugeMetricFamily("central_station_last_seen_seconds",
                                 "Seconds since the station's last sync round",
                                 labels=["station"])
        version = GaugeMetricFamily("central_station_config_version",
                                    "The configuration version the station runs",
                                    labels=["station"])
        disabled = GaugeMetricFamily("central_station_disabled",
                                     "1 when an administrator disabled the station",
                                     labels=["station"])
        for row in figures["stations"]:
            code = row["code"]
            if row["pending"] is not None:
                backlog.add_metric([code, "pending"], row["pending"])
                backlog.add_metric([code, "failed"], row["failed"] or 0)
            if row["last_seen"] is not None:
                seen.add_metric([code], max(0.0, (now - row["last_seen"]).total_seconds()))
            if row["config_version"] is not None:
                version.add_metric([code], row["config_version"])
            disabled.add_metric([code], 1.0 if row["disabled"] else 0.0)
        yield from (backlog, seen, version, disabled)
        handovers = GaugeMetricFamily("central_upstream_handovers",
                                      "Approved results not (yet) stored by the traffic system",
                                      labels=["state"])
        for state in ("pending", "refused"):
            handovers.add_metric([state], figures["handovers"].get(state, 0))
        yield handovers
        oldest = figures["oldest_handover"]
        yield GaugeMetricFamily(
            "central_upstream_handover_oldest_pending_seconds",
            "How long the oldest approved result has waited for the traffic system",
            value=max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0)


def _figures(session: Session, now: datetime) -> dict[str, Any]:
    pending = Case.review_state == "pending"
    counts = session.execute(select(
        func.count().filter(pending),
        func.count().filter(pending, Case.claimed_by.is_not(None), Case.lease_until > now),
        func.count().filter(pending, Case.due_at < now),
    ).select_from(Case)).one()
    config = session.scalar(select(func.max(ConfigVersion.version))) or 0
    stations = [
        {"code": s.code, "pending": s.backlog_pending, "failed": s.backlog_failed,
         "last_seen": aware(s.last_seen_at), "config_version": s.config_version,
         "disabled": s.disabled_at is not None}
        for s in session.scalars(select(Station).where(Station.kind == "station"))
    ]
    handovers: dict[str, int] = {state: count for state, count in session.execute(
        select(UpstreamHandover.state, func.count())
        .where(UpstreamHandover.state.in_(("pending", "refused")))
        .group_by(UpstreamHandover.state))}
    oldest = session.scalar(select(func.min(UpstreamHandover.created_at))
                            .where(UpstreamHandover.state == "pending"))
    return {"pending": counts[0], "claimed": counts[1], "overdue": counts[2],
            "config": config, "stations": stations, "handovers": handovers,
            "oldest_handover": aware(oldest)}


def exposition(gauges: DatabaseGauges) -> tuple[bytes, str]:
    """The scrape: this process's (or, in multiprocess mode, every process's) request
    metrics and the database gauges."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_ENV):
        multiprocess.MultiProcessCollector(registry)
    else:  # one process (the embedded service, tests): its own counters
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(gauges)
    return generate_latest(registry), CONTENT_TYPE_LATEST
