"""A date field that takes a date typed as people type it — 2025-04-10, 2025/4/10, 2025年4月10日, 20250410 — or
picked from a calendar.  (QDateEdit's sections turned a typed 2025-04-10 into 2025-12-04.)"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from xinyong_desktop.domain.text import parse_date

INVALID_STYLE = "QLineEdit { border: 1px solid #c62828; background: #fff3f3; }"


class DateField(QWidget):
    dateChanged = Signal(object)  # a datetime.date, after a valid date was typed (Enter / leaving) or picked

    def __init__(self, day: dt.date | None = None, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("如 2026-04-10")
        self.edit.setMaxLength(16)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("2026年12月31日") + 16)
        self.edit.editingFinished.connect(self._typed)
        self.edit.textEdited.connect(lambda _t: self._mark(True))
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setToolTip("从日历中选择")
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self.button)
        act = QWidgetAction(menu)
        act.setDefaultWidget(self.calendar)
        menu.addAction(act)
        self.button.setMenu(menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        self._day = day or dt.date.today()
        self.edit.setText(self._day.isoformat())

    def date(self) -> dt.date:
        return self._day

    def setDate(self, day: dt.date) -> None:
        """Show a date without announcing a change."""
        self._day = day
        self.edit.setText(day.isoformat())
        self._mark(True)

    def commit(self) -> bool:
        """Take what is typed now (as Enter would); False when it is not a date."""
        self._typed()
        return parse_date(self.edit.text().strip()) is not None

    def _mark(self, ok: bool) -> None:
        self.edit.setStyleSheet("" if ok else INVALID_STYLE)
        self.edit.setToolTip("" if ok else "无法识别的日期：请写作 2026-04-10 或 2026年4月10日")

    def _typed(self) -> None:
        day = parse_date(self.edit.text().strip())
        if day is None:
            self._mark(False)
            return
        self._mark(True)
        self.edit.setText(day.isoformat())
        if day != self._day:
            self._day = day
            self.dateChanged.emit(day)

    def _picked(self, q: QDate) -> None:
        self.button.menu().hide()
        self.edit.setText(dt.date(q.year(), q.month(), q.day()).isoformat())
        self._typed()
