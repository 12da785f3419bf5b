"""first-check outcome, export time, portal follow-up, record source

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case") as b:
        b.add_column(sa.Column("first_ready", sa.Boolean(), nullable=True))
        b.add_column(sa.Column("first_codes", sa.JSON(), nullable=True))
        b.add_column(sa.Column("exported_at", sa.DateTime(), nullable=True))
        b.add_column(sa.Column("submitted_on", sa.Date(), nullable=True))
        b.add_column(sa.Column("query_code", sa.String(60), nullable=False, server_default=""))
        b.add_column(sa.Column("portal_outcome", sa.String(10), nullable=False, server_default=""))
        b.add_column(sa.Column("portal_reason", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("portal_first_outcome", sa.String(10), nullable=False, server_default=""))
    with op.batch_alter_table("penalty_record") as b:
        b.add_column(sa.Column("source", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("penalty_record") as b:
        b.drop_column("source")
    with op.batch_alter_table("case") as b:
        for col in ("portal_first_outcome", "portal_reason", "portal_outcome", "query_code", "submitted_on",
                    "exported_at", "first_codes", "first_ready"):
            b.drop_column(col)
