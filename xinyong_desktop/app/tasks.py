"""Background work through one helper: run off the UI thread, progress after 600 ms, cancel, results on the UI thread."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from xinyong_desktop.app import strings as S
from xinyong_desktop.services.progress import Progress


class _Signals(QObject):
    progress = Signal(int, int, str)
    item = Signal(object)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], object], progress: Progress, signals: _Signals):
        super().__init__()
        self.fn, self.progress, self.signals = fn, progress, signals

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except Exception as e:  # noqa: BLE001 - delivered to the UI thread, shown in a dialog
            self.signals.failed.emit(e)
        else:
            self.signals.done.emit(result)


class ThumbJob(QRunnable):
    """Render page thumbnails off the UI thread; stale jobs (another case selected) stop early."""

    class Signals(QObject):
        ready = Signal(int, int, object)  # generation, row, QImage

    def __init__(self, generation: int, pages: list, current: Callable[[], int], side: int = 150):
        super().__init__()
        self.generation, self.pages, self.current, self.side = generation, pages, current, side
        self.signals = ThumbJob.Signals()

    def run(self) -> None:
        from PySide6.QtGui import QImage

        from xinyong_desktop.intake.render import render_page

        for row, (path, page) in enumerate(self.pages):
            if self.current() != self.generation:
                return
            try:
                rgb, _ = render_page(path, page, scale=1.0, max_side=self.side)
            except Exception:  # noqa: BLE001 - a page that will not render keeps its placeholder
                continue
            h, w, _c = rgb.shape
            img = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
            try:
                self.signals.ready.emit(self.generation, row, img)
            except RuntimeError:  # the window closed while thumbnails were being made
                return


class BackgroundOp:
    """Run fn(progress) on the shared pool; on_done/on_error are called on the UI thread."""

    _live: set[BackgroundOp] = set()

    def __init__(self, parent: QWidget, fn: Callable[[Progress], object], on_done: Callable[[object], None],
                 on_error: Callable[[Exception], None], label: str = S.CHECKING,
                 on_progress: Callable[[int, int, str], None] | None = None,
                 on_item: Callable[[object], None] | None = None):
        self.label = label
        self.signals = _Signals()
        self.progress = Progress()
        self.progress.on_change = lambda: self.signals.progress.emit(  # type: ignore[method-assign]
            self.progress.done, self.progress.total, self.progress.label)
        self.dialog = QProgressDialog(label, S.CANCEL, 0, 0, parent)
        self.dialog.setWindowTitle(S.APP_TITLE)
        self.dialog.setMinimumDuration(600)  # quick work never flashes a dialog
        self.dialog.canceled.connect(self.progress.cancel)
        self.signals.progress.connect(self._on_progress)
        if on_progress:
            self.signals.progress.connect(on_progress)
        if on_item:  # partial results (a material read) reach the UI thread as they come
            self.progress.on_item = self.signals.item.emit  # type: ignore[assignment]
            self.signals.item.connect(on_item)
        self.signals.done.connect(lambda r: self._finish(on_done, r))
        self.signals.failed.connect(lambda e: self._finish(on_error, e))
        self._job = _Job(fn, self.progress, self.signals)
        BackgroundOp._live.add(self)

    def start(self) -> BackgroundOp:
        QThreadPool.globalInstance().start(self._job)
        return self

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        self.dialog.setLabelText(f"{self.label}\n{label}")

    def _finish(self, cb, value) -> None:
        self.dialog.reset()
        self.dialog.close()
        BackgroundOp._live.discard(self)
        QTimer.singleShot(0, lambda: cb(value))


class CheckRunner(QObject):
    """Runs the check queue (services.desk_view.CheckQueue): one packet at a time on the shared pool, in the order
    they were added; progress, materials read and the end of each reach the UI thread as signals."""

    label = S.CHECKING
    progressed = Signal(object)  # the job
    material = Signal(int, object)  # case id, material
    finished = Signal(int, object, object)  # case id, result, error (None when it went well)

    def __init__(self, parent=None):
        super().__init__(parent)
        from xinyong_desktop.services.desk_view import CheckQueue

        self.queue = CheckQueue()
        self._work: dict[int, Callable[[Progress], object]] = {}  # id(job) → work
        self._job: _Job | None = None
        self._progress: Progress | None = None
        self._signals = _Signals()
        self._signals.progress.connect(self._on_progress)
        self._signals.item.connect(self._on_item)
        self._signals.done.connect(lambda r: self._end(r, None))
        self._signals.failed.connect(lambda e: self._end(None, e))
        self.ticker = QTimer(self)  # the estimate counts down while a packet is read
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(lambda: self.progressed.emit(self.queue.running))

    def add(self, case_id: int, name: str, files: int, work: Callable[[Progress], object]) -> bool:
        job = self.queue.add(case_id, name, files)
        if job is None:
            return False
        self._work[id(job)] = work
        self._next()  # at once when nothing runs: the queue's first line is never a "waiting" one
        return True

    @property
    def busy(self) -> bool:
        return self.queue.running is not None or bool(self.queue.waiting)

    def _next(self) -> None:
        job = self.queue.start_next()
        if job is None:
            if not self.busy:
                self.ticker.stop()
            return
        progress = Progress()
        progress.on_change = lambda: self._signals.progress.emit(  # type: ignore[method-assign]
            progress.done, progress.total, progress.label)
        progress.on_item = self._signals.item.emit
        self._progress = progress
        self._job = _Job(self._work.pop(id(job)), progress, self._signals)
        self.ticker.start()
        self.progressed.emit(job)
        QThreadPool.globalInstance().start(self._job)

    def _on_progress(self, done: int, total: int, label: str) -> None:
        job = self.queue.running
        if job is not None:
            self.queue.progress(job, done, total, label)
            self.progressed.emit(job)

    def _on_item(self, m) -> None:
        job = self.queue.running
        if job is not None:
            self.material.emit(job.case_id, m)

    def _end(self, result, error) -> None:
        job = self.queue.running
        self._job, self._progress = None, None
        if job is None:
            return
        from xinyong_desktop.services.progress import Cancelled

        if isinstance(error, Cancelled):
            error = None
        cancelled = error is None and (result is None or (job.total and job.done < job.total and self.stopping))
        self.queue.finish(job, "失败" if error is not None else "取消" if cancelled else "完成")
        self.finished.emit(job.case_id, None if cancelled else result, error)
        QTimer.singleShot(0, self._next)

    stopping = False

    def cancel(self) -> None:
        """Stop: the packet being read stops at its next file, the waiting ones are dropped."""
        self.stopping = True
        for j in self.queue.waiting:
            self.queue.finish(j, "取消")
        self._work.clear()
        if self._progress is not None:
            self._progress.cancel()


class PageJob(QRunnable):
    """Render one page for the viewer off the UI thread (a full page takes a tenth of a second or more)."""

    class Signals(QObject):
        ready = Signal(object, object, float)  # key, RGB array (or the exception), pixels per point

    def __init__(self, key: tuple, path, page: int):
        super().__init__()
        self.key, self.path, self.page = key, path, page
        self.signals = PageJob.Signals()

    def run(self) -> None:
        from xinyong_desktop.intake.render import render_page

        try:
            rgb, scale = render_page(self.path, self.page)
        except Exception as e:  # noqa: BLE001 - shown as a message where the page would be
            try:
                self.signals.ready.emit(self.key, e, 0.0)
            except RuntimeError:
                pass
            return
        try:
            self.signals.ready.emit(self.key, rgb, scale)
        except RuntimeError:  # the window closed meanwhile
            return
