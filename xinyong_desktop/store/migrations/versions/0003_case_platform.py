"""the case's platform (信用中国 or NECIPS), so a re-check from the desk keeps the platform's rules

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case") as b:
        b.add_column(sa.Column("platform", sa.String(20), nullable=False, server_default="creditchina"))


def downgrade() -> None:
    with op.batch_alter_table("case") as b:
        b.drop_column("platform")
