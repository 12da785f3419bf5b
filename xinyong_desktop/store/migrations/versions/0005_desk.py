"""the desk at a real class: the case's facts stored once (facts), the packet copied into the data folder
(packet_file, source_dir), the origin of each finding (intake findings kept as the check reported them), the
date of the portal's outcome

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case") as b:
        b.add_column(sa.Column("facts", sa.JSON(), nullable=True))
        b.add_column(sa.Column("source_dir", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("outcome_on", sa.Date(), nullable=True))
    with op.batch_alter_table("finding") as b:
        b.add_column(sa.Column("origin", sa.String(10), nullable=True))
    op.create_table(
        "packet_file",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case.id", ondelete="CASCADE"), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_packet_file_case_id", "packet_file", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_packet_file_case_id", "packet_file")
    op.drop_table("packet_file")
    with op.batch_alter_table("finding") as b:
        b.drop_column("origin")
    with op.batch_alter_table("case") as b:
        b.drop_column("outcome_on")
        b.drop_column("source_dir")
        b.drop_column("facts")
