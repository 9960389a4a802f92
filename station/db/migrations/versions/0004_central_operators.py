"""Operators can be accounts of the central service, with a sealed offline verifier.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import station.db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.add_column(sa.Column("source", sa.String(length=16), nullable=False,
                                   server_default="local"))
        batch.add_column(sa.Column("offline_verifier", station.db.types.EncryptedText(),
                                   nullable=True))
        batch.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("central_locked_until", sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.drop_column("central_locked_until")
        batch.drop_column("verified_at")
        batch.drop_column("offline_verifier")
        batch.drop_column("source")
