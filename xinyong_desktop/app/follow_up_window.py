"""The office's follow-up window: 一提醒三督促 per record, applications waiting past the platform's processing time,
the register of 信用修复证明 / 删除函, the month's 高频失信 list with its notes, the contact list (CSV).

Everything it shows and records goes through services/follow_up.py (the same code the tests call)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from xinyong_desktop.roster.board import Roster
from xinyong_desktop.services import follow_up as fu

STEP_HEADERS = ["企业名称", "处罚决定书文号", "可申请日期", "提醒函", "第一次督促", "第二次督促", "第三次督促"]
WAIT_HEADERS = ["企业名称", "提交日期", "应办结日期", "已等待（工作日）", "查询码"]
REG_HEADERS = ["编号", "种类", "开具日期", "申请人", "企业名称", "处罚决定书文号", "致"]
HF_HEADERS = ["企业名称", "触发规则", "记录数", "本月约谈/督办"]


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(v))
    table.resizeColumnsToContents()


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class FollowUpWindow(QDialog):
    """``roster_at(day)`` gives the class's board as of a day (the window asks it again for a month's end)."""

    def __init__(self, db: sessionmaker[Session], class_id: int | None, roster_at: Callable[[dt.date], Roster],
                 as_of: dt.date, instructor: str, channels: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.setWindowTitle("信用修复跟进（一提醒三督促 · 登记簿 · 高频失信）")
        self.db, self.class_id, self.roster_at, self.as_of, self.instructor = db, class_id, roster_at, as_of, instructor
        self.rows: list[fu.FollowUpRow] = []
        self.hf_rows: list[fu.HighFrequencyRow] = []
        self.tabs = QTabWidget()
        self.steps, self.waiting = _table(STEP_HEADERS), _table(WAIT_HEADERS)
        self.register, self.high = _table(REG_HEADERS), _table(HF_HEADERS)
        for t, title in ((self.steps, "一提醒三督促"), (self.waiting, "超过10个工作日未办结"),
                         (self.register, "证明与删除函登记簿"), (self.high, "高频失信（本月）")):
            self.tabs.addTab(t, title)
        # recording a step for the selected record
        self.step = QComboBox()
        self.step.addItems(list(fu.STEP_CN.values()))
        self.day = QDateEdit(QDate(as_of.year, as_of.month, as_of.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.channel = QComboBox()
        self.channel.setEditable(True)
        self.channel.addItems(list(channels))
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("结果（如 已签收、已电话告知、企业表示下周申请）")
        self.record_button = QPushButton("登记所选记录的提醒/督促")
        self.record_button.clicked.connect(self.record_selected)
        form = QHBoxLayout()
        for w in (QLabel("步骤"), self.step, QLabel("日期"), self.day, QLabel("方式"), self.channel, self.outcome,
                  self.record_button):
            form.addWidget(w)
        # the 高频失信 note and the contact list
        self.hf_action = QComboBox()
        self.hf_action.addItems(list(fu.HF_ACTIONS))
        self.hf_note = QLineEdit()
        self.hf_note.setPlaceholderText("约谈、督办情况")
        self.hf_button = QPushButton("记录所选企业的约谈/督办")
        self.hf_button.clicked.connect(self.note_selected)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(30)
        self.csv_button = QPushButton("导出联系名单（CSV）…")
        self.csv_button.clicked.connect(lambda: self.export_contacts())
        more = QHBoxLayout()
        widgets: tuple[QWidget, ...] = (self.hf_action, self.hf_note, self.hf_button, QLabel("天内到期的企业"), self.days,
                                         self.csv_button)
        for widget in widgets:
            more.addWidget(widget)
        self.message = QLabel("")
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addLayout(form)
        lay.addLayout(more)
        lay.addWidget(self.message)
        self.resize(1100, 560)
        self.refresh()

    @property
    def month(self) -> str:
        return f"{self.as_of.year}-{self.as_of.month:02d}"

    def refresh(self) -> None:
        roster = self.roster_at(self.as_of)
        month_roster = self.roster_at(fu.month_end(self.month))
        with self.db() as s:
            self.rows = fu.follow_up_list(s, roster)
            waiting = fu.waiting_cases(s, self.as_of, self.class_id)
            reg = fu.register(s)
            self.hf_rows = fu.monthly_high_frequency(s, month_roster, self.month)
        _fill(self.steps, [r.cells() for r in self.rows])
        for r, row in enumerate(self.rows):
            if row.due:
                for c in range(len(STEP_HEADERS)):
                    item = self.steps.item(r, c)
                    if item is not None:
                        item.setForeground(Qt.GlobalColor.darkRed)
        _fill(self.waiting, [[w.enterprise_name, w.submitted_on.isoformat(), w.answer_due.isoformat(),
                              str(w.working_days), w.case.query_code] for w in waiting])
        _fill(self.register, [[d.number, fu.DOC_KINDS[d.kind], d.issued_on.isoformat(), d.requested_by,
                               d.enterprise_name, d.decision_number, d.third_party] for d in reg])
        _fill(self.high, [[h.name, "、".join(h.rules), str(h.records),
                           "；".join(f"{n.action} {n.done_on or ''} {n.note}".strip() for n in h.notes) or "—"]
                          for h in self.hf_rows])
        due = sum(bool(r.due) for r in self.rows)
        self.message.setText(f"{len(self.rows)} 条记录，{due} 条有到期未做的提醒或督促；{len(waiting)} 件超过办理时限；"
                             f"登记簿 {len(reg)} 份；本月高频失信企业 {len(self.hf_rows)} 家")

    def record_selected(self) -> bool:
        r = self.steps.currentRow()
        if r < 0 or r >= len(self.rows):
            self.message.setText("请先在“一提醒三督促”中选择一条记录")
            return False
        step = list(fu.STEP_CN)[self.step.currentIndex()]
        d = self.day.date()
        try:
            with self.db() as s, s.begin():
                fu.record_step(s, self.rows[r].record_id, step, dt.date(d.year(), d.month(), d.day()),
                               self.channel.currentText(), self.outcome.text(), self.instructor)
        except fu.FollowUpError as e:
            self.message.setText(str(e))
            return False
        self.refresh()
        self.steps.selectRow(r)
        return True

    def note_selected(self) -> bool:
        r = self.high.currentRow()
        if r < 0 or r >= len(self.hf_rows):
            self.message.setText("请先在“高频失信（本月）”中选择一家企业")
            return False
        h = self.hf_rows[r]
        try:
            with self.db() as s, s.begin():
                fu.note_high_frequency(s, h.code, h.name, self.month, self.hf_action.currentText(), self.as_of,
                                       self.hf_note.text(), self.instructor)
        except fu.FollowUpError as e:
            self.message.setText(str(e))
            return False
        self.refresh()
        return True

    def export_contacts(self, out: Path | None = None) -> Path | None:
        from xinyong_desktop.roster.export import write_contacts_csv

        if out is None:
            name, _ = QFileDialog.getSaveFileName(self, "导出联系名单", "到期企业联系名单.csv", "CSV (*.csv)")
            if not name:
                return None
            out = Path(name)
        write_contacts_csv(self.roster_at(self.as_of), self.days.value(), out)
        self.message.setText(f"已保存：{out}")
        return out
