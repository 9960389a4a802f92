"""SMS counted per mobile number (a keyed hash) and per sender, per window (sms_quotas).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_quotas",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sms_quotas")
