"""导入U盘（多家企业）through its action: three enterprises' packets on one stick go to their roster cases, an
enterprise not in the roster is opened as a new case, the stick can go home afterwards."""
from __future__ import annotations

import datetime as dt
import shutil

from tests.app.dialogs import Driver
from tests.packetgen import Facts, write_packet
from tests.rostergen import Row, write_xlsx


def test_a_stick_of_three_enterprises_is_split_into_their_cases(window, qtbot, tmp_path):
    from xinyong_desktop.services import desk
    from xinyong_desktop.store.models import Case

    w = window
    do = Driver(w, qtbot)
    ans = do.answers
    today = dt.date.today()
    ents = [Facts.random(60 + i, decision_date=today - dt.timedelta(days=200 + i),
                         signed_date=today - dt.timedelta(days=3)) for i in range(4)]
    roster = write_xlsx(tmp_path / "名单.xlsx", [Row(f.name, f.uscc, f.decision_number, f.decision_number,
                                                    f.decision_date, "general", f.authority, f.rep) for f in ents[:3]])
    ans.file(roster)
    do("导入处罚名单…")
    assert w.cases.rowCount() == 3
    stick = tmp_path / "stick"
    for i, f in enumerate(ents):
        (write_packet(stick / f"企业{i + 1}", f, applicant="agent" if i == 1 else "legal_representative")
         / "case.json").unlink()

    def answer(d):
        assert [d.table.item(r, 3).text() for r in range(4)].count("已匹配名单") == 3
        stranger = next(r for r in range(4) if d.table.item(r, 1).text() == ents[3].name)
        d.choose(stranger, "作为新企业加入")
    ans.file(stick)
    ans.form(answer)
    ans.item("一般")  # the new enterprise's severity (not in the roster, no case.json)
    do("导入U盘（多家企业）…", wait=False)
    qtbot.waitUntil(lambda: ans.done() and w.running is None and w.cases.rowCount() == 4, timeout=120000)
    do.check_dialogs()
    shutil.rmtree(stick)
    with w.db() as s:
        cases = {desk.case_name(c): c for c in s.query(Case)}
        assert set(cases) == {f.name for f in ents}
        assert all(c.checked_at is not None and c.packet_dir for c in cases.values())
        assert cases[ents[1].name].applicant == "agent"
    labels = [w.cases.item(r, 0).text() for r in range(w.cases.rowCount())]
    assert f"{ents[0].name}\n{ents[0].decision_number}" in labels, labels  # the record beside the name
    w.case_id = next(c.id for n, c in cases.items() if n == ents[0].name)
    w.refresh_cases(w.case_id)
    do("重新检查")  # F5 from the copy, the stick being gone
    assert "出错" not in " ".join(s.title for s in ans.seen)


def test_another_enterprises_packet_added_to_the_selected_case_is_refused_with_both_names(window, qtbot, tmp_path):
    from xinyong_desktop.store.models import Case

    w = window
    do = Driver(w, qtbot)
    ans = do.answers
    today = dt.date.today()
    a, b = (Facts.random(70 + i, decision_date=today - dt.timedelta(days=200), signed_date=today - dt.timedelta(days=3))
            for i in range(2))
    roster = write_xlsx(tmp_path / "名单.xlsx", [Row(f.name, f.uscc, f.decision_number, f.decision_number,
                                                    f.decision_date, "general", f.authority, f.rep) for f in (a, b)])
    ans.file(roster)
    do("导入处罚名单…")
    do("回到材料审核")
    row = next(r for r in range(w.cases.rowCount()) if w.cases.item(r, 0).text().startswith(a.name))
    w.cases.selectRow(row)
    selected = w.case_id
    ans.file(write_packet(tmp_path / "B的材料", b))
    ans.ok()
    do("添加企业材料文件夹…", wait=False)
    qtbot.waitUntil(lambda: ans.done() and w.running is None, timeout=60000)
    do.check_dialogs()
    refusal = next(s for s in ans.seen if s.kind == "message")
    assert a.name in refusal.text and b.name in refusal.text, refusal.text
    with w.db() as s:
        assert not s.get(Case, selected).packet_dir and s.query(Case).count() == 2  # nothing joined, no new case
    ans.file(write_packet(tmp_path / "A的材料", a))
    do("添加企业材料文件夹…", wait=False)
    qtbot.waitUntil(lambda: ans.done() and w.running is None and w.cases.item(row, 1).text() != "未开始", timeout=60000)
    do.check_dialogs()
    with w.db() as s:
        c = s.get(Case, selected)
        assert c.packet_dir and c.checked_at is not None and s.query(Case).count() == 2
