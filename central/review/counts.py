"""Cases per review state for a queue filter, as listings show them, cheaply.

Counts per state are the costly part of a listing (a scan of every reviewed case), so they
come from counts per group (state, kind, station, clerk, flags) taken at most about
COUNTS_TTL_S ago, from which any filter on those columns is summed; the claimed ones are
counted live from the small ix_cases_claimed index, since a lease ends by the clock.
On PostgreSQL the groups are one row shared by all API processes (review_count_snapshots):
whichever process finds it stale refreshes it under an advisory lock while the others keep
reading the previous one, so one scan a second serves every reviewer. New cases and
decisions show within about a second. A stale snapshot is recounted by a background thread
while listings go on with it, up to COUNTS_MAX_AGE_S. The groups also say which open cases
were overdue when counted, for the overdue filter; the other filters on time (age, due
before) are counted by a query of their own, kept COUNTS_TTL_S per process.

A process's copies live in one ``ReviewCounts`` object that the application owns (one per
``Central``), not in module globals: two apps in one process (tests, the embedded service)
keep their own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import astuple, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from central.db import dialect_name
from central.models import Case
from central.review.filters import QueueFilter, apply_filter, claimed_now

log = logging.getLogger("central")
COUNTS_TTL_S = 1.0
COUNTS_MAX_AGE_S = 2 * COUNTS_TTL_S  # older: the listing waits for a new count
REVIEW_STATES = ("pending", "claimed", "approved", "rejected", "returned")
TIME_FILTERS = ("min_age_minutes", "max_age_minutes", "due_before", "overdue")
SNAPSHOT_LOCK = 72_010_009  # pg_advisory_xact_lock key: one process refreshes at a time
# state (pending = open), kind, station, clerk, flags_text, overdue at taken_at, count
GroupRow = Sequence[Any]


@dataclass
class ReviewGroups:
    """Counts per group as of ``taken_at`` (database clock; None when counted in-process)."""

    taken_at: datetime | None
    rows: list[GroupRow]
    valid_until: float  # time.monotonic(): trusted until then, then looked at again
    usable_until: float  # ... and shown meanwhile while one thread of the process looks
    generation: int = -1
    age: float = 0.0  # seconds, when read
    _sums: dict[tuple[str | bool | None, ...], dict[str, int]] = field(default_factory=dict)

    def sums(self, flt: QueueFilter) -> dict[str, int]:
        """Cases per state matching the filter's kind/reason/station/clerk/overdue;
        "pending" holds every open case, claimed or not."""
        key = (flt.kind, flt.reason, flt.station, flt.clerk, flt.overdue)
        hit = self._sums.get(key)
        if hit is not None:
            return hit
        mark = f",{flt.reason}," if flt.reason else None
        sums: dict[str, int] = {}
        for state, kind, station, clerk, flags, late, count in self.rows:
            if (flt.kind and kind != flt.kind) or (flt.station and station != flt.station) \
                    or (flt.clerk and clerk != flt.clerk) or (mark and mark not in flags) \
                    or (flt.overdue is not None and bool(late) != flt.overdue):
                continue
            sums[state] = sums.get(state, 0) + count
        if len(self._sums) > 1000:  # filters are free text: keep the memo bounded
            self._sums.clear()
        self._sums[key] = sums
        return sums


class ReviewCounts:
    """This process's copies of the review counts, per database engine.

    ``changed()`` after a case came or was decided here drops them at once (the generation
    moves on, so a count begun before the change is not kept either)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._totals: dict[tuple[Any, ...], tuple[float, int, dict[str, int]]] = {}
        self._groups: dict[int, ReviewGroups] = {}
        self._looking: set[int] = set()  # engines whose snapshot a thread here is fetching
        self._refreshing: set[int] = set()  # engines whose snapshot a thread here recounts

    def changed(self) -> None:
        with self._lock:
            self._generation += 1
            self._totals.clear()

    def queue_counts(self, session: Session, flt: QueueFilter, now: datetime) -> dict[str, int]:
        """Cases per state for the filter (its ``state`` ignored), as listings show them."""
        counts = dict.fromkeys(REVIEW_STATES, 0)
        groups = None
        if all(getattr(flt, name) is None for name in TIME_FILTERS if name != "overdue"):
            groups = self.review_groups(session)
            # "overdue" as of the snapshot: only when it was taken by the clock the request uses
            if flt.overdue is not None and (groups.taken_at is None or abs(
                    (now - groups.taken_at).total_seconds()) > COUNTS_MAX_AGE_S):
                groups = None
        counts.update(groups.sums(flt) if groups is not None
                      else self._cached_state_totals(session, flt, now))
        claimed = _claimed_count(session, flt, now)
        counts["claimed"] = claimed
        counts["pending"] = max(0, counts.get("pending", 0) - claimed)
        return counts

    def review_groups(self, session: Session) -> ReviewGroups:
        key = id(session.get_bind())
        postgres = dialect_name(session) == "postgresql"
        with self._lock:
            generation = self._generation
            known = self._groups.get(key)
            moment = time.monotonic()
            if known is not None and known.generation == generation \
                    and moment < known.valid_until:
                return known
            if postgres and known is not None and key in self._looking \
                    and moment < known.usable_until:
                return known  # one thread fetches the new snapshot; the others need not wait
            self._looking.add(key)
        try:
            if postgres:
                groups = self._shared_groups(session, known)
            else:  # embedded (SQLite): a single process, so its own copy is the only one
                groups = ReviewGroups(None, _group_rows(session), moment + COUNTS_TTL_S,
                                      moment + COUNTS_TTL_S)
        finally:
            with self._lock:
                self._looking.discard(key)
        with self._lock:
            if self._generation == generation:
                groups.generation = generation
                self._groups[key] = groups
        return groups

    def _shared_groups(self, session: Session, known: ReviewGroups | None) -> ReviewGroups:
        current = _read_snapshot(session, known)
        if current is not None and current.age < COUNTS_TTL_S:
            return current
        if current is not None and current.age < COUNTS_MAX_AGE_S:
            # stale but recent: answer with it and let one thread count anew, so no listing
            # waits for the scan while reviewers keep the snapshot warm
            self._refresh_in_background(session.get_bind())
            return current
        # missing or too old to show (nobody listed for a while): wait for whoever is counting
        fresh = _refresh_apart(session.get_bind(), known, wait=True)
        assert fresh is not None  # it waited for the lock
        return fresh

    def _refresh_in_background(self, bind: Engine | Connection) -> None:
        engine = bind.engine  # the Engine itself, or the engine of a Connection
        with self._lock:
            if id(engine) in self._refreshing:
                return
            self._refreshing.add(id(engine))

        def work() -> None:
            try:
                _refresh_apart(engine, None, wait=False)
            except Exception:  # the next listing tries again; a failure must not go unseen
                log.exception("refreshing the review counts failed")
            finally:
                with self._lock:
                    self._refreshing.discard(id(engine))

        threading.Thread(target=work, name="review-counts", daemon=True).start()

    def _cached_state_totals(self, session: Session, flt: QueueFilter,
                             now: datetime) -> dict[str, int]:
        """Reviewed cases per state ("pending": every open case) for a filter on time,
        counted on its own and kept COUNTS_TTL_S in this process. The time filters read
        columns of ix_cases_queue, so an overdue count is a range of that index."""
        key = (id(session.get_bind()), *astuple(flt))
        with self._lock:
            generation = self._generation
            hit = self._totals.get(key)
            if hit is not None and hit[1] == generation \
                    and time.monotonic() - hit[0] < COUNTS_TTL_S:
                return hit[2]
        totals = {str(state): int(count) for state, count in session.execute(apply_filter(
            select(Case.review_state, func.count()).group_by(Case.review_state), flt, now,
            with_state=False).where(Case.review_state != "not_required"))}
        with self._lock:
            if self._generation == generation:
                if len(self._totals) > 1000:  # ages and times are free values: keep it bounded
                    self._totals.clear()
                self._totals[key] = (time.monotonic(), generation, totals)
        return totals


