"""Purging a class removes its ID and phone numbers from the database file's bytes; backups and restore."""
from __future__ import annotations

import datetime as dt
import sqlite3

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
from xinyong_desktop.services.privacy import purge_and_compact
from xinyong_desktop.services.review import field_target
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
        repo.record_decision(s, case, "correct", field_target("委托书.pdf", [1], "id_number"), "张老师", value=ID,
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
    for _ in range(15):  # only the newest are kept
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


_KILLED_IMPORT = """
import os, sys
from pathlib import Path
from xinyong_desktop.services import bundle
from xinyong_desktop.store.db import open_db

real = bundle._read_capped
def read_then_die(z, info, dest, cap):
    out = real(z, info, dest, cap)
    if dest is not None:  # the first packet file is on disk in the staging folder: the laptop loses power
        os._exit(9)
    return out
bundle._read_capped = read_then_die
bundle.import_bundle_file(open_db(Path(sys.argv[1])), Path(sys.argv[2]), Path(sys.argv[3]), "李老师")
"""


def test_purge_leaves_no_number_anywhere_the_app_writes(tmp_path, pool, rules):
    """Seeded the way the desk does it: a checked packet, an instructor's correction of an ID field (the desk's
    field target) with a typo of 17 digits that the re-check then quotes, a bundle imported into the data
    folder (packet copies), a killed import's leftovers, backups.  Afterwards none of the numbers is in the
    database file, its WAL, the backups or any byte under the data folder."""
    import subprocess
    import sys
    from pathlib import Path

    from sqlalchemy import select

    from tests.packetgen import Facts, Spec, write_packet
    from xinyong_desktop.services.bundle import export_bundle, import_bundle_file
    from xinyong_desktop.services.check_packet import check_packet
    from xinyong_desktop.services.review import recheck_case
    from xinyong_desktop.store.models import AuditEvent, Decision, FindingRow, MaterialRow

    f = Facts.random(91, decision_date=dt.date(2024, 1, 10), signed_date=dt.date(2024, 6, 1))
    wrong = f.agent_id[:17] + ("1" if f.agent_id[17] != "1" else "2")  # a wrong check digit on the letter
    typo = f.agent_id[:17]  # the instructor's correction misses a digit
    folder = write_packet(tmp_path / "src" / "packet", f, applicant="agent",
                          specs={"authorization_letter": Spec("authorization_letter", extra={"agent_id": wrong})})
    (tmp_path / "a").mkdir()
    A = open_db(tmp_path / "a" / "a.sqlite3")
    with A() as s, s.begin():
        tc = repo.create_class(s, "2026年第6期", None, "", "张老师")
        case = Case(class_id=tc.id, packet_dir=str(folder), status="审核中", applicant="agent")
        s.add(case)
        s.flush()
        repo.save_check(s, case, check_packet(folder, as_of=dt.date(2024, 6, 10), rules=rules, pool=pool), "张老师")
        letter = s.scalars(select(MaterialRow).where(MaterialRow.case_id == case.id,
                                                    MaterialRow.kind == "authorization_letter")).one()
        repo.record_decision(s, case, "correct", field_target(letter.path, letter.pages, "id_number"), "张老师",
                             value=typo, reason=f"委托书上应为 {typo}")
        _m, findings, eligible = recheck_case(case, repo.active_decisions(s, case.id), rules, dt.date(2024, 6, 10))
        repo.replace_findings(s, case, findings, eligible)
        assert case.findings and not any(typo in x.message for x in case.findings)  # messages name the field
        assert all(typo not in e.detail for e in s.scalars(select(AuditEvent)))  # the audit masks the value
        a_class = tc.id
    bundle = tmp_path / "src" / "第6期.xybundle"
    with A() as s, s.begin():
        export_bundle(s, a_class, bundle, "张老师")

    data = tmp_path / "data"  # the desk's data folder: database, backups, packets/
    db_path = data / "xinyong.sqlite3"
    packets = data / "packets"
    data.mkdir()
    Session = open_db(db_path)
    res = import_bundle_file(Session, bundle, packets, "李老师")
    killed = subprocess.run([sys.executable, "-c", _KILLED_IMPORT, str(db_path), str(bundle), str(packets)],
                            cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert killed.returncode == 9
    assert [p for p in packets.iterdir() if p.name.startswith(".import-")]  # the kill left its staging folder
    with Session() as s:
        assert s.scalars(select(Decision).where(Decision.target.like("field:%/id_number"))).first().value == typo
        assert not any(typo in x.message for x in s.scalars(select(FindingRow)))
    backup.make_backup(db_path, "auto")
    secrets = [f.agent_id, f.rep_id, wrong, typo, f.phone]

    def everything() -> dict[str, bytes]:
        return {str(p): p.read_bytes() for p in data.rglob("*") if p.is_file()}

    before = everything()
    for n in secrets:
        assert any(n.encode() in b for b in before.values()), n  # the seed really put each number there
    purge_and_compact(Session, res.class_id, "李老师", db_path)
    Session.kw["bind"].dispose()
    after = everything()
    assert any(p.endswith(".sqlite3") and "backups" in p for p in after)  # the after-purge backup exists
    for n in secrets:
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            hits = [p for p, b in after.items() if n.encode(enc) in b]
            assert not hits, (n, enc, hits)
    assert not [p for p in packets.iterdir()] if packets.exists() else True


def test_a_killed_backups_part_file_is_removed_by_the_next_backup(tmp_path):
    """A backup killed while written leaves a full copy as .part (38 after 40 kills); the next backup removes
    the old ones, and leaves a recent one (another window's backup in progress) alone."""
    import os
    import time

    db_path = tmp_path / "k.sqlite3"
    Session = open_db(db_path)
    _seed(Session, "甲")
    Session.kw["bind"].dispose()
    folder = backup.backup_dir(db_path)
    old = folder / "k-20260101-000000-000000-auto.part"
    old.write_bytes(ID.encode())
    hour_ago = time.time() - 2 * backup.STALE_PART_SECONDS
    os.utime(old, (hour_ago, hour_ago))
    fresh = folder / "k-20260101-000001-000000-auto.part"
    fresh.write_bytes(b"in progress")
    backup.make_backup(db_path, "auto")
    assert not old.exists() and fresh.exists()
