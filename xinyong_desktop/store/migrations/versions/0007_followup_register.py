"""the office's follow-up: 一提醒三督促 per record, the register of 信用修复证明 / 删除函, 高频失信 notes

Revision ID: 0007
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follow_up_step",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("record_id", sa.Integer(), sa.ForeignKey("penalty_record.id", ondelete="CASCADE"), nullable=False),
        sa.Column("step", sa.String(10), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("instructor", sa.String(50), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("record_id", "step"),
    )
    op.create_table(
        "issued_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(60), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("record_id", sa.Integer(), sa.ForeignKey("penalty_record.id", ondelete="SET NULL"), nullable=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case.id", ondelete="SET NULL"), nullable=True),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("decision_number", sa.String(80), nullable=False),
        sa.Column("third_party", sa.String(200), nullable=False),
        sa.Column("instructor", sa.String(50), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "high_frequency_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_code", sa.String(18), nullable=False),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("instructor", sa.String(50), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("high_frequency_note")
    op.drop_table("issued_document")
    op.drop_table("follow_up_step")
