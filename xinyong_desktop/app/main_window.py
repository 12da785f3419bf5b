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
from xinyong_desktop.app.tasks import BackgroundOp
from xinyong_desktop.domain.model import Kind
from xinyong_desktop.resources import ui_path
from xinyong_desktop.rules.loader import RuleBook
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
        self.case_id: int | None = None
        self.reveal = False
        self.running: BackgroundOp | None = None
        self.last_result = None
        self.roster_errors_box = None
        self.setAcceptDrops(True)
        f = self.form
        self.cases, self.tree, self.findings, self.view = f.caseTable, f.checklist, f.findingList, f.pageView
        from PySide6.QtWidgets import QHeaderView

        self.cases.setColumnCount(len(S.CASE_HEADERS))
        self.cases.setHorizontalHeaderLabels(S.CASE_HEADERS)
        self.cases.setWordWrap(False)
        header = self.cases.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
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
        self._build_queue(f.rightLayout)
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
        self.thumbs.setIconSize(QSize(90, 128))
        self.thumbs.setSpacing(4)
        self.thumbs.setFixedHeight(160)
        self.thumbs.setMovement(QListWidget.Movement.Static)
        self.thumbs.currentItemChanged.connect(self._thumb_selected)
        f.centerLayout.insertWidget(1, self.thumbs)
        self._thumb_gen = 0
        self._thumb_key = None  # (case, check, pages) whose thumbnails are shown
        f.splitter.setSizes([380, 620, 600])
        rl = f.rightLayout  # verdict, review queue, checklist, findings, buttons, what still blocks
        for w_, stretch in ((self.queue_box, 3), (f.checklist, 4), (f.findingList, 2)):
            rl.setStretch(rl.indexOf(w_), stretch)
        for i, stretch in enumerate((0, 3, 2)):
            f.splitter.setStretchFactor(i, stretch)
        self._actions()
        self.training_class = self._current_class()
        settings = QSettings()
        last = settings.value("last_case")
        self.refresh_cases(int(last) if last not in (None, "") else None)  # back where the instructor left off
        if settings.value("geometry"):
            self.restoreGeometry(settings.value("geometry"))
        else:  # first run: nearly the whole screen, not Qt's default size
            screen = self.screen().availableGeometry() if self.screen() else None
            if screen is not None:
                self.resize(int(screen.width() * 0.92), int(screen.height() * 0.92))
                self.move(screen.x() + screen.width() * 4 // 100, screen.y() + screen.height() * 4 // 100)
        self.first_run = not settings.value("geometry")
        if as_of is not None:  # the automation hook's --as-of is the class's date
            self.set_class_date(as_of)
        if self.case_id is None:
            self.show_case()  # an empty window says what to do first

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

    def _current_class(self) -> int:
        last = QSettings().value("last_class")
        with self.db() as s, s.begin():
            tc = s.get(TrainingClass, int(last)) if last not in (None, "") else None
            tc = tc or s.scalars(select(TrainingClass).order_by(TrainingClass.id.desc())).first()
            if tc is None:
                tc = repo.create_class(s, S.DEFAULT_CLASS, instructors=self.instructor)
            self._show_class(tc)
            return tc.id

    def _ask_save(self, title: str, default_name: str, file_filter: str) -> Path | None:
        f, _ = QFileDialog.getSaveFileName(self, title, default_name, file_filter)
        return Path(f) if f else None

    def _ask_dir(self, title: str, out_dir: Path | None) -> Path | None:
        if out_dir is not None:
            return out_dir
        d = QFileDialog.getExistingDirectory(self, title)
        return Path(d) if d else None

    def run_op(self, fn, on_done, label: str = S.CHECKING, on_item=None) -> bool:
        """All background work goes through here: one operation at a time; a second one while the first runs is
        refused with a message, never started over it."""
        if self.running is not None:
            self.statusBar().showMessage(S.BUSY.format(what=self.running.label), 8000)
            return False

        def done(result) -> None:
            self.running = None
            on_done(result)

        def failed(e: Exception) -> None:
            self.running = None
            self._failed(e)

        self.running = BackgroundOp(self, fn, done, failed, label, on_item=on_item).start()
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
        try:
            return self.rules.materials[Kind(kind)].name
        except (ValueError, KeyError):
            return kind or ""

    def show_shortcuts(self) -> None:
        lines = []
        for menu in self.menuBar().actions():
            for a in menu.menu().actions():
                if a.shortcut().toString():
                    lines.append(f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText):<16}{a.text()}")
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
        self._thumb_gen += 1  # thumbnail workers stop at their next page
        if self.running is not None:
            self.running.progress.cancel()
        super().closeEvent(e)
