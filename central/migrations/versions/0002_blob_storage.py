"""Store part bytes uncompressed: photos and scans are already compressed, so PostgreSQL's
TOAST compression only costs CPU.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL")
        op.execute("ALTER TABLE part_uploads ALTER COLUMN received SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTENDED")
        op.execute("ALTER TABLE part_uploads ALTER COLUMN received SET STORAGE EXTENDED")
