"""Sign-in attempts counted per user name and per client address, before the password check
(login_guards); the per-user columns of 0005 go.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_guards",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counting_since", sa.DateTime(timezone=True), nullable=False),
    )
    # a lock in force carries over; the counts of wrong passwords start again
    op.execute("INSERT INTO login_guards (key, failures, locked_until, counting_since) "
               "SELECT 'user:' || username, failed_logins, locked_until, CURRENT_TIMESTAMP "
               "FROM users WHERE locked_until IS NOT NULL")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")


def downgrade() -> None:
    op.add_column("users", sa.Column("failed_logins", sa.Integer(), nullable=False,
                                     server_default="0"))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_table("login_guards")
