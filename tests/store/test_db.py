"""The database: migrated schema, durable pragmas, round trip of a check, decisions with audit, kill safety."""
from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import inspect, select, text

from xinyong_desktop.checks.engine import CaseFacts
from xinyong_desktop.domain.model import (
    Applicant,
    Code,
    FieldId,
    FieldValue,
    Finding,
    Kind,
    Material,
    RecordSeverity,
    Severity,
    TextSource,
)
from xinyong_desktop.services.check_packet import CheckResult
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import AuditEvent, Case, Decision


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "t.sqlite3"), tmp_path / "t.sqlite3"


def test_migrations_create_schema_and_pragmas(db):
    Session, path = db
    with Session() as s:
        names = set(inspect(s.get_bind()).get_table_names())
        assert {"training_class", "enterprise", "penalty_record", "case", "material", "extracted_field", "finding",
                "decision", "audit_event", "alembic_version"} <= names
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    open_db(path)  # migrating again is a no-op


def _result() -> CheckResult:
    m = Material("01申请书.pdf", Kind.APPLICATION_FORM, [1], TextSource.TEXT,
                 {FieldId.USCC: FieldValue("91320481NM02FXLW73", 1, (10.0, 20.0, 30.0, 40.0), 0.99)})
    f = Finding(Code.SEAL_MISSING, Severity.ERROR, "承诺书未加盖单位公章", Kind.COMMITMENT_LETTER, FieldId.SEAL, "02承诺书.pdf", 1)
    return CheckResult(dt.date(2024, 9, 20), CaseFacts(RecordSeverity.GENERAL, Applicant.LEGAL_REPRESENTATIVE), [m], [f],
                       dt.date(2024, 3, 4))


def test_save_check_and_decisions_are_audited(store_target):
    Session = open_db(store_target)
    with Session() as s, s.begin():
        tc = repo.create_class(s, "2026年第3期信用修复培训班", dt.date(2026, 11, 25), "常州市信用办", "张老师")
        case = Case(training_class=tc, packet_dir="")
        s.add(case)
        s.flush()
        repo.save_check(s, case, _result(), "张老师")
        assert case.status == "需补正"
        with pytest.raises(ValueError):
            repo.record_decision(s, case, "override", "finding:SEAL_MISSING/commitment_letter", "张老师", reason=" ")
        d = repo.record_decision(s, case, "override", "finding:SEAL_MISSING/commitment_letter", "张老师", reason="原件已盖章，复印不清")
        repo.undo_decision(s, d, "张老师")
        case_id = case.id
    with Session() as s:
        case = s.get(Case, case_id)
        assert case.materials[0].fields[0].value == "91320481NM02FXLW73"
        assert case.materials[0].fields[0].bbox == [10.0, 20.0, 30.0, 40.0]
        assert case.findings[0].code == "SEAL_MISSING"
        assert repo.active_decisions(s, case_id) == []
        assert s.scalars(select(Decision)).one().reason == "原件已盖章，复印不清"
        actions = [a.action for a in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions == ["create_class", "check", "status", "override", "undo"]  # 未开始 → 需补正 audited


WRITER = """
import sys, datetime as dt
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store import repo
from xinyong_desktop.store.models import Case
Session = open_db(__import__('pathlib').Path(sys.argv[1]))
with Session() as s, s.begin():
    case = Case(packet_dir='')
    s.add(case)
i = 0
while True:
    with Session() as s, s.begin():
        repo.record_decision(s, s.get(Case, case.id), 'confirm', f'field:{i}', '张老师', value=str(i))
    print(i, flush=True)
    i += 1
"""


def _kill_rounds(path, rounds: int, seed: int) -> None:
    """Start a writer that commits one decision per transaction, kill it at a random moment (often inside a
    transaction), and check every decision it reported committed is there and the file is sound."""
    import random

    rng = random.Random(seed)
    for _ in range(rounds):
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
        target, seen, t = rng.randint(0, 12), -1, time.monotonic()
        while time.monotonic() - t < 30:
            line = p.stdout.readline()
            if not line:
                break
            seen = int(line.split()[0])
            if seen >= target:
                break
        time.sleep(rng.random() * 0.02)  # land the kill anywhere, mid-transaction included
        p.kill()
        p.wait()
        rest = p.stdout.read().split()
        seen = max([seen] + [int(x) for x in rest[::1] if x.isdigit()])
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        values = {int(v) for (v,) in con.execute("SELECT value FROM decision WHERE case_id = (SELECT max(id) FROM 'case')")}
        con.close()
        assert set(range(seen + 1)) <= values  # everything reported committed is there


def test_killed_writer_leaves_every_committed_decision(tmp_path):
    _kill_rounds(tmp_path / "kill.sqlite3", 4, seed=1)


@pytest.mark.slow
def test_killed_writer_100_times(tmp_path):
    _kill_rounds(tmp_path / "kill100.sqlite3", 100, seed=2)