def total_from_counts(counts: dict[str, int], state: str | None) -> int:
    if state is None:
        return sum(counts.values())
    if state == "open":
        return counts.get("pending", 0) + counts.get("claimed", 0)
    return counts.get(state, 0)


def state_counts(session: Session, flt: QueueFilter, now: datetime) -> dict[str, int]:
    """Cases per state for the filter, counted now (a scan of the matching reviewed cases)."""
    counts = dict.fromkeys(REVIEW_STATES, 0)
    claimed = claimed_now(now)
    query = apply_filter(
        select(Case.review_state, claimed.label("claimed"), func.count())
        .group_by(Case.review_state, claimed), flt, now, with_state=False,
    ).where(Case.review_state != "not_required")
    for review_state, is_claimed, count in session.execute(query):
        key = "claimed" if review_state == "pending" and is_claimed else review_state
        counts[key] = counts.get(key, 0) + count
    return counts


def _claimed_count(session: Session, flt: QueueFilter, now: datetime) -> int:
    claimed = QueueFilter(**{**flt.__dict__, "state": "claimed"})
    return int(session.scalar(apply_filter(select(func.count()).select_from(Case), claimed,
                                           now)) or 0)


def _group_rows(session: Session | Connection) -> list[GroupRow]:
    """Reviewed cases per group, counted here (embedded use; PostgreSQL counts into the
    shared snapshot). No overdue flags: the overdue filter is then counted on its own."""
    return [(state, kind, station, clerk, flags, False, int(count))
            for state, kind, station, clerk, flags, count in session.execute(
                select(Case.review_state, Case.kind, Case.station_code, Case.clerk,
                       Case.flags_text, func.count())
                .where(Case.review_state != "not_required")
                .group_by(Case.review_state, Case.kind, Case.station_code, Case.clerk,
                          Case.flags_text))]


