"""The class desk: classes, rosters, the board, class documents and bundles."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox
from sqlalchemy import select

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.class_board import ClassDialog
from xinyong_desktop.app.shell import Shell
from xinyong_desktop.store import repo
from xinyong_desktop.store.models import TrainingClass


class ClassDeskMixin(Shell):
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, class, case)."""

    # ------------------------------------------------------------ the class and its date
    @property
    def class_date(self) -> dt.date:
        """The class's date: every check, record and letter made in the desk is made as of this day."""
        return getattr(self, "_class_date", None) or dt.date.today()

    def _show_class(self, tc) -> None:
        self._class_date = tc.held_on or dt.date.today()
        self.form.classLabel.setText(S.CLASS_LABEL.format(name=tc.name, day=self._class_date.isoformat(),
                                                          note="" if tc.held_on else S.DATE_IS_TODAY))
        self.board.set_as_of(self._class_date)
        from xinyong_desktop.app.instructor import adopt

        adopt(self, tc)  # the class's instructor signs its papers (asked once per class)

    def set_class_date(self, day: dt.date) -> None:
        """Set the class's date; the checked cases' findings are recomputed as of it (no file is read again)."""
        from sqlalchemy import select as sa_select

        from xinyong_desktop.services import desk
        from xinyong_desktop.store.models import Case

        class_id, who, rules = self.training_class, self.instructor, self.rules

        def write(s) -> tuple[str, dt.date | None]:
            tc = s.get(TrainingClass, class_id)
            if tc.held_on != day:
                repo.audit(s, who, "class_date", f"{tc.held_on or '未定'} → {day.isoformat()}")
            tc.held_on = day
            for c in s.scalars(sa_select(Case).where(Case.class_id == tc.id, Case.checked_at.is_not(None))):
                desk.recompute(s, c, who, rules, as_of=day)
            return tc.name, tc.held_on

        self.writer.call(write)
        with self.db() as s:
            self._show_class(s.get(TrainingClass, class_id))
        self.refresh_cases()
        self.ctl.refresh()
        self._board_dirty = True

    def ask_class_date(self) -> bool:
        text, ok = QInputDialog.getText(self, S.SET_CLASS_DATE, S.ASK_CLASS_DATE, text=self.class_date.isoformat())
        if not ok:
            return False
        from xinyong_desktop.domain.text import parse_date

        day = parse_date(text.strip()) if text.strip() else None
        if day is None:
            self.statusBar().showMessage(S.BAD_CLASS_DATE.format(text=text), 10000)
            return False
        self.set_class_date(day)
        self.statusBar().showMessage(S.CLASS_DATE_SET.format(day=day.isoformat()), 10000)
        return True

    def edit_class_extra(self) -> bool:
        """培训班 → 本班要求的补充材料… (app/class_extra.py)."""
        from xinyong_desktop.app.class_extra import edit_class_extra

        return edit_class_extra(self)

    def set_class(self, class_id: int) -> None:
        self.training_class = class_id
        QSettings().setValue("last_class", class_id)
        with self.db() as s:
            self._show_class(s.get(TrainingClass, class_id))
        self.ctl.select_case(None)
        self.refresh_cases()
        self.refresh_board()

    def new_class(self, name: str | None = None, held_on: dt.date | None = None, place: str | None = None,
                  instructors: str | None = None) -> int | None:
        if name is None:
            got = ClassDialog.ask(self, self.instructor)
            if got is None:
                return None
            name, held_on, place, instructors = got
        name_ = name.strip() or S.DEFAULT_CLASS
        teachers = self.instructor if instructors is None else instructors  # blank: asked once shown
        cid = self.writer.call(lambda s: int(repo.create_class(s, name_, held_on, place or "", teachers).id))
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
            paths = self._ask_open(S.IMPORT_ROSTER, S.ROSTER_FILTER, "roster")
        if not paths:
            return
        from xinyong_desktop.roster.board import read_rosters
        from xinyong_desktop.services.classes import import_roster

        class_id, as_of, who, writer = self.training_class, self.class_date, self.instructor, self.writer

        def work(progress):
            progress.start(2, S.READING_ROSTER)
            roster = read_rosters(paths, as_of, self.rules)
            progress.step(S.SAVING_ROSTER)
            summary = writer.call(lambda s: import_roster(s, class_id, roster, who))
            progress.step("")
            return roster, summary

        self.run_op(work, self._roster_imported, S.READING_ROSTER)

    def _roster_imported(self, out) -> None:
        """Say plainly what was imported and what was not: a success says so without a warning sign; rows left out
        are a warning of their own, with the rows listed."""
        roster, summary = out
        self.last_roster = roster
        self.refresh_cases()
        self.refresh_board()
        self.tabs.setCurrentIndex(1)
        flagged = [r for r in roster.records if r.problems]  # imported, with facts to check (待核对)
        rejected = len(roster.errors)
        msg = S.ROSTER_IMPORTED.format(n=len(roster.records), a=summary.cases_added, b=summary.already_there)
        if roster.duplicates:
            msg += S.ROSTER_DUPLICATES.format(d=len(roster.duplicates))
        if flagged:
            msg += "\n" + S.ROSTER_FLAGGED.format(k=len(flagged))
        if rejected:
            msg += "\n\n" + S.ROSTER_NOT_IMPORTED.format(e=rejected)
        self.statusBar().showMessage(msg.replace("\n", " "), 15000)
        if not (rejected or flagged):
            return
        lines = []
        if rejected:
            lines.append(S.ROSTER_NOT_IMPORTED_HEAD)
            lines += [f"  {e.file} {'第 ' + str(e.row) + ' 行' if e.row else '整个文件'}：{e.message}" for e in roster.errors]
        if flagged:
            lines.append(S.ROSTER_FLAGGED_HEAD)
            lines += [f"  {r.file} 第 {r.row} 行：{'；'.join(r.problems)}" for r in flagged]
        icon = QMessageBox.Icon.Warning if rejected else QMessageBox.Icon.Information
        box = QMessageBox(icon, S.ROSTER_RESULT_TITLE if not rejected else S.ROSTER_PARTIAL_TITLE, msg, parent=self)
        box.setDetailedText("\n".join(lines))
        box.setModal(False)
        box.show()
        self.roster_errors_box = box

    def _class_name(self) -> str:
        from xinyong_desktop.export.names import safe_name

        with self.db() as s:
            return safe_name(s.get(TrainingClass, self.training_class).name)

    def class_roster(self):
        from xinyong_desktop.services.classes import class_records, roster_of_class

        with self.db() as s:
            roster = roster_of_class(s, self.training_class, self.class_date, self.rules)
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

        out = out or self._ask_save(S.EXPORT_BOARD, f"{self._class_name()}_可申请修复清单.xlsx", "Excel (*.xlsx)")
        if out is None:
            return None
        roster, _ = self.class_roster()
        write_board_xlsx(roster, self.rules.soon_days, out)
        self.statusBar().showMessage(S.SAVED_TO.format(path=out), 10000)
        return out

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
        out_dir = self._ask_dir(title, out_dir, "letters")
        if out_dir is None:
            return
        records, as_of = self._board_records(), self.class_date
        with self.db() as s:  # the class's date and place go into the letters (LetterSettings)
            tc = s.get(TrainingClass, self.training_class)
            when, where = (tc.held_on.isoformat() if tc and tc.held_on else ""), (tc.place if tc else "")
        from xinyong_desktop.documents.letters import LetterSettings

        settings = LetterSettings(class_time=when, class_place=where)
        self.run_op(lambda pr: self._batch(writer(records, self.rules, out_dir, as_of, pr, settings=settings)),
                    lambda paths: self._forms_done(out_dir, paths), S.MAKING_FORMS)

    @staticmethod
    def _batch(out) -> list[Path]:
        paths, merged = out
        return paths + ([merged] if merged else [])

    def make_summary(self, out: Path | None = None) -> Path | None:
        from xinyong_desktop.documents.summary import render_class_summary
        from xinyong_desktop.roster.board import list_titles
        from xinyong_desktop.services.classes import statistics

        out = out or self._ask_save(S.MAKE_SUMMARY, f"{self._class_name()}_小结.pdf", "PDF (*.pdf)")
        if out is None:
            return None
        roster, _ = self.class_roster()
        titles = list_titles(self.rules.soon_days)
        counts = {titles[k]: len(v) for k, v in roster.lists(self.rules.soon_days).items()}
        with self.db() as s:
            tc = s.get(TrainingClass, self.training_class)
            info = f"日期：{tc.held_on or '未定'}　地点：{tc.place or '—'}　讲师：{tc.instructors or '—'}"
            render_class_summary(tc.name, info, statistics(s, self.training_class), counts, out, self.instructor,
                                 self.class_date)
        self._forms_done(out.parent, [out])
        return out

    def export_bundle(self, out: Path | None = None, passphrase: str = "") -> Path | None:
        """out given: no dialog (the passphrase, if any, as given); else the file and the passphrase are asked."""
        from xinyong_desktop.services.bundle import export_bundle

        if out is None:
            out = self._ask_save(S.EXPORT_BUNDLE, f"{self._class_name()}.xybundle", S.BUNDLE_FILTER, "bundle")
            if out is None:
                return None
            passphrase, ok = QInputDialog.getText(self, S.EXPORT_BUNDLE, S.BUNDLE_PASSPHRASE, QLineEdit.EchoMode.Password)
            if not ok:
                return None
        class_id, who, dest, secret = self.training_class, self.instructor, out, passphrase or None
        self.writer.call(lambda s: export_bundle(s, class_id, dest, who, secret))
        self.statusBar().showMessage(S.SAVED_TO.format(path=out), 10000)
        return out

    def packets_root(self) -> Path:
        from xinyong_desktop.services.privacy import packets_root
        from xinyong_desktop.store.db import data_dir

        return packets_root(data_dir(self.db_path))  # the place purge_and_compact walks, in both modes

    def import_bundle(self, bundle: Path | None = None, into_current: bool | None = None) -> bool:
        """Another laptop's class: into a new class, or merged into the current one."""
        from xinyong_desktop.services.bundle import BundleError, import_bundle_file, is_encrypted

        if bundle is None:
            got = self._ask_open(S.IMPORT_BUNDLE, S.BUNDLE_FILTER, "bundle")
            if not got:
                return False
            bundle = got[0]
        if into_current is None:
            choice, ok = QInputDialog.getItem(self, S.IMPORT_BUNDLE, S.BUNDLE_WHERE, list(S.BUNDLE_TARGETS), 0, False)
            if not ok:
                return False
            into_current = S.BUNDLE_TARGETS[choice]
        if self.checker.busy:
            self.statusBar().showMessage(S.WAIT_FOR_CHECKS, 8000)
            return False
        passphrase = None
        if is_encrypted(bundle):
            passphrase, ok = QInputDialog.getText(self, S.IMPORT_BUNDLE, S.BUNDLE_ASK_PASSPHRASE,
                                                  QLineEdit.EchoMode.Password)
            if not ok:
                return False
        from xinyong_desktop.services.progress import Cancelled

        db, root, who, into = self.db, self.packets_root(), self.instructor, self.training_class if into_current else None

        def work(progress):  # off the UI thread, in its own transaction; the window stays responsive
            try:
                return import_bundle_file(db, bundle, root, who, into, passphrase, progress)
            except (BundleError, Cancelled) as e:
                return e

        started = self.run_op(work, self._bundle_imported, S.IMPORTING_BUNDLE)
        if started and self._op is not None:
            from PySide6.QtCore import Qt

            self._op.dialog.setWindowModality(Qt.WindowModality.WindowModal)  # nothing else is done meanwhile
        return started

    def _bundle_imported(self, res) -> None:
        from xinyong_desktop.services.bundle import BundleError
        from xinyong_desktop.services.progress import Cancelled

        self.last_bundle_import = res
        if isinstance(res, Cancelled):
            self.statusBar().showMessage(S.BUNDLE_CANCELLED, 15000)
            return
        if isinstance(res, BundleError):
            self.statusBar().showMessage(S.BUNDLE_FAILED.format(err=res), 15000)
            if not getattr(self, "headless", False):
                QMessageBox.warning(self, S.IMPORT_BUNDLE, S.BUNDLE_FAILED.format(err=res))
            return
        self.set_class(res.class_id)
        self.statusBar().showMessage(S.BUNDLE_DONE.format(a=res.cases_added, m=res.cases_merged,
                                                          d=res.decisions_added), 15000)
