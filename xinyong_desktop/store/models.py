"""Database models: classes, enterprises, cases, materials, fields, findings, decisions, audit trail."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    pass


class TrainingClass(Base):
    __tablename__ = "training_class"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    instructors: Mapped[str] = mapped_column(String(200), default="")
    # the office's additional materials, {kind: [severities]}; None = resources/rules/materials.toml class_default
    extra_required: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    cases: Mapped[list[Case]] = relationship(back_populates="training_class", cascade="all, delete-orphan")


class Enterprise(Base):
    __tablename__ = "enterprise"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    cases: Mapped[list[Case]] = relationship(back_populates="enterprise")


class PenaltyRecord(Base):
    __tablename__ = "penalty_record"
    __table_args__ = (UniqueConstraint("enterprise_id", "decision_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    decision_number: Mapped[str] = mapped_column(String(80))
    authority: Mapped[str] = mapped_column(String(120), default="")
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(10), default="general")
    platform: Mapped[str] = mapped_column(String(20), default="creditchina")
    source: Mapped[str] = mapped_column(Text, default="")  # roster file and row it came from


class Case(Base):
    """One penalty record of one enterprise being repaired in one class, with its packet."""

    __tablename__ = "case"
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_class.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("penalty_record.id"))
    packet_dir: Mapped[str] = mapped_column(Text, default="")
    record_severity: Mapped[str] = mapped_column(String(10), default="general")
    applicant: Mapped[str] = mapped_column(String(30), default="legal_representative")
    platform: Mapped[str] = mapped_column(String(20), default="creditchina")  # creditchina | necips
    status: Mapped[str] = mapped_column(String(10), default="未开始")
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    eligible_from: Mapped[dt.date | None] = mapped_column(Date)
    # the outcome of the first check (for "ready at first check" and the most common defects)
    first_ready: Mapped[bool | None] = mapped_column(Boolean)
    first_codes: Mapped[list | None] = mapped_column(JSON)
    exported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # follow-up after submission to the portal
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    query_code: Mapped[str] = mapped_column(String(60), default="")
    portal_outcome: Mapped[str] = mapped_column(String(10), default="")  # 待审核 | 已通过 | 未通过 | 退回
    portal_reason: Mapped[str] = mapped_column(Text, default="")
    portal_first_outcome: Mapped[str] = mapped_column(String(10), default="")
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)  # the day the portal's outcome was given
    # the case's facts beyond the columns above, stored once at intake (services/desk.case_facts reads them):
    # extra_required (the office's additions), published_on, penalty_types, fine_amount, decision_number
    facts: Mapped[dict | None] = mapped_column(JSON)
    source_dir: Mapped[str] = mapped_column(Text, default="")  # where the packet was copied from (the stick)
    training_class: Mapped[TrainingClass | None] = relationship(back_populates="cases")
    enterprise: Mapped[Enterprise | None] = relationship(back_populates="cases")
    materials: Mapped[list[MaterialRow]] = relationship(back_populates="case", cascade="all, delete-orphan")
    findings: Mapped[list[FindingRow]] = relationship(back_populates="case", cascade="all, delete-orphan")
    # optimistic concurrency: every UPDATE checks and bumps it; a stale one is refused (StaleDataError)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class MaterialRow(Base):
    __tablename__ = "material"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(40))
    pages: Mapped[list] = mapped_column(JSON, default=list)
    text_source: Mapped[str] = mapped_column(String(10))
    notes: Mapped[list | None] = mapped_column(JSON, default=list)  # blank:<field>, conflict:<field>, seal_name:…
    case: Mapped[Case] = relationship(back_populates="materials")
    fields: Mapped[list[FieldRow]] = relationship(back_populates="material", cascade="all, delete-orphan")


class FieldRow(Base):
    __tablename__ = "extracted_field"
    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    bbox: Mapped[list | None] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    material: Mapped[MaterialRow] = relationship(back_populates="fields")


class FindingRow(Base):
    __tablename__ = "finding"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(40))
    path: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    # "intake": reported by the check about the files themselves (unreadable, skipped, not OCR'd), kept exactly
    # as the check reported them; "engine": recomputed from the materials after every decision
    origin: Mapped[str | None] = mapped_column(String(10))
    case: Mapped[Case] = relationship(back_populates="findings")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # a finding deleted by another desk is not deleted twice


class PacketFile(Base):
    """A file of a case's packet as copied into the data folder at intake (services/intake.copy_packet): its
    path inside the packet, size and SHA-256 — the copy is verified against it before it is used."""

    __tablename__ = "packet_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))  # "" for a file the check skipped (not copied)
    size: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[str] = mapped_column(Text, default="")  # why the check skipped it (a link, a special file)


class Decision(Base):
    """An instructor's confirmation, correction or override; never deleted, only superseded (undo)."""

    __tablename__ = "decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))  # confirm | correct | override | set_kind | mark_seen
    target: Mapped[str] = mapped_column(Text)  # e.g. "material:3/field:uscc" or "finding:SEAL_MISSING/commitment_letter"
    value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    instructor: Mapped[str] = mapped_column(String(50))
    made_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditEvent(Base):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    instructor: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


# ---------------------------------------------------------------- the office's follow-up (issue 22, migration 0007)
class FollowUpStep(Base):
    """一提醒三督促 of one penalty record (常信用办〔2024〕4号): the reminder letter and three urgings, each with
    its date, channel and outcome."""

    __tablename__ = "follow_up_step"
    __table_args__ = (UniqueConstraint("record_id", "step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("penalty_record.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(10))  # reminder | urge1 | urge2 | urge3
    done_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(40), default="")  # 两书同达 / 短信 / 政企通 / 电话 / 上门 …
    outcome: Mapped[str] = mapped_column(Text, default="")
    instructor: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class IssuedDocument(Base):
    """The register of 信用修复证明 and 删除函: number, date, who asked, for which record.  The enterprise's name and
    the decision number are copied so the register stays readable after a class's data is purged."""

    __tablename__ = "issued_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # certificate | deletion_letter
    issued_on: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(200), default="")
    record_id: Mapped[int | None] = mapped_column(ForeignKey("penalty_record.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    decision_number: Mapped[str] = mapped_column(String(80), default="")
    third_party: Mapped[str] = mapped_column(String(200), default="")
    instructor: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class HighFrequencyNote(Base):
    """What the office did about a 高频失信 enterprise in a month: 约谈, 挂牌督办 …"""

    __tablename__ = "high_frequency_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_code: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    action: Mapped[str] = mapped_column(String(10))  # 约谈 | 督办 | 其他
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    instructor: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
