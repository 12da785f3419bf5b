"""The page in the middle: the rendered page with its evidence boxes and the thumbnail strip."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from xinyong_desktop.intake.render import render_page
from xinyong_desktop.store.models import Case

ROLE = Qt.ItemDataRole.UserRole


class PagePanelMixin:
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, class, case)."""

    def _show_page(self, path: str, page: int, select: str | None = None) -> None:
        if self.case_id is None or not path:
            return
        with self.db() as s:
            c = s.get(Case, self.case_id)
            root = Path(c.packet_dir)
            boxes = {f"{m.id}:{fr.field}": tuple(fr.bbox) for m in c.materials if m.path == path
                     for fr in m.fields if fr.bbox and fr.page == page}
        try:
            rgb, scale = render_page(root / path, page)
        except Exception as e:  # noqa: BLE001 - a file that will not render shows a message, not a crash
            from xinyong_desktop.errors import user_message

            self.statusBar().showMessage(f"无法显示该页：{user_message(e)}", 8000)
            return
        self._page = (path, page, rgb, scale)  # kept for the review queue's evidence crop
        self.view.show_page(rgb, scale, boxes)
        self.form.pageLabel.setText(f"{path} 第 {page} 页")
        if select:
            self.view.highlight(select)
        self._show_crop()

    def _load_thumbnails(self, root: Path, materials) -> None:
        """One thumbnail per page of the case's materials, rendered in a worker; click one to view it."""
        from PySide6.QtCore import QThreadPool

        from xinyong_desktop.app.tasks import ThumbJob

        self._thumb_gen += 1
        self.thumbs.blockSignals(True)
        self.thumbs.clear()
        pages = []
        for m in materials:
            for pg in m.pages:
                item = QListWidgetItem()
                item.setData(ROLE, (m.path, pg))
                item.setToolTip(f"{self._kind_name(m.kind)}：{m.path} 第 {pg} 页")
                self.thumbs.addItem(item)
                pages.append((root / m.path, pg))
        self.thumbs.blockSignals(False)
        job = ThumbJob(self._thumb_gen, pages, lambda: self._thumb_gen)
        job.signals.ready.connect(self._thumb_ready)
        self._thumb_job = job
        QThreadPool.globalInstance().start(job)

    def _thumb_ready(self, generation: int, row: int, img) -> None:
        from PySide6.QtGui import QIcon, QPixmap

        if generation == self._thumb_gen and row < self.thumbs.count():
            self.thumbs.item(row).setIcon(QIcon(QPixmap.fromImage(img)))

    def _thumb_selected(self, cur, _prev=None) -> None:
        if cur is not None and cur.data(ROLE):
            path, page = cur.data(ROLE)
            self._show_page(path, page)

    def _box_clicked(self, key: str) -> None:
        self._select_field("box", key)
