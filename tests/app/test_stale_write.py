"""Two desks on one SQLite file (two windows, as two laptops on the office database): a write made on what the
instructor saw after the other desk changed the case is refused with a Chinese message, nothing of it is saved,
and the desk shows the case as the database holds it now — through the windows' actions and dialogs."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.dialogs import Driver  # noqa: E402
from tests.packetgen import Facts, write_packet  # noqa: E402


def _decisions(w, cid) -> list[tuple[str, str, str]]:
    from xinyong_desktop.store.models import Decision

    with w.db() as s:
        return [(d.action, d.target, d.instructor) for d in s.query(Decision).filter_by(case_id=cid, undone_at=None)]


def test_a_stale_write_is_refused_and_the_case_reloaded(window, qtbot, tmp_path, pool, rules):
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.store.db import open_db
    from xinyong_desktop.store.models import Case

    a = window
    do_a = Driver(a, qtbot)
    facts = Facts.random(61, decision_date=dt.date.today() - dt.timedelta(days=200),
                         signed_date=dt.date.today() - dt.timedelta(days=2))
    do_a.answers.file(write_packet(tmp_path / "U盘" / "甲", facts))
    do_a("添加企业材料文件夹…")
    qtbot.waitUntil(lambda: not a.checker.busy and a.ctl.current.can_decide, timeout=90000)
    cid = a.case_id
    first = next(q for q in a.ctl.current.queue if not q.resolved)
    a.ctl.select_target(first.target)  # A looks at the first item to review
    assert a.ctl.current.selected == first.target

    # the second desk on the same file (another window, as another laptop) opens the same case and confirms it
    db = tmp_path / "desk.sqlite3"
    b = MainWindow(open_db(db), rules, "张老师", pool, db_path=db)
    qtbot.addWidget(b)
    b.show()
    do_b = Driver(b, qtbot)
    b.ctl.select_case(cid)
    assert b.ctl.current.selected == first.target
    do_b("确认此值", key=False)
    assert _decisions(b, cid) == [("confirm", first.target, "张老师")]
    stale_version = a.ctl.current.version
    with a.db() as s:
        assert s.get(Case, cid).version > stale_version  # the interleaving landed: A's view is older than the row

    # desk A, still showing the item unconfirmed, confirms it too: refused, said in a dialog, nothing saved
    a.activateWindow()
    assert not any(q.resolved for q in a.ctl.current.queue if q.target == first.target)
    do_a.answers.ok()
    do_a("确认此值", key=False)
    do_a.check_dialogs()
    said = [x for x in do_a.answers.seen if x.kind == "message"][-1]
    assert said.title == "案件已被修改" and said.icon == "warning"
    assert "另一台电脑" in said.text and "未保存" in said.text and "重新载入" in said.text
    assert _decisions(a, cid) == [("confirm", first.target, "张老师")]  # B's only
    # … and A's screen now shows the case as the database holds it: B's confirmation, the current version
    with a.db() as s:
        assert a.ctl.current.version == s.get(Case, cid).version
    line = next(q for q in a.ctl.current.queue if q.target == first.target)
    assert line.resolved and "已确认" in line.text
    assert a.queue.item([q.target for q in a.ctl.current.queue].index(first.target)).text().startswith("✓")
    # the next write from the reloaded view goes through
    do_a.answers.stop()
    do_a = Driver(a, qtbot)
    a.ctl.next_review()
    nxt = a.ctl.current.selected
    do_a("确认此值", key=False)
    do_a.check_dialogs()
    assert _decisions(a, cid) == [("confirm", first.target, "张老师"), ("confirm", nxt, "张老师")]
    do_a.answers.stop()
    do_b.answers.stop()
    b.close()
