"""导入U盘（多家企业）: a stick holding one or many enterprises' packets is read off the UI thread
(services/intake.read_stick), matched to the class roster, and shown packet by packet — matched, replacing an
earlier packet (asks), not in the roster (to assign or open as a new enterprise); the chosen ones are placed
in their cases (copied into the data folder, their check recorded) in the background."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from xinyong_desktop.app import strings as S

IMPORT_STICK = "导入U盘（多家企业）…"
READING_STICK = "正在读取U盘中的材料…"
PLACING = "正在加入材料…"
HEADERS = ["位置", "材料中的企业", "处罚决定书文号", "匹配结果", "处理"]
SKIP = "不加入"
NEW_CASE = "作为新企业加入"
STATUS_TEXT = {"matched": "已匹配名单", "replaces": "该企业已有材料", "unmatched": "名单中未找到", "refused": "企业不符"}
SUMMARY = "U盘中找到 {n} 份材料：已匹配 {matched}，待替换 {replaces}，未匹配 {unmatched}。{stray}请确认每份材料的处理方式。"
STRAY = "另有 {k} 个文件无法判断属于哪家企业，未加入（{names}）。"
DONE = "已加入 {n} 家企业的材料"


def install(w) -> QAction:
    """The action in the File menu, after 从U盘打开."""
    menu = next(a.menu() for a in w.menuBar().actions() if a.menu() is not None and a.text() == S.MENU_FILE)
    action = QAction(IMPORT_STICK, w)
    action.triggered.connect(lambda _checked=False: import_stick(w))
    after = next((a for a in menu.actions() if a.text() == S.OPEN_USB), None)
    actions = menu.actions()
    before = actions[actions.index(after) + 1] if after is not None and actions.index(after) + 1 < len(actions) else None
    menu.insertAction(before, action) if before is not None else menu.addAction(action)
    return action


def import_stick(w, folder: Path | None = None, target_case_id: int | None = None) -> bool:
    """Read a stick (or one packet folder) and place its packets.  With target_case_id (the roster case selected
    when a packet is added to it), a packet of another enterprise is refused with the two names side by side and
    a matching one joins that case without further questions (a replaced packet asks first)."""
    from xinyong_desktop.services.intake import match_stick, read_stick

    if folder is None:
        d = QFileDialog.getExistingDirectory(w, IMPORT_STICK)
        if not d:
            return False
        folder = Path(d)
    class_id, as_of = w.training_class, w.class_date

    def work(progress):
        out = read_stick(folder, w.rules, as_of, w.pool, progress)
        with w.db() as s:
            match_stick(s, class_id, out, target_case_id)
        return out

    return w.run_op(work, lambda out: _choose(w, class_id, out, target_case_id is not None), READING_STICK)


class StickDialog(QDialog):
    """Every packet found with what the roster says, and a choice per packet."""

    def __init__(self, parent, intake, waiting: list[tuple[int, str]]):
        super().__init__(parent)
        self.setWindowTitle(IMPORT_STICK)
        self.setObjectName("stickDialog")
        self.intake = intake
        lay = QVBoxLayout(self)
        counts = {k: len(intake.by_status(k)) for k in ("matched", "replaces", "unmatched")}
        stray = STRAY.format(k=len(intake.unassigned), names="、".join(intake.unassigned[:5])) if intake.unassigned else ""
        head = QLabel(SUMMARY.format(n=len(intake.packets), stray=stray, **counts))
        head.setWordWrap(True)
        lay.addWidget(head)
        self.table = QTableWidget(len(intake.packets), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.combos: list[QComboBox] = []
        for r, p in enumerate(intake.packets):
            cells = (p.label, p.enterprise_name or "（未识别）", p.decision_number or "（未识别）",
                     STATUS_TEXT.get(p.status, p.status))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(p.message)
                self.table.setItem(r, c, item)
            combo = QComboBox()
            if p.status == "matched":
                combo.addItem("加入所匹配的企业", p.case_id)
                combo.addItem(SKIP, None)
            elif p.status == "replaces":
                combo.addItem(SKIP, None)
                combo.addItem("替换原有材料", p.case_id)
            elif p.status == "unmatched":
                combo.addItem(SKIP, None)
                combo.addItem(NEW_CASE, 0)
                for cid, label in waiting:
                    combo.addItem(f"指定到：{label}", cid)
            else:
                combo.addItem(SKIP, None)
            combo.setToolTip(p.message)
            self.table.setCellWidget(r, 4, combo)
            self.combos.append(combo)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(True)
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(900, 360)

    def choose(self, row: int, text: str) -> None:
        """Select the choice of a row whose text starts with `text` (what a user clicks)."""
        combo = self.combos[row]
        combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).startswith(text)))

    def choices(self) -> list[tuple[object, int | None]]:
        """(packet, case id; None = a new case) for every packet to place."""
        out = []
        for p, combo in zip(self.intake.packets, self.combos, strict=True):
            target = combo.currentData()
            if target is not None:
                out.append((p, target or None))
        return out


def _choose(w, class_id: int, intake, targeted: bool = False) -> None:
    from PySide6.QtWidgets import QMessageBox

    from xinyong_desktop.services import desk
    from xinyong_desktop.store.models import Case

    if not intake.packets:
        w.statusBar().showMessage(STRAY.format(k=len(intake.unassigned), names="、".join(intake.unassigned[:5])), 15000)
        return
    refused = intake.by_status("refused")
    if targeted and refused:
        text = "\n".join(p.message for p in refused)
        w.statusBar().showMessage(refused[0].message, 15000)
        QMessageBox.warning(w, S.ADD_PACKET, text)
    if targeted and len(intake.packets) == 1 and intake.packets[0].status in ("matched", "replaces", "refused"):
        p = intake.packets[0]
        if p.status == "refused" or (p.status == "replaces" and QMessageBox.question(w, S.ADD_PACKET, p.message)
                                     != QMessageBox.StandardButton.Yes):
            return
        _ask_and_place(w, class_id, [(p, p.case_id)])
        return
    with w.db() as s:
        waiting = [(c.id, desk.case_label(c)) for c in s.query(Case).filter_by(class_id=class_id).order_by(Case.id)
                   if not c.packet_dir]
    dlg = StickDialog(w, intake, waiting)
    w.stick_dialog = dlg
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return
    _ask_and_place(w, class_id, dlg.choices())


def _ask_and_place(w, class_id: int, choices) -> None:
    chosen = []
    for p, cid in choices:
        applicant = None
        if p.applicant is None:  # only when the packet cannot tell (neither 授权委托书 nor 法定代表人身份证明书)
            label, ok = QInputDialog.getItem(w, S.APP_TITLE, f"{p.name}：{S.ASK_APPLICANT}", list(S.APPLICANTS), 0, False)
            if not ok:
                continue
            applicant = S.APPLICANTS[label]
        severity = None
        if cid is None and p.case_file is None:  # a new enterprise: how serious its record is, as the site shows
            label, ok = QInputDialog.getItem(w, S.APP_TITLE, f"{p.name}：{S.ASK_SEVERITY}", list(S.SEVERITIES), 0, False)
            if not ok:
                continue
            severity = S.SEVERITIES[label]
        chosen.append((p, cid, applicant, severity))
    if chosen:
        _place(w, class_id, chosen)


def _place(w, class_id: int, chosen) -> None:
    from xinyong_desktop.services.intake import place

    root = w.packets_root()

    def work(progress):
        progress.start(len(chosen), PLACING)
        placed = []
        for p, cid, applicant, severity in chosen:
            if progress.cancelled:
                break
            with w.db() as s, s.begin():
                placed.append(place(s, class_id, p, cid, root, w.instructor, w.rules, applicant, severity))
            progress.step(p.name)
        return placed

    def done(placed) -> None:
        w.refresh_cases(w.case_id)
        w.show_case()
        w.statusBar().showMessage(DONE.format(n=len(placed)), 10000)

    w.run_op(work, done, PLACING)
