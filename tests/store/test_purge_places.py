"""Purge by construction: ID and phone numbers planted in every place the app keeps them — rows (fields, stored
paths, findings, decision targets, audit, cases, enterprises), packet copies whose file names hold an ID
number, the orphan folders of an import killed after its move, a backup killed while it was written
(`*.part`) — are gone from every byte afterwards, on SQLite and on the office database (PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from sqlalchemy import select, text

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
from xinyong_desktop.services.bundle import export_bundle, import_bundle_file
from xinyong_desktop.services.check_packet import CheckResult
from xinyong_desktop.services.privacy import PLACES, neutral_name, packets_root, purge_and_compact
from xinyong_desktop.services.review import field_target
from xinyong_desktop.store import backup, repo
from xinyong_desktop.store.db import data_dir, open_db
from xinyong_desktop.store.models import Base, Case, Decision, Enterprise, MaterialRow, PenaltyRecord

ID = "320413197807043678"
PHONE = "13961234567"
CARD = f"身份证{ID}.pdf"  # an ID number in a file name
SPACED_ID = "320413 19780704 3678"
PHONE_86 = "+86 139-6123-4567"
SECRETS = [ID, PHONE, SPACED_ID, PHONE_86, "ID" + ID, "sfz" + ID]
ROOT = Path(__file__).resolve().parents[2]


def _result() -> CheckResult:
    m = Material(CARD, Kind.AGENT_ID, [1], TextSource.TEXT, {
        FieldId.ID_NUMBER: FieldValue(ID, 1, (1.0, 2.0, 3.0, 4.0), 0.99),
        FieldId.CONTACT_PHONE: FieldValue(PHONE, 1, None, 0.99),
        FieldId.ID_NAME: FieldValue(f"田春梅 sfz{ID}", 1, None, 0.5)})  # a misread field holding the number
    f = Finding(Code.AUTHORIZATION_INVALID, Severity.ERROR,
                f"受托人身份证号 {SPACED_ID} 与 ID{ID} 不一致（电话 {PHONE_86}）", Kind.AGENT_ID, FieldId.ID_NUMBER,
                CARD, 1)
    return CheckResult(dt.date(2025, 6, 1), CaseFacts(RecordSeverity.GENERAL, Applicant.AGENT), [m], [f], None)


def _seed_class(Session, packet: Path, uscc: str = "91320400MA1X7Y8Z9A") -> int:
    with Session() as s, s.begin():
        tc = repo.create_class(s, "2026年第6期", None, "", "张老师")
        ent = Enterprise(name="常州某某公司", uscc=uscc, contact_phone=PHONE)
        s.add(ent)
        s.flush()
        rec = PenaltyRecord(enterprise_id=ent.id, decision_number="常市监罚〔2024〕12号", source=f"名单.xlsx 第3行 {ID}")
        s.add(rec)
        s.flush()
        case = Case(class_id=tc.id, enterprise_id=ent.id, record_id=rec.id, packet_dir=str(packet),
                    portal_reason=f"经办人身份证 {ID} 模糊")
        s.add(case)
        s.flush()
        repo.save_check(s, case, _result(), "张老师")
        repo.record_decision(s, case, "correct", field_target(CARD, [1], "id_number"), "张老师", value=ID,
                             reason=f"复印件上是 sfz{ID}，电话 {PHONE_86}")
        repo.audit(s, "张老师", "export", f"/media/u盘/{CARD}")  # an event of no case naming a file
        return tc.id


_KILL_AFTER_MOVE = """
import os, sys
from pathlib import Path
from xinyong_desktop.services import bundle
from xinyong_desktop.store.db import open_db

def die(*a, **k):  # called right after the packet folders were moved into place, before the commit
    os._exit(9)
bundle.audit = die
bundle.import_bundle_file(open_db(sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1])), Path(sys.argv[2]),
                          Path(sys.argv[3]), "李老师")
"""

_KILL_BACKUP = """
import os, sys
from pathlib import Path
from xinyong_desktop.store import backup

def die(fd):  # the .part copy is complete, about to be renamed: the laptop loses power
    os._exit(9)
