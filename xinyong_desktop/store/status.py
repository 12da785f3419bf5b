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


def set_status(s: Session, case: Case, new: str, instructor: str, why: str = "") -> None:
    """Every status change goes through here: checked against the flow and written to the audit trail."""
    old = case.status or "未开始"
    if new == old:
        return
    if new not in STATUSES:
        raise StatusError(f"未知状态：{new}")
    if new not in NEXT[old]:
        raise StatusError(f"状态不能从“{old}”改为“{new}”")
    case.status = new
    audit(s, instructor, "status", f"{old} → {new}{('（' + why + '）') if why else ''}", case.id)


def note_check(s: Session, case: Case, ready: bool, codes: list[str], instructor: str) -> None:
    if case.first_ready is None:
        case.first_ready, case.first_codes = ready, sorted(set(codes))
    if case.status in ("未开始", "审核中", "需补正", "已就绪"):
        set_status(s, case, "已就绪" if ready else "需补正", instructor)
