"""Review queue: an index in the queue's full sort order, a small index of claimed cases and
the shared snapshot of review counts.

- ix_cases_queue becomes (review_state, due_at, received_at, id): the default listing and
  claim-next read it in order and stop after a page instead of sorting every case that
  shares a due time (due times bunch at the end of working days).
- ix_cases_claimed holds only cases with a reviewer's name on them, so the live count of
  claimed cases (leases expire by the clock, not by a write) reads a few entries.
- review_count_snapshots: one row of per-group counts that the API processes share,
  refreshed at most about once a second by one of them (central.review.counts).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMED = "review_state = 'pending' AND claimed_by IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_queue")
        batch_op.create_index("ix_cases_queue", ["review_state", "due_at", "received_at", "id"],
                              unique=False)
        batch_op.create_index("ix_cases_claimed", ["lease_until"], unique=False,
                              postgresql_where=sa.text(CLAIMED),
                              sqlite_where=sa.text(CLAIMED))
    op.create_table(
        "review_count_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("review_count_snapshots")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_claimed")
        batch_op.drop_index("ix_cases_queue")
        batch_op.create_index("ix_cases_queue", ["review_state", "due_at"], unique=False)
