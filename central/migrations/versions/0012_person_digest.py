"""A keyed hash of the applicant's identity number on each case, to find the same person's
other open or recent cases without storing the number in clear.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_digest", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_cases_person_digest", ["person_digest"])


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_person_digest")
        batch_op.drop_column("person_digest")
