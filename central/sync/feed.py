"""The decisions feed: what happened to a station's cases, in a per-station sequence."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal
from central.models import FeedEntry, Station


def next_feed_seq(session: Session, station_id: str) -> int:
    """Row-locking increment: entries of one station commit in seq order, so a cursor never
    skips an entry that commits late."""
    return session.execute(
        update(Station).where(Station.id == station_id)
        .values(feed_seq=Station.feed_seq + 1).returning(Station.feed_seq)
    ).scalar_one()


def read_feed(session: Session, station: Principal, cursor: int, limit: int) -> schemas.FeedPage:
    rows = session.scalars(
        select(FeedEntry).where(FeedEntry.station_id == station.id, FeedEntry.seq > cursor)
        .order_by(FeedEntry.seq).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    entries = [schemas.FeedItem(seq=row.seq, **row.body) for row in rows]
    return schemas.FeedPage(entries=entries, cursor=rows[-1].seq if rows else cursor, more=more)

