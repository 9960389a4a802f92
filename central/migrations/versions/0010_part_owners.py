"""Parts belong to the stations that uploaded them (part_owners); chunked uploads are kept
per station and part, sealed, with their size (an upload in progress restarts at 0).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "part_owners",
        sa.Column("station_id", sa.String(32),
                  sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("blobs.sha256", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # the parts stations already used in their cases are theirs
    op.execute("INSERT INTO part_owners (station_id, sha256, created_at) "
               "SELECT DISTINCT c.station_id, p.sha256, CURRENT_TIMESTAMP "
               "FROM case_parts p JOIN cases c ON c.id = p.case_id")
    op.drop_table("part_uploads")
    op.create_table(
        "part_uploads",
        sa.Column("station_id", sa.String(32),
                  sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("total_size", sa.Integer(), nullable=False),
        sa.Column("received_size", sa.Integer(), nullable=False),
        sa.Column("received", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_part_uploads_updated_at", "part_uploads", ["updated_at"])


def downgrade() -> None:
    op.drop_table("part_uploads")
    op.create_table(
        "part_uploads",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("total_size", sa.Integer(), nullable=False),
        sa.Column("received", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.drop_table("part_owners")
