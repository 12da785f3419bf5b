"""The review desk: cases on the left, the page in the middle, the checklist and findings on the right."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PySide6.QtCore import QFile, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidgetItem,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.class_board import ClassBoard, ClassDialog
from xinyong_desktop.app.page_view import PageView
from xinyong_desktop.app.tasks import BackgroundOp
from xinyong_desktop.checks.messages import FIELD_NAMES
from xinyong_desktop.domain.model import FieldId, Kind
from xinyong_desktop.intake.render import render_page
from xinyong_desktop.resources import ui_path
from xinyong_desktop.rules.loader import RuleBook
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import CaseFileError, check_packet, read_case_file
from xinyong_desktop.services.review import (
    PERSONAL_FIELDS,
    apply_decisions,
    blocking,
    field_target,
    finding_key,
    kind_target,
    mask,
    mask_text,
    material_key,
    materials_from_rows,
)
from xinyong_desktop.store import repo
from xinyong_desktop.store.models import Case, TrainingClass

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


class MainWindow(QMainWindow):
    def __init__(self, db: sessionmaker[Session], rules: RuleBook, instructor: str, pool=None,
                 as_of: dt.date | None = None, db_path: Path | None = None, log_path: Path | None = None):
        super().__init__()
        self.db_path, self.log_path = db_path, log_path  # db_path: the SQLite file (None for a server database)
        if db_path is not None:  # a backup every 30 minutes of use
            from PySide6.QtCore import QTimer

            self.backup_timer = QTimer(self)
            self.backup_timer.timeout.connect(self.backup_now)
            self.backup_timer.start(30 * 60 * 1000)
        self.as_of = as_of  # None: today (the automation hook and tests pin a date)
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
        self.board.asOfChanged.connect(self.refresh_board)
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
        self.cases.setColumnCount(3)
        self.cases.setHorizontalHeaderLabels(S.CASE_HEADERS)
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
        f.splitter.setSizes([260, 700, 540])
        for i, stretch in enumerate((0, 3, 2)):
            f.splitter.setStretchFactor(i, stretch)
        self._actions()
        self.training_class = self._current_class()
        settings = QSettings()
        last = settings.value("last_case")
        self.refresh_cases(int(last) if last not in (None, "") else None)  # back where the instructor left off
        if settings.value("geometry"):
            self.restoreGeometry(settings.value("geometry"))

    # ------------------------------------------------------------ set-up
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

    def _current_class(self) -> int:
        last = QSettings().value("last_class")
        with self.db() as s, s.begin():
            tc = s.get(TrainingClass, int(last)) if last not in (None, "") else None
            tc = tc or s.scalars(select(TrainingClass).order_by(TrainingClass.id.desc())).first()
            if tc is None:
                tc = repo.create_class(s, S.DEFAULT_CLASS, instructors=self.instructor)
            self.form.classLabel.setText(f"培训班：{tc.name}")
            return tc.id

    # ------------------------------------------------------------ classes and rosters
    def set_class(self, class_id: int) -> None:
        self.training_class = class_id
        QSettings().setValue("last_class", class_id)
        with self.db() as s:
            self.form.classLabel.setText(f"培训班：{s.get(TrainingClass, class_id).name}")
        self.case_id = None
        self.refresh_cases()
        self.refresh_board()

    def new_class(self, name: str | None = None, held_on: dt.date | None = None, place: str | None = None,
                  instructors: str | None = None) -> int | None:
        if name is None:
            got = ClassDialog.ask(self, self.instructor)
            if got is None:
                return None
            name, held_on, place, instructors = got
        with self.db() as s, s.begin():
            tc = repo.create_class(s, name.strip() or S.DEFAULT_CLASS, held_on, place or "", instructors or self.instructor)
            cid = tc.id
        self.set_class(cid)
        return cid

    def switch_class(self) -> None:
        with self.db() as s:
            classes = [(c.id, f"{c.name}（{c.held_on or '未定日期'}）") for c in
                       s.scalars(select(TrainingClass).order_by(TrainingClass.id.desc()))]
        labels = [t for _, t in classes]
        cur = next((i for i, (cid, _) in enumerate(classes) if cid == self.training_class), 0)
        label, ok = QInputDialog.getItem(self, S.SWITCH_CLASS, S.CHOOSE_CLASS, labels, cur, False)
        if ok:
            self.set_class(classes[labels.index(label)][0])

    def import_roster(self, paths: list[Path] | None = None) -> None:
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, S.IMPORT_ROSTER, "", S.ROSTER_FILTER)
            paths = [Path(n) for n in names]
        if not paths or self.running is not None:
            return
        from xinyong_desktop.roster.board import read_rosters
        from xinyong_desktop.services.classes import import_roster

        class_id, as_of = self.training_class, self.board.as_of()

        def work(progress):
            progress.start(2, S.READING_ROSTER)
            roster = read_rosters(paths, as_of, self.rules)
            progress.step(S.SAVING_ROSTER)
            with self.db() as s, s.begin():
                summary = import_roster(s, class_id, roster, self.instructor)
            progress.step("")
            return roster, summary

        self.running = BackgroundOp(self, work, self._roster_imported, self._failed, S.READING_ROSTER).start()

    def _roster_imported(self, out) -> None:
        self.running = None
        roster, summary = out
        self.last_roster = roster
        self.refresh_cases()
        self.refresh_board()
        self.tabs.setCurrentIndex(1)
        msg = S.ROSTER_DONE.format(a=summary.cases_added, b=summary.already_there, d=len(roster.duplicates),
                                   e=len(roster.errors))
        self.statusBar().showMessage(msg, 15000)
        flagged = [r for r in roster.records if r.problems]  # imported, with facts to check (待核对)
        if roster.errors or flagged:
            lines = [f"{e.file} {'第 ' + str(e.row) + ' 行' if e.row else '整个文件'}：{e.message}" for e in roster.errors]
            lines += [f"{r.file} 第 {r.row} 行（已导入，待核对）：{'；'.join(r.problems)}" for r in flagged]
            box = QMessageBox(QMessageBox.Icon.Warning, S.IMPORT_ROSTER, msg + "\n\n" + S.ROSTER_REJECTED, parent=self)
            box.setDetailedText("\n".join(lines))
            box.setModal(False)
            box.show()
            self.roster_errors_box = box

    def class_roster(self):
        from xinyong_desktop.services.classes import class_records, roster_of_class

        with self.db() as s:
            roster = roster_of_class(s, self.training_class, self.board.as_of(), self.rules)
            case_of = {r.decision_number: (c.id, c.status) for c, r, _e in class_records(s, self.training_class)}
        return roster, case_of

    def refresh_board(self) -> None:
        from xinyong_desktop.services.classes import statistics

        self._board_dirty = False
        roster, case_of = self.class_roster()
        with self.db() as s:
            tc = s.get(TrainingClass, self.training_class)
            title = (f"{tc.name}    日期：{tc.held_on or '未定'}    地点：{tc.place or '—'}    "
                     f"讲师：{tc.instructors or '—'}")
            stats, overall = statistics(s, self.training_class), statistics(s)
        self.board.show_class(title, roster, case_of, self.rules.soon_days, stats, overall)

    def export_board(self, out: Path | None = None) -> Path | None:
        from xinyong_desktop.roster.export import write_board_xlsx

        out = out or self._ask_save(S.EXPORT_BOARD, "可申请修复清单.xlsx", "Excel (*.xlsx)")
        if out is None:
            return None
        roster, _ = self.class_roster()
        write_board_xlsx(roster, self.rules.soon_days, out)
        self.statusBar().showMessage(S.SAVED_TO.format(path=out), 10000)
        return out

    def _ask_save(self, title: str, default_name: str, file_filter: str) -> Path | None:
        f, _ = QFileDialog.getSaveFileName(self, title, default_name, file_filter)
        return Path(f) if f else None

    def _ask_dir(self, title: str, out_dir: Path | None) -> Path | None:
        if out_dir is not None:
            return out_dir
        d = QFileDialog.getExistingDirectory(self, title)
        return Path(d) if d else None

    def _board_records(self):
        roster, _ = self.class_roster()
        return [r for key, items in roster.lists(self.rules.soon_days).items() if key != "withdrawn" for r in items]

    def make_letters(self, out_dir: Path | None = None) -> None:
        """信用修复提醒函 for every record of the class whose publication has not stopped; one merged file to print."""
        from xinyong_desktop.documents.letters import write_reminders

        self._roster_batch(write_reminders, S.MAKE_LETTERS, out_dir)

    def make_guides(self, out_dir: Path | None = None) -> None:
        """信用修复材料清单 for every record of the class, from the rule files."""
        from xinyong_desktop.documents.letters import write_guides

        self._roster_batch(write_guides, S.MAKE_GUIDES, out_dir)

    def _roster_batch(self, writer, title: str, out_dir: Path | None) -> None:
        out_dir = self._ask_dir(title, out_dir)
        if out_dir is None or self.running is not None:
            return
        records, as_of = self._board_records(), self.board.as_of()
        self.running = BackgroundOp(
            self, lambda pr: self._batch(writer(records, self.rules, out_dir, as_of, pr)),
            lambda paths: self._forms_done(out_dir, paths), self._failed, S.MAKING_FORMS).start()

    @staticmethod
    def _batch(out) -> list[Path]:
        paths, merged = out
        return paths + ([merged] if merged else [])

    def make_summary(self, out: Path | None = None) -> Path | None:
        from xinyong_desktop.documents.letters import render_class_summary
        from xinyong_desktop.roster.board import list_titles
        from xinyong_desktop.services.classes import statistics

        out = out or self._ask_save(S.MAKE_SUMMARY, "培训班小结.pdf", "PDF (*.pdf)")
        if out is None:
            return None
        roster, _ = self.class_roster()
        titles = list_titles(self.rules.soon_days)
        counts = {titles[k]: len(v) for k, v in roster.lists(self.rules.soon_days).items()}
        with self.db() as s:
            tc = s.get(TrainingClass, self.training_class)
            info = f"日期：{tc.held_on or '未定'}　地点：{tc.place or '—'}　讲师：{tc.instructors or '—'}"
            render_class_summary(tc.name, info, statistics(s, self.training_class), counts, out, self.instructor,
                                 dt.date.today())
        self._forms_done(out.parent, [out])
        return out

    def _case_or_hint(self, s: Session) -> Case | None:
        if self.case_id is None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return None
        return s.get(Case, self.case_id)

    def _follow_up(self, apply) -> bool:
        """Apply a follow-up step to the selected case in one transaction; a refused step is explained."""
        from xinyong_desktop.services.classes import StatusError

        try:
            with self.db() as s, s.begin():
                c = self._case_or_hint(s)
                if c is None:
                    return False
                apply(s, c)
        except StatusError as e:
            self.statusBar().showMessage(str(e), 10000)
            return False
        self.refresh_cases()
        self.show_case()
        return True

    def record_submission(self, query_code: str | None = None, day: dt.date | None = None) -> bool:
        from xinyong_desktop.services.classes import record_submission

        if query_code is None:
            query_code, ok = QInputDialog.getText(self, S.RECORD_SUBMISSION, S.ASK_QUERY_CODE)
            if not ok:
                return False
        return self._follow_up(lambda s, c: record_submission(s, c, day or dt.date.today(), query_code, self.instructor))

    def record_outcome(self, outcome: str | None = None, reason: str | None = None) -> bool:
        from xinyong_desktop.services.classes import OUTCOMES, record_outcome

        if outcome is None:
            outcome, ok = QInputDialog.getItem(self, S.RECORD_OUTCOME, S.ASK_OUTCOME, list(OUTCOMES), 1, False)
            if not ok:
                return False
        if reason is None:
            reason = ""
            if outcome in ("未通过", "退回"):
                reason, ok = QInputDialog.getText(self, S.RECORD_OUTCOME, S.ASK_PORTAL_REASON)
                if not ok:
                    return False
        return self._follow_up(lambda s, c: record_outcome(s, c, outcome, reason, self.instructor))

    def _repaired_record(self):
        from xinyong_desktop.services.classes import case_record

        with self.db() as s:
            c = self._case_or_hint(s)
            if c is None:
                return None
            rec = case_record(s, c)
            if rec is None:
                self.statusBar().showMessage(S.NO_RECORD_FOR_CASE, 10000)
                return None
            return rec, c.submitted_on, c.query_code, c.status

    def make_certificate(self, out: Path | None = None) -> Path | None:
        from xinyong_desktop.documents.letters import render_certificate

        got = self._repaired_record()
        if got is None:
            return None
        rec, repaired_on, code, status = got
        if status != "已修复":
            self.statusBar().showMessage(S.NOT_REPAIRED_YET, 10000)
            return None
        out = out or self._ask_save(S.MAKE_CERTIFICATE, f"{rec.enterprise_name}_信用修复证明.pdf", "PDF (*.pdf)")
        if out is None:
            return None
        render_certificate(rec, self.rules, out, dt.date.today(), repaired_on, code)
        self._forms_done(out.parent, [out])
        return out

    def make_deletion_letter(self, out: Path | None = None, third_party: str | None = None) -> Path | None:
        from xinyong_desktop.documents.letters import render_deletion_letter

        got = self._repaired_record()
        if got is None:
            return None
        rec, repaired_on, _code, status = got
        if status != "已修复":
            self.statusBar().showMessage(S.NOT_REPAIRED_YET, 10000)
            return None
        if third_party is None:
            third_party, ok = QInputDialog.getText(self, S.MAKE_DELETION, S.ASK_THIRD_PARTY)
            if not ok:
                return None
        out = out or self._ask_save(S.MAKE_DELETION, f"{rec.enterprise_name}_删除函.pdf", "PDF (*.pdf)")
        if out is None:
            return None
        render_deletion_letter(rec, self.rules, out, dt.date.today(), third_party, repaired_on)
        self._forms_done(out.parent, [out])
        return out

    # ------------------------------------------------------------ data safety
    def backup_now(self) -> Path | None:
        if self.db_path is None:
            return None
        from xinyong_desktop.store.backup import make_backup

        out = make_backup(self.db_path, "auto")
        if out is not None:
            self.statusBar().showMessage(S.BACKED_UP.format(path=out), 8000)
        return out

    def restore_backup(self, backup: Path | None = None, confirm: bool = True) -> bool:
        """Put a backup back in place of the live database; the current state is kept as a backup first."""
        from xinyong_desktop.store.backup import list_backups, restore_backup
        from xinyong_desktop.store.db import open_db

        if self.db_path is None or self.running is not None:
            self.statusBar().showMessage(S.NO_BACKUP_HERE, 8000)
            return False
        if backup is None:
            infos = list_backups(self.db_path)
            if not infos:
                self.statusBar().showMessage(S.NO_BACKUPS, 8000)
                return False
            labels = [f"{b.made_at:%Y-%m-%d %H:%M:%S}（{S.BACKUP_REASONS.get(b.reason, b.reason)}，"
                      f"{b.size // 1024} KB）" for b in infos]
            label, ok = QInputDialog.getItem(self, S.RESTORE_BACKUP, S.CHOOSE_BACKUP, labels, 0, False)
            if not ok:
                return False
            backup = infos[labels.index(label)].path
        if confirm and QMessageBox.question(self, S.RESTORE_BACKUP, S.CONFIRM_RESTORE) != QMessageBox.StandardButton.Yes:
            return False
        self.db.kw["bind"].dispose()
        try:
            restore_backup(backup, self.db_path)
        except Exception as e:  # noqa: BLE001 - shown, the live database is untouched
            self.db = open_db(self.db_path)
            self._failed(e)
            return False
        self.db = open_db(self.db_path)
        self.case_id = None
        self.set_class(self._current_class())
        self.statusBar().showMessage(S.RESTORED, 10000)
        return True

    def purge_personal_data(self, confirm: bool = True) -> bool:
        """Remove the class's ID and phone numbers from the database file (after the class); the instructor
        types the class's name to confirm."""
        from xinyong_desktop.services.privacy import purge_and_compact

        if confirm:
            with self.db() as s:
                name = s.get(TrainingClass, self.training_class).name
            typed, ok = QInputDialog.getText(self, S.PURGE_CLASS, S.PURGE_TYPE_NAME.format(name=name))
            if not ok:
                return False
            if typed.strip() != name:
                self.statusBar().showMessage(S.PURGE_NAME_WRONG, 10000)
                return False
        out = purge_and_compact(self.db, self.training_class, self.instructor, self.db_path)
        self.show_case()
        self.statusBar().showMessage(S.PURGED.format(f=out.fields, t=out.texts, b=out.backups_removed), 15000)
        return True

    def remove_case(self, confirm: bool = True) -> bool:
        """Remove the selected case (asks first; audited). The packet folder on disk is not touched."""
        from xinyong_desktop.services.desk import remove_case

        if self.case_id is None or self.running is not None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return False
        with self.db() as s:
            name = self._case_name(s.get(Case, self.case_id))
        if confirm and QMessageBox.question(self, S.REMOVE_CASE, S.CONFIRM_REMOVE_CASE.format(name=name)) \
                != QMessageBox.StandardButton.Yes:
            return False
        with self.db() as s, s.begin():
            remove_case(s, s.get(Case, self.case_id), self.instructor)
        self.case_id = None
        QSettings().remove("last_case")
        self.refresh_cases()
        self.show_case()
        self.statusBar().showMessage(S.CASE_REMOVED.format(name=name), 10000)
        return True

    # ------------------------------------------------------------ class bundles between laptops
    def export_bundle(self, out: Path | None = None) -> Path | None:
        from xinyong_desktop.services.bundle import export_bundle

        if out is None:
            with self.db() as s:
                name = s.get(TrainingClass, self.training_class).name
            f, _ = QFileDialog.getSaveFileName(self, S.EXPORT_BUNDLE, f"{name}.xybundle", S.BUNDLE_FILTER)
            if not f:
                return None
            out = Path(f)
        with self.db() as s, s.begin():
            export_bundle(s, self.training_class, out, self.instructor)
        self.statusBar().showMessage(S.SAVED_TO.format(path=out), 10000)
        return out

    def packets_root(self) -> Path:
        if self.db_path is not None:
            return self.db_path.parent / "packets"
        from platformdirs import user_data_dir

        return Path(user_data_dir("xinyong-desktop", appauthor=False)) / "packets"

    def import_bundle(self, bundle: Path | None = None, into_current: bool | None = None) -> bool:
        """Another laptop's class: into a new class, or merged into the current one."""
        from xinyong_desktop.services.bundle import BundleError, import_bundle_file

        if bundle is None:
            f, _ = QFileDialog.getOpenFileName(self, S.IMPORT_BUNDLE, "", S.BUNDLE_FILTER)
            if not f:
                return False
            bundle = Path(f)
        if into_current is None:
            choice, ok = QInputDialog.getItem(self, S.IMPORT_BUNDLE, S.BUNDLE_WHERE, list(S.BUNDLE_TARGETS), 0, False)
            if not ok:
                return False
            into_current = S.BUNDLE_TARGETS[choice]
        try:
            res = import_bundle_file(self.db, bundle, self.packets_root(), self.instructor,
                                     self.training_class if into_current else None)
        except BundleError as e:
            QMessageBox.warning(self, S.IMPORT_BUNDLE, S.BUNDLE_FAILED.format(err=e))
            return False
        self.set_class(res.class_id)
        self.statusBar().showMessage(S.BUNDLE_DONE.format(a=res.cases_added, m=res.cases_merged,
                                                          d=res.decisions_added), 15000)
        return True

    def open_case(self, case_id: int) -> None:
        self.tabs.setCurrentIndex(0)
        self.case_id = case_id
        self.refresh_cases(case_id)

    # ------------------------------------------------------------ cases
    def refresh_cases(self, select_id: int | None = None) -> None:
        self._board_dirty = True  # statuses may have changed: the board is redrawn when it is next shown
        with self.db() as s:
            rows = list(s.scalars(select(Case).where(Case.class_id == self.training_class).order_by(Case.id)))
            data = [(c.id, self._case_name(c), c.status, sum(1 for f in c.findings if f.severity == "error")) for c in rows]
        self.cases.blockSignals(True)
        self.cases.setRowCount(len(data))
        for r, (cid, name, status, n) in enumerate(data):
            for col, text in enumerate((name, status, str(n))):
                item = QTableWidgetItem(text)
                item.setData(ROLE, cid)
                self.cases.setItem(r, col, item)
        self.cases.resizeColumnsToContents()
        self.cases.blockSignals(False)
        target = select_id or self.case_id
        for r, (cid, *_rest) in enumerate(data):
            if cid == target:
                self.cases.selectRow(r)
                break

    @staticmethod
    def _case_name(c: Case) -> str:
        if c.enterprise is not None:
            return c.enterprise.name
        for m in c.materials:
            for f in m.fields:
                if f.field == "enterprise_name":
                    return f.value
        return Path(c.packet_dir).name or f"案件 {c.id}"

    def _roster_case_without_packet(self) -> tuple[int, str] | None:
        """The selected case when it came from the roster and still waits for its packet: (id, severity)."""
        if self.case_id is None:
            return None
        with self.db() as s:
            c = s.get(Case, self.case_id)
            if c is not None and not c.packet_dir and c.class_id == self.training_class and c.record_id is not None:
                return c.id, c.record_severity
        return None

    def add_packet(self, folder: Path, ask: bool = True) -> int:
        """Attach a packet folder to the selected roster case, or open a new case for it; then check it."""
        from xinyong_desktop.intake.filetypes import discover

        if not folder.is_dir() or not discover(folder):
            self.statusBar().showMessage(S.NO_DOCUMENTS.format(dir=folder), 15000)
            if not getattr(self, "headless", False):
                QMessageBox.information(self, S.ADD_PACKET, S.NO_DOCUMENTS.format(dir=folder))
            return -1
        waiting = self._roster_case_without_packet()
        platform = "creditchina"
        if (folder / "case.json").exists():
            try:
                facts = read_case_file(folder)
            except CaseFileError as e:
                self.statusBar().showMessage(str(e), 15000)
                QMessageBox.warning(self, S.ADD_PACKET, str(e))
                return -1
            sev, app, platform = str(facts.record_severity), str(facts.applicant), facts.platform
        else:
            sev, app = (waiting[1] if waiting else "general"), "legal_representative"
            if ask and waiting is None:
                sev_label, ok = QInputDialog.getItem(self, S.APP_TITLE, S.ASK_SEVERITY, list(S.SEVERITIES), 0, False)
                if not ok:
                    return -1
                sev = S.SEVERITIES[sev_label]
            if ask:
                app_label, ok = QInputDialog.getItem(self, S.APP_TITLE, S.ASK_APPLICANT, list(S.APPLICANTS), 0, False)
                if not ok:
                    return -1
                app = S.APPLICANTS[app_label]
        with self.db() as s, s.begin():
            cid = desk.attach_packet(s, self.training_class, self.case_id, folder, self.instructor, sev, app, platform)
        self.case_id = cid
        self.refresh_cases(cid)
        self.recheck()
        return cid

    def choose_packet(self) -> None:
        d = QFileDialog.getExistingDirectory(self, S.ADD_PACKET)
        if d:
            self.add_packet(Path(d))

    def _pick_start(self, title: str) -> str | None:
        """Removable drives first (name, label, free space), then 其他位置; None when cancelled."""
        drives = removable_volumes()
        if not drives:
            return ""
        labels = [f"{root}  {name}（可用 {free // 2**20} MB）" for root, name, free in drives] + [S.OTHER_PLACE]
        label, ok = QInputDialog.getItem(self, title, S.CHOOSE_DRIVE, labels, 0, False)
        if not ok:
            return None
        i = labels.index(label)
        return drives[i][0] if i < len(drives) else ""

    def open_usb(self) -> None:
        start = self._pick_start(S.OPEN_USB)
        if start is None:
            return
        d = QFileDialog.getExistingDirectory(self, S.OPEN_USB, start)
        if d:
            self.add_packet(Path(d))

    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:
        for url in e.mimeData().urls():
            p = Path(url.toLocalFile())
            self.add_packet(p if p.is_dir() else p.parent)

    def _case_selected(self) -> None:
        items = self.cases.selectedItems()
        if items:
            self.case_id = items[0].data(ROLE)
            QSettings().setValue("last_case", self.case_id)
            self.show_case()

    def _step_case(self, d: int) -> None:
        r = max(0, min(self.cases.rowCount() - 1, self.cases.currentRow() + d))
        self.cases.selectRow(r)

    # ------------------------------------------------------------ checking
    def recheck(self) -> None:
        if self.case_id is None or self.running is not None:
            return
        with self.db() as s:
            c = s.get(Case, self.case_id)
            if not c.packet_dir:
                self.statusBar().showMessage(S.NO_PACKET_YET, 8000)
                return
            folder = Path(c.packet_dir)
            facts = desk.case_facts(c)
        cid = self.case_id
        self.form.checkButton.setEnabled(False)
        def work(progress):
            result = check_packet(folder, as_of=self.as_of, facts=facts, rules=self.rules, pool=self.pool,
                                  progress=progress, on_material=progress.item)
            if not progress.cancelled:  # the database write (hashes, fsync) stays off the UI thread too
                with self.db() as s, s.begin():
                    c = s.get(Case, cid)
                    desk.record_check(s, c, result, self.instructor, self.rules)  # earlier decisions still apply
            return result

        self.tree.clear()
        self.findings.clear()
        self.form.verdictLabel.setText(S.CHECKING)
        self.running = BackgroundOp(self, work, lambda r: self._checked(cid, r), self._failed,
                                    on_item=lambda m: self._material_arrived(cid, m)).start()

    def _material_arrived(self, cid: int, m) -> None:
        """A material read while the check goes on: shown at once, replaced by the stored reading at the end."""
        if cid != self.case_id:
            return
        top = QTreeWidgetItem([self._kind_name(m.kind), m.path, ",".join(map(str, m.pages))])
        for fid, fv in m.fields.items():
            name = str(fid)
            value = fv.value if self.reveal or name not in PERSONAL_FIELDS else mask(name, fv.value)
            value = S.MARK_VALUES.get(value, value) if name in ("seal", "signature") else value
            top.addChild(QTreeWidgetItem([FIELD_NAMES.get(fid, name), value, f"{fv.confidence:.0%}"]))
        self.tree.addTopLevelItem(top)
        top.setExpanded(True)

    def _checked(self, cid: int, result) -> None:
        self.running = None
        self.form.checkButton.setEnabled(True)
        self.last_result = result
        self.refresh_cases(cid)
        self.show_case()
        self.statusBar().showMessage(S.READY if result.ready else S.NOT_READY.format(n=len(result.findings)), 8000)

    def make_forms(self, out_dir: Path | None = None) -> None:
        """Pre-filled forms and the review record for the current case, from its latest check; opens the folder."""
        v = self._verdict()
        if v is None:
            return
        if out_dir is None:
            d = QFileDialog.getExistingDirectory(self, S.MAKE_FORMS)
            if not d:
                return
            out_dir = Path(d)
        from xinyong_desktop.documents.forms import write_forms

        status = S.VERDICT_TEXT.get(v.status, v.status) if v.ready else "需补正后提交"
        self.running = BackgroundOp(self, lambda _p: write_forms(v.result, self.rules, out_dir, self.instructor,
                                                                 v.decisions, status),
                                    lambda paths: self._forms_done(out_dir, paths), self._failed, S.MAKING_FORMS).start()

    def make_notice(self, out_file: Path | None = None) -> None:
        """The one-time correction notice for the current case: open findings minus the overridden ones."""
        v = self._verdict()
        if v is None:
            return
        if out_file is None:
            f, _ = QFileDialog.getSaveFileName(self, S.MAKE_NOTICE, "一次性补正告知单.pdf", "PDF (*.pdf)")
            if not f:
                return
            out_file = Path(f)
        from xinyong_desktop.documents.notice import render_notice

        self.running = BackgroundOp(
            self, lambda _p: [render_notice(v.result, self.rules, out_file, self.instructor, v.overridden, v.status)],
            lambda paths: self._forms_done(out_file.parent, paths), self._failed, S.MAKING_FORMS).start()

    def _verdict(self):
        """The selected case's stored verdict, or None (with a hint) when there is none yet."""
        if self.case_id is None or self.running is not None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return None
        with self.db() as s:
            c = s.get(Case, self.case_id)
            v = desk.case_verdict(s, c)
        if not v.checked:
            self.statusBar().showMessage(S.FORMS_NEED_CHECK, 8000)
            return None
        return v

    def _destination(self, title: str) -> Path | None:
        """A folder on a removable drive when one is plugged in (listed first), else anywhere."""
        start = self._pick_start(title)
        if start is None:
            return None
        d = QFileDialog.getExistingDirectory(self, title, start)
        return Path(d) if d else None

    def export_ready(self, dest: Path | None = None) -> None:
        """Export every ready case of the class (checked again first), with progress and cancel."""
        dest = dest or self._destination(S.EXPORT)
        if dest is None:
            return
        from xinyong_desktop.export.names import safe_name
        from xinyong_desktop.services.export_packets import export_name

        with self.db() as s:
            ready = list(s.scalars(select(Case).where(Case.class_id == self.training_class, Case.status == "已就绪")))
            cases = [(c.id, Path(c.packet_dir)) for c in ready]
            names = [export_name(desk.case_verdict(s, c).result, Path(c.packet_dir)) for c in ready]
        if not cases:
            self.statusBar().showMessage(S.NOTHING_TO_EXPORT, 8000)
            return
        there = [n for n in names if (dest / safe_name(n)).exists()]
        if there and QMessageBox.question(self, S.EXPORT, S.CONFIRM_OVERWRITE_EXPORT.format(names="\n".join(there))) \
                != QMessageBox.StandardButton.Yes:
            return
        from xinyong_desktop.services.export_packets import export_cases

        ids = [cid for cid, _ in cases]

        def work(progress):
            return export_cases(self.db, ids, dest, self.rules, self.instructor, progress)

        self.running = BackgroundOp(self, work, self._exported, self._failed, S.EXPORTING).start()

    def _exported(self, out) -> None:
        self.running = None
        self.last_export = out
        self.refresh_cases()
        msg = S.EXPORTED.format(n=len(out.exported))
        if out.skipped:
            msg += "；" + S.EXPORT_SKIPPED.format(n=len(out.skipped))
        self.statusBar().showMessage(msg, 15000)

    def verify_export(self, dest: Path | None = None) -> list:
        from xinyong_desktop.export.usb import verify

        dest = dest or self._destination(S.VERIFY)
        if dest is None:
            return []
        reports = verify(dest)
        bad = [r for r in reports if not r.ok]
        text = S.VERIFY_OK.format(n=len(reports)) if reports and not bad else "\n".join(
            f"{r.folder.name}：缺少 {len(r.missing)}，改动 {len(r.changed)}，多出 {len(r.extra)}"
            + ("，未完成" if r.incomplete else "") for r in bad) or S.VERIFY_NONE
        if not getattr(self, "headless", False):
            QMessageBox.information(self, S.VERIFY, text)
        self.statusBar().showMessage(text.splitlines()[0], 15000)
        return reports

    def _forms_done(self, out_dir: Path, paths) -> None:
        self.running = None
        self.last_forms = paths
        self.statusBar().showMessage(S.FORMS_DONE.format(n=len(paths), dir=out_dir), 10000)
        if not getattr(self, "headless", False):
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out_dir)))

    def _failed(self, e: Exception) -> None:
        self.running = None
        self.form.checkButton.setEnabled(True)
        from xinyong_desktop.app.main import show_error  # the one error → dialog mapping

        show_error(self, e, self.log_path)

    # ------------------------------------------------------------ showing a case
    def _overrides(self, s: Session) -> dict[str, str]:
        return {d.target: d.reason for d in repo.active_decisions(s, self.case_id) if d.action == "override"}

    def show_case(self) -> None:
        self.tree.clear()
        self.findings.clear()
        if self.case_id is None:
            return
        with self.db() as s:
            c = s.get(Case, self.case_id)
            decisions = repo.active_decisions(s, self.case_id)
            overrides = {d.target: d.reason for d in decisions if d.action == "override"}
            confirmed = {d.target for d in decisions if d.action == "confirm"}
            corrected = {d.target for d in decisions if d.action == "correct"}
            materials = apply_decisions(materials_from_rows(c.materials), decisions)
            thumb_key = (c.id, c.checked_at, tuple((m.path, tuple(m.pages), str(m.kind)) for m in materials))
            if thumb_key != self._thumb_key:  # only when the case or its reading changed
                self._thumb_key = thumb_key
                self._load_thumbnails(Path(c.packet_dir), materials if c.packet_dir else [])
            row_ids = {material_key(m.path, list(m.pages)): m.id for m in c.materials}
            for m in materials:
                top = QTreeWidgetItem([self._kind_name(m.kind), m.path, ",".join(map(str, m.pages))])
                top.setData(0, ROLE, {"what": "material", "path": m.path, "page": m.pages[0] if m.pages else 1,
                                      "pages": list(m.pages), "kind": str(m.kind)})
                rid = row_ids.get(material_key(m.path, m.pages))
                for fid, fv in m.fields.items():
                    fname = str(fid)
                    value = fv.value if self.reveal or fname not in PERSONAL_FIELDS else mask(fname, fv.value)
                    value = S.MARK_VALUES.get(value, value) if fname in ("seal", "signature") else value
                    target = field_target(m.path, m.pages, fname)
                    if target in corrected:
                        value += S.CORRECTED
                    elif target in confirmed:
                        value += S.CONFIRMED
                    child = QTreeWidgetItem([FIELD_NAMES.get(fid, fname), value, f"{fv.confidence:.0%}"])
                    child.setData(0, ROLE, {"what": "field", "path": m.path, "page": fv.page, "pages": list(m.pages),
                                            "box": f"{rid}:{fname}", "field": fname, "value": fv.value,
                                            "target": target})
                    if fv.confidence < 0.6:
                        child.setForeground(2, Qt.GlobalColor.darkYellow)
                    top.addChild(child)
                self.tree.addTopLevelItem(top)
            for f in c.findings:
                if f.code == "MATERIAL_MISSING":
                    item = QTreeWidgetItem([self._kind_name(f.kind), "缺少", ""])
                    item.setForeground(1, Qt.GlobalColor.red)
                    self.tree.addTopLevelItem(item)
            self.tree.expandAll()
            for i in range(3):
                self.tree.resizeColumnToContents(i)
            for f in c.findings:
                key = finding_key(f.code, f.kind, f.field, f.path)
                msg = f.message if self.reveal else mask_text(f.message)
                text = f"[{S.SEVERITY[f.severity]}] {msg}"
                if key in overrides:
                    text += f"（已忽略：{overrides[key]}）"
                item = QListWidgetItem(text)
                item.setData(ROLE, (key, f.path, f.page))
                if f.severity == "error" and key not in overrides:
                    item.setForeground(Qt.GlobalColor.red)
                self.findings.addItem(item)
            block = blocking(c.findings, set(overrides))
            checked = c.checked_at is not None
            portal = ""
            if c.portal_outcome:
                portal = f"\n平台：{c.portal_outcome}" + (f"（{c.portal_reason}）" if c.portal_reason else "") + \
                    (f"　查询码 {c.query_code}" if c.query_code else "")
        self.form.verdictLabel.setText((S.NOT_CHECKED if not checked else S.READY if not block
                                        else S.NOT_READY.format(n=len(block))) + portal)
        self.form.readyButton.setEnabled(checked and not block)
        self.form.blockLabel.setText("" if not block else S.BLOCKED_BY + "\n".join(
            f"· {mask_text(f.message)}" for f in block[:8]))

    # ------------------------------------------------------------ field decisions
    def _current_field(self) -> dict | None:
        item = self.tree.currentItem()
        data = item.data(0, ROLE) if item is not None else None
        return data if data and data.get("what") == "field" else None

    def _decide(self, action: str, target: str, value: str | None = None, reason: str = "") -> None:
        """Store a decision, re-run the checks on the confirmed facts at once, and refresh."""
        with self.db() as s, s.begin():
            desk.decide(s, s.get(Case, self.case_id), action, target, self.instructor, self.rules, value, reason)
        cur = self.tree.currentItem()
        keep = cur.data(0, ROLE).get("target") if cur is not None and cur.data(0, ROLE) else None
        self.show_case()  # rebuilds the tree: items (and indexes) from before are gone
        if keep:
            self._select_target(keep)

    def _select_target(self, target: str) -> None:
        self._select_field("target", target)

    def _select_field(self, key: str, value: str) -> None:
        """Select the checklist field whose data[key] is value (its evidence box, or its decision target)."""
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            top = root.child(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, ROLE).get(key) == value:
                    self.tree.setCurrentItem(top.child(j))
                    return

    def confirm_field(self) -> bool:
        f = self._current_field()
        if f is None:
            return False
        self._decide("confirm", f["target"], f["value"])
        return True

    def correct_field(self, value: str | None = None, reason: str | None = None) -> bool:
        f = self._current_field()
        if f is None:
            return False
        if value is None:
            value, ok = QInputDialog.getText(self, S.CORRECT, S.CORRECT_PROMPT.format(field=FIELD_NAMES[FieldId(f["field"])]),
                                             text=f["value"])
            if not ok:
                return False
        value = value.strip()
        if not value:
            return False
        self._decide("correct", f["target"], value, reason or "")
        return True

    def mark_seen(self) -> bool:
        f = self._current_field()
        if f is None or f["field"] not in ("seal", "signature"):
            self.statusBar().showMessage(S.MARK_SEEN_HINT, 8000)
            return False
        self._decide("correct", f["target"], "present", S.SEEN_REASON)
        return True

    def change_kind(self, kind: str | None = None) -> bool:
        item = self.tree.currentItem()
        data = item.data(0, ROLE) if item is not None else None
        if not data or "pages" not in data:
            return False
        if kind is None:
            names = {self.rules.materials[k].name: str(k) for k in Kind}
            label, ok = QInputDialog.getItem(self, S.CHANGE_KIND, S.CHANGE_KIND_PROMPT, list(names), 0, False)
            if not ok:
                return False
            kind = names[label]
        self._decide("set_kind", kind_target(data["path"], data["pages"]), kind)
        return True

    def _kind_name(self, kind: str | None) -> str:
        try:
            return self.rules.materials[Kind(kind)].name
        except (ValueError, KeyError):
            return kind or ""

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
        self.view.show_page(rgb, scale, boxes)
        self.form.pageLabel.setText(f"{path} 第 {page} 页")
        if select:
            self.view.highlight(select)

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

    def _tree_selected(self, cur, _prev=None) -> None:
        if cur is None or not cur.data(0, ROLE):
            return
        data = cur.data(0, ROLE)
        self._show_page(data["path"], data["page"], data.get("box"))

    def _finding_selected(self, cur, _prev=None) -> None:
        if cur is None:
            return
        _key, path, page = cur.data(ROLE)
        if path:
            self._show_page(path, page or 1)

    def _box_clicked(self, key: str) -> None:
        self._select_field("box", key)

    def _step_tree(self, d: int) -> None:
        items = []
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            items.append(root.child(i))
            items.extend(root.child(i).child(j) for j in range(root.child(i).childCount()))
        if items:
            cur = self.tree.currentItem()
            idx = items.index(cur) + d if cur in items else 0
            self.tree.setCurrentItem(items[max(0, min(len(items) - 1, idx))])

    def _step_findings(self, d: int) -> None:
        n = self.findings.count()
        if n:
            self.findings.setCurrentRow(max(0, min(n - 1, self.findings.currentRow() + d)))

    # ------------------------------------------------------------ decisions
    def override_current(self, reason: str | None = None) -> bool:
        item = self.findings.currentItem()
        if item is None or self.case_id is None:
            return False
        if not isinstance(reason, str):
            reason, ok = QInputDialog.getText(self, S.OVERRIDE, S.OVERRIDE_REASON)
            if not ok:
                return False
        if not reason.strip():
            self.statusBar().showMessage(S.OVERRIDE_NEEDS_REASON, 8000)
            return False
        with self.db() as s, s.begin():
            desk.decide(s, s.get(Case, self.case_id), "override", item.data(ROLE)[0], self.instructor, self.rules,
                        reason=reason)
        row = self.findings.currentRow()
        self.show_case()
        self.findings.setCurrentRow(row)
        return True

    def undo(self) -> None:
        if self.case_id is None:
            return
        with self.db() as s, s.begin():
            desk.undo_last(s, s.get(Case, self.case_id), self.instructor, self.rules)
        self.show_case()

    def mark_ready(self) -> bool:
        if self.case_id is None or not self.form.readyButton.isEnabled():
            return False
        try:
            with self.db() as s, s.begin():
                desk.mark_ready(s, s.get(Case, self.case_id), self.instructor)
        except desk.DeskError as e:
            self.statusBar().showMessage(str(e), 10000)
            return False
        self.refresh_cases()
        self.statusBar().showMessage(S.MARKED_READY, 5000)
        return True

    def toggle_reveal(self) -> None:
        self.reveal = self.reveal_action.isChecked()
        with self.db() as s, s.begin():
            repo.audit(s, self.instructor, "reveal_personal_data" if self.reveal else "mask_personal_data", "", self.case_id)
        self.show_case()

    def show_shortcuts(self) -> None:
        lines = []
        for menu in self.menuBar().actions():
            for a in menu.menu().actions():
                if a.shortcut().toString():
                    lines.append(f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText):<16}{a.text()}")
        QMessageBox.information(self, S.SHORTCUTS, "\n".join(lines))

    def closeEvent(self, e) -> None:
        QSettings().setValue("geometry", self.saveGeometry())
        self._thumb_gen += 1  # thumbnail workers stop at their next page
        if self.running is not None:
            self.running.progress.cancel()
        super().closeEvent(e)


def removable_volumes() -> list[tuple[str, str, int]]:
    """(root path, label, free bytes) of mounted removable drives: USB sticks on Linux (/media, /run/media),
    macOS (/Volumes) and Windows (drive letters other than the system drive)."""
    import os

    from PySide6.QtCore import QStorageInfo

    system = os.environ.get("SystemDrive", "C:").upper()
    out = []
    for v in QStorageInfo.mountedVolumes():
        if not (v.isValid() and v.isReady()) or v.isReadOnly():
            continue
        root = v.rootPath()
        if root.startswith(("/media/", "/run/media/", "/Volumes/")) or (
                len(root) <= 3 and root[1:2] == ":" and not root.upper().startswith(system)):
            out.append((root, v.displayName() or v.name() or root, int(v.bytesAvailable())))
    return out


def case_json(folder: Path) -> dict:
    p = folder / "case.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
