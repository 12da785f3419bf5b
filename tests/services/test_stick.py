"""A whole stick of several enterprises' packets, matched to the class roster; another enterprise's packet is
refused with both names; the applicant is taken from the packet."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.packetgen import Facts, write_packet
from tests.rostergen import Row, write_xlsx
from xinyong_desktop.roster.board import read_rosters
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import check_packet
from xinyong_desktop.services.classes import import_roster
from xinyong_desktop.services.intake import intake_stick, match_stick, place, read_stick
from xinyong_desktop.services.progress import Progress
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Case

AS_OF = dt.date(2024, 11, 20)


@pytest.fixture
def db(tmp_path):
    (tmp_path / "data").mkdir()
    return open_db(tmp_path / "data" / "desk.sqlite3")


def _facts(seed: int) -> Facts:
    return Facts.random(seed, decision_date=dt.date(2024, 1, 10 + seed % 10), signed_date=dt.date(2024, 11, 1))


def _class_with_roster(db, tmp_path, enterprises: list[Facts]) -> int:
    rows = [Row(f.name, f.uscc, f.decision_number, f.decision_number, f.decision_date, "general", f.authority, f.rep)
            for f in enterprises]
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    roster = read_rosters([path], AS_OF)
    assert not roster.errors, roster.errors
    with db() as s, s.begin():
        tc = repo.create_class(s, "第3期", AS_OF, instructors="张老师")
        import_roster(s, tc.id, roster, "张老师")
        return tc.id


def _no_case_json(folder):
    (folder / "case.json").unlink()
    return folder


def test_a_stick_of_three_enterprises_goes_to_their_three_roster_cases(db, tmp_path, rules, pool):
    a, b, c, d = _facts(11), _facts(12), _facts(13), _facts(14)
    class_id = _class_with_roster(db, tmp_path, [a, b, c, d])
    stick = tmp_path / "stick"
    _no_case_json(write_packet(stick / "第一家", a))
    _no_case_json(write_packet(stick / "第二家", b, applicant="agent"))
    _no_case_json(write_packet(stick / "第三家", c))
    steps: list[str] = []
    progress = Progress()
    progress.on_change = lambda: steps.append(progress.label)
    out = intake_stick(db, class_id, stick, tmp_path / "data" / "packets", "张老师", rules, AS_OF, pool, progress)
    assert steps and not out.unassigned
    assert sorted(p.status for p in out.packets) == ["placed"] * 3, [(p.label, p.status, p.message) for p in out.packets]
    with db() as s:  # each case's verdict is what `check` says of its folder with the case's facts
        for f, folder in ((a, "第一家"), (b, "第二家"), (c, "第三家")):
            case = next(x for x in s.query(Case) if desk.case_name(x) == f.name)
            alone = check_packet(stick / folder, as_of=AS_OF, rules=rules, pool=pool, facts=desk.case_facts(case))
            assert desk.case_verdict(s, case).result.to_json()["findings"] == alone.to_json()["findings"]
            assert [m.path for m in desk.case_verdict(s, case).result.materials] == [m.path for m in alone.materials]
    shutil.rmtree(stick)  # the stick goes home: the cases work from their copies
    with db() as s:
        cases = {desk.case_name(x): x for x in s.query(Case).filter_by(class_id=class_id)}
        assert set(cases) == {a.name, b.name, c.name, d.name} and len(cases) == 4  # no case was added
        for f in (a, b, c):
            case = cases[f.name]
            assert case.packet_dir.startswith(str(tmp_path / "data" / "packets")) and case.checked_at is not None
            assert desk.case_facts(case).decision_number == f.decision_number
            assert not [x for x in desk.case_verdict(s, case).open if x.code == "DECISION_NUMBER_MISMATCH"]
        assert cases[b.name].applicant == "agent" and cases[a.name].applicant == "legal_representative"
        assert not cases[d.name].packet_dir
        assert desk.case_label(cases[a.name]) == f"{a.name}（{a.decision_number}）"


def test_loose_files_of_two_enterprises_are_split_and_an_unknown_one_waits(db, tmp_path, rules, pool):
    a, b, stranger = _facts(21), _facts(22), _facts(23)
    class_id = _class_with_roster(db, tmp_path, [a, b])
    stick = tmp_path / "stick"
    for f, tag in ((a, "A"), (b, "B"), (stranger, "C")):
        folder = _no_case_json(write_packet(tmp_path / tag, f))
        for p in folder.rglob("*.pdf"):
            rel = p.relative_to(folder).as_posix().replace("/", "_")
            (stick / f"{tag}_{rel}").parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, stick / f"{tag}_{rel}")
    read = read_stick(stick, rules, AS_OF, pool)
    with db() as s:
        match_stick(s, class_id, read)
    by_name = {p.enterprise_name: p for p in read.packets}
    assert set(by_name) == {a.name, b.name, stranger.name}, [(p.label, p.enterprise_name) for p in read.packets]
    for f, tag in ((a, "A"), (b, "B"), (stranger, "C")):
        assert {rel.split("_")[0] for rel, _ in by_name[f.name].files} == {tag}
    assert by_name[a.name].status == by_name[b.name].status == "matched"
    assert by_name[stranger.name].status == "unmatched" and stranger.name in by_name[stranger.name].message
    with db() as s, s.begin():  # opened as a new case by the instructor
        cid = place(s, class_id, by_name[stranger.name], None, tmp_path / "data" / "packets", "张老师", rules)
        assert desk.case_name(s.get(Case, cid)) == stranger.name


def test_another_enterprises_packet_is_refused_with_both_names(db, tmp_path, rules, pool):
    a, b = _facts(31), _facts(32)
    class_id = _class_with_roster(db, tmp_path, [a, b])
    _no_case_json(write_packet(tmp_path / "stick" / "材料", b))
    with db() as s:
        target = next(x.id for x in s.query(Case).filter_by(class_id=class_id) if desk.case_name(x) == a.name)
    out = intake_stick(db, class_id, tmp_path / "stick", tmp_path / "data" / "packets", "张老师", rules, AS_OF, pool,
                       target_case_id=target)
    [p] = out.packets
    assert p.status == "refused" and a.name in p.message and b.name in p.message, p.message
    with db() as s:
        assert not s.get(Case, target).packet_dir  # nothing joined the selected case


def test_a_second_packet_for_a_case_asks_before_replacing(db, tmp_path, rules, pool):
    a = _facts(41)
    class_id = _class_with_roster(db, tmp_path, [a])
    store = tmp_path / "data" / "packets"
    _no_case_json(write_packet(tmp_path / "stick1" / "材料", a))
    intake_stick(db, class_id, tmp_path / "stick1", store, "张老师", rules, AS_OF, pool)
    with db() as s:
        first = s.query(Case).filter_by(class_id=class_id).one().packet_dir
    _no_case_json(write_packet(tmp_path / "stick2" / "材料", a, seed=5, layout=1))
    out = intake_stick(db, class_id, tmp_path / "stick2", store, "张老师", rules, AS_OF, pool)
    [p] = out.packets
    assert p.status == "replaces" and "替换" in p.message
    with db() as s:
        assert s.query(Case).filter_by(class_id=class_id).one().packet_dir == first  # not replaced unasked
    out = intake_stick(db, class_id, tmp_path / "stick2", store, "张老师", rules, AS_OF, pool, replace_existing=True)
    with db() as s:
        now = s.query(Case).filter_by(class_id=class_id).one().packet_dir
    assert out.packets[0].status == "placed" and now != first
    assert [x.name for x in store.iterdir() if x.is_dir()] == [now.rsplit("/", 1)[-1]]  # the old copy is gone


def test_one_packet_keeps_every_file_even_one_that_cannot_be_read(db, tmp_path, rules, pool):
    a = _facts(51)
    folder = _no_case_json(write_packet(tmp_path / "stick", a))
    (folder / "坏文件.pdf").write_bytes(b"%PDF-1.4 broken")
    read = read_stick(folder, rules, AS_OF, pool)
    [p] = read.packets
    assert "坏文件.pdf" in [rel for rel, _ in p.files] and not read.unassigned
    assert any(f.code == "FILE_UNREADABLE" and f.path == "坏文件.pdf" for f in p.result.findings)


def test_a_packet_of_the_enterprises_other_record_is_refused_for_the_selected_record(db, tmp_path, rules, pool):
    from dataclasses import replace

    a = _facts(61)
    a2 = replace(a, decision_number=a.decision_number.replace("〕", "〕1", 1), decision_date=dt.date(2024, 2, 2))
    class_id = _class_with_roster(db, tmp_path, [a, a2])
    _no_case_json(write_packet(tmp_path / "stick" / "材料", a2))
    with db() as s:
        target = next(x.id for x in s.query(Case).filter_by(class_id=class_id)
                      if desk.case_number(x) == a.decision_number)
    out = intake_stick(db, class_id, tmp_path / "stick", tmp_path / "data" / "packets", "张老师", rules, AS_OF, pool,
                       target_case_id=target)
    [p] = out.packets
    assert p.status == "refused" and a2.decision_number in p.message and a.decision_number in p.message, p.message
    out = intake_stick(db, class_id, tmp_path / "stick", tmp_path / "data" / "packets", "张老师", rules, AS_OF, pool)
    assert out.packets[0].status == "placed"  # without a selection it goes to its own record
    with db() as s:
        placed = s.get(Case, out.packets[0].case_id)
        assert desk.case_number(placed) == a2.decision_number and not s.get(Case, target).packet_dir
