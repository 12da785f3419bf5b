"""The page in the middle: the page of the view (its evidence boxes, the selected one highlighted) and the
thumbnail strip.  It renders `CaseView.shown` and nothing else: the page of another case cannot stay on screen."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from xinyong_desktop.app.shell import Shell
from xinyong_desktop.intake.render import render_page
from xinyong_desktop.services.desk_view import CaseView

ROLE = Qt.ItemDataRole.UserRole


class PagePanelMixin(Shell):
    """Part of MainWindow (see main_window.py)."""


    def _render_page(self, view: CaseView) -> None:
        shown = view.shown
        if shown is None or view.root is None:
            if self._page_key is not None:
                self.view.scene().clear()
                self._page_key, self._page = None, None
            self.form.pageLabel.setText(view.title or "页面")
            return
        key = (view.case_id, str(view.root), shown.path, shown.page, view.content[:2])
        if key != self._page_key:
            try:
                rgb, scale = render_page(view.root / shown.path, shown.page)
            except Exception as e:  # noqa: BLE001 - a file that will not render shows a message, not a crash
                from xinyong_desktop.errors import user_message

                self.view.scene().clear()
                self._page_key, self._page = key, None
                self.form.pageLabel.setText(f"{shown.path} 第 {shown.page} 页：无法显示（{user_message(e)}）")
                return
            self._page_key = key
            self._page = (shown.path, shown.page, rgb, scale)  # the review queue's evidence crop is cut from it
            self.view.show_page(rgb, scale, shown.boxes)
        self.form.pageLabel.setText(f"{view.title}　｜　{shown.path} 第 {shown.page} 页")
        if shown.box:
            self.view.highlight(shown.box)
        self._sync_thumb(shown.path, shown.page)

    def _render_thumbs(self, view: CaseView) -> None:
        """One thumbnail per page of the case's materials, rendered in a worker; click one to view it."""
        key = (view.case_id, view.content[:2] if view.content else (), tuple(view.pages))
        if key == self._thumb_key:
            return
        self._thumb_key = key
        from PySide6.QtCore import QThreadPool

        from xinyong_desktop.app.tasks import ThumbJob

        self._thumb_gen += 1
        self.thumbs.blockSignals(True)
        self.thumbs.clear()
        pages = []
        for path, pg, caption in (view.pages if view.root is not None else []):
            item = QListWidgetItem()
            item.setData(ROLE, (path, pg))
            item.setToolTip(caption)
            self.thumbs.addItem(item)
            pages.append((Path(str(view.root)) / path, pg))
        self.thumbs.blockSignals(False)
        if pages:
            job = ThumbJob(self._thumb_gen, pages, lambda: self._thumb_gen)
            job.signals.ready.connect(self._thumb_ready)
            self._thumb_job = job
            QThreadPool.globalInstance().start(job)

    def _sync_thumb(self, path: str, page: int) -> None:
        self.thumbs.blockSignals(True)
        for i in range(self.thumbs.count()):
            if self.thumbs.item(i).data(ROLE) == (path, page):
                self.thumbs.setCurrentRow(i)
                break
        self.thumbs.blockSignals(False)

    def _thumb_ready(self, generation: int, row: int, img) -> None:
        from PySide6.QtGui import QIcon, QPixmap

        if generation == self._thumb_gen and row < self.thumbs.count():
            self.thumbs.item(row).setIcon(QIcon(QPixmap.fromImage(img)))

    def _thumb_selected(self, cur, _prev=None) -> None:
        if cur is not None and cur.data(ROLE):
            path, page = cur.data(ROLE)
            self.ctl.select_page(path, page)

    def _box_clicked(self, key: str) -> None:
        self.ctl.select_box(key)
