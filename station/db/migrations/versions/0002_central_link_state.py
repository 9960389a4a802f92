"""The station's link to its central service: last sync and what the service said of it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.add_column(sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("central_state", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.drop_column("central_state")
        batch.drop_column("last_sync_at")
