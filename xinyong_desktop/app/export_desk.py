"""Documents and export of the selected case or the class's ready cases, from the stored verdict."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.shell import Shell
from xinyong_desktop.services import desk
from xinyong_desktop.store.models import Case


class ExportMixin(Shell):
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, class, case)."""

    def make_forms(self, out_dir: Path | None = None) -> None:
        """Pre-filled forms and the review record for the current case, from its latest check; opens the folder."""
        v = self._verdict()
        if v is None:
            return
        out_dir = self._ask_dir(S.MAKE_FORMS, out_dir, "forms")
        if out_dir is None:
            return
        from xinyong_desktop.documents.forms import write_forms

        status = S.VERDICT_TEXT.get(v.status, v.status) if v.ready else "需补正后提交"
        self.run_op(lambda _p: write_forms(v.result, self.rules, out_dir, self.instructor, v.decisions, status),
                    lambda paths: self._forms_done(out_dir, paths), S.MAKING_FORMS)

    def make_notice(self, out_file: Path | None = None) -> None:
        """The one-time correction notice for the current case: open findings minus the overridden ones."""
        v = self._verdict()
        if v is None:
            return
        if out_file is None:
            out_file = self._ask_save(S.MAKE_NOTICE, f"{self._case_file_name()}_一次性补正告知单.pdf", "PDF (*.pdf)",
                                      "forms")
            if out_file is None:
                return
        from xinyong_desktop.documents.notice import render_notice

        self.run_op(lambda _p: [render_notice(v.result, self.rules, out_file, self.instructor, v.overridden, v.status)],
                    lambda paths: self._forms_done(out_file.parent, paths), S.MAKING_FORMS)

    def _verdict(self):
        """The selected case's stored verdict, or None (with a hint) when there is none yet."""
        if self._op is not None:
            self.statusBar().showMessage(S.BUSY.format(what=self._op.label), 8000)
            return None
        if self.case_id is None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return None
        if self.checks.active(self.case_id):  # its verdict is about to change
            self.statusBar().showMessage(S.CASE_BEING_CHECKED, 8000)
            return None
        with self.db() as s:
            c = s.get(Case, self.case_id)
            v = desk.case_verdict(s, c)
        if not v.checked:
            self.statusBar().showMessage(S.FORMS_NEED_CHECK, 8000)
            return None
        return v

    def _case_file_name(self) -> str:
        from xinyong_desktop.export.names import safe_name

        with self.db() as s:
            return safe_name(desk.case_name(s.get(Case, self.case_id)))

    def _destination(self, title: str) -> Path | None:
        """A folder on a removable drive when one is plugged in (listed first), else anywhere."""
        start = self._pick_start(title)
        if start is None:
            return None
        return self._ask_dir(title, None, "export", start=start or None)

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

        self.run_op(work, self._exported, S.EXPORTING)

    def _exported(self, out) -> None:
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
