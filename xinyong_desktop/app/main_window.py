"""The review desk window: cases on the left, the page in the middle, the checklist and findings on the right.

The window is the shared context (database, rules, instructor, current class and case, status bar, the one
background operation); each concept lives in its own module as a part of it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QFile, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QFileDialog, QListWidget, QMainWindow, QMessageBox, QTabWidget
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.case_list import (
    CaseListMixin,
    removable_volumes,  # noqa: F401 - re-exported
)
from xinyong_desktop.app.checklist import ChecklistMixin
from xinyong_desktop.app.class_board import ClassBoard
from xinyong_desktop.app.class_desk import ClassDeskMixin
from xinyong_desktop.app.data_safety import DataSafetyMixin
from xinyong_desktop.app.export_desk import ExportMixin
from xinyong_desktop.app.follow_up import FollowUpMixin
from xinyong_desktop.app.page_panel import PagePanelMixin
from xinyong_desktop.app.page_view import PageView
from xinyong_desktop.app.review_queue import ReviewQueueMixin
from xinyong_desktop.app.tasks import BackgroundOp, CheckRunner
from xinyong_desktop.resources import ui_path
from xinyong_desktop.rules.loader import RuleBook
from xinyong_desktop.services.desk_view import DeskController
from xinyong_desktop.services.writer import DbWriter
from xinyong_desktop.store import repo
from xinyong_desktop.store.models import TrainingClass

ROLE = Qt.ItemDataRole.UserRole


def load_form(name: str):
    loader = QUiLoader()
    loader.registerCustomWidget(PageView)
    f = QFile(str(ui_path(name)))
    f.open(QFile.OpenModeFlag.ReadOnly)
    try:
        return loader.load(f)
    finally:
        f.close()


class MainWindow(ClassDeskMixin, FollowUpMixin, DataSafetyMixin, CaseListMixin, ExportMixin, ChecklistMixin,
                 ReviewQueueMixin, PagePanelMixin, QMainWindow):
    @property
    def instructor(self) -> str:
        """Who signs: the class's instructor once adopted (app/instructor.py); the view's decisions use the same."""
        return self._instructor

    @instructor.setter
    def instructor(self, name: str) -> None:
        self._instructor = name
        ctl = self.__dict__.get("ctl")
        if ctl is not None:
            ctl.instructor = name

    def __init__(self, db: sessionmaker[Session], rules: RuleBook, instructor: str, pool=None,
                 as_of: dt.date | None = None, db_path: Path | None = None, log_path: Path | None = None):
        super().__init__()
        self.db_path, self.log_path = db_path, log_path  # db_path: the SQLite file (None for a server database)
        if db_path is not None:  # a backup every 30 minutes of use
            from PySide6.QtCore import QTimer

            self.backup_timer = QTimer(self)
            self.backup_timer.timeout.connect(self.backup_now)
            self.backup_timer.start(30 * 60 * 1000)
        self.db, self.rules, self.instructor, self.pool = db, rules, instructor, pool
        self.writer = DbWriter(db)  # every write, from the UI or a background check, through one thread
        self.ctl = DeskController(db, self.writer, rules, instructor)  # the selected case and its one view
        self.checker = CheckRunner(self)
        self.checks = self.checker.queue
        self.form = load_form("main_window.ui")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form.centralWidget(), S.TAB_REVIEW)
        self.board = ClassBoard(as_of=as_of)
        self.tabs.addTab(self.board, S.TAB_CLASS)
        self.setCentralWidget(self.tabs)
        self.board.openCase.connect(self.open_case)
        self._board_dirty = True
        self.tabs.currentChanged.connect(lambda i: self.refresh_board() if i == 1 and self._board_dirty else None)
        self.board.asOfChanged.connect(lambda: self.set_class_date(self.board.as_of()))
        for key, slot in (("new", self.new_class), ("switch", self.switch_class), ("import", self.import_roster),
                          ("xlsx", self.export_board), ("letters", self.make_letters), ("guide", self.make_guides),
                          ("summary", self.make_summary)):
            self.board.buttons[key].clicked.connect(lambda _=False, slot=slot: slot())
        self.setWindowTitle(S.APP_TITLE)
        self.statusBar()
        self._op: BackgroundOp | None = None
        self.last_result = None
        self.roster_errors_box: QMessageBox | None = None
        self.headless = False  # the automation hook: no dialogs, no folders opened
        self._tree_content: tuple | None = None
        self._findings_content: tuple | None = None
        self._queue_content: tuple | None = None
        self._finding_key: str | None = None
        self._page: tuple | None = None
        self._page_key: tuple | None = None
        self._want_page: tuple | None = None
        self._page_cache: dict[tuple, tuple] = {}  # the last pages drawn, by (case, root, path, page, check)
        self._page_jobs: dict[tuple, object] = {}
        self._streaming: int | None = None
        self.instance_server = None
        self._fresh: set[int] = set()  # checked in the background, not looked at yet (bold in the list)
        self.setAcceptDrops(True)
        f = self.form
        self.cases, self.tree, self.findings, self.view = f.caseTable, f.checklist, f.findingList, f.pageView
        from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QVBoxLayout, QWidget

        self.cases.setColumnCount(len(S.CASE_HEADERS))
        self.cases.setHorizontalHeaderLabels(S.CASE_HEADERS)
        self.cases.setWordWrap(False)
        self.cases.verticalHeader().setVisible(False)  # row numbers take room the names need
        header = self.cases.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.cases.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long name keeps its start and its end
        for i in range(1, len(S.CASE_HEADERS)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnCount(len(S.TREE_HEADERS))
        self.tree.setHeaderLabels(S.TREE_HEADERS)
        th = self.tree.header()
        th.setStretchLastSection(False)
        th.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        th.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        th.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        th.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.findings.setWordWrap(True)
        f.verdictLabel.setWordWrap(True)
        f.classLabel.setWordWrap(True)
        f.pageLabel.setWordWrap(True)
        # the check queue under the case list: one line per packet, the estimate above
        self.check_summary = QLabel("")
        self.check_summary.setWordWrap(True)
        self.check_list = QListWidget()
        self.check_list.setMaximumHeight(130)
        self.check_list.setWordWrap(True)
        self.check_list.itemActivated.connect(self._check_line_clicked)
        self.check_list.itemClicked.connect(self._check_line_clicked)
        self.check_list.setVisible(False)
        f.leftLayout.addWidget(self.check_summary)
        f.leftLayout.addWidget(self.check_list)
        self.checker.progressed.connect(lambda _job: self._render_check_lines())
        self.checker.material.connect(self._material_arrived)
        self.checker.finished.connect(self._checked)
        # the right pane folds: review queue (with the evidence and the correction), checklist, findings
        rl = f.rightLayout
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(self._build_queue())
        rl.removeWidget(f.checklist)
        self.right_split.addWidget(f.checklist)
        found = QWidget()
        fl = QVBoxLayout(found)
        fl.setContentsMargins(0, 0, 0, 0)
        rl.removeWidget(f.findingsLabel)
        rl.removeWidget(f.findingList)
        fl.addWidget(f.findingsLabel)
        fl.addWidget(f.findingList)
        self.right_split.addWidget(found)
        for i, stretch in enumerate((3, 3, 2)):
            self.right_split.setStretchFactor(i, stretch)
        rl.insertWidget(1, self.right_split, 1)
        self.cases.itemSelectionChanged.connect(self._case_selected)
        self.tree.currentItemChanged.connect(self._tree_selected)
        self.findings.currentItemChanged.connect(self._finding_selected)
        self.view.boxClicked.connect(self._box_clicked)
        f.checkButton.clicked.connect(self.recheck)
        f.overrideButton.clicked.connect(self.override_current)
        f.readyButton.clicked.connect(self.mark_ready)
        self.thumbs = QListWidget()
        self.thumbs.setFlow(QListWidget.Flow.LeftToRight)  # a strip of pages; the caption is the tooltip
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(64, 90))
        self.thumbs.setSpacing(3)
        self.thumbs.setFixedHeight(118)
        self.thumbs.setMovement(QListWidget.Movement.Static)
        self.thumbs.currentItemChanged.connect(self._thumb_selected)
        f.centerLayout.insertWidget(1, self.thumbs)
        self._thumb_gen = 0
        self._thumb_key: tuple | None = None  # (case, check, pages) whose thumbnails are shown
        sp = f.splitter
        for i in range(3):
            sp.setCollapsible(i, i == 0)  # the case list folds away (F9); page and review never vanish
        f.leftPane.setMinimumWidth(200)
        f.centerPane.setMinimumWidth(320)
        f.rightPane.setMinimumWidth(self.queue.minimumWidth() + 40)
        for i, stretch in enumerate((0, 3, 2)):
            sp.setStretchFactor(i, stretch)
        self._actions()
        self.ctl.listeners.append(self.render_view)
        self.ctl.row_listeners.append(self._render_row)
        self.ctl.class_id = self._current_class()
        settings = QSettings()
        last = settings.value("last_case")
        self.refresh_cases(int(last) if last not in (None, "") else None)  # back where the instructor left off
        self.first_run = not settings.value("geometry")
        if settings.value("geometry"):
            self.restoreGeometry(settings.value("geometry"))
        if settings.value("splitter"):
            sp.restoreState(settings.value("splitter"))
        if as_of is not None:  # the automation hook's --as-of is the class's date
            self.set_class_date(as_of)

    # ------------------------------------------------------------ the shared context, owned by the controller
    @property
    def case_id(self) -> int | None:
        return self.ctl.case_id

    @case_id.setter
    def case_id(self, value: int | None) -> None:
        self.ctl.select_case(value)

    @property
    def training_class(self) -> int:
        assert self.ctl.class_id is not None
        return self.ctl.class_id

    @training_class.setter
    def training_class(self, value: int) -> None:
        self.ctl.class_id = value

    @property
    def reveal(self) -> bool:
        return self.ctl.reveal

    @property
    def running(self):
        """The background operation, else the check queue while it has work (both have a label)."""
        return self._op or (self.checker if self.checker.busy else None)

    def open_window(self) -> None:
        """Show the window: maximised the first time, afterwards where and as large as it was left."""
        if self.first_run:
            self.showMaximized()
        else:
            self.show()

    def showEvent(self, e) -> None:
        super().showEvent(e)
        if not getattr(self, "_sized", False) and not QSettings().value("splitter"):
            self._sized = True
            w = max(self.width(), 800)  # the case list, the page and the review side by side, in proportion
            left = max(260, int(w * 0.21))
            right = max(self.form.rightPane.minimumWidth(), int(w * 0.4))
            self.form.splitter.setSizes([left, max(320, w - left - right), right])

    def toggle_cases(self) -> None:
        sp = self.form.splitter
        sizes = sp.sizes()
        if sizes[0] > 0:
            self._left_width = sizes[0]
            sp.setSizes([0, sizes[1] + sizes[0], sizes[2]])
        else:
            back = getattr(self, "_left_width", 260)
            sp.setSizes([back, max(320, sizes[1] - back), sizes[2]])

    def _actions(self) -> None:
        menus = {}

        def act(menu: str, text: str, key, slot, checkable: bool = False) -> QAction:
            if menu not in menus:
                menus[menu] = self.menuBar().addMenu(menu)
            a = QAction(text, self)
            if key:
                a.setShortcut(QKeySequence(key))
            a.setCheckable(checkable)
            # triggered(bool checked) must never reach a slot's optional first parameter
            a.triggered.connect(lambda _checked=False, slot=slot: slot())
            menus[menu].addAction(a)
            return a

        act(S.MENU_FILE, S.ADD_PACKET, "Ctrl+O", self.choose_packet)
        act(S.MENU_FILE, S.OPEN_USB, "Ctrl+U", self.open_usb)
        act(S.MENU_FILE, S.MAKE_FORMS, "Ctrl+G", self.make_forms)
        act(S.MENU_FILE, S.MAKE_NOTICE, "Ctrl+Shift+G", self.make_notice)
        act(S.MENU_FILE, S.EXPORT, "Ctrl+Shift+E", self.export_ready)
        act(S.MENU_FILE, S.VERIFY, "", self.verify_export)
        act(S.MENU_CLASS, S.NEW_CLASS, "", self.new_class)
        act(S.MENU_CLASS, S.SWITCH_CLASS, "", self.switch_class)
        act(S.MENU_CLASS, S.SET_CLASS_DATE, "", self.ask_class_date)
        act(S.MENU_CLASS, S.CLASS_EXTRA, "", self.edit_class_extra)
        act(S.MENU_CLASS, S.IMPORT_ROSTER, "Ctrl+L", self.import_roster)
        act(S.MENU_CLASS, S.EXPORT_BOARD, "", self.export_board)
        act(S.MENU_CLASS, S.MAKE_LETTERS, "", self.make_letters)
        act(S.MENU_CLASS, S.MAKE_GUIDES, "", self.make_guides)
        act(S.MENU_CLASS, S.MAKE_SUMMARY, "", self.make_summary)
        act(S.MENU_CLASS, S.SHOW_BOARD, "Ctrl+B", lambda: self.tabs.setCurrentIndex(1))
        act(S.MENU_FOLLOW, S.RECORD_SUBMISSION, "", self.record_submission)
        act(S.MENU_FOLLOW, S.RECORD_OUTCOME, "", self.record_outcome)
        act(S.MENU_FOLLOW, S.MAKE_CERTIFICATE, "", self.make_certificate)
        act(S.MENU_FOLLOW, S.MAKE_DELETION, "", self.make_deletion_letter)
        act(S.MENU_FOLLOW, S.SHOW_FOLLOW_UP, "", self.show_follow_up)
        act(S.MENU_CLASS, S.SHOW_REVIEW, "Ctrl+Shift+B", lambda: self.tabs.setCurrentIndex(0))
        act(S.MENU_REVIEW, S.RECHECK, "F5", self.recheck)
        act(S.MENU_REVIEW, S.NEXT_ITEM, "Ctrl+J", lambda: self._step_tree(1))
        act(S.MENU_REVIEW, S.PREV_ITEM, "Ctrl+K", lambda: self._step_tree(-1))
        act(S.MENU_REVIEW, "下一个问题", "Ctrl+N", lambda: self._step_findings(1))
        act(S.MENU_REVIEW, "上一个问题", "Ctrl+P", lambda: self._step_findings(-1))
        act(S.MENU_REVIEW, S.CONFIRM, "Ctrl+Return", self.confirm_field)
        act(S.MENU_REVIEW, S.NEXT_REVIEW, "F6", self.next_review)
        act(S.MENU_REVIEW, S.CORRECT, "Ctrl+E", self.correct_field)
        act(S.MENU_REVIEW, S.MARK_SEEN, "Ctrl+M", self.mark_seen)
        act(S.MENU_REVIEW, S.CHANGE_KIND, "Ctrl+Shift+K", self.change_kind)
        act(S.MENU_REVIEW, S.OVERRIDE, "Ctrl+I", self.override_current)
        act(S.MENU_REVIEW, S.UNDO, "Ctrl+Z", self.undo)
        act(S.MENU_REVIEW, S.MARK_READY, "Ctrl+R", self.mark_ready)
        act(S.MENU_REVIEW, S.NEXT_CASE, "Ctrl+PgDown", lambda: self._step_case(1))
        act(S.MENU_REVIEW, S.PREV_CASE, "Ctrl+PgUp", lambda: self._step_case(-1))
        act(S.MENU_VIEW, S.ZOOM_IN, "Ctrl+=", lambda: self.view.zoom(1.25))
        act(S.MENU_VIEW, S.ZOOM_OUT, "Ctrl+-", lambda: self.view.zoom(0.8))
        act(S.MENU_VIEW, S.FIT_WIDTH, "Ctrl+0", self.view.fit_width)
        act(S.MENU_VIEW, S.FIT_PAGE, "Ctrl+9", self.view.fit_page)
        act(S.MENU_VIEW, "旋转页面", "Ctrl+T", self.view.rotate_page)
        act(S.MENU_VIEW, S.TOGGLE_CASES, "F9", self.toggle_cases)
        self.reveal_action = act(S.MENU_VIEW, S.REVEAL, "Ctrl+Shift+P", self.toggle_reveal, checkable=True)
        act(S.MENU_FILE, S.BACKUP_NOW, "", self.backup_now)
        act(S.MENU_FILE, S.RESTORE_BACKUP, "", self.restore_backup)
        act(S.MENU_FILE, S.QUIT, "Ctrl+Q", self.close)
        act(S.MENU_CLASS, S.REMOVE_CASE, "", self.remove_case)
        act(S.MENU_CLASS, S.PURGE_CLASS, "", self.purge_personal_data)
        act(S.MENU_CLASS, S.EXPORT_BUNDLE, "", self.export_bundle)
        act(S.MENU_CLASS, S.IMPORT_BUNDLE, "", self.import_bundle)
        act(S.MENU_HELP, S.SHORTCUTS, "F1", self.show_shortcuts)
        act(S.MENU_HELP, S.ABOUT, "", self.show_about)
        from xinyong_desktop.app import stick_intake

        self.stick_action = stick_intake.install(self)  # 导入U盘（多家企业）…

    def _current_class(self) -> int:
        last = QSettings().value("last_class")
        with self.db() as s, s.begin():
            tc = s.get(TrainingClass, int(last)) if last not in (None, "") else None
            tc = tc or s.scalars(select(TrainingClass).order_by(TrainingClass.id.desc())).first()
            if tc is None:
                tc = repo.create_class(s, S.DEFAULT_CLASS, instructors=self.instructor)
                s.flush()
            self._show_class(tc)
            return int(tc.id)

    # ------------------------------------------------------------ file dialogs: each purpose remembers its folder
    @staticmethod
    def _last_dir(purpose: str) -> str:
        d = QSettings().value(f"dirs/{purpose}")
        return str(d) if d and Path(str(d)).is_dir() else str(Path.home())

    @staticmethod
    def _remember_dir(purpose: str, folder: Path) -> None:
        QSettings().setValue(f"dirs/{purpose}", str(folder))

    def _ask_save(self, title: str, default_name: str, file_filter: str, purpose: str = "documents") -> Path | None:
        """A file to write, in the folder last used for this purpose, under a name no file there has yet."""
        from xinyong_desktop.app.names import unused_name

        start = Path(self._last_dir(purpose))
        f, _ = QFileDialog.getSaveFileName(self, title, str(start / unused_name(start, default_name)), file_filter)
        if not f:
            return None
        self._remember_dir(purpose, Path(f).parent)
        return Path(f)

    def _ask_dir(self, title: str, out_dir: Path | None, purpose: str = "documents",
                 start: str | None = None) -> Path | None:
        if out_dir is not None:
            return out_dir
        d = QFileDialog.getExistingDirectory(self, title, start or self._last_dir(purpose))
        if not d:
            return None
        self._remember_dir(purpose, Path(d).parent if purpose in ("packet", "usb") else Path(d))
        return Path(d)

    def _ask_open(self, title: str, file_filter: str, purpose: str) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self, title, self._last_dir(purpose), file_filter)
        if names:
            self._remember_dir(purpose, Path(names[0]).parent)
        return [Path(n) for n in names]

    def run_op(self, fn, on_done, label: str = S.CHECKING, on_item=None) -> bool:
        """Background work other than checks goes through here: one operation at a time; a second one while the
        first runs is refused with a message, never started over it.  Checks have their own queue."""
        if self._op is not None:
            self.statusBar().showMessage(S.BUSY.format(what=self._op.label), 8000)
            return False

        def done(result) -> None:
            self._op = None
            on_done(result)

        def failed(e: Exception) -> None:
            self._op = None
            self._failed(e)

        self._op = BackgroundOp(self, fn, done, failed, label, on_item=on_item).start()
        return True

    def _forms_done(self, out_dir: Path, paths) -> None:
        self.last_forms = paths
        self.statusBar().showMessage(S.FORMS_DONE.format(n=len(paths), dir=out_dir), 10000)
        if not getattr(self, "headless", False):
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out_dir)))

    def _failed(self, e: Exception) -> None:
        self.form.checkButton.setEnabled(True)
        from xinyong_desktop.app.main import show_error  # the one error → dialog mapping

        show_error(self, e, self.log_path)

    def _kind_name(self, kind: str | None) -> str:
        return self.ctl.kind_name(kind)

    def show_shortcuts(self) -> None:
        lines = []
        for menu in self.menuBar().actions():
            for a in menu.menu().actions():  # type: ignore[attr-defined]  # a menu bar's actions have menus
                if a.shortcut().toString():
                    lines.append(f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText):<16}"
                                 f"{plain_text(a.text())}")
        QMessageBox.information(self, S.SHORTCUTS, "\n".join(lines))

    def show_about(self) -> None:
        """The version and the OCR backend the parser processes use (asked of a parser: it is chosen there)."""
        pool = self.pool

        def ask(_progress) -> dict:
            if pool is not None:
                return pool.call("xinyong_desktop.intake.ocr:backend_info", seconds=120)
            from xinyong_desktop.intake.sandbox import call_sandboxed

            return call_sandboxed("xinyong_desktop.intake.ocr:backend_info", seconds=120)

        self.run_op(ask, self._about_done, label=S.ABOUT_READING)

    def _about_done(self, res) -> None:
        import logging
        import platform

        from xinyong_desktop import __version__

        if res.get("ok"):
            info = res["value"]
            engine, reason = info["label"], info["reason"]
            logging.getLogger("xinyong.app").info("OCR backend: %s (%s)", engine, reason)
        else:
            engine, reason = S.ABOUT_NO_ENGINE.format(reason=res.get("reason", "")), ""
        QMessageBox.information(self, S.ABOUT, S.ABOUT_TEXT.format(
            title=S.APP_TITLE, version=__version__, engine=engine, reason=reason, python=platform.python_version()))

    def closeEvent(self, e) -> None:
        QSettings().setValue("geometry", self.saveGeometry())
        QSettings().setValue("splitter", self.form.splitter.saveState())
        self._thumb_gen += 1  # thumbnail workers stop at their next page
        self.checker.cancel()
        if self._op is not None:
            self._op.progress.cancel()
        super().closeEvent(e)


def plain_text(label: str) -> str:
    """A menu label without its mnemonic: 退出(&X) → 退出, 保存(&S)… → 保存…, a && → &."""
    import re

    return re.sub(r"\(&\w\)", "", label).replace("&&", "\0").replace("&", "").replace("\0", "&")
