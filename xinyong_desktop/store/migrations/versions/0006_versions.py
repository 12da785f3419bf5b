"""a version number on cases and findings (optimistic concurrency: two desks on one case — laptops on the office
database, or two windows on one file — cannot silently overwrite each other's change; the second is refused)

Revision ID: 0006
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("case", "finding"):
        with op.batch_alter_table(table) as b:
            b.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in ("case", "finding"):
        with op.batch_alter_table(table) as b:
            b.drop_column("version")
