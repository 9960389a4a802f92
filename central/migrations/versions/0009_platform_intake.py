"""Platform intake and the applicant's status page.

- stations.kind: "station" (counter or kiosk) or "platform" (the 12123 app's intake client,
  a credential scoped to intake).
- cases.status_token: the unguessable token of the status page /s/{token} (the receipt's QR
  code); cases stored before this revision have none.
- stations.webhook_secret (sealed): a platform client's key for signing its callbacks.
- events: the event stream's transactional outbox; webhook_deliveries: callbacks owed.

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
        batch_op.add_column(sa.Column("webhook_secret", sa.Text(), nullable=True))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_token", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint("uq_cases_status_token", ["status_token"])
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "events",
        sa.Column("seq", big_id, primary_key=True, autoincrement=True),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_events_case_id", "events", ["case_id"])
    op.create_index("ix_events_unpublished", "events", ["seq"],
                    postgresql_where=sa.text("published_at IS NULL"),
                    sqlite_where=sa.text("published_at IS NULL"))
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", big_id, primary_key=True, autoincrement=True),
        sa.Column("event_seq", big_id, sa.ForeignKey("events.seq", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("client_id", sa.String(length=32), sa.ForeignKey("stations.id"),
                  nullable=False),
        sa.Column("url", sa.String(length=512), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_webhook_deliveries_state", "webhook_deliveries", ["state"])


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("events")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint("uq_cases_status_token", type_="unique")
        batch_op.drop_column("status_token")
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.drop_column("webhook_secret")
        batch_op.drop_column("kind")