backup.os.fsync = die
backup.make_backup(Path(sys.argv[1]), "auto")
"""


def _all_rows(Session) -> str:
    with Session() as s:
        return "\n".join(json.dumps([str(v) for v in row], ensure_ascii=False)
                         for t in Base.metadata.sorted_tables for row in s.execute(select(t)))


def _pg_files(url: str, pg_server) -> dict[str, bytes]:
    """The bytes of the database's table, index and TOAST files on the server (its WAL is the server's)."""
    import psycopg

    name = url.split("?")[0].rsplit("/", 1)[-1]
    with psycopg.connect(host=pg_server.dir, port=pg_server.port, user="xinyong", dbname=name) as c:
        oid = c.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]
    base = Path(pg_server.dir) / "data" / "base" / str(oid)
    return {str(p): p.read_bytes() for p in base.iterdir() if p.is_file()}


def test_purge_walks_every_place(store_target, tmp_path, monkeypatch, request):
    pg = isinstance(store_target, str)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # the office mode's data folder
    db_path = None if pg else tmp_path / "data" / "xinyong.sqlite3"  # the data folder: nothing else in it
    data = data_dir(db_path)
    data.mkdir(parents=True, exist_ok=True)
    packets = packets_root(data)
    Session = open_db(store_target if pg else db_path)

    # another laptop's class, with a packet whose file name holds the ID number, travels as a bundle
    src = tmp_path / "src" / f"经办人{ID}"
    src.mkdir(parents=True)
    (src / CARD).write_bytes(f"%PDF-1.4 身份证号 {ID} 电话 {PHONE}".encode())
    (src / "承诺书.pdf").write_bytes(f"%PDF-1.4 {SPACED_ID}".encode())
    other = open_db(tmp_path / "other.sqlite3")
    bundle = tmp_path / "第6期.xybundle"
    with other() as s, s.begin():
        export_bundle(s, _seed_class(other, src), bundle, "张老师")
    assert ID in zipfile.ZipFile(bundle).read("bundle.json").decode()

    res = import_bundle_file(Session, bundle, packets, "李老师")
    copies = [p for p in packets.rglob("*") if p.is_file()]
    assert len(copies) == 2 and not [p for p in packets.rglob("*") if ID in p.name]  # stored under neutral names
    assert any(p.name == neutral_name(CARD) for p in copies) and "3678" in neutral_name(CARD)
    with Session() as s:
        case = s.scalars(select(Case).where(Case.class_id == res.class_id)).one()
        assert ID not in case.packet_dir
        assert [m.path for m in s.scalars(select(MaterialRow).where(MaterialRow.case_id == case.id))] \
            == [neutral_name(CARD)]
        target = s.scalars(select(Decision).where(Decision.case_id == case.id)).one().target
        assert neutral_name(CARD) in target and (Path(case.packet_dir) / neutral_name(CARD)).is_file()

    # an import killed after its move, before its commit: an orphan packet folder; the next import works
    url_or_path = store_target if pg else str(db_path)
    before = {p.name for p in packets.iterdir()}
    killed = subprocess.run([sys.executable, "-c", _KILL_AFTER_MOVE, url_or_path, str(bundle), str(packets)],
                            cwd=ROOT, timeout=180, capture_output=True)
    assert killed.returncode == 9, killed.stderr.decode()[-2000:]
    orphans = {p.name for p in packets.iterdir()} - before
    assert orphans  # the kill landed after the move …
    with Session() as s:  # … and before the commit
        assert s.scalar(select(text("count(*)")).select_from(Case)) == 1
    again = import_bundle_file(Session, bundle, packets, "李老师", into_class=None)  # was: 目标文件夹已存在
    assert again.cases_added == 1

    # a class of this desk seeded through the app's own paths (fields, findings, decisions, audit)
    own = tmp_path / "own"
    own.mkdir()
    mine = _seed_class(Session, own, "91320400MA1X7Y8Z9B")
    if not pg:  # backups, and one killed while being written
        backup.make_backup(db_path, "auto")
        killed = subprocess.run([sys.executable, "-c", _KILL_BACKUP, str(db_path)], cwd=ROOT, timeout=120,
                                capture_output=True)
        assert killed.returncode == 9, killed.stderr.decode()[-2000:]
        parts = list((data / "backups").glob("*.part"))
        assert parts and ID.encode() in parts[0].read_bytes()  # the kill left a full copy

    def everything() -> dict[str, bytes]:
        out = {str(p): p.read_bytes() for p in data.rglob("*") if p.is_file()}
        out["rows"] = _all_rows(Session).encode()
        if pg:
            out.update(_pg_files(store_target, request.getfixturevalue("pg_server")))
        return out

    seen = everything()
    for n in SECRETS:
        assert any(n.encode() in b for b in seen.values()), n  # the seed really put each number somewhere
    for cid in (res.class_id, again.class_id, mine):
        summary = purge_and_compact(Session, cid, "李老师", db_path)
        assert set(summary.by_place) == {p.name for p in PLACES}  # every registered place was walked
    Session.kw["bind"].dispose()
    after = everything()
    for n in SECRETS:
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            hits = [p for p, b in after.items() if n.encode(enc) in b]
            assert not hits, (n, enc, hits)
    assert not [p for p in packets.iterdir()] if packets.exists() else True
    if not pg:
        assert [b.reason for b in backup.list_backups(db_path)] == ["after-purge"]
        assert not list((data / "backups").glob("*.part"))
    assert own.is_dir() and not list(own.iterdir())  # the instructor's own folder: not the app's to delete
