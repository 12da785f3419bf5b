"""The page in the middle: the page of the view (its evidence boxes, the selected one highlighted) and the
thumbnail strip.  It renders `CaseView.shown` and nothing else: the page of another case cannot stay on screen."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from xinyong_desktop.app.shell import Shell
from xinyong_desktop.services.desk_view import CaseView

ROLE = Qt.ItemDataRole.UserRole


class PagePanelMixin(Shell):
    """Part of MainWindow (see main_window.py)."""


    def _render_page(self, view: CaseView) -> None:
        """The view's page: from the little cache of pages drawn lately, else rendered in a worker and shown when
        it arrives (if the view still wants it); the evidence crop follows the page."""
        shown = view.shown
        if shown is None or view.root is None:
            if self._page_key is not None:
                self.view.scene().clear()
                self._page_key, self._page = None, None
            self.form.pageLabel.setText(view.title or "页面")
            return
        key = (view.case_id, str(view.root), shown.path, shown.page, view.content[:2])
        self.form.pageLabel.setText(f"{view.title}　｜　{shown.path} 第 {shown.page} 页")
        self._want_page = key
        if key != self._page_key:
            got = self._page_cache.get(key)
            if got is None and self._page_key is not None and self._page_key[0] != key[0]:
                self.view.scene().clear()  # another case: nothing of the last one stays while its page is drawn
                self._page_key, self._page = None, None
            if got is None:
                if key not in self._page_jobs:
                    from PySide6.QtCore import QThreadPool

                    from xinyong_desktop.app.tasks import PageJob

                    job = PageJob(key, view.root / shown.path, shown.page)
                    job.signals.ready.connect(self._page_ready)
                    self._page_jobs[key] = job
                    QThreadPool.globalInstance().start(job)
                return  # the page arrives in a moment; until then the last one stays, its boxes unchanged
            self._show_rendered(key, got, shown.boxes)
        if shown.box:
            self.view.highlight(shown.box)
        self._sync_thumb(shown.path, shown.page)

    def _show_rendered(self, key: tuple, got, boxes) -> None:
        rgb, scale = got
        if isinstance(rgb, Exception):
            from xinyong_desktop.errors import user_message

            self.view.scene().clear()
            self._page_key, self._page = key, None
            self.form.pageLabel.setText(f"{key[2]} 第 {key[3]} 页：无法显示（{user_message(rgb)}）")
            return
        self._page_key = key
        self._page = (key[2], key[3], rgb, scale)  # the review queue's evidence crop is cut from it
        self.view.show_page(rgb, scale, boxes)

    def _page_ready(self, key: tuple, rgb, scale: float) -> None:
        self._page_jobs.pop(key, None)
        self._page_cache[key] = (rgb, scale)
        while len(self._page_cache) > 8:  # a few pages back and forth stay instant
            self._page_cache.pop(next(iter(self._page_cache)))
        if key == self._want_page and key[0] == self.ctl.current.case_id:
            view = self.ctl.current
            if view.shown is not None:
                self._show_rendered(key, (rgb, scale), view.shown.boxes)
                if view.shown.box:
                    self.view.highlight(view.shown.box)
                self._sync_thumb(view.shown.path, view.shown.page)
                self._render_crop(view)

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