_READ_SNAPSHOT = text(
    "SELECT taken_at, EXTRACT(EPOCH FROM clock_timestamp() - taken_at) AS age, "
    "CASE WHEN taken_at IS DISTINCT FROM CAST(:known AS timestamptz) THEN groups END AS groups "
    "FROM review_count_snapshots WHERE id = 1")
# One statement counts and stores: the groups never travel through Python on the way in.
# Its start time is the snapshot's time (its MVCC snapshot is taken just after it).
_COUNT_INTO_SNAPSHOT = text(
    "INSERT INTO review_count_snapshots (id, taken_at, groups) "
    "SELECT 1, statement_timestamp(), coalesce(json_agg(json_build_array("
    "g.review_state, g.kind, g.station_code, g.clerk, g.flags_text, g.late, g.n)), "
    "CAST('[]' AS json)) "
    "FROM (SELECT review_state, kind, station_code, clerk, flags_text, "
    "coalesce(review_state = 'pending' AND due_at < statement_timestamp(), false) AS late, "
    "count(*) AS n FROM cases WHERE review_state <> 'not_required' "
    "GROUP BY 1, 2, 3, 4, 5, 6) AS g "
    "ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, groups = excluded.groups")


def _refresh_apart(bind: Engine | Connection, known: ReviewGroups | None,
                   wait: bool) -> ReviewGroups | None:
    """_refresh_snapshot in a transaction of its own, whatever the caller's: the lock lasts
    until its commit, and listings read in autocommit."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as connection:
        connection.execution_options(isolation_level="READ COMMITTED")
        with connection.begin():
            return _refresh_snapshot(connection, known, wait)


def _read_snapshot(session: Session | Connection,
                   known: ReviewGroups | None) -> ReviewGroups | None:
    row = session.execute(_READ_SNAPSHOT, {"known": known.taken_at if known else None}).first()
    if row is None:
        return None
    taken_at, age, groups = row
    age, moment = float(age), time.monotonic()
    if age < 0:  # taken "later than now": the database clock went back; count again
        age = COUNTS_MAX_AGE_S
    valid = moment + max(0.0, COUNTS_TTL_S - age)
    usable = moment + max(0.0, COUNTS_MAX_AGE_S - age)
    if groups is None and known is not None:  # unchanged: keep the parsed rows and their sums
        return ReviewGroups(taken_at, known.rows, valid, usable, age=age, _sums=known._sums)
    return ReviewGroups(taken_at, groups or [], valid, usable, age=age)


def _count_into_snapshot(connection: Connection) -> None:
    connection.execute(text("SET LOCAL synchronous_commit = off"))  # a cache: a crash loses nothing
    connection.execute(_COUNT_INTO_SNAPSHOT)


def _refresh_snapshot(connection: Connection, known: ReviewGroups | None,
                      wait: bool = False) -> ReviewGroups | None:
    """Count the groups into the snapshot, unless another process has just done it. Another
    process counting right now: None, or with ``wait`` its count once it is done. Returns
    the snapshot only when it waited (the background refresh needs none)."""
    if wait:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SNAPSHOT_LOCK})
    elif not connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                               {"key": SNAPSHOT_LOCK}):
        return None
    current = _read_snapshot(connection, known)  # it may have been refreshed since the look
    if current is not None and current.age < COUNTS_TTL_S:
        return current if wait else None
    _count_into_snapshot(connection)
    return _read_snapshot(connection, None) if wait else None
