"""One view of one case, without Qt.

`DeskController` owns the selected class, case and item (a field, a finding, a page); every change produces one
`CaseView` value — materials, findings, review queue, the page and the evidence to show, counts, status, header,
status-bar text — that every panel of the window renders.  No panel keeps its own copy: a panel that shows the
page of case A while case B is selected, or a count that disagrees with the header, cannot arise, because
both come from the same value made from the same stored verdict.  Writes go through the one `DbWriter`.

`CheckQueue` is the order of background checks (which packet, how far, how long still) — the window runs them
one after another and renders its lines."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from xinyong_desktop.checks.messages import FIELD_NAMES
from xinyong_desktop.domain.model import FieldId, Kind
from xinyong_desktop.rules.loader import RuleBook
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import CheckResult
from xinyong_desktop.services.review import PERSONAL_FIELDS, field_target, finding_key, mask, mask_text, material_key
from xinyong_desktop.services.writer import DbWriter
from xinyong_desktop.store.models import Case, Decision

# ---------------------------------------------------------------- wording of the view (the window shows it as is)
READY = "可以提交：未发现阻碍提交的问题"
NOT_READY = "暂不能提交：还有 {n} 个问题需要处理"
AND_PENDING = "，另有 {n} 项待核对"
PENDING_ONLY = "还有 {n} 项待核对：请逐项确认（Ctrl+Enter 确认并转到下一项，Ctrl+E 更正）"
NOT_CHECKED = "尚未检查"
NO_PACKET = "该企业还没有材料：请用“添加企业材料文件夹”或把文件夹拖到窗口上。"
CHECKING = "正在检查材料…"
QUEUED = "排队等待检查（前面还有 {n} 个）"
BLOCKED_BY = "仍阻碍就绪：\n"
TO_REVIEW = "待核对"
CONFIRMED_BY = "✓ 已确认（{who}）"
CORRECTED_BY = "✎ 已更正（{who}）"
IGNORED_BY = "已忽略：{reason}（{who}）"
RESOLVED_BY = "已核对（{who}）"
QUEUE_TITLE = "待核对 {n} 项（Ctrl+Enter 确认并下一项，Ctrl+E 更正）"
QUEUE_DONE = "待核对项已全部处理"
EMPTY_CLASS = ("还没有企业。第一步：\n"
               "① 培训班 → 新建培训班（Alt+C）\n② 培训班 → 导入处罚名单（Ctrl+L）\n③ 文件 → 添加企业材料文件夹（Ctrl+O），"
               "或把文件夹拖到窗口上")
CHOOSE_CASE = "请先在左侧选择一家企业。"
SEVERITY = {"error": "错误", "review": "待核对", "warning": "提示"}
MARK_VALUES = {"present": "有", "absent": "未见"}
MAY_BE_READY = "可标记就绪"  # 审核中, nothing left to do but Ctrl+R
DONE_STATUSES = ("已就绪", "已导出", "已提交", "已修复")


@dataclass(frozen=True)
class FieldLine:
    label: str
    value: str  # as shown (masked unless revealed)
    confidence: float
    mark: str  # 已确认 / 已更正 / 待核对 / ""
    state: str  # done | review | ""
    note: str  # the decision's reason, as a tooltip
    path: str
    page: int
    pages: tuple[int, ...]
    box: str  # the evidence box's key on its page
    field: str
    raw: str  # the value itself (what a confirmation records)
    target: str
    bbox: tuple[float, float, float, float] | None

    @property
    def low(self) -> bool:
        return self.confidence < desk.LOW_CONFIDENCE


@dataclass(frozen=True)
class MaterialLine:
    kind_name: str
    kind: str
    path: str
    pages: tuple[int, ...]
    fields: tuple[FieldLine, ...] = ()
    missing: bool = False  # a required material not in the packet


@dataclass(frozen=True)
class FindingLine:
    text: str
    state: str  # error | review | done | ""
    key: str
    path: str | None
    page: int | None
    field: str | None


@dataclass(frozen=True)
class QueueLine:
    text: str
    resolved: bool
    target: str
    path: str | None
    page: int | None
    field: str | None
    finding: str | None


@dataclass(frozen=True)
class Shown:
    """The page on screen and the evidence on it."""

    path: str
    page: int
    boxes: dict[str, tuple[float, float, float, float]]
    box: str | None  # the selected field's box (highlighted, enlarged beside the queue)
    bbox: tuple[float, float, float, float] | None


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    case_id: int
    name: str
    record: str  # the decision number, so that two records of one enterprise are told apart
    status: str  # as shown: the stored status, or 可标记就绪 / 检查中 / 排队中
    errors: int
    pending: int


@dataclass(frozen=True)
class CaseView:
    case_id: int | None
    title: str = ""
    header: str = ""  # the verdict line above the checklist
    block: str = ""  # what still blocks ready
    status_text: str = ""  # the status bar says the same as the header
    ready_enabled: bool = False
    can_decide: bool = False
    checking: bool = False
    queue_title: str = QUEUE_DONE
    materials: tuple[MaterialLine, ...] = ()
    findings: tuple[FindingLine, ...] = ()
    queue: tuple[QueueLine, ...] = ()
    errors: int = 0
    pending: int = 0
    status: str = ""
    root: Path | None = None
    content: tuple = ()  # identity of the lists: a panel rebuilds only when it changed
    shown: Shown | None = None
    selected: str | None = None  # the selected field target, or finding key
    row: CaseRow | None = None
    version: int | None = None  # the case row's version this view was made from (a write checks it: another desk)
    boxes: dict[tuple[str, int], dict[str, tuple[float, float, float, float]]] = field(default_factory=dict)

    def field_line(self, target: str | None) -> FieldLine | None:
        for m in self.materials:
            for f in m.fields:
                if f.target == target:
                    return f
        return None

    @property
    def selected_field(self) -> FieldLine | None:
        return self.field_line(self.selected)

    @property
    def pages(self) -> list[tuple[str, int, str]]:
        """(path, page, caption) of every page of the case's materials, for the thumbnail strip."""
        return [(m.path, pg, f"{m.kind_name}：{m.path} 第 {pg} 页") for m in self.materials if not m.missing
                for pg in m.pages]


