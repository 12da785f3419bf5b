"""Materials copied in at intake: the case works, re-checks and exports the same after the stick is gone."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil

import pytest

from tests.packetgen import Facts, write_packet
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import check_packet, read_case_file
from xinyong_desktop.services.export_packets import export_cases
from xinyong_desktop.services.intake import IntakeError, check_inputs, run_check
from xinyong_desktop.services.review import finding_key
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Case, PacketFile

AS_OF = dt.date(2024, 9, 1)


@pytest.fixture
def db(tmp_path):
    (tmp_path / "data").mkdir()
    return open_db(tmp_path / "data" / "desk.sqlite3")


def _sha(p) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _findings(result) -> list[dict]:
    return result.to_json()["findings"]


def _added(db, tmp_path, rules, pool):
    facts = Facts.random(88, decision_date=dt.date(2024, 1, 15), signed_date=dt.date(2024, 8, 25))
    folder = write_packet(tmp_path / "stick" / "青枫物流", facts)
    os.symlink("/dev/zero", folder / "zero.pdf")  # a special file the check skips with a warning
    originals = {p.relative_to(folder).as_posix(): _sha(p) for p in folder.rglob("*.pdf") if not p.is_symlink()}
    store = tmp_path / "data" / "packets"
    with db() as s, s.begin():
        tc = repo.create_class(s, "第1期", AS_OF, instructors="张老师")
        cid = desk.attach_packet(s, tc.id, None, folder, "张老师", facts=read_case_file(folder), store_root=store)
        inputs = check_inputs(s, s.get(Case, cid))
    result = run_check(inputs, AS_OF, rules, pool)
    with db() as s, s.begin():
        desk.record_check(s, s.get(Case, cid), result, "张老师", rules)
    return tc.id, cid, folder, store, originals


def test_the_case_works_from_its_copy_after_the_stick_is_gone(db, tmp_path, rules, pool):
    class_id, cid, folder, store, originals = _added(db, tmp_path, rules, pool)
    on_stick = check_packet(folder, as_of=AS_OF, rules=rules, pool=pool)
    with db() as s:
        c = s.get(Case, cid)
        copy = c.packet_dir
        assert copy.startswith(str(store)) and c.source_dir == str(folder)
        rows = {r.path: r for r in s.query(PacketFile).filter_by(case_id=cid)}
        assert {p: r.sha256 for p, r in rows.items() if not r.skipped} == originals
        assert rows["zero.pdf"].skipped and not rows["zero.pdf"].sha256
        first = _findings(desk.case_verdict(s, c).result)
    assert first == _findings(on_stick)
    assert ("FILE_UNREADABLE", "warning") in {(f["code"], f["severity"]) for f in first}
    shutil.rmtree(folder.parent)  # the enterprise leaves with its stick
    with db() as s:
        inputs = check_inputs(s, s.get(Case, cid))
    again = run_check(inputs, AS_OF, rules, pool)
    assert _findings(again) == first
    with db() as s, s.begin():
        c = s.get(Case, cid)
        desk.record_check(s, c, again, "张老师", rules)
        for f in desk.case_verdict(s, c).open:
            desk.decide(s, c, "override", finding_key(f.code, f.kind, f.field, f.path), "张老师", rules, reason="原件已核")
        for item in desk.case_verdict(s, c).pending:
            desk.decide(s, c, "confirm", item.target, "张老师", rules)
        desk.mark_ready(s, c, "张老师")
        assert _findings(desk.case_verdict(s, c).result) == first
    out = export_cases(db, [cid], tmp_path / "usb", rules, "张老师")
    assert len(out.exported) == 1, out.skipped
    manifest = json.loads((out.exported[0] / "manifest.json").read_text(encoding="utf-8"))
    exported = {f["sha256"] for f in manifest["files"]}
    assert set(originals.values()) <= exported  # every original, from the copy


def test_a_changed_copy_is_refused_and_purge_deletes_the_copy(db, tmp_path, rules, pool):
    from xinyong_desktop.services.privacy import purge_and_compact

    class_id, cid, folder, store, _originals = _added(db, tmp_path, rules, pool)
    with db() as s:
        copy = s.get(Case, cid).packet_dir
    target = next(p for p in (tmp_path / "data" / "packets").rglob("01申请书.pdf"))
    target.write_bytes(target.read_bytes() + b"%changed")
    with db() as s, pytest.raises(IntakeError, match="被改动"):
        run_check(check_inputs(s, s.get(Case, cid)), AS_OF, rules, pool)
    purge_and_compact(db, class_id, "张老师", tmp_path / "data" / "desk.sqlite3")
    assert not os.path.exists(copy)


def test_adding_the_same_packet_again_keeps_one_copy(db, tmp_path, rules, pool):
    from xinyong_desktop.services.intake import copy_packet

    _class_id, cid, folder, store, _originals = _added(db, tmp_path, rules, pool)
    with db() as s, s.begin():
        c = s.get(Case, cid)
        before = c.packet_dir
        assert str(copy_packet(s, c, folder, store)) == before
    assert [p.name for p in store.iterdir() if p.is_dir()] == [os.path.basename(before)]


def test_removing_a_case_deletes_its_copy_not_the_stick(db, tmp_path, rules, pool):
    _class_id, cid, folder, store, _originals = _added(db, tmp_path, rules, pool)
    with db() as s, s.begin():
        c = s.get(Case, cid)
        copy = c.packet_dir
        assert desk.case_name(c) != os.path.basename(copy)
        desk.remove_case(s, c, "张老师", store)
    assert not os.path.exists(copy) and folder.is_dir()
    with db() as s:
        assert s.query(PacketFile).filter_by(case_id=cid).count() == 0
