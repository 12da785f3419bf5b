"""The review queue: `review` findings, key facts and low-confidence values, one after another, each with its
evidence crop shown large; one key accepts and moves to the next, one corrects."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSizePolicy

from xinyong_desktop.app import strings as S

ROLE = Qt.ItemDataRole.UserRole


class ReviewQueueMixin:
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, case)."""

    def _build_queue(self, layout) -> None:
        self.queue_box = QGroupBox(S.QUEUE_DONE)
        row = QHBoxLayout(self.queue_box)
        self.queue = QListWidget()
        self.queue.setWordWrap(True)
        self.queue.currentItemChanged.connect(self._queue_selected)
        self.crop = QLabel(S.NO_EVIDENCE)
        self.crop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.crop.setMinimumSize(360, 150)
        self.crop.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.crop.setStyleSheet("QLabel { background: #fafafa; border: 1px solid #ccc; }")
        row.addWidget(self.queue, 1)
        row.addWidget(self.crop, 1)
        layout.insertWidget(1, self.queue_box, 2)

    def _fill_queue(self, v) -> None:
        self.queue.blockSignals(True)
        self.queue.clear()
        for i in v.queue:
            if i.resolved:
                d = i.resolved_by
                text = f"✓ {i.why}\n    {S.IGNORED_BY.format(reason=d.reason, who=d.instructor) if d.action == 'override' else (S.CORRECTED_BY if d.action == 'correct' else S.CONFIRMED_BY).format(who=d.instructor)}"
            else:
                text = f"○ {i.why}"
            item = QListWidgetItem(text)
            item.setData(ROLE, {"target": i.target, "path": i.path, "page": i.page, "field": i.field,
                                "finding": i.finding_key, "resolved": i.resolved})
            item.setForeground(QColor(S.COLOR_DONE if i.resolved else S.COLOR_REVIEW))
            self.queue.addItem(item)
        self.queue.blockSignals(False)
        n = len(v.pending)
        self.queue_box.setTitle(S.QUEUE_TITLE.format(n=n) if n else S.QUEUE_DONE)

    def _queue_current(self) -> dict | None:
        item = self.queue.currentItem()
        return item.data(ROLE) if item is not None else None

    def _queue_selected(self, cur, _prev=None) -> None:
        if cur is None:
            return
        data = cur.data(ROLE)
        if data["field"]:
            self._select_target(data["target"])  # the checklist follows: its page and box are shown
        elif data["path"]:
            self._show_page(data["path"], data["page"] or 1)
        self._show_crop()

    def _show_crop(self) -> None:
        """The selected field's box on the shown page, enlarged beside the queue."""
        f = self._current_field()
        page = getattr(self, "_page", None)
        if f is None or page is None or not f.get("bbox") or (page[0], page[1]) != (f["path"], f["page"]):
            self.crop.setPixmap(QPixmap())
            self.crop.setText(S.NO_EVIDENCE)
            return
        _path, _pg, rgb, scale = page
        x0, y0, x1, y1 = f["bbox"]
        h, w = rgb.shape[:2]
        pad = 12 * scale
        left, t = max(0, int(x0 * scale - pad)), max(0, int(y0 * scale - pad))
        r, b = min(w, int(x1 * scale + pad)), min(h, int(y1 * scale + pad))
        if r <= left or b <= t:
            self.crop.setText(S.NO_EVIDENCE)
            return
        part = rgb[t:b, left:r].copy()
        img = QImage(part.data, part.shape[1], part.shape[0], 3 * part.shape[1], QImage.Format.Format_RGB888).copy()
        pix = QPixmap.fromImage(img)
        target_w = max(200, self.crop.width() - 8)
        if pix.width() < target_w:  # small print shown large
            pix = pix.scaledToWidth(min(target_w, pix.width() * 3), Qt.TransformationMode.SmoothTransformation)
        elif pix.width() > target_w:
            pix = pix.scaledToWidth(target_w, Qt.TransformationMode.SmoothTransformation)
        self.crop.setPixmap(pix)

    def next_review(self, after: str | None = None) -> bool:
        """Select the next pending item (after the given target, wrapping round); False when none is left."""
        rows = [self.queue.item(i).data(ROLE) for i in range(self.queue.count())]
        start = next((i for i, d in enumerate(rows) if d["target"] == after), -1) + 1 if after else \
            max(0, self.queue.currentRow())
        order = list(range(start, len(rows))) + list(range(0, start))
        for i in order:
            if not rows[i]["resolved"]:
                self.queue.setCurrentRow(i)
                return True
        return False

    def _queue_target(self) -> tuple[str, str | None] | None:
        """What Ctrl+Enter confirms: the selected checklist field, or the selected queue item without a field."""
        q = self._queue_current()
        if q is not None and not q["field"] and not q["resolved"] and self.queue.hasFocus():
            return q["target"], None
        f = self._current_field()
        if f is not None:
            return f["target"], f["value"]
        if q is not None and not q["resolved"]:
            return q["target"], None
        return None
