"""Purging a class removes its ID and phone numbers from the database file's bytes; backups and restore."""
from __future__ import annotations

import datetime as dt
import sqlite3

from xinyong_desktop.domain.model import (
    Applicant, Code, FieldId, FieldValue, Finding, Kind, Material, RecordSeverity, Severity, TextSource,
)
from xinyong_desktop.checks.engine import CaseFacts
from xinyong_desktop.services.check_packet import CheckResult
from xinyong_desktop.services.privacy import purge_and_compact
from xinyong_desktop.store import backup, repo
from xinyong_desktop.store.db import migrate, open_db, pending_migration
from xinyong_desktop.store.models import Case, Enterprise, FieldRow

ID = "320402198507154318"
PHONE = "13961234567"


def _result() -> CheckResult:
    m = Material("委托书.pdf", Kind.AUTHORIZATION_LETTER, [1], TextSource.TEXT, {
        FieldId.ID_NUMBER: FieldValue(ID, 1, (1.0, 2.0, 3.0, 4.0), 0.99),
        FieldId.CONTACT_PHONE: FieldValue(PHONE, 1, None, 0.99),
        FieldId.AGENT_NAME: FieldValue("田春梅", 1, None, 0.99)})
    f = Finding(Code.AUTHORIZATION_INVALID, Severity.ERROR, f"受托人身份证号 {ID} 与身份证复印件不一致（电话 {PHONE}）",
                Kind.AUTHORIZATION_LETTER, FieldId.ID_NUMBER, "委托书.pdf", 1)
    return CheckResult(dt.date(2025, 6, 1), CaseFacts(RecordSeverity.GENERAL, Applicant.AGENT), [m], [f], None)


def raw_bytes(db_path) -> bytes:
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))


def _seed(Session, name: str) -> int:
    with Session() as s, s.begin():
        tc = repo.create_class(s, name, None, "", "张老师")
        ent = Enterprise(name=f"{name}公司", uscc=("91320400MA1X" + name.encode().hex())[:18].upper(),
                         contact_phone=PHONE)
        s.add(ent)
        s.flush()
        case = Case(class_id=tc.id, enterprise_id=ent.id, packet_dir="")
        s.add(case)
        s.flush()
        repo.save_check(s, case, _result(), "张老师")
        repo.record_decision(s, case, "correct", "material:委托书.pdf#1/field:id_number", "张老师", value=ID,
                             reason=f"身份证复印件上是 {ID}")
        return tc.id


def test_purge_removes_personal_data_from_the_file(tmp_path):
    db_path = tmp_path / "p.sqlite3"
    Session = open_db(db_path)
    keep = _seed(Session, "甲")
    purge = _seed(Session, "乙")
    backup.make_backup(db_path, "auto")
    assert ID.encode() in raw_bytes(db_path)
    assert any(ID.encode() in b.path.read_bytes() for b in backup.list_backups(db_path))
    # purge only one of two classes: the other still has its data; then purge both
    summary = purge_and_compact(Session, purge, "张老师", db_path)
    assert summary.fields == 2 and summary.texts >= 2 and summary.backups_removed == 1
    with Session() as s:
        assert s.query(FieldRow).filter(FieldRow.field == "id_number").count() == 1  # class 甲 untouched
    purge_and_compact(Session, keep, "张老师", db_path)
    Session.kw["bind"].dispose()
    data = raw_bytes(db_path)
    assert ID.encode() not in data and PHONE.encode() not in data
    assert ID.encode("utf-16-le") not in data
    for b in backup.list_backups(db_path):
        assert ID.encode() not in b.path.read_bytes()
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_backup_and_restore(tmp_path):
    db_path = tmp_path / "b.sqlite3"
    Session = open_db(db_path)
    _seed(Session, "甲")
    first = backup.make_backup(db_path, "auto")
    _seed(Session, "乙")
    with Session() as s:
        assert s.query(Case).count() == 2
    Session.kw["bind"].dispose()
    safety = backup.restore_backup(first, db_path)
    Session = open_db(db_path)
    with Session() as s:
        assert s.query(Case).count() == 1
    assert safety is not None and safety.exists()
    infos = backup.list_backups(db_path)
    assert {b.reason for b in infos} == {"auto", "before-restore"}
    for i in range(15):  # only the newest are kept
        backup.make_backup(db_path, "auto")
    assert len(backup.list_backups(db_path)) == backup.KEEP


def test_a_corrupt_backup_is_refused(tmp_path):
    db_path = tmp_path / "c.sqlite3"
    open_db(db_path)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)
    try:
        backup.restore_backup(bad, db_path)
    except (ValueError, sqlite3.DatabaseError):
        pass
    else:
        raise AssertionError("a corrupt backup was restored")


def test_backup_before_migration(tmp_path):
    from alembic import command

    from xinyong_desktop.store.db import alembic_config

    db_path = tmp_path / "m.sqlite3"
    command.upgrade(alembic_config(db_path), "0001")  # an older laptop's database
    assert pending_migration(db_path)
    migrate(db_path)
    assert not pending_migration(db_path)
    assert [b.reason for b in backup.list_backups(db_path)] == ["before-migration"]
