"""The review queue: `review` findings, key facts and low-confidence values, one after another; under it the
selected item's evidence enlarged, and beside the evidence the box to correct it in (never over it)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.shell import Shell
from xinyong_desktop.services.desk_view import QUEUE_DONE, CaseView

ROLE = Qt.ItemDataRole.UserRole
QUEUE_MIN_WIDTH = 300  # the queue is never narrower than this (its lines wrap only beyond it)


class ReviewQueueMixin(Shell):
    """Part of MainWindow (see main_window.py)."""

    def _build_queue(self) -> QGroupBox:
        self.queue_box = QGroupBox(QUEUE_DONE)
        col = QVBoxLayout(self.queue_box)
        col.setContentsMargins(6, 6, 6, 6)
        self.queue = QListWidget()
        self.queue.setWordWrap(True)
        self.queue.setMinimumWidth(QUEUE_MIN_WIDTH)
        self.queue.setMinimumHeight(70)
        self.queue.currentItemChanged.connect(self._queue_selected)
        col.addWidget(self.queue, 3)
        row = QHBoxLayout()
        self.crop = QLabel(S.NO_EVIDENCE)
        self.crop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.crop.setMinimumSize(200, 90)
        self.crop.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.crop.setStyleSheet("QLabel { background: #fafafa; border: 1px solid #ccc; }")
        row.addWidget(self.crop, 3)
        edit = QWidget()  # the correction: beside the evidence, so the value stays visible while it is typed
        ec = QVBoxLayout(edit)
        ec.setContentsMargins(0, 0, 0, 0)
        self.correct_label = QLabel(S.CORRECT_HINT)
        self.correct_label.setWordWrap(True)
        self.correct_edit = QLineEdit()
        self.correct_edit.setPlaceholderText(S.CORRECT_PLACEHOLDER)
        self.correct_edit.returnPressed.connect(self._save_correction)
        self.correct_save = QPushButton(S.CORRECT_SAVE)
        self.correct_save.clicked.connect(self._save_correction)
        for w_ in (self.correct_label, self.correct_edit, self.correct_save):
            ec.addWidget(w_)
        ec.addStretch(1)
        edit.setMinimumWidth(150)
        row.addWidget(edit, 2)
        col.addLayout(row, 2)
        self._editing: str | None = None  # the target the box corrects
        return self.queue_box

    def _render_queue(self, view: CaseView) -> None:
        if view.content != self._queue_content:
            self._queue_content = view.content
            self.queue.blockSignals(True)
            self.queue.clear()
            longest = 0
            fm = self.queue.fontMetrics()
            for q in view.queue:
                item = QListWidgetItem(q.text)
                item.setData(ROLE, q)
                item.setForeground(QColor(S.COLOR_DONE if q.resolved else S.COLOR_REVIEW))
                self.queue.addItem(item)
                longest = max(longest, fm.horizontalAdvance(q.text.split("\n")[0]))
            self.queue.blockSignals(False)
            # as wide as its lines (up to a point), never the 65 px of a squeezed column
            self.queue.setMinimumWidth(max(QUEUE_MIN_WIDTH, min(longest + 40, 460)))
        self.queue_box.setTitle(view.queue_title)
        self.queue.blockSignals(True)
        row = next((i for i in range(self.queue.count()) if self.queue.item(i).data(ROLE).target == view.selected), -1)
        if row >= 0:
            self.queue.setCurrentRow(row)
        self.queue.blockSignals(False)
        self._render_crop(view)
        f = view.selected_field
        self.correct_edit.setEnabled(f is not None and view.can_decide)
        self.correct_save.setEnabled(f is not None and view.can_decide)
        if f is None:
            self._editing = None
            self.correct_label.setText(S.CORRECT_HINT)
            self.correct_edit.clear()
        elif self._editing != f.target:
            self._editing = None
            self.correct_label.setText(S.CORRECT_PROMPT.format(field=f.label))
            self.correct_edit.clear()

    def _render_crop(self, view: CaseView) -> None:
        """The selected field's box on the shown page (of this very view), enlarged beside the queue."""
        shown, page = view.shown, self._page
        if shown is None or shown.bbox is None or page is None or (page[0], page[1]) != (shown.path, shown.page):
            self.crop.setPixmap(QPixmap())
            self.crop.setText(S.NO_EVIDENCE)
            return
        _path, _pg, rgb, scale = page
        x0, y0, x1, y1 = shown.bbox
        h, w = rgb.shape[:2]
        pad = 12 * scale
        left, t = max(0, int(x0 * scale - pad)), max(0, int(y0 * scale - pad))
        r, b = min(w, int(x1 * scale + pad)), min(h, int(y1 * scale + pad))
        if r <= left or b <= t:
            self.crop.setPixmap(QPixmap())
            self.crop.setText(S.NO_EVIDENCE)
            return
        part = rgb[t:b, left:r].copy()
        img = QImage(part.data, part.shape[1], part.shape[0], 3 * part.shape[1], QImage.Format.Format_RGB888).copy()
        pix = QPixmap.fromImage(img)
        target_w = max(160, self.crop.width() - 8)
        if pix.width() < target_w:  # small print shown large
            pix = pix.scaledToWidth(min(target_w, pix.width() * 3), Qt.TransformationMode.SmoothTransformation)
        elif pix.width() > target_w:
            pix = pix.scaledToWidth(target_w, Qt.TransformationMode.SmoothTransformation)
        if pix.height() > max(60, self.crop.height() - 8):
            pix = pix.scaledToHeight(max(60, self.crop.height() - 8), Qt.TransformationMode.SmoothTransformation)
        self.crop.setPixmap(pix)

    def _queue_selected(self, cur, _prev=None) -> None:
        if cur is not None:
            self.ctl.select_target(cur.data(ROLE).target)

    def next_review(self, after: str | None = None) -> bool:
        """Select the next pending item (after the given target, wrapping round); False when none is left."""
        return self.ctl.next_review(after)

    def _queue_target(self) -> tuple[str, str | None] | None:
        """What Ctrl+Enter confirms: the selected queue item without a field when the queue has the focus, else the
        selected field, else the selected queue item."""
        item = self.queue.currentItem()
        q = item.data(ROLE) if item is not None else None
        if q is not None and not q.field and not q.resolved and self.queue.hasFocus():
            return q.target, None
        f = self.ctl.current.selected_field
        if f is not None:
            return f.target, f.raw
        if q is not None and not q.resolved:
            return q.target, None
        return None

    def _save_correction(self) -> None:
        if self._editing is None:
            f = self.ctl.current.selected_field
            if f is None:
                return
            self._editing = f.target
        self.correct_field(self.correct_edit.text())
