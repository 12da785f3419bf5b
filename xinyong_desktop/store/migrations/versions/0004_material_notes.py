"""what the engine saw on a material besides its values (a blank it saw, a conflicting value, a seal of another
unit), so a re-check after the instructor's decisions gives the same verdict as the first check

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("material") as b:
        b.add_column(sa.Column("notes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("material") as b:
        b.drop_column("notes")
