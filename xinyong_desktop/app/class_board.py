"""The class view: who may apply now / soon / not yet / stops by itself, 高频失信, and how the class went."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinyong_desktop.app.date_field import DateField
from xinyong_desktop.checks.messages import code_title
from xinyong_desktop.roster.board import LIST_KEYS, Roster, list_titles
from xinyong_desktop.services.classes import ClassStats

ROLE = Qt.ItemDataRole.UserRole
HEADERS = ["企业名称", "统一社会信用代码", "处罚决定书文号", "处罚日期", "失信程度", "可申请修复日期",
           "终止公示日期", "高频失信", "案件状态"]
HF_COLOR = QColor(200, 30, 30)
REPAIRED = "repaired"
SHORT_TITLES = {"eligible": "现在可申请", "not_yet": "未到最短公示期", "to_confirm": "日期待确认",
                "minor_unpublished": "轻微原则上不公示", "withdrawn": "已达最长公示期", "not_repairable": "不得提前终止",
                "not_published": "不予公示", "listing": "严重失信名单", "incomplete": "缺处罚日期", REPAIRED: "已修复"}


def short_title(key: str, soon_days: int) -> str:
    """A tab's short title (the full one is its tooltip)."""
    return f"{soon_days} 天内可申请" if key == "soon" else SHORT_TITLES[key]


