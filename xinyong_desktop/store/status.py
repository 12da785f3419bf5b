"""A case's status flow, every change checked against it and audited.  In the store because saving a check
moves a case along it (repo.save_check); services.classes re-exports it."""
from __future__ import annotations

from sqlalchemy.orm import Session

from xinyong_desktop.errors import XinyongError
from xinyong_desktop.store.models import Case
from xinyong_desktop.store.repo import audit

# 未开始 → 审核中 → 需补正 / 已就绪 → 已导出 → 已提交 → 已修复; a returned case goes back to 需补正
STATUSES = ("未开始", "审核中", "需补正", "已就绪", "已导出", "已提交", "已修复")
NEXT = {
    "未开始": {"审核中", "需补正", "已就绪"},
    "审核中": {"需补正", "已就绪"},
    "需补正": {"审核中", "需补正", "已就绪"},
    "已就绪": {"审核中", "需补正", "已就绪", "已导出"},
    "已导出": {"审核中", "需补正", "已就绪", "已导出", "已提交"},
    "已提交": {"需补正", "已提交", "已修复"},
    "已修复": set(),
}


class StatusError(XinyongError, ValueError):
    """A status change the flow does not allow; the message is Chinese."""


def set_status(s: Session, case: Case, new: str, instructor: str, why: str = "",
               seen_version: int | None = None) -> None:
    """Every status change goes through here: checked against the flow and written to the audit trail.

    The check is against the case as it is in this transaction, and its UPDATE is conditional on the version
    read (store.models.Case.version): another desk's change in between refuses this one.  seen_version: the
    version the instructor was looking at when choosing the change (the desk passes it) — a case changed since
    is refused at once with ConcurrentEditError."""
    from xinyong_desktop.errors import ConcurrentEditError

    if seen_version is not None and case.version != seen_version:
        raise ConcurrentEditError()
    old = case.status or "未开始"
    if new == old:
        return
    if new not in STATUSES:
        raise StatusError(f"未知状态：{new}")
    if new not in NEXT[old]:
        raise StatusError(f"状态不能从“{old}”改为“{new}”")
    case.status = new
    audit(s, instructor, "status", f"{old} → {new}{('（' + why + '）') if why else ''}", case.id)


def note_check(s: Session, case: Case, ready: bool, codes: list[str], instructor: str,
               needs_correction: bool | None = None) -> None:
    """After a check: 需补正 when the enterprise must correct something (an error), else 审核中 — a clean check
    is not ready by itself, the instructor resolves the review items and confirms the key facts first."""
    if case.first_ready is None:
        case.first_ready, case.first_codes = ready, sorted(set(codes))
    if case.status in ("未开始", "审核中", "需补正", "已就绪"):
        bad = (not ready) if needs_correction is None else needs_correction
        set_status(s, case, "需补正" if bad else "审核中", instructor)