@dataclass
class Selection:
    target: str | None = None  # a field target or a finding key
    path: str | None = None  # a page without a field
    page: int | None = None


def display_status(status: str, ready: bool, activity: str = "") -> str:
    if activity:
        return activity
    if status == "审核中" and ready:
        return MAY_BE_READY
    return status


def header_text(v: desk.CaseVerdict) -> str:
    if not v.checked:
        return NOT_CHECKED
    if v.ready:
        return READY
    if v.open:
        return NOT_READY.format(n=len(v.open)) + (AND_PENDING.format(n=len(v.pending)) if v.pending else "")
    return PENDING_ONLY.format(n=len(v.pending))


def _case(s: Session, case_id: int) -> Case:
    c = s.get(Case, case_id)
    if c is None:
        raise desk.DeskError("该案件已不存在（可能已被删除）。")
    return c


class DeskController:
    """The selected class, case and item, and the one view made from them.  `listeners` get every new view;
    `row_listeners` get a case's list line whenever its counts or status may have changed (any case, not only
    the selected one)."""

    def __init__(self, db: sessionmaker[Session], writer: DbWriter, rules: RuleBook, instructor: str):
        self.db, self.writer, self.rules, self.instructor = db, writer, rules, instructor
        self.class_id: int | None = None
        self.case_id: int | None = None
        self.sel = Selection()
        self.reveal = False
        self.activity: dict[int, str] = {}  # case id → 检查中 / 排队中 (set by the check queue)
        self.queue_position: dict[int, int] = {}
        self.listeners: list[Callable[[CaseView], None]] = []
        self.row_listeners: list[Callable[[CaseRow], None]] = []
        self.current = CaseView(None)

    # ------------------------------------------------------------ names
    def kind_name(self, kind: str | None) -> str:
        try:
            return self.rules.materials[Kind(kind or "")].name
        except (ValueError, KeyError):
            return kind or ""

    # ------------------------------------------------------------ the list
    def rows(self) -> list[CaseRow]:
        """Every case of the class as the list shows it: the same verdict as the view, counted in a few queries."""
        if self.class_id is None:
            return []
        with self.db() as s:
            return [CaseRow(c.id, desk.case_name(c), desk.case_number(c),
                            desk.DATA_PROBLEM if desk.unknown_values(c) else
                            display_status(c.status, c.checked_at is not None and not errors and not reviews,
                                           self.activity.get(c.id, "")), errors, reviews)
                    for c, errors, reviews in desk.class_counts(s, self.class_id)]

    def row(self, s: Session, c: Case, v: desk.CaseVerdict | None = None) -> CaseRow:
        if desk.unknown_values(c):
            return CaseRow(c.id, desk.case_name(c), desk.case_number(c), desk.DATA_PROBLEM, 0, 0)
        v = v or desk.case_verdict(s, c)
        return CaseRow(c.id, desk.case_name(c), desk.case_number(c),
                       display_status(c.status, v.ready, self.activity.get(c.id, "")), len(v.open_errors),
                       len(v.pending))

    def refresh_row(self, case_id: int) -> CaseRow | None:
        with self.db() as s:
            c = s.get(Case, case_id)
            if c is None or c.class_id != self.class_id:
                return None
            r = self.row(s, c)
        for fn in self.row_listeners:
            fn(r)
        return r

    def case_count(self) -> int:
        from sqlalchemy import func, select

        if self.class_id is None:
            return 0
        with self.db() as s:
            return int(s.scalar(select(func.count(Case.id)).where(Case.class_id == self.class_id)) or 0)

    # ------------------------------------------------------------ selection
    def select_case(self, case_id: int | None) -> CaseView:
        """Another case: its own first item to review (else its first page) is shown, never the last case's."""
        if case_id != self.case_id:
            self.case_id = case_id
            self.sel = Selection()
            view = self._make()
            first = next((q for q in view.queue if not q.resolved), None)
            if first is not None:
                self.sel = Selection(first.target, first.path, first.page)
            elif view.materials and view.materials[0].pages:
                self.sel = Selection(None, view.materials[0].path, view.materials[0].pages[0])
        return self.refresh()

    def select_target(self, target: str | None) -> CaseView:
        """A field (its page and evidence box) or a finding (its field when it has one, else its page)."""
        line = self.current.field_line(target)
        if line is not None:
            self.sel = Selection(target, line.path, line.page)
            return self.refresh(rebuild=False)
        f = next((f for f in self.current.findings if f.key == target), None)
        q = next((q for q in self.current.queue if q.target == target), None)
        if f is not None and f.field and f.path:
            hit = next((fl for m in self.current.materials for fl in m.fields
                        if fl.path == f.path and fl.field == f.field), None)
            if hit is not None:
                self.sel = Selection(hit.target, hit.path, hit.page)
                return self.refresh(rebuild=False)
        path, page = (f.path, f.page) if f is not None else (q.path, q.page) if q is not None else (None, None)
        self.sel = Selection(target, path or self.sel.path, (page or 1) if path else self.sel.page)
        return self.refresh(rebuild=False)

    def select_page(self, path: str, page: int) -> CaseView:
        self.sel = Selection(None, path, page)
        return self.refresh(rebuild=False)

    def select_box(self, box: str) -> CaseView:
        hit = next((fl for m in self.current.materials for fl in m.fields if fl.box == box), None)
        return self.select_target(hit.target) if hit is not None else self.current

    def next_review(self, after: str | None = None) -> bool:
        """Select the next unresolved queue item after `after` (else after the selection), wrapping round."""
        rows = list(self.current.queue)
        anchor = after or self.sel.target
        start = next((i + 1 for i, q in enumerate(rows) if q.target == anchor), 0)
        for i in list(range(start, len(rows))) + list(range(0, start)):
            if not rows[i].resolved:
                self.select_target(rows[i].target)
                return True
        return False

    # ------------------------------------------------------------ the view
    def refresh(self, rebuild: bool = True) -> CaseView:
        """Make the view again (from the store when rebuild, else the same lists with the new selection) and hand it
        to every listener."""
        view = self._make() if rebuild or self.current.case_id != self.case_id else self._reselect(self.current)
        self.current = view
        for fn in self.listeners:
            fn(view)
        return view

    def _reselect(self, view: CaseView) -> CaseView:
        """The same lists, another selection: nothing is read again."""
        from dataclasses import replace

        return replace(view, shown=self._shown(view), selected=self.sel.target)

    def _shown(self, view: CaseView) -> Shown | None:
        line = view.field_line(self.sel.target) if self.sel.target is not None else None
        path, page = (line.path, line.page) if line is not None else (self.sel.path, self.sel.page)
        if not path or page is None:
            return None
        boxes = view.boxes.get((path, page), {})
        box = line.box if line is not None and line.box in boxes else None
        return Shown(path, page, boxes, box, boxes.get(box) if box else None)

    def _make(self) -> CaseView:
        if self.case_id is None:
            n = self.case_count()
            text = EMPTY_CLASS if n == 0 else CHOOSE_CASE
            return CaseView(None, header=text, status_text="", content=("none", n))
        from sqlalchemy.orm import selectinload

        from xinyong_desktop.store.models import MaterialRow

        with self.db() as s:  # the case's reading in three queries, not one per material
            c = s.get(Case, self.case_id, options=[selectinload(Case.materials).selectinload(MaterialRow.fields),
                                                   selectinload(Case.findings), selectinload(Case.enterprise)])
            if c is None:
                self.case_id = None
                return self._make()
            return self._view(s, c)

    def _view(self, s: Session, c: Case) -> CaseView:
        problems = desk.unknown_values(c)
        if problems:  # marked, not opened for decisions; the rest of the desk keeps working
            name = desk.case_name(c)
            text = desk.unknown_values_text(problems)
            return CaseView(c.id, title=name, header=text, status_text=f"{name}：{text}", status=desk.DATA_PROBLEM,
                            content=(c.id, "unknown", tuple(problems)), row=self.row(s, c), version=c.version)
        v = desk.case_verdict(s, c)
        activity = self.activity.get(c.id, "")
        by_target = {d.target: d for d in v.decisions if d.action in ("confirm", "correct")}
        pending = {i.target for i in v.pending}
        row_ids = {material_key(m.path, list(m.pages)): m.id for m in c.materials}
        boxes: dict[tuple[str, int], dict[str, tuple[float, float, float, float]]] = {}
        for mr in c.materials:  # every evidence box, by the page it is on
            for fr in mr.fields:
                if fr.bbox:
                    boxes.setdefault((mr.path, fr.page), {})[f"{mr.id}:{fr.field}"] = (
                        float(fr.bbox[0]), float(fr.bbox[1]), float(fr.bbox[2]), float(fr.bbox[3]))
        materials: list[MaterialLine] = []
        result: CheckResult = v.result  # type: ignore[assignment]  # CaseVerdict.result is typed object
        for m in result.materials:
            rid = row_ids.get(material_key(m.path, m.pages))
            lines = []
            for fid, fv in m.fields.items():
                fname = str(fid)
                value = fv.value if self.reveal or fname not in PERSONAL_FIELDS else mask(fname, fv.value)
                value = MARK_VALUES.get(value, value) if fname in ("seal", "signature") else value
                target = field_target(m.path, m.pages, fname)
                d = by_target.get(target)
                mark = (CORRECTED_BY if d.action == "correct" else CONFIRMED_BY).format(who=d.instructor) if d \
                    else TO_REVIEW if target in pending else ""
                state = "done" if d is not None else "review" if target in pending else ""
                bbox = (float(fv.bbox[0]), float(fv.bbox[1]), float(fv.bbox[2]), float(fv.bbox[3])) if fv.bbox else None
                lines.append(FieldLine(FIELD_NAMES.get(FieldId(fname), fname), value, fv.confidence, mark, state,
                                       d.reason if d is not None else "", m.path, fv.page, tuple(m.pages),
                                       f"{rid}:{fname}", fname, fv.value, target, bbox))
            materials.append(MaterialLine(self.kind_name(str(m.kind)), str(m.kind), m.path, tuple(m.pages), tuple(lines)))
        for f in c.findings:
            if f.code == "MATERIAL_MISSING":
                materials.append(MaterialLine(self.kind_name(f.kind), f.kind or "", "", (), (), True))
        resolved = {i.finding_key: i.resolved_by for i in v.queue if i.finding_key and i.resolved}
        findings = []
        for f in c.findings:
            key = finding_key(f.code, f.kind, f.field, f.path)
            msg = f.message if self.reveal else mask_text(f.message)
            text = f"[{SEVERITY.get(f.severity, f.severity)}] {msg}"
            state = "error" if f.severity == "error" else "review" if f.severity == "review" else ""
            done = v.overrides.get(key)
            if done is not None:
                text, state = f"✓ {text}\n    " + IGNORED_BY.format(reason=done.reason, who=done.instructor), "done"
            elif key in resolved:
                by = resolved[key]
                text, state = f"✓ {text}\n    " + RESOLVED_BY.format(who=by.instructor if by else ""), "done"
            findings.append(FindingLine(text, state, key, f.path, f.page, f.field))
        queue = tuple(QueueLine(self._queue_text(i.why, i.resolved_by), i.resolved, i.target, i.path, i.page, i.field,
                                i.finding_key) for i in v.queue)
        header = NO_PACKET if not c.packet_dir and not v.checked else header_text(v)
        if activity:
            ahead = self.queue_position.get(c.id, 0)
            header = CHECKING if activity == "检查中" else QUEUED.format(n=ahead)
        portal = ""
        if c.portal_outcome:
            portal = f"\n平台：{c.portal_outcome}" + (f"（{c.portal_reason}）" if c.portal_reason else "") + \
                (f"　查询码 {c.query_code}" if c.query_code else "")
        blocks = [f"· {mask_text(f.message)}" for f in v.open[:6]] + [f"· {TO_REVIEW}：{i.why}" for i in v.pending[:6]]
        name = desk.case_name(c)
        record = desk.case_number(c)
        content = (c.id, c.checked_at, tuple(d.id for d in v.decisions), self.reveal, activity, c.status,
                   len(c.findings))
        view = CaseView(
            c.id, title=f"{name}　{record}" if record else name, header=header + portal,
            block="" if activity or not blocks else BLOCKED_BY + "\n".join(blocks),
            status_text=f"{name}：{header}", ready_enabled=v.ready and not activity and v.status not in DONE_STATUSES,
            can_decide=v.checked and not activity, checking=bool(activity),
            queue_title=QUEUE_TITLE.format(n=len(v.pending)) if v.pending else QUEUE_DONE,
            materials=tuple(materials), findings=tuple(findings), queue=queue, errors=len(v.open_errors),
            pending=len(v.pending), status=c.status, root=Path(c.packet_dir) if c.packet_dir else None,
            content=content, shown=None, selected=self.sel.target, row=self.row(s, c, v), version=c.version,
            boxes=boxes)
        from dataclasses import replace

        return replace(view, shown=self._shown(view))

    @staticmethod
    def _queue_text(why: str, d: Decision | None) -> str:
        if d is None:
            return f"○ {why}"
        how = IGNORED_BY.format(reason=d.reason, who=d.instructor) if d.action == "override" else \
            (CORRECTED_BY if d.action == "correct" else CONFIRMED_BY).format(who=d.instructor)
        return f"✓ {why}\n    {how}"

    # ------------------------------------------------------------ decisions (through the one writer)
    def decide(self, action: str, target: str, value: str | None = None, reason: str = "") -> CaseView:
        """Store a decision on the selected case, re-run the checks on the confirmed facts, and show the result
        (the selection stays where it was)."""
        case_id, who, rules = self.case_id, self.instructor, self.rules
        if case_id is None:
            raise desk.DeskError(CHOOSE_CASE)
        if self.current.checking:
            raise desk.DeskError("该企业的材料正在检查，检查完成后再核对。")
        self.write_case(case_id, lambda s, c: desk.decide(s, c, action, target, who, rules, value, reason))
        return self._changed(case_id)

    def undo(self) -> CaseView:
        case_id, who, rules = self.case_id, self.instructor, self.rules
        if case_id is None or self.current.checking:
            return self.current
        self.write_case(case_id, lambda s, c: desk.undo_last(s, c, who, rules))
        return self._changed(case_id)

    def mark_ready(self) -> CaseView:
        case_id, who = self.case_id, self.instructor
        if case_id is None:
            raise desk.DeskError(CHOOSE_CASE)
        self.write_case(case_id, lambda s, c: desk.mark_ready(s, c, who) and None)
        return self._changed(case_id)

    def write_case(self, case_id: int, fn: Callable[[Session, Case], object]) -> object:
        """fn(session, case) through the one writer, on the case as the instructor saw it: when another desk (a
        laptop on the office database, another window on the file) changed it since this view was made, nothing
        is written, the case is read again (its line and, when selected, the view) and ConcurrentEditError says
        so in Chinese."""
        from sqlalchemy.orm.exc import StaleDataError

        from xinyong_desktop.errors import ConcurrentEditError

        seen = self.current.version if self.current.case_id == case_id else None

        def run(s: Session) -> object:
            c = _case(s, case_id)
            if seen is not None and c.version != seen:
                raise ConcurrentEditError()
            problems = desk.unknown_values(c)
            if problems:
                raise desk.DeskError(desk.unknown_values_text(problems))
            return fn(s, c)
        try:
            return self.writer.call(run)
        except (ConcurrentEditError, StaleDataError):
            self.case_changed(case_id)  # the screen shows what the database holds now
            raise ConcurrentEditError() from None

    def _changed(self, case_id: int) -> CaseView:
        if case_id != self.case_id:
            self.refresh_row(case_id)
            return self.current
        view = self.refresh()  # its list line comes with it (view.row), from the same verdict
        return view

    def case_changed(self, case_id: int) -> None:
        """A case changed behind the view (its check ended, a follow-up step): its list line is redrawn, and the view
        when it is the selected one — the selection never moves."""
        self.refresh_row(case_id)
        if case_id == self.case_id:
            self.refresh()


