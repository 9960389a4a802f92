"""The clerk's free-text reason for a manual photo capture is encrypted like the other
personal data (it may name the applicant); reasons stored in clear are encrypted here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from station.security.crypto import active_keyring  # installed by Database before migrating

    connection = op.get_bind()
    reasons = connection.execute(sa.text(
        "SELECT id, override_reason FROM photos WHERE override_reason IS NOT NULL")).all()
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("override_reason")
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("override_reason", sa.LargeBinary(), nullable=True))
    ring = active_keyring.get() if reasons else None
    for photo_id, reason in reasons:
        assert ring is not None
        connection.execute(sa.text("UPDATE photos SET override_reason = :sealed WHERE id = :id"),
                           {"sealed": ring.encrypt(str(reason).encode("utf-8")), "id": photo_id})


def downgrade() -> None:
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("override_reason")
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("override_reason", sa.Text(), nullable=True))
