"""Platform intake and the applicant's status page.

- stations.kind: "station" (counter or kiosk) or "platform" (the 12123 app's intake client,
  a credential scoped to intake).
- cases.status_token: the unguessable token of the status page /s/{token} (the receipt's QR
  code); cases stored before this revision have none.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=False,
                                      server_default="station"))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_token", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint("uq_cases_status_token", ["status_token"])


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint("uq_cases_status_token", type_="unique")
        batch_op.drop_column("status_token")
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.drop_column("kind")