# ---------------------------------------------------------------- the order of background checks
@dataclass
class CheckJob:
    case_id: int
    name: str
    pages: int  # files in the packet (what the progress counts)
    state: str = "等待"  # 等待 | 检查中 | 完成 | 失败 | 取消
    done: int = 0
    total: int = 0
    label: str = ""
    started: float | None = None
    ended: float | None = None
    outcome: str = ""


@dataclass
class CheckQueue:
    """Packets waiting, the one being checked, and those finished; lines and an estimate to show.  The estimate
    uses the seconds per file measured on this machine in this session (a first guess until one has finished)."""

    jobs: list[CheckJob] = field(default_factory=list)
    per_file: float = 4.0  # seconds per file before anything was measured (text PDFs are faster, scans slower)
    measured: list[float] = field(default_factory=list)
    clock: Callable[[], float] = time.monotonic

    def add(self, case_id: int, name: str, files: int) -> CheckJob | None:
        """Queue a case (once: a case already waiting or being checked is not queued twice)."""
        if any(j.case_id == case_id and j.state in ("等待", "检查中") for j in self.jobs):
            return None
        job = CheckJob(case_id, name, max(1, files))
        self.jobs.append(job)
        return job

    @property
    def waiting(self) -> list[CheckJob]:
        return [j for j in self.jobs if j.state == "等待"]

    @property
    def running(self) -> CheckJob | None:
        return next((j for j in self.jobs if j.state == "检查中"), None)

    def active(self, case_id: int) -> str:
        j = next((j for j in self.jobs if j.case_id == case_id and j.state in ("等待", "检查中")), None)
        return "" if j is None else "检查中" if j.state == "检查中" else "排队中"

    def position(self, case_id: int) -> int:
        """How many jobs run before this one."""
        order = ([self.running] if self.running else []) + self.waiting
        return next((i for i, j in enumerate(order) if j.case_id == case_id), 0)

    def set_outcome(self, case_id: int, text: str, name: str = "") -> None:
        """What the finished check found, and the enterprise's name as it was read (a new case was known only by
        its folder's name before)."""
        job = next((j for j in reversed(self.jobs) if j.case_id == case_id and j.state == "完成"), None)
        if job is not None:
            job.outcome = text
            job.name = name or job.name

    def name_of(self, case_id: int) -> str:
        return next((j.name for j in reversed(self.jobs) if j.case_id == case_id), "")

    def start_next(self) -> CheckJob | None:
        if self.running is not None or not self.waiting:
            return None
        job = self.waiting[0]
        job.state, job.started = "检查中", self.clock()
        return job

    def progress(self, job: CheckJob, done: int, total: int, label: str) -> None:
        job.done, job.total, job.label = done, total, label

    def finish(self, job: CheckJob, state: str, outcome: str = "") -> None:
        job.state, job.ended, job.outcome = state, self.clock(), outcome
        if state == "完成" and job.started is not None:
            self.measured.append((job.ended - job.started) / max(1, job.total or job.pages))

    def rate(self) -> float:
        return sum(self.measured) / len(self.measured) if self.measured else self.per_file

    def remaining(self) -> float:
        """Seconds until the queue is empty, by this machine's rate."""
        secs = 0.0
        run = self.running
        if run is not None:
            total = run.total or run.pages
            elapsed = self.clock() - (run.started or self.clock())
            secs += max(self.rate() * (total - run.done), self.rate() * total - elapsed, 0.0)
        secs += sum(self.rate() * j.pages for j in self.waiting)
        return secs

    @staticmethod
    def duration(secs: float) -> str:
        if secs < 60:
            return f"约 {max(5, int(round(secs / 5.0)) * 5)} 秒"
        return f"约 {int(secs // 60)} 分 {int(secs % 60) // 10 * 10} 秒" if secs < 600 else f"约 {round(secs / 60)} 分钟"

    def lines(self, keep_done: int = 4) -> list[tuple[int, str, str]]:
        """(case id, state, text) of each job: the one running with its progress and estimate, then the waiting ones
        in order, then the last few finished."""
        out: list[tuple[int, str, str]] = []
        run = self.running
        if run is not None:
            total = run.total or run.pages
            left = max(0.0, self.rate() * total - (self.clock() - (run.started or self.clock())))
            out.append((run.case_id, "检查中", f"▶ 正在检查 {run.name}：{run.done}/{total} 个文件"
                        f"{('（' + run.label + '）') if run.label else ''}，{self.duration(left)}"))
        for i, j in enumerate(self.waiting, 1):
            out.append((j.case_id, "等待", f"… 第 {i} 个等待：{j.name}（{j.pages} 个文件）"))
        done = [j for j in self.jobs if j.state in ("完成", "失败", "取消")][-keep_done:]
        for j in reversed(done):
            mark = "✓" if j.state == "完成" else "✗"
            out.append((j.case_id, j.state, f"{mark} {j.name}：{j.outcome or j.state}"))
        return out

    def summary(self) -> str:
        n = len(self.waiting) + (1 if self.running else 0)
        if not n:
            return ""
        return f"检查队列：{n} 个材料包，全部完成{self.duration(self.remaining())}"