class BarChart(QWidget):
    """Horizontal bars with their labels and counts, painted directly (no QtCharts in the bundle)."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, int]] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_items(self, items: list[tuple[str, int]]) -> None:
        self.items = items
        self.update()

    def paintEvent(self, _e) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = p.fontMetrics()
        line = fm.height() + 6
        p.drawText(4, fm.ascent() + 2, self.title)
        if not self.items:
            p.setPen(QColor(120, 120, 120))
            p.drawText(4, fm.ascent() + 2 + line, "暂无数据")
            return
        label_w = min(max(fm.horizontalAdvance(t) for t, _ in self.items) + 12, self.width() // 2)
        top = line + 4
        bar_h = max(10, min(24, (self.height() - top - 4) // len(self.items) - 6))
        biggest = max(n for _, n in self.items) or 1
        width = self.width() - label_w - 60
        for i, (text, n) in enumerate(self.items):
            y = top + i * (bar_h + 6)
            p.setPen(QColor(40, 40, 40))
            p.drawText(QRectF(4, y, label_w - 8, bar_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(text, Qt.TextElideMode.ElideRight, label_w - 8))
            w = max(2.0, width * n / biggest)
            p.fillRect(QRectF(label_w, y, w, bar_h), QColor(52, 110, 180))
            p.drawText(QRectF(label_w + w + 6, y, 50, bar_h), Qt.AlignmentFlag.AlignVCenter, str(n))


class ClassBoard(QWidget):
    """Board and statistics of the current class; emits openCase(case_id) on double-click."""

    openCase = Signal(int)
    asOfChanged = Signal()

    def __init__(self, parent=None, as_of: dt.date | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        top = QHBoxLayout()  # the class and its date on one line, the buttons on the next (a laptop is narrow)
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setWordWrap(True)
        top.addWidget(self.info, 1)
        top.addWidget(QLabel("班级日期："))
        self.as_of_edit = DateField(as_of or dt.date.today())
        self.as_of_edit.dateChanged.connect(lambda _d: self.asOfChanged.emit())
        top.addWidget(self.as_of_edit)
        outer.addLayout(top)
        top = QHBoxLayout()
        self.buttons = {}
        for key, text in (("new", "新建培训班…"), ("switch", "切换培训班…"), ("import", "导入名单…"),
                          ("xlsx", "导出清单（Excel）…"), ("letters", "生成提醒函…"), ("guide", "生成材料清单…"),
                          ("summary", "班级小结（PDF）…")):
            b = QPushButton(text)
            self.buttons[key] = b
            top.addWidget(b)
        top.addStretch(1)
        outer.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)  # never wider than the window: short titles, arrows if still too many
        self.tabs.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.tabBar().setExpanding(False)
        self.tables: dict[str, QTableWidget] = {}
        for key in (*LIST_KEYS, REPAIRED):
            t = QTableWidget(0, len(HEADERS))
            t.setHorizontalHeaderLabels(HEADERS)
            t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
            t.setSortingEnabled(True)
            t.horizontalHeader().setStretchLastSection(True)
            t.cellDoubleClicked.connect(lambda r, _c, t=t: self._open(t, r))
            self.tables[key] = t
            self.tabs.addTab(t, key)
        split.addWidget(self.tabs)
        stats = QWidget()
        grid = QGridLayout(stats)
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.TextFormat.PlainText)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.status_chart = BarChart("案件状态")
        self.codes_chart = BarChart("首次检查最常见的问题")
        grid.addWidget(self.numbers, 0, 0)
        grid.addWidget(self.status_chart, 0, 1)
        grid.addWidget(self.codes_chart, 0, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 2)
        split.addWidget(stats)
        split.setSizes([520, 220])
        outer.addWidget(split)

    def set_as_of(self, day: dt.date) -> None:
        """Follow the class's date without announcing a change."""
        self.as_of_edit.setDate(day)

    def as_of(self) -> dt.date:
        return self.as_of_edit.date()

    def _open(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0)
        if item is not None and item.data(ROLE):
            self.openCase.emit(int(item.data(ROLE)))

    def show_class(self, title: str, roster: Roster, case_of: dict[str, tuple[int, str]], soon_days: int,
                   stats: ClassStats, overall: ClassStats) -> None:
        """case_of: decision number → (case id, case status)."""
        self.info.setText(title)
        titles = list_titles(soon_days)
        titles[REPAIRED] = "已修复（平台已通过，不再列入其他清单）"
        lists = roster.lists(soon_days)
        # a repaired record is done: it leaves "may apply now" and every other list for a list of its own
        repaired = [r for items in lists.values() for r in items if case_of.get(r.decision_number, (0, ""))[1] == "已修复"]
        lists = {k: [r for r in items if r not in repaired] for k, items in lists.items()}
        lists[REPAIRED] = repaired
        for i, (key, items) in enumerate(lists.items()):
            t = self.tables[key]
            t.setSortingEnabled(False)
            t.setRowCount(len(items))
            for r, rec in enumerate(items):
                cid, status = case_of.get(rec.decision_number, (0, ""))
                iso = [d.isoformat() if d else "-" for d in (rec.decision_date, rec.eligible_from, rec.withdrawn_on)]
                values = [rec.enterprise_name, rec.uscc or rec.registration_number, rec.decision_number, iso[0],
                          rec.severity_label, iso[1], iso[2], "、".join(rec.high_frequency_rules), status]
                for c, v in enumerate(values):
                    item = QTableWidgetItem(v)
                    if c == 0:
                        item.setData(ROLE, cid)
                    if rec.high_frequency:
                        item.setForeground(HF_COLOR)
                    t.setItem(r, c, item)
            t.setSortingEnabled(True)
            t.resizeColumnsToContents()
            self.tabs.setTabText(i, f"{short_title(key, soon_days)}（{len(items)}）")
            self.tabs.setTabToolTip(i, titles[key])
        hf = len({r.uscc for r in roster.records if r.high_frequency})
        self.numbers.setText(
            f"本班：邀请企业 {stats.enterprises} 家，案件 {stats.cases} 件\n"
            f"已审核 {stats.reviewed}，首次即就绪 {stats.ready_first}，补正后就绪 {stats.ready_after_correction}\n"
            f"已导出 {stats.exported}，已提交 {stats.submitted}，平台一次通过 {stats.passed_first}，已修复 {stats.repaired}\n"
            f"高频失信企业 {hf} 家\n\n"
            f"全部培训班（{overall.classes} 期）：案件 {overall.cases}，已审核 {overall.reviewed}，"
            f"首次即就绪 {overall.ready_first}，已导出 {overall.exported}")
        self.status_chart.set_items([(k, v) for k, v in stats.by_status.items()])
        self.codes_chart.set_items([(code_title(c), n) for c, n in stats.top_codes])


class ClassDialog:
    """New class: name, date, place, instructors."""

    @staticmethod
    def ask(parent, instructor: str) -> tuple[str, dt.date | None, str, str] | None:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit

        d = QDialog(parent)
        d.setWindowTitle("新建培训班")
        form = QFormLayout(d)
        name = QLineEdit()
        name.setPlaceholderText("如：2026年第5期信用修复培训班")
        day = DateField(dt.date.today())
        place, teachers = QLineEdit(), QLineEdit(instructor)
        for label, w in (("名称", name), ("日期", day), ("地点", place), ("讲师", teachers)):
            form.addRow(label, w)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        why = QLabel("")
        why.setStyleSheet("color: #c62828")

        def accept() -> None:  # a refusal is said in the dialog, which stays open
            if not name.text().strip():
                why.setText("请填写培训班名称。")
            elif not day.commit():  # what was typed last counts; never a class on a date it did not mean
                why.setText(f"无法识别的日期：{day.edit.text()}（请写作 2026-04-10）")
            else:
                d.accept()

        box.accepted.connect(accept)
        box.rejected.connect(d.reject)
        form.addRow(why)
        form.addRow(box)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return name.text().strip(), day.date(), place.text().strip(), teachers.text().strip()
