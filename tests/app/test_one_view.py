"""One view of one case (issue 21): switching cases never leaves another case's page or evidence on screen;
the list, the header and the status bar agree after every confirmation; the empty-class hint goes once cases
exist; a check ending in the background marks its case without moving the selection; packets are checked in
order in a visible queue while the instructor works on another case.  Through the desk's actions and keys."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.dialogs import Driver  # noqa: E402
from tests.packetgen import Facts, Spec, write_packet  # noqa: E402


def _facts(seed: int) -> Facts:
    return Facts.random(seed, decision_date=dt.date.today() - dt.timedelta(days=200),
                        signed_date=dt.date.today() - dt.timedelta(days=2))


def _row(w, case_id: int) -> dict[str, str]:
    from xinyong_desktop.app import strings as S

    for r in range(w.cases.rowCount()):
        if w.cases.item(r, 0).data(0x0100) == case_id:
            return {h: w.cases.item(r, c).text() for c, h in enumerate(S.CASE_HEADERS)} | \
                {"bold": w.cases.item(r, 0).font().bold(), "selected": w.cases.item(r, 0).isSelected()}
    raise AssertionError(f"case {case_id} not in the list")


def _two_checked_cases(w, do, tmp_path):
    a, b = _facts(61), _facts(62)
    pa = write_packet(tmp_path / "A", a)
    pb = write_packet(tmp_path / "B", b, specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    do.answers.file(pa)
    do("添加企业材料文件夹…")
    case_a = w.case_id
    w.ctl.select_case(None)  # nothing selected: the next packet opens its own case
    do.answers.file(pb)
    do("添加企业材料文件夹…")
    case_b = w.case_id
    assert case_a != case_b
    return (case_a, a), (case_b, b)


def test_switching_cases_shows_the_new_case_page_and_evidence(window, qtbot, tmp_path):
    w = window
    do = Driver(w, qtbot)
    (case_a, a), (case_b, b) = _two_checked_cases(w, do, tmp_path)
    w.open_case(case_a)
    do("下一个待核对项")  # a queue item of A: its page and its evidence enlarged
    qtbot.waitUntil(lambda: w._page_key is not None and w._page_key[0] == case_a, timeout=10000)
    shown_a = w.ctl.current.shown
    assert w.ctl.current.case_id == case_a and shown_a is not None
    assert a.name in w.form.pageLabel.text() and w._page_key[0] == case_a
    do("下一家企业")  # Ctrl+PgDown to B, no field clicked
    assert w.case_id == case_b
    assert w._page_key is None or w._page_key[0] == case_b  # at no moment A's page (B's is drawn in a worker)
    assert w.crop.pixmap().isNull() or w._page_key is not None
    qtbot.waitUntil(lambda: w._page_key is not None, timeout=10000)
    assert w._page_key[0] == case_b  # the page drawn is B's
    assert b.name in w.form.pageLabel.text() and a.name not in w.form.pageLabel.text()
    shown_b = w.ctl.current.shown
    assert shown_b is not None and w._page[0] == shown_b.path  # the evidence crop is cut from B's page
    if shown_b.bbox is not None:
        assert not w.crop.pixmap().isNull()
    item = w.queue.currentItem()
    assert item is not None and item.data(0x0100).target == w.ctl.current.selected  # B's first item, not A's
    do("上一家企业")
    assert w.case_id == case_a and a.name in w.form.pageLabel.text()
    assert w._page_key[0] == case_a  # from the cache of pages drawn lately: at once
    do.check_dialogs()
    do.answers.stop()


def test_list_header_and_status_bar_agree_after_every_confirmation(window, qtbot, tmp_path):
    from xinyong_desktop.services import desk_view as V

    w = window
    do = Driver(w, qtbot)
    folder = write_packet(tmp_path / "P", _facts(63))
    do.answers.file(folder)
    do("添加企业材料文件夹…")
    cid = w.case_id
    view = w.ctl.current
    assert view.pending >= 5 and w.form.verdictLabel.text() == V.PENDING_ONLY.format(n=view.pending)
    assert "可以提交" not in w.statusBar().currentMessage()  # the check's end says what the header says
    assert w.statusBar().currentMessage().endswith(w.form.verdictLabel.text())
    assert _row(w, cid)["待核对"] == str(view.pending) and _row(w, cid)["状态"] == "审核中"
    do("下一个待核对项")
    steps = 0
    while w.ctl.current.pending and steps < 40:
        before = w.ctl.current.pending
        do("确认此值")
        steps += 1
        v = w.ctl.current
        assert v.pending == before - 1
        row = _row(w, cid)  # the list line follows at once, from the same verdict
        assert row["待核对"] == (str(v.pending) if v.pending else "")
        header = w.form.verdictLabel.text()
        assert header == (V.READY if not v.pending else V.PENDING_ONLY.format(n=v.pending))
        assert w.queue_box.title() == (V.QUEUE_DONE if not v.pending else V.QUEUE_TITLE.format(n=v.pending))
    assert w.ctl.current.pending == 0 and w.form.readyButton.isEnabled()
    assert _row(w, cid)["状态"] == "可标记就绪" and _row(w, cid)["待核对"] == ""
    do("标记就绪")
    assert _row(w, cid)["状态"] == "已就绪"
    do.check_dialogs()
    do.answers.stop()


def test_the_empty_class_hint_goes_when_cases_arrive(window, qtbot, tmp_path):
    from tests.rostergen import make_rows, write_csv
    from xinyong_desktop.services import desk_view as V

    w = window
    do = Driver(w, qtbot)
    assert w.form.verdictLabel.text() == V.EMPTY_CLASS
    do.answers.file(write_csv(tmp_path / "名单.csv", make_rows(9, seed=3)))
    do("导入处罚名单…")
    assert w.cases.rowCount() == 9
    assert w.form.verdictLabel.text() == V.CHOOSE_CASE  # not "还没有企业"
    do("回到材料审核")
    do("下一家企业")
    assert w.case_id is not None and w.form.verdictLabel.text() == V.NO_PACKET
    do.check_dialogs()
    do.answers.stop()


def test_a_check_ending_in_the_background_does_not_move_the_selection(window, qtbot, tmp_path):
    from tests.rostergen import make_rows, write_csv

    w = window
    do = Driver(w, qtbot)
    do.answers.file(write_csv(tmp_path / "名单.csv", make_rows(3, seed=4)))
    do("导入处罚名单…")
    do("回到材料审核")
    w.ctl.select_case(None)
    w.add_packet(write_packet(tmp_path / "P", _facts(64)), ask=False)
    checked = w.case_id
    assert w.checks.active(checked) in ("检查中", "排队中")
    do("上一家企业", wait=False)  # the instructor moves on while the packet is read
    other = w.case_id
    assert other != checked
    qtbot.waitUntil(lambda: w.running is None, timeout=90000)
    assert w.case_id == other and _row(w, other)["selected"]  # still where the instructor is
    row = _row(w, checked)
    assert row["bold"] and row["状态"] == "审核中" and row["待核对"]  # marked, with its counts
    assert "已检查完" in w.statusBar().currentMessage()
    w.open_case(checked)
    assert not _row(w, checked)["bold"]  # looked at: no longer marked
    do.check_dialogs()
    do.answers.stop()


def test_packets_are_checked_in_order_in_a_visible_queue_while_another_case_is_worked_on(window, qtbot, tmp_path):
    w = window
    do = Driver(w, qtbot)
    first = write_packet(tmp_path / "P0", _facts(70))
    do.answers.file(first)
    do("添加企业材料文件夹…")
    worked = w.case_id
    ended: list[int] = []
    w.checker.finished.connect(lambda cid, _r, _e: ended.append(cid))
    queued = []
    for i in range(3):
        w.ctl.select_case(None)
        queued.append(w.add_packet(write_packet(tmp_path / f"Q{i}", _facts(71 + i)), ask=False))
    lines = [w.check_list.item(i).text() for i in range(w.check_list.count())]
    assert w.check_list.isVisible()
    assert lines[0].startswith("▶ 正在检查") and "约" in lines[0]
    assert sum(1 for t in lines if "等待" in t) == 2 and "约" in w.check_summary.text()
    w.open_case(worked)  # meanwhile: the review of a checked case goes on, key by key
    do("下一个待核对项", wait=False)
    for _ in range(3):
        before = w.ctl.current.pending
        do("确认此值", wait=False)
        assert w.ctl.current.pending == before - 1
    assert w.checker.busy  # the queue was still working all along
    qtbot.waitUntil(lambda: not w.checker.busy, timeout=240000)
    assert ended == queued  # in the order they were added
    assert w.case_id == worked
    done = [w.check_list.item(i).text() for i in range(w.check_list.count())]
    assert len([t for t in done if t.startswith("✓")]) == 4 and all("已检查" in t for t in done)
    do.check_dialogs()
    do.answers.stop()
