"""Purge a class's personal data (ID numbers, phone numbers) so that it is gone from the database file itself."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from xinyong_desktop.services.review import PERSONAL_FIELDS, mask, mask_text
from xinyong_desktop.store.models import AuditEvent, Case, Decision, Enterprise, FieldRow, FindingRow, MaterialRow
from xinyong_desktop.store.repo import audit


@dataclass
class PurgeSummary:
    fields: int = 0
    texts: int = 0
    phones: int = 0
    backups_removed: int = 0


def purge_class(s: Session, class_id: int, instructor: str) -> PurgeSummary:
    """Delete read ID/phone values and mask them in messages, decisions and the audit trail of the class."""
    out = PurgeSummary()
    case_ids = list(s.scalars(select(Case.id).where(Case.class_id == class_id)))
    if not case_ids:
        return out
    rows = s.scalars(select(FieldRow).join(MaterialRow).where(MaterialRow.case_id.in_(case_ids),
                                                               FieldRow.field.in_(PERSONAL_FIELDS)))
    for row in rows:
        s.delete(row)
        out.fields += 1
    for model, attr in ((FindingRow, "message"), (AuditEvent, "detail")):
        for row in s.scalars(select(model).where(model.case_id.in_(case_ids))):
            masked = mask_text(getattr(row, attr))
            if masked != getattr(row, attr):
                setattr(row, attr, masked)
                out.texts += 1
    for d in s.scalars(select(Decision).where(Decision.case_id.in_(case_ids))):
        field = d.target.rsplit("/field:", 1)[-1] if "/field:" in d.target else ""
        if d.value and field in PERSONAL_FIELDS:
            d.value = mask(field, d.value)
            out.texts += 1
        d.reason = mask_text(d.reason)
    ent_ids = {e for e in s.scalars(select(Case.enterprise_id).where(Case.id.in_(case_ids))) if e}
    for ent in s.scalars(select(Enterprise).where(Enterprise.id.in_(ent_ids))):
        if ent.contact_phone:
            ent.contact_phone = ""
            out.phones += 1
    audit(s, instructor, "purge_class", f"删除个人信息：字段 {out.fields}，文字 {out.texts}，电话 {out.phones}")
    return out


def compact(engine: Engine) -> None:
    """Make deleted bytes unrecoverable from the file: secure_delete is on; checkpoint the WAL, VACUUM, and
    truncate the WAL so no old page survives in it either.  (On a server database: VACUUM.)"""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            conn.execute(text("VACUUM"))
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            conn.execute(text("VACUUM"))


def purge_and_compact(sessionmaker_, class_id: int, instructor: str, db_path: Path | None) -> PurgeSummary:
    with sessionmaker_() as s, s.begin():
        out = purge_class(s, class_id, instructor)
    engine = sessionmaker_.kw["bind"]
    compact(engine)
    if db_path is not None:  # older backups still hold what was purged
        from xinyong_desktop.store.backup import make_backup, purge_backups

        out.backups_removed = purge_backups(db_path)
        make_backup(db_path, "after-purge")
    return out
