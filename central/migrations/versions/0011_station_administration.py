"""Stations can be disabled by an administrator, and report their backlog at each sync.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("disabled_at", sa.DateTime(timezone=True)),
    ("disabled_by", sa.String(length=64)),
    ("last_seen_at", sa.DateTime(timezone=True)),
    ("backlog_pending", sa.Integer()),
    ("backlog_failed", sa.Integer()),
    ("config_version", sa.Integer()),
)


def upgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        for name, _kind in reversed(COLUMNS):
            batch.drop_column(name)
