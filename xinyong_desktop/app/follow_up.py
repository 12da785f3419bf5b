"""Follow-up after export: submission, the portal's outcome, certificate and deletion letter."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QInputDialog
from sqlalchemy.orm import Session

from xinyong_desktop.app import strings as S
from xinyong_desktop.app.shell import Shell
from xinyong_desktop.export.names import safe_name
from xinyong_desktop.store.models import Case


class FollowUpMixin(Shell):
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, class, case)."""

    def _case_or_hint(self, s: Session) -> Case | None:
        if self.case_id is None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return None
        return s.get(Case, self.case_id)

    def _follow_up(self, apply) -> bool:
        """Apply a follow-up step to the selected case (through the one writer); a refused step is explained."""
        from xinyong_desktop.services.classes import StatusError

        if self.case_id is None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return False
        cid = self.case_id
        try:
            self.writer.call(lambda s: apply(s, s.get(Case, cid)))
        except StatusError as e:
            self.statusBar().showMessage(str(e), 10000)
            return False
        self._board_dirty = True
        self.ctl.case_changed(cid)
        return True

    def record_submission(self, query_code: str | None = None, day: dt.date | None = None) -> bool:
        from xinyong_desktop.services.classes import record_submission

        if query_code is None:
            query_code, ok = QInputDialog.getText(self, S.RECORD_SUBMISSION, S.ASK_QUERY_CODE)
            if not ok:
                return False
        return self._follow_up(lambda s, c: record_submission(s, c, day or self.class_date, query_code, self.instructor))

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
        """The selected case's record, repair date and query code — when the case is 已修复; else a hint."""
        from xinyong_desktop.services.classes import case_record

        with self.db() as s:
            c = self._case_or_hint(s)
            if c is None:
                return None
            rec = case_record(s, c)
            if rec is None:
                self.statusBar().showMessage(S.NO_RECORD_FOR_CASE, 10000)
                return None
            if c.status != "已修复":
                self.statusBar().showMessage(S.NOT_REPAIRED_YET, 10000)
                return None
            return rec, c.submitted_on, c.query_code

    def make_certificate(self, out: Path | None = None) -> Path | None:
        from xinyong_desktop.documents.letters import render_certificate

        got = self._repaired_record()
        if got is None:
            return None
        rec, repaired_on, code = got
        out = out or self._ask_save(S.MAKE_CERTIFICATE, f"{safe_name(rec.enterprise_name)}_信用修复证明.pdf", "PDF (*.pdf)")
        if out is None:
            return None
        render_certificate(rec, self.rules, out, self.class_date, repaired_on, code)
        self._forms_done(out.parent, [out])
        return out

    def make_deletion_letter(self, out: Path | None = None, third_party: str | None = None) -> Path | None:
        from xinyong_desktop.documents.letters import render_deletion_letter

        got = self._repaired_record()
        if got is None:
            return None
        rec, repaired_on, _code = got
        if third_party is None:
            third_party, ok = QInputDialog.getText(self, S.MAKE_DELETION, S.ASK_THIRD_PARTY)
            if not ok:
                return None
        out = out or self._ask_save(S.MAKE_DELETION, f"{safe_name(rec.enterprise_name)}_删除函.pdf", "PDF (*.pdf)")
        if out is None:
            return None
        render_deletion_letter(rec, self.rules, out, self.class_date, third_party, repaired_on)
        self._forms_done(out.parent, [out])
        return out
