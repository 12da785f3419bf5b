"""People and dates on paper: the class's instructor (never the login name), the recorded submission and outcome
dates, the class's date on the certificate."""
from __future__ import annotations

import datetime as dt
import getpass

import pdfplumber
import pytest

from tests.rostergen import Row, write_xlsx
from xinyong_desktop.documents.letters import render_certificate
from xinyong_desktop.roster.board import read_rosters
from xinyong_desktop.services import classes as cls
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Case

CLASS_DAY = dt.date(2025, 6, 20)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "desk.sqlite3")


def test_the_instructor_is_a_person_asked_once_per_class(db):
    with db() as s, s.begin():
        tc = repo.create_class(s, "第5期", CLASS_DAY, instructors=getpass.getuser())
        assert cls.class_instructor(s, tc.id) == ""  # a login name is nobody's name: ask
        for bad in ("root", "  ", getpass.getuser()):
            with pytest.raises(cls.StatusError, match="姓名"):
                cls.set_class_instructor(s, tc.id, bad)
        assert cls.set_class_instructor(s, tc.id, " 王芳 ") == "王芳"
        assert cls.class_instructor(s, tc.id) == "王芳"
        other = repo.create_class(s, "第6期", CLASS_DAY, instructors="李强、王芳")
        assert cls.class_instructor(s, other.id) == "李强"


def test_the_certificate_says_the_recorded_outcome_date_and_is_dated_the_class_day(db, tmp_path, rules):
    row = Row("常州青枫物流有限公司", "91320402MA1XYZ1234", "常环行罚〔2024〕12号", "常环行罚〔2024〕12号",
              dt.date(2024, 3, 5), "general", "常州市生态环境局", "王伟")
    from xinyong_desktop.domain.identifiers import uscc_check_char

    row.uscc = row.uscc[:17] + (uscc_check_char(row.uscc[:17]) or "0")
    roster = read_rosters([write_xlsx(tmp_path / "名单.xlsx", [row])], CLASS_DAY)
    with db() as s, s.begin():
        tc = repo.create_class(s, "第5期", CLASS_DAY, instructors="王芳")
        cls.import_roster(s, tc.id, roster, "王芳")
        case = s.query(Case).one()
        case.status = "已导出"
        cls.record_submission(s, case, dt.date(2025, 6, 22), "CX2025062200007", "王芳")
        with pytest.raises(cls.StatusError, match="早于"):
            cls.record_outcome(s, case, "已通过", "", "王芳", on=dt.date(2025, 6, 21))
        cls.record_outcome(s, case, "已通过", "", "王芳", on=dt.date(2025, 7, 2))
    with db() as s:
        case = s.query(Case).one()
        assert (case.submitted_on, case.outcome_on) == (dt.date(2025, 6, 22), dt.date(2025, 7, 2))
        proof = cls.repair_proof(s, case)
        assert proof is not None and proof.ended_on == dt.date(2025, 7, 2) and proof.as_of == CLASS_DAY
        assert proof.record.eligible_from is not None
    out = render_certificate(proof.record, rules, tmp_path / "证明.pdf", proof.as_of, proof.ended_on, proof.query_code)
    with pdfplumber.open(out) as pdf:
        text = "".join(pg.extract_text() or "" for pg in pdf.pages).replace("\n", "")
    assert "已于2025年7月2日终止公示" in text and "CX2025062200007" in text, text
    assert "2025年6月20日" in text and dt.date.today().strftime("%Y年%-m月%-d日") not in text
