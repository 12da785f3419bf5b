"""Purge a class's personal data (ID numbers, phone numbers) so that it is gone from the database file itself,
its WAL, its backups and the copies of packets the app keeps in its data folder."""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from xinyong_desktop.services.review import PERSONAL_FIELDS, mask, mask_text
from xinyong_desktop.store.models import (
    AuditEvent,
    Case,
    Decision,
    Enterprise,
    FieldRow,
    FindingRow,
    MaterialRow,
)
from xinyong_desktop.store.repo import audit

# any run of 15–19 digits (an ID number, also one OCR misread by a digit or two; a bank card) and the
# 18-character ID with its X check digit
_LONG_NUMBER = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{7,11}([0-9]{3}[0-9Xx])(?![0-9])")


@dataclass
class PurgeSummary:
    fields: int = 0
    texts: int = 0
    phones: int = 0
    backups_removed: int = 0
    folders_removed: int = 0


def scrub(value: str | None) -> str | None:
    """Free text with every ID-like number (15–19 digits) and mobile number masked."""
    if not value:
        return value
    return mask_text(_LONG_NUMBER.sub(lambda m: m[1] + "*" * (len(m[0]) - 8) + m[2], value))


def decision_field(target: str) -> str:
    """The field a decision is about: "field:<path>#<pages>/<field>" (services/review.field_target), or the
    older "material:<path>#<pages>/field:<field>"."""
    if "/field:" in target:
        return target.rsplit("/field:", 1)[-1]
    if target.startswith("field:"):
        return target.rsplit("/", 1)[-1]
    return ""


def purge_class(s: Session, class_id: int, instructor: str) -> PurgeSummary:
    """Delete read ID/phone values and mask them in messages, decisions and the audit trail of the class."""
    out = PurgeSummary()
    case_ids = list(s.scalars(select(Case.id).where(Case.class_id == class_id)))
    if not case_ids:
        return out
    rows = s.scalars(select(FieldRow).join(MaterialRow).where(MaterialRow.case_id.in_(case_ids)))
    for row in rows:
        if row.field in PERSONAL_FIELDS:
            s.delete(row)
            out.fields += 1
        elif scrub(row.value) != row.value:  # a misread field holding an ID number
            row.value = scrub(row.value) or ""
            out.texts += 1
    for model, id_col, attr in ((FindingRow, FindingRow.case_id, "message"), (AuditEvent, AuditEvent.case_id, "detail"),
                                (Case, Case.id, "portal_reason")):
        for rec in s.scalars(select(model).where(id_col.in_(case_ids))):
            masked = scrub(getattr(rec, attr))
            if masked != getattr(rec, attr):
                setattr(rec, attr, masked)
                out.texts += 1
    for d in s.scalars(select(Decision).where(Decision.case_id.in_(case_ids))):
        field = decision_field(d.target)
        value = mask(field, d.value) if d.value and field in PERSONAL_FIELDS else d.value
        value, reason = scrub(value), scrub(d.reason) or ""
        if (value, reason) != (d.value, d.reason):
            d.value, d.reason = value, reason
            out.texts += 1
    ent_ids = {e for e in s.scalars(select(Case.enterprise_id).where(Case.id.in_(case_ids))) if e}
    for ent in s.scalars(select(Enterprise).where(Enterprise.id.in_(ent_ids))):
        if ent.contact_phone:
            ent.contact_phone = ""
            out.phones += 1
    audit(s, instructor, "purge_class", f"删除个人信息：字段 {out.fields}，文字 {out.texts}，电话 {out.phones}")
    return out


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return path.resolve() != root.resolve()


def purge_packet_copies(s: Session, class_id: int, packets_root: Path) -> int:
    """Delete the copies of the class's packets that the app keeps under its data folder (imported bundles),
    and the staging folders of killed imports.  Folders elsewhere (the instructor's own) are never touched."""
    n = 0
    for case in s.scalars(select(Case).where(Case.class_id == class_id)):
        folder = Path(case.packet_dir) if case.packet_dir else None
        if folder is not None and _inside(folder, packets_root) and not folder.is_symlink():
            if folder.exists():
                shutil.rmtree(folder)
                n += 1
            case.packet_dir = ""
    if packets_root.is_dir():
        for p in packets_root.iterdir():
            if p.name.startswith(".import-") and p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
                n += 1
    return n


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


def purge_and_compact(sessionmaker_, class_id: int, instructor: str, db_path: Path | None,
                      packets_root: Path | None = None) -> PurgeSummary:
    """Purge the class in the database, delete its packet copies under packets_root (default: the "packets"
    folder beside the database, where the desk imports bundles), compact, and replace every backup."""
    if packets_root is None and db_path is not None:
        packets_root = db_path.parent / "packets"
    with sessionmaker_() as s, s.begin():
        out = purge_class(s, class_id, instructor)
        if packets_root is not None:
            out.folders_removed = purge_packet_copies(s, class_id, packets_root)
    engine = sessionmaker_.kw["bind"]
    compact(engine)
    if db_path is not None:  # older backups still hold what was purged
        from xinyong_desktop.store.backup import make_backup, purge_backups

        out.backups_removed = purge_backups(db_path)
        make_backup(db_path, "after-purge")
    return out
