"""the training class's additional materials (the office's own requirements besides the platform's list):
{kind: [severities]}; NULL = the default of resources/rules/materials.toml (class_default)

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_class") as b:
        b.add_column(sa.Column("extra_required", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("training_class") as b:
        b.drop_column("extra_required")
