"""An ID number that is part of a file name (身份证320413197807043678.pdf) never reaches the data folder or the
database when the instructor imports a packet — neither through 添加材料 (attach, check the copy) nor from a
stick (read, match, place): the file is stored under a neutral name with the number masked, and the packet is
checked as before."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.packetgen import FILE_NAMES, Facts, Spec, draw_pdf, write_packet
from tests.rostergen import Row, write_xlsx
from xinyong_desktop.roster.board import read_rosters
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import read_case_file
from xinyong_desktop.services.classes import import_roster
from xinyong_desktop.services.intake import check_inputs, intake_stick, run_check
from xinyong_desktop.services.privacy import stored_names
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Case, FindingRow, MaterialRow, PacketFile

AS_OF = dt.date(2024, 11, 20)
ID = "320413197807043678"
TWIN = "320413197807053678"  # masked, the same name as ID's: told apart by (2)
MASKED = "身份证" + "＊" * 14 + "3678.pdf"


@pytest.fixture
def data(tmp_path):
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def _packet(folder, facts: Facts, twin: bool = False):
    """A packet whose ID card copy is named after the number (its content is the representative's card, whose
    number is another one: the file name is what is tested)."""
    write_packet(folder, facts)
    (folder / FILE_NAMES["legal_rep_id"]).rename(folder / f"身份证{ID}.pdf")
    if twin:
        draw_pdf(folder / f"身份证{TWIN}.pdf", [Spec("commitment_letter")], facts, seed=3)
    return folder


def _no_number_anywhere(data, db, number: str) -> None:
    db.kw["bind"].dispose()  # everything written: the WAL checkpointed into the file where it can be
    for p in data.rglob("*"):
        assert number not in p.relative_to(data).as_posix(), p  # no file or folder named after it
        if p.is_file():
            assert number.encode() not in p.read_bytes(), p  # the database, its WAL, backups, the copies
            assert number.encode("utf-16-le") not in p.read_bytes(), p


def test_attach_and_check_store_the_file_under_a_neutral_name(data, tmp_path, rules, pool):
    facts = Facts.random(21, decision_date=dt.date(2024, 1, 15), signed_date=dt.date(2024, 8, 25))
    folder = _packet(tmp_path / "stick" / "青枫物流", facts)
    db = open_db(data / "desk.sqlite3")
    with db() as s, s.begin():
        tc = repo.create_class(s, "第1期", AS_OF, instructors="张老师")
        cid = desk.attach_packet(s, tc.id, None, folder, "张老师", facts=read_case_file(folder),
                                 store_root=data / "packets")
        inputs = check_inputs(s, s.get(Case, cid))
    result = run_check(inputs, AS_OF, rules, pool)
    with db() as s, s.begin():
        desk.record_check(s, s.get(Case, cid), result, "张老师", rules)
    with db() as s:
        files = {r.path for r in s.query(PacketFile).filter_by(case_id=cid)}
        kinds = {m.path: m.kind for m in s.query(MaterialRow).filter_by(case_id=cid)}
    assert MASKED in files and kinds.get(MASKED) == "legal_rep_id", (files, kinds)  # still read as what it is
    assert [p for p in (data / "packets").rglob("*.pdf") if p.name == MASKED]
    _no_number_anywhere(data, db, ID)


def test_a_stick_is_placed_under_neutral_names(data, tmp_path, rules, pool):
    facts = Facts.random(22, decision_date=dt.date(2024, 1, 12), signed_date=dt.date(2024, 11, 1))
    stick = tmp_path / "stick"
    _packet(stick / "第一家", facts, twin=True)
    (stick / "第一家" / "case.json").unlink()
    (stick / "第一家" / f"链接{ID}.pdf").symlink_to("/dev/zero")  # skipped, reported by its (masked) name
    roster = read_rosters([write_xlsx(tmp_path / "名单.xlsx", [Row(
        facts.name, facts.uscc, facts.decision_number, facts.decision_number, facts.decision_date, "general",
        facts.authority, facts.rep)])], AS_OF)
    db = open_db(data / "desk.sqlite3")
    with db() as s, s.begin():
        tc = repo.create_class(s, "第3期", AS_OF, instructors="张老师")
        import_roster(s, tc.id, roster, "张老师")
    out = intake_stick(db, tc.id, stick, data / "packets", "张老师", rules, AS_OF, pool)
    assert [p.status for p in out.packets] == ["placed"], [(p.status, p.message) for p in out.packets]
    twin = MASKED.replace(".pdf", "(2).pdf")
    with db() as s:
        cid = out.packets[0].case_id
        files = {r.path: r.skipped for r in s.query(PacketFile).filter_by(case_id=cid)}
        kinds = {m.path: m.kind for m in s.query(MaterialRow).filter_by(case_id=cid)}
        paths = {f.path for f in s.query(FindingRow).filter_by(case_id=cid)}
    assert {MASKED, twin} <= set(files) and kinds.get(MASKED) == "legal_rep_id" and kinds.get(twin), (files, kinds)
    assert files.get("链接" + "＊" * 14 + "3678.pdf") and "链接" + "＊" * 14 + "3678.pdf" in paths  # its warning
    stored = {p.name: p.read_bytes() for p in (data / "packets").rglob("*.pdf")}
    assert stored[MASKED] == (stick / "第一家" / f"身份证{ID}.pdf").read_bytes()
    assert stored[twin] == (stick / "第一家" / f"身份证{TWIN}.pdf").read_bytes()
    shutil.rmtree(stick)
    _no_number_anywhere(data, db, ID)
    _no_number_anywhere(data, db, TWIN)


def test_stored_names_mask_and_tell_apart():
    names = stored_names([f"身份证{ID}.pdf", f"身份证{TWIN}.pdf", f"经办人/sfz{ID}", "承诺书.pdf", MASKED])
    assert names == {f"身份证{ID}.pdf": MASKED, f"身份证{TWIN}.pdf": MASKED.replace(".pdf", "(2).pdf"),
                     f"经办人/sfz{ID}": "经办人/sfz" + "＊" * 14 + "3678", "承诺书.pdf": "承诺书.pdf",
                     MASKED: MASKED.replace(".pdf", "(3).pdf")}
