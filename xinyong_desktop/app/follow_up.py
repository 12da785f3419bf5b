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

ASK_SUBMITTED_ON = "提交日期（年-月-日）："
ASK_OUTCOME_ON = "平台给出审核结果的日期（年-月-日）："


class FollowUpMixin(Shell):
    """Part of MainWindow (see main_window.py): uses the window's shared context (db, rules, instructor, class, case)."""

    def _case_or_hint(self, s: Session) -> Case | None:
        if self.case_id is None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return None
        return s.get(Case, self.case_id)

    def _follow_up(self, apply) -> bool:
        """Apply a follow-up step to the selected case (through the one writer); a refused step is explained."""
        from xinyong_desktop.errors import ConcurrentEditError
        from xinyong_desktop.services import desk
        from xinyong_desktop.services.classes import StatusError

        if self.case_id is None:
            self.statusBar().showMessage(S.CHOOSE_CASE_FIRST, 8000)
            return False
        cid = self.case_id
        try:  # on the case as the instructor saw it: another desk's change in between refuses this one
            self.ctl.write_case(cid, apply)
        except (StatusError, desk.DeskError) as e:
            self.statusBar().showMessage(str(e), 10000)
            return False
        except ConcurrentEditError as e:
            self.stale_write_refused(e)
            return False
        self._board_dirty = True
        self.ctl.case_changed(cid)
        return True

    def _ask_day(self, title: str, label: str) -> dt.date | None:
        """A date typed by the instructor (the class's date offered); None when cancelled or not a date."""
        from xinyong_desktop.domain.text import parse_date

        text, ok = QInputDialog.getText(self, title, label, text=self.class_date.isoformat())
        if not ok:
            return None
        day = parse_date(text.strip())
        if day is None:
            self.statusBar().showMessage(S.BAD_CLASS_DATE.format(text=text), 10000)
        return day

    def record_submission(self, query_code: str | None = None, day: dt.date | None = None) -> bool:
        from xinyong_desktop.services.classes import record_submission

        if query_code is None:
            query_code, ok = QInputDialog.getText(self, S.RECORD_SUBMISSION, S.ASK_QUERY_CODE)
            if not ok:
                return False
            day = day or self._ask_day(S.RECORD_SUBMISSION, ASK_SUBMITTED_ON)
            if day is None:
                return False
        return self._follow_up(lambda s, c: record_submission(s, c, day or self.class_date, query_code, self.instructor))

    def record_outcome(self, outcome: str | None = None, reason: str | None = None,
                       day: dt.date | None = None) -> bool:
        from xinyong_desktop.services.classes import OUTCOMES, record_outcome

        if outcome is None:
            outcome, ok = QInputDialog.getItem(self, S.RECORD_OUTCOME, S.ASK_OUTCOME, list(OUTCOMES), 1, False)
            if not ok:
                return False
            day = day or self._ask_day(S.RECORD_OUTCOME, ASK_OUTCOME_ON)
            if day is None:
                return False
        if reason is None:
            reason = ""
            if outcome in ("未通过", "退回"):
                reason, ok = QInputDialog.getText(self, S.RECORD_OUTCOME, S.ASK_PORTAL_REASON)
                if not ok:
                    return False
        return self._follow_up(lambda s, c: record_outcome(s, c, outcome, reason, self.instructor,
                                                          day or self.class_date))

    def _repaired_record(self):
        """The selected case's record (as of the class date), the day publication ended (the recorded outcome
        date) and query code — when the case is 已修复; else a hint."""
        from xinyong_desktop.services.classes import case_record, repair_proof

        with self.db() as s:
            c = self._case_or_hint(s)
            if c is None:
                return None
            if case_record(s, c, self.class_date) is None:
                self.statusBar().showMessage(S.NO_RECORD_FOR_CASE, 10000)
                return None
            proof = repair_proof(s, c, self.class_date)
            if proof is None:
                self.statusBar().showMessage(S.NOT_REPAIRED_YET, 10000)
                return None
            return proof.record, proof.ended_on, proof.query_code

    def make_certificate(self, out: Path | None = None) -> Path | None:
        from xinyong_desktop.documents.letters import render_certificate

        got = self._repaired_record()
        if got is None:
            return None
        rec, repaired_on, code = got
        out = out or self._ask_save(S.MAKE_CERTIFICATE, f"{safe_name(rec.enterprise_name)}_信用修复证明.pdf", "PDF (*.pdf)")
        if out is None:
            return None
        number = self._register("certificate", rec, rec.enterprise_name)
        render_certificate(rec, self.rules, out, self.class_date, repaired_on, code, number)
        self._forms_done(out.parent, [out])
        return out

    def _register(self, kind: str, rec, requested_by: str, third_party: str = "") -> str:
        """The register's next number for this paper (信用修复证明 / 删除函), printed on it."""
        from xinyong_desktop.services.follow_up import register_document

        with self.db() as s, s.begin():
            doc = register_document(s, kind, self.class_date, requested_by or rec.enterprise_name, rec,
                                    self.instructor, self.case_id, third_party)
            return doc.number

    def show_follow_up(self):
        """The follow-up window of the class: 一提醒三督促, waiting applications, the register, 高频失信."""
        from xinyong_desktop.app.follow_up_window import FollowUpWindow
        from xinyong_desktop.rules.loader import default_roster_rules
        from xinyong_desktop.services.classes import roster_of_class

        def roster_at(day: dt.date):
            with self.db() as s:
                return roster_of_class(s, self.training_class, day, self.rules)

        self.follow_up_window = FollowUpWindow(self.db, self.training_class, roster_at, self.class_date,
                                               self.instructor, default_roster_rules().channels, self)
        self.follow_up_window.show()
        return self.follow_up_window

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
        number = self._register("deletion_letter", rec, rec.enterprise_name, third_party)
        render_deletion_letter(rec, self.rules, out, self.class_date, third_party, repaired_on, number)
        self._forms_done(out.parent, [out])
        return out
