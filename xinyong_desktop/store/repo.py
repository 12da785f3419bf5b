"""Store operations used by the services and the UI: save a check, record decisions, audit."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong_desktop.hashing import file_sha256
from xinyong_desktop.store.models import (
    AuditEvent,
    Case,
    Decision,
    FieldRow,
    FindingRow,
    MaterialRow,
    PacketFile,
    TrainingClass,
)


def audit(s: Session, instructor: str, action: str, detail: str = "", case_id: int | None = None) -> None:
    """An audit event; ID and phone numbers in its detail (a correction's value, a file name) are masked."""
    from xinyong_desktop.logs import redact

    s.add(AuditEvent(case_id=case_id, instructor=instructor, action=action, detail=redact(detail)))


def create_class(s: Session, name: str, held_on: dt.date | None = None, place: str = "", instructors: str = "") -> TrainingClass:
    tc = TrainingClass(name=name, held_on=held_on, place=place, instructors=instructors)
    s.add(tc)
    s.flush()
    audit(s, instructors or "-", "create_class", name)
    return tc


def _finding_row(f, origin: str) -> FindingRow:
    return FindingRow(code=str(f.code), severity=str(f.severity), kind=str(f.kind) if f.kind else None,
                      field=str(f.field) if f.field else None, path=f.path, page=f.page, message=f.message,
                      origin=origin)


def save_check(s: Session, case: Case, result, instructor: str) -> None:
    """Replace the case's materials and findings by a fresh check result (decisions are kept).  The findings
    the check made about the files themselves (result.intake) are stored as "intake", kept as they are."""
    case.materials.clear()
    case.findings.clear()
    root = Path(case.packet_dir) if case.packet_dir else None
    hashes = {f.path: f.sha256 for f in s.scalars(select(PacketFile).where(PacketFile.case_id == case.id))} \
        if case.id is not None else {}
    for m in result.materials:
        sha = hashes.get(m.path, "")
        if not sha and root is not None and (root / m.path).is_file():
            sha = file_sha256(root / m.path)
        row = MaterialRow(path=m.path, sha256=sha, kind=str(m.kind), pages=list(m.pages), text_source=str(m.text_source),
                          notes=list(m.notes))
        for fid, fv in m.fields.items():
            row.fields.append(FieldRow(field=str(fid), value=fv.value, page=fv.page,
                                       bbox=[float(v) for v in fv.bbox] if fv.bbox else None, confidence=float(fv.confidence)))
        case.materials.append(row)
    intake = getattr(result, "intake", [])
    for f in result.findings:
        case.findings.append(_finding_row(f, "intake" if f in intake else "engine"))
    case.checked_at = dt.datetime.now().replace(microsecond=0)
    case.as_of = result.as_of
    case.eligible_from = result.eligible_from
    audit(s, instructor, "check", f"ready={result.ready} findings={len(result.findings)}", case.id)
    from xinyong_desktop.store.status import note_check  # the status flow (it imports this module)

    note_check(s, case, result.ready, [str(f.code) for f in result.findings if f.severity in ("error", "review")], instructor,
               needs_correction=any(str(f.severity) == "error" for f in result.findings))


def touch(case: Case) -> None:
    """Mark the case changed, so its UPDATE checks and bumps its version even when no column of its own
    changed (a decision, new findings): a second desk working from the same version is then refused."""
    from sqlalchemy.orm.attributes import flag_modified

    flag_modified(case, "status")


def record_decision(s: Session, case: Case, action: str, target: str, instructor: str, value: str | None = None,
                    reason: str = "") -> Decision:
    """Record a decision; the same decision made again (a double click, two desks) is the one already there."""
    if action == "override" and not reason.strip():
        raise ValueError("驳回（忽略）一项问题必须填写理由")
    if action == "correct" and target.startswith("field:"):  # "1.2万元" → "12000.00", or a Chinese refusal
        from xinyong_desktop.domain.corrections import normalize_correction

        value = normalize_correction(target.rsplit("/", 1)[-1], value)
    same = s.scalars(select(Decision).where(Decision.case_id == case.id, Decision.action == action,
                                            Decision.target == target, Decision.undone_at.is_(None))
                     .order_by(Decision.id.desc())).first()
    if same is not None and same.value == value and same.reason == reason:
        return same
    touch(case)
    d = Decision(case_id=case.id, action=action, target=target, value=value, reason=reason, instructor=instructor)
    s.add(d)
    s.flush()
    audit(s, instructor, action, f"{target} → {value or ''}（{reason}）", case.id)
    return d


def undo_decision(s: Session, decision: Decision, instructor: str) -> None:
    decision.undone_at = dt.datetime.now().replace(microsecond=0)
    audit(s, instructor, "undo", f"decision {decision.id}", decision.case_id)


def active_decisions(s: Session, case_id: int) -> list[Decision]:
    return list(s.scalars(select(Decision).where(Decision.case_id == case_id, Decision.undone_at.is_(None))
                          .order_by(Decision.id)))


def replace_findings(s: Session, case: Case, findings, eligible_from=None, intake=()) -> None:
    """Findings recomputed after a decision; the stored materials (what was read) stay as they are.  `intake`:
    those of `findings` that the check reported about the files (stored with origin "intake")."""
    touch(case)
    case.findings.clear()
    for f in findings:
        case.findings.append(_finding_row(f, "intake" if f in intake else "engine"))
    if eligible_from is not None:
        case.eligible_from = eligible_from
