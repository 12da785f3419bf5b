"""The review desk on the offscreen platform: check a packet, override with/without reason, gating, undo, restart."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.checklist_items import select_field  # noqa: E402
from tests.packetgen import Facts, Spec, write_packet  # noqa: E402


@pytest.fixture
def desk(qtbot, tmp_path, pool, rules, monkeypatch):
    monkeypatch.setenv("XINYONG_DB", str(tmp_path / "desk.sqlite3"))

    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.store.db import open_db

    make_app()  # (it names the organisation "xinyong": the test's own settings are chosen after it)
    from tests.app.settings import isolate_settings

    isolate_settings(tmp_path / "settings")

    def build():
        w = MainWindow(open_db(tmp_path / "desk.sqlite3"), rules, "张老师", pool)
        qtbot.addWidget(w)
        w.show()
        return w

    return build


def _confirm_key_facts(w) -> int:
    """Work through the review queue as the instructor does: accept each pending item and move on."""
    n = 0
    while w.next_review() and n < 50:
        assert w.confirm_field()
        n += 1
    return n


def _packet(tmp_path, **kw):
    f = Facts.random(41, decision_date=dt.date.today() - dt.timedelta(days=200),
                     signed_date=dt.date.today() - dt.timedelta(days=2))
    return write_packet(tmp_path / "packet", f, **kw)


def test_review_flow(desk, qtbot, tmp_path):
    w = desk()
    folder = _packet(tmp_path, specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    w.add_packet(folder)
    qtbot.waitUntil(lambda: w.running is None and w.findings.count() > 0, timeout=60000)
    texts = [w.findings.item(i).text() for i in range(w.findings.count())]
    assert any("公章" in t for t in texts)
    assert not w.form.readyButton.isEnabled()
    assert "公章" in w.form.blockLabel.text()
    assert w.tree.topLevelItemCount() >= 7
    # personal data is masked until revealed
    values = [w.tree.topLevelItem(i).child(j).text(1) for i in range(w.tree.topLevelItemCount())
              for j in range(w.tree.topLevelItem(i).childCount())]
    assert any("**********" in v for v in values)
    # keyboard: step through the checklist and the findings
    w._step_tree(1)
    w._step_tree(1)
    assert w.tree.currentItem() is not None
    row = next(i for i in range(w.findings.count()) if "公章" in w.findings.item(i).text())
    w.findings.setCurrentRow(row)
    assert w.override_current("") is False  # a reason is required
    assert not w.form.readyButton.isEnabled()
    assert w.override_current("原件已盖章，扫描时漏扫") is True
    assert not w.form.readyButton.isEnabled()  # the key facts wait for confirmation
    assert _confirm_key_facts(w) >= 5
    assert w.form.readyButton.isEnabled()
    for _ in range(_confirm_key_facts(w) + 20):  # undo back to before the override
        if not any("已忽略" in w.findings.item(i).text() for i in range(w.findings.count())):
            break
        w.undo()
    assert not w.form.readyButton.isEnabled()
    _confirm_key_facts(w)
    w.findings.setCurrentRow(row)
    w.override_current("原件已盖章，扫描时漏扫")
    assert w.mark_ready()
    case_id = w.case_id
    w.close()
    # restart: everything is restored from the database
    w2 = desk()
    assert w2.cases.rowCount() == 1
    assert w2.cases.item(0, 1).text() == "已就绪"
    w2.cases.selectRow(0)
    assert w2.case_id == case_id
    assert any("已忽略" in w2.findings.item(i).text() for i in range(w2.findings.count()))


def test_clean_packet_can_be_marked_ready(desk, qtbot, tmp_path):
    w = desk()
    w.add_packet(_packet(tmp_path))
    qtbot.waitUntil(lambda: w.running is None and w.form.verdictLabel.text() != "尚未检查", timeout=60000)
    assert not w.form.readyButton.isEnabled()  # passed the automatic check: the key facts still wait
    with w.db() as s:
        from xinyong_desktop.store.models import Case

        assert s.get(Case, w.case_id).status == "审核中"
    _confirm_key_facts(w)
    assert w.form.readyButton.isEnabled(), w.form.blockLabel.text()
    # selecting a field shows its page with the evidence box
    w._step_tree(1)
    w._step_tree(1)
    qtbot.waitUntil(lambda: bool(w.view.scene().items()), timeout=10000)  # drawn in a worker


def test_forms_from_the_case(desk, qtbot, tmp_path):
    w = desk()
    w.headless = True
    w.add_packet(_packet(tmp_path))
    qtbot.waitUntil(lambda: w.running is None and w.last_result is not None, timeout=60000)
    w.make_forms(tmp_path / "forms")
    qtbot.waitUntil(lambda: w.running is None and bool(getattr(w, "last_forms", None)), timeout=60000)
    assert (tmp_path / "forms" / "00_审核意见表.pdf").exists()
    w.last_forms = None
    w.make_notice(tmp_path / "forms" / "告知单.pdf")
    qtbot.waitUntil(lambda: w.running is None and bool(getattr(w, "last_forms", None)), timeout=60000)
    assert (tmp_path / "forms" / "告知单.pdf").exists()


def test_correct_a_value_and_the_finding_disappears(desk, qtbot, tmp_path):
    from dataclasses import replace

    f = Facts.random(41, decision_date=dt.date.today() - dt.timedelta(days=200),
                     signed_date=dt.date.today() - dt.timedelta(days=2))
    other = Facts.random(42).uscc
    folder = write_packet(tmp_path / "packet", f,
                          specs={"commitment_letter": Spec("commitment_letter", facts=replace(f, uscc=other))})
    w = desk()
    w.add_packet(folder)
    qtbot.waitUntil(lambda: w.running is None and w.last_result is not None, timeout=60000)
    assert not w.form.readyButton.isEnabled()
    assert "统一社会信用代码" in w.form.blockLabel.text()
    select_field(w, "信用修复承诺书", "统一社会信用代码")
    assert w.correct_field(f.uscc)
    assert "统一社会信用代码" not in "".join(w.findings.item(i).text() for i in range(w.findings.count())
                                         if w.findings.item(i).text().startswith("[错误]"))
    assert "已更正（张老师）" in select_field(w, "信用修复承诺书", "统一社会信用代码").text(3)
    w.undo()
    assert not w.form.readyButton.isEnabled()
    assert any(w.findings.item(i).text().startswith("[错误]") and "统一社会信用代码" in w.findings.item(i).text()
               for i in range(w.findings.count()))
    # confirming a value is recorded and shown, and changes no verdict
    select_field(w, "信用修复申请书", "单位名称")
    assert w.confirm_field()
    assert "已确认（张老师）" in select_field(w, "信用修复申请书", "单位名称").text(3)
    # marking a seal as seen
    select_field(w, "信用修复申请书", "公章")
    assert w.mark_seen()
    # calling the commitment letter something else makes it missing (信用中国 needs no 申请书 by default)
    select_field(w, "信用修复承诺书", "单位名称")
    assert w.change_kind("other")
    assert any("缺少信用修复承诺书" in w.findings.item(i).text() for i in range(w.findings.count()))


def test_export_ready_cases_and_verify(desk, qtbot, tmp_path):
    w = desk()
    w.headless = True
    w.add_packet(_packet(tmp_path))
    qtbot.waitUntil(lambda: w.running is None and w.tree.topLevelItemCount() > 0, timeout=60000)
    _confirm_key_facts(w)
    assert w.mark_ready()
    w.export_ready(tmp_path / "usb")
    qtbot.waitUntil(lambda: w.running is None and getattr(w, "last_export", None) is not None, timeout=60000)
    assert len(w.last_export.exported) == 1
    assert w.cases.item(0, 1).text() == "已导出"
    reports = w.verify_export(tmp_path / "usb")
    assert reports and all(r.ok for r in reports)


def test_class_board_from_a_roster(desk, qtbot, tmp_path):
    from tests.rostergen import make_rows, write_xlsx

    rows = make_rows(20, seed=21, start=dt.date.today() - dt.timedelta(days=800), span_days=780)
    rows[0].decision_date = dt.date.today() - dt.timedelta(days=100)
    for r in rows[1:3]:  # three still-published records of one enterprise within months: 高频失信
        r.name, r.uscc = rows[0].name, rows[0].uscc
        r.decision_date = rows[0].decision_date + dt.timedelta(days=30 * (rows.index(r)))
    roster_file = write_xlsx(tmp_path / "名单.xlsx", rows, extra=[[99, "坏行公司", "123", "常市监处罚〔2024〕1号", "x", "一般"]])
    w = desk()
    cid = w.new_class("2026年第5期信用修复培训班", dt.date(2026, 11, 25), "常州市信用办", "张老师")
    w.import_roster([roster_file])
    qtbot.waitUntil(lambda: w.running is None and w.board.tables["eligible"].rowCount()
                    + w.board.tables["not_yet"].rowCount() + w.board.tables["soon"].rowCount()
                    + w.board.tables["withdrawn"].rowCount() == 20, timeout=20000)
    assert w.tabs.currentIndex() == 1
    titles = [w.board.tabs.tabText(i) for i in range(4)]
    assert titles[0].startswith("现在可申请（") and "天内可申请" in titles[1]
    assert w.board.tabs.tabToolTip(0) == "现在可以申请修复"  # the full title
    box = w.roster_errors_box  # the doubtful row is imported and said to need a look: no warning, no "未导入"
    assert box.windowTitle() == "名单已导入" and "1 行已导入，但有内容需核对" in box.text()
    assert "没有导入" not in box.text() and box.icon() == box.Icon.Information
    assert "已导入、需核对的行" in box.detailedText() and "统一社会信用代码" in box.detailedText()
    hf_rows = [t.item(r, 0).text() for t in w.board.tables.values() for r in range(t.rowCount())
               if t.item(r, 7).text() == "本办预警"]  # the board names the flag that fired
    assert hf_rows.count(rows[0].name) == 3
    assert w.cases.rowCount() == 21  # one case per record (the doubtful row too), named after the enterprise
    assert w.board.tables["incomplete"].rowCount() == 1  # its date "x" is missing: marked, not rejected
    # importing again adds nothing
    w.import_roster([roster_file])
    qtbot.waitUntil(lambda: w.running is None, timeout=20000)
    assert w.cases.rowCount() == 21
    # double-click a board row → its case in the review tab
    t = w.board.tables["eligible"] if w.board.tables["eligible"].rowCount() else w.board.tables["not_yet"]
    case_id = t.item(0, 0).data(0x0100)
    w.board.openCase.emit(case_id)
    assert w.tabs.currentIndex() == 0 and w.case_id == case_id
    # the Excel lists
    out = w.export_board(tmp_path / "清单.xlsx")
    assert out.exists()
    # the class survives a restart and is the one shown
    w.close()
    w2 = desk()
    assert w2.training_class == cid and w2.cases.rowCount() == 21


def test_follow_up_letters_and_summary_from_the_desk(desk, qtbot, tmp_path):
    import pdfplumber

    from tests.rostergen import make_rows, write_csv

    rows = make_rows(6, seed=44, start=dt.date.today() - dt.timedelta(days=300), span_days=200)
    w = desk()
    w.headless = True
    w.new_class("第6期", dt.date.today(), "常州", "张老师")
    w.import_roster([write_csv(tmp_path / "r.csv", rows)])
    qtbot.waitUntil(lambda: w.running is None and w.cases.rowCount() == 6, timeout=20000)
    w.make_letters(tmp_path / "letters")
    qtbot.waitUntil(lambda: w.running is None, timeout=30000)
    assert len(list((tmp_path / "letters").glob("全部_*.pdf"))) == 1
    w.make_guides(tmp_path / "guides")
    qtbot.waitUntil(lambda: w.running is None, timeout=30000)
    assert len(list((tmp_path / "guides").glob("*.pdf"))) == 7
    # follow-up on the first case: not exportable before it is ready, then submitted, returned, passed
    w.open_case(w.cases.item(0, 0).data(0x0100))
    assert not w.record_submission("CX1")
    from xinyong_desktop.services.classes import set_status
    from xinyong_desktop.store.models import Case

    with w.db() as s, s.begin():
        c = s.get(Case, w.case_id)
        set_status(s, c, "已就绪", "张老师")
        set_status(s, c, "已导出", "张老师")
    assert not w.record_submission("CX2026112500001")  # written behind the desk's view: refused, read again
    assert "另一台电脑" in w.statusBar().currentMessage() and w.ctl.current.status == "已导出"
    assert w.record_submission("CX2026112500001")
    assert not w.record_outcome("退回", "")  # a return needs the portal's reason
    assert w.record_outcome("退回", "承诺书未盖章")
    assert "承诺书未盖章" in w.form.verdictLabel.text()
    assert w.cases.item(0, 1).text() == "需补正"
    assert w.make_certificate(tmp_path / "c.pdf") is None  # not repaired yet
    with w.db() as s, s.begin():
        c = s.get(Case, w.case_id)
        set_status(s, c, "已就绪", "张老师")
        set_status(s, c, "已导出", "张老师")
    w.ctl.case_changed(w.case_id)  # (the desk reads the case again, as when it is selected anew)
    assert w.record_submission("CX2026112500002") and w.record_outcome("已通过", "")
    cert = w.make_certificate(tmp_path / "c.pdf")
    with pdfplumber.open(cert) as pdf:
        assert "CX2026112500002" in pdf.pages[0].extract_text().replace("\n", "")
    assert w.make_deletion_letter(tmp_path / "d.pdf", "某信用服务公司").exists()
    summary = w.make_summary(tmp_path / "s.pdf")
    with pdfplumber.open(summary) as pdf:
        text = pdf.pages[0].extract_text()
    assert "第6期" in text and "已修复" in text


def test_screenshot_hook(tmp_path):
    """`gui --open DIR --screenshot FILE --as-of DATE` checks the packet, saves the window and exits 0."""
    import os
    import subprocess
    import sys

    f = Facts.random(43, decision_date=dt.date(2024, 1, 10), signed_date=dt.date(2024, 6, 1))
    folder = write_packet(tmp_path / "packet", f)
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XINYONG_DB": str(tmp_path / "hook.sqlite3")}
    run = subprocess.run([sys.executable, "-m", "xinyong_desktop", "gui", "--open", str(folder), "--screenshot",
                          str(shot), "--as-of", "2024-06-10"], env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, (run.returncode, run.stdout, run.stderr)
    from PySide6.QtGui import QImage

    img = QImage(str(shot))
    assert img.width() >= 1200 and img.height() >= 700
    from xinyong_desktop.store.db import open_db
    from xinyong_desktop.store.models import Case

    with open_db(tmp_path / "hook.sqlite3")() as s:  # the window waited for the check, made as of that date
        case = s.query(Case).one()
        assert case.checked_at is not None and case.as_of == dt.date(2024, 6, 10) and case.materials
    bad = subprocess.run([sys.executable, "-m", "xinyong_desktop", "gui", "--open", str(tmp_path / "nope"),
                          "--screenshot", str(shot)], env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "找不到" in bad.stderr


def test_backup_restore_and_purge_from_the_desk(desk, qtbot, tmp_path, monkeypatch):
    from tests.rostergen import make_rows, write_csv
    from xinyong_desktop.store import backup

    w = desk()
    w.db_path = tmp_path / "desk.sqlite3"
    w.new_class("第7期", dt.date.today(), "常州", "张老师")
    first = w.backup_now()
    assert first is not None and first.exists()
    w.import_roster([write_csv(tmp_path / "r.csv", make_rows(4, seed=5))])
    qtbot.waitUntil(lambda: w.running is None and w.cases.rowCount() == 4, timeout=20000)
    assert w.restore_backup(first, confirm=False)
    assert w.cases.rowCount() == 0  # back to before the import
    assert any(b.reason == "before-restore" for b in backup.list_backups(w.db_path))
    assert w.purge_personal_data(confirm=False)
    assert "已清除个人信息" in w.statusBar().currentMessage()


def test_unexpected_error_shows_a_chinese_dialog_with_the_log(monkeypatch, tmp_path):
    import sys

    from PySide6.QtWidgets import QMessageBox

    from xinyong_desktop.app import main as app_main

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: shown.append(a)))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    log = tmp_path / "x.log"
    app_main.install_crash_dialog(log)
    try:
        raise RuntimeError("internal English detail")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    # Chinese, names the kind of error and the log; the exception's own (English) text stays in the log
    assert shown and "RuntimeError" in shown[0][2] and str(log) in shown[0][2] and "已保存" in shown[0][2]
    assert "internal English detail" not in shown[0][2]


def test_second_start_brings_the_first_forward(tmp_path):
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XINYONG_DB": str(tmp_path / "one.sqlite3"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data")}
    from xinyong_desktop.store.db import open_db

    open_db(tmp_path / "one.sqlite3").kw["bind"].dispose()  # an existing database: backed up at start-up
    first = subprocess.Popen([sys.executable, "-m", "xinyong_desktop"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        import tempfile

        from xinyong_desktop.app.main import instance_key

        # the first one listens on a local socket once its window is up (slow on a loaded machine): wait for it,
        # so that the second start is a second start and not a first one
        sock = Path(tempfile.gettempdir()) / instance_key(tmp_path / "one.sqlite3")
        deadline = time.time() + 90
        while time.time() < deadline and not sock.exists() and first.poll() is None:
            time.sleep(0.2)
        assert sock.exists(), first.communicate(timeout=5) if first.poll() is not None else "no socket"
        second = subprocess.run([sys.executable, "-m", "xinyong_desktop"], env=env, capture_output=True,
                                text=True, timeout=60)
        assert second is not None and second.returncode == 0 and "已在运行" in second.stdout
        assert first.poll() is None  # the first one still runs
        backups = list((tmp_path / "backups").glob("one-*-startup.sqlite3"))
        assert len(backups) == 1  # the second start did not open the database
    finally:
        first.terminate()
        first.wait(20)


def test_class_bundle_between_two_desks(desk, qtbot, tmp_path, monkeypatch):
    from tests.rostergen import make_rows, write_csv

    w = desk()
    w.db_path = tmp_path / "desk.sqlite3"
    w.new_class("第8期", dt.date.today(), "常州", "张老师")
    w.import_roster([write_csv(tmp_path / "r.csv", make_rows(5, seed=8))])
    qtbot.waitUntil(lambda: w.running is None and w.cases.rowCount() == 5, timeout=20000)
    bundle = w.export_bundle(tmp_path / "第8期.xybundle")
    w.close()
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.store.db import open_db

    other = MainWindow(open_db(tmp_path / "other.sqlite3"), w.rules, "李老师", w.pool, db_path=tmp_path / "other.sqlite3")
    qtbot.addWidget(other)
    assert other.import_bundle(bundle, into_current=False)  # started off the UI thread (tests/app/test_bundle_import)
    qtbot.waitUntil(lambda: other.running is None, timeout=60000)
    assert other.cases.rowCount() == 5
    assert other.import_bundle(bundle, into_current=True)  # again into the same class: merged, nothing added
    qtbot.waitUntil(lambda: other.running is None, timeout=60000)
    assert other.cases.rowCount() == 5
    bad = tmp_path / "bad.xybundle"
    bad.write_bytes(bundle.read_bytes()[:200])
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: shown.append(a)))
    other.import_bundle(bad, into_current=False)
    qtbot.waitUntil(lambda: other.running is None, timeout=60000)
    assert shown and "没有任何改动" in shown[0][2]


def test_thumbnails_one_per_page_and_click_shows_it(desk, qtbot, tmp_path):
    w = desk()
    w.add_packet(_packet(tmp_path), ask=False)
    qtbot.waitUntil(lambda: w.running is None and w.thumbs.count() > 0, timeout=60000)
    with w.db() as s:
        from xinyong_desktop.store.models import Case

        pages = sum(len(m.pages) for m in s.get(Case, w.case_id).materials)
    assert w.thumbs.count() == pages
    qtbot.waitUntil(lambda: all(not w.thumbs.item(i).icon().isNull() for i in range(w.thumbs.count())), timeout=30000)
    w.thumbs.setCurrentRow(w.thumbs.count() - 1)
    path, page = w.thumbs.item(w.thumbs.count() - 1).data(0x0100)
    assert w.form.pageLabel.text().endswith(f"｜　{path} 第 {page} 页")


def test_materials_appear_while_the_check_runs(desk, qtbot, tmp_path):
    w = desk()
    arrived = []
    real = w._material_arrived
    w._material_arrived = lambda cid, m: (arrived.append((w.running is not None, m.kind)), real(cid, m))
    w.add_packet(_packet(tmp_path), ask=False)
    qtbot.waitUntil(lambda: w.running is None and w.findings.count() >= 0 and w.tree.topLevelItemCount() > 0,
                    timeout=60000)
    assert len(arrived) >= 7 and all(running for running, _ in arrived)  # delivered before the check ended


def test_removable_drives_are_listed(tmp_path):
    import subprocess
    import uuid
    from pathlib import Path

    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import removable_volumes

    make_app()
    mnt = Path("/media") / f"xinyong-test-{uuid.uuid4().hex[:6]}"
    try:
        mnt.mkdir(parents=True)
    except OSError:
        pytest.skip("不能在 /media 下创建挂载点")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        mnt.rmdir()
        pytest.skip("无法挂载（需要 root）")
    try:
        roots = [root for root, _name, free in removable_volumes()]
        assert str(mnt) in roots
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
        mnt.rmdir()


def test_a_second_background_operation_is_refused_while_one_runs(desk, qtbot, tmp_path):
    """Checks have their own queue and leave the desk usable: a roster is imported while a packet is read; a second
    operation while one runs is refused with a message, and documents of the case being read wait for it."""
    from tests.rostergen import make_rows, write_csv

    w = desk()
    w.headless = True
    roster = write_csv(tmp_path / "r.csv", make_rows(3, seed=12))
    w.add_packet(_packet(tmp_path), ask=False)
    assert w.running is w.checker and w.running.label == "正在检查材料…"
    w.make_forms(tmp_path / "forms")  # the case being checked: its verdict is about to change
    assert not (tmp_path / "forms").exists() and "正在检查" in w.statusBar().currentMessage()
    w.import_roster([roster])  # goes on beside the check
    op = w._op
    assert op is not None
    w.export_board(tmp_path / "x.xlsx")  # not a background operation: fine
    w.make_letters(tmp_path / "letters")  # a second background operation: refused while the import runs
    assert w._op is op and "正在进行：正在读取名单…" in w.statusBar().currentMessage()
    qtbot.waitUntil(lambda: w.running is None, timeout=60000)
    assert w.cases.rowCount() == 4
