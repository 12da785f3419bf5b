"""The class's instructor, not the computer's login name, signs: asked once per class, stored on the class, used
for the decisions, the 审核意见表 and the manifest."""
from __future__ import annotations

import datetime as dt
import json

import pdfplumber

from tests.app.dialogs import Driver
from tests.packetgen import Facts, write_packet


def test_the_login_name_never_signs_the_class_instructor_does(qtbot, tmp_path, pool, rules, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtGui import QDesktopServices

    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.services import desk
    from xinyong_desktop.services.review import finding_key
    from xinyong_desktop.store.db import open_db
    from xinyong_desktop.store.models import AuditEvent, Case, Decision, TrainingClass

    QCoreApplication.setOrganizationName("xinyong-test")
    QSettings().clear()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: None))
    make_app()
    db = tmp_path / "desk.sqlite3"
    from tests.app.dialogs import Answers

    ans = Answers()
    ans.text("root").text("王芳")  # the login name is refused in the dialog, a person's name is taken
    w = MainWindow(open_db(db), rules, "root", pool, db_path=db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: ans.done() and w.instructor == "王芳", timeout=10000)
    assert any("登录名" in s.text for s in ans.seen[1:]), ans.seen  # the second asking says why
    do = Driver(w, qtbot)
    do.answers = ans
    with w.db() as s:
        assert s.get(TrainingClass, w.training_class).instructors == "王芳"
    today = dt.date.today()
    facts = Facts.random(81, decision_date=today - dt.timedelta(days=200), signed_date=today - dt.timedelta(days=3))
    w.add_packet(write_packet(tmp_path / "packet", facts), ask=False)
    qtbot.waitUntil(lambda: w.running is None, timeout=60000)
    with w.db() as s, s.begin():  # decide every item through the desk as the window does
        c = s.get(Case, w.case_id)
        for f in desk.case_verdict(s, c).open:
            desk.decide(s, c, "override", finding_key(f.code, f.kind, f.field, f.path), w.instructor, rules, reason="已核")
    for _ in range(40):
        if w.form.readyButton.isEnabled():
            break
        do("下一个待核对项")
        do("确认此值")
    do("标记就绪")
    usb = tmp_path / "usb"
    usb.mkdir()
    ans.file(usb)
    do("导出已就绪的材料包…")
    manifest = json.loads(next(usb.glob("*/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["instructor"] == "王芳"
    with pdfplumber.open(next(usb.glob("*/*审核意见表*.pdf"))) as pdf:
        text = "".join(pg.extract_text() or "" for pg in pdf.pages).replace("\n", "")
    assert "审核人：王芳" in text and "root" not in text
    with w.db() as s:
        assert {d.instructor for d in s.query(Decision)} == {"王芳"}
        assert "root" not in {e.instructor for e in s.query(AuditEvent) if e.action != "create_class"}
    # a second class is asked for its own instructor, once
    def fill_class(d):
        from PySide6.QtWidgets import QLineEdit

        edits = d.findChildren(QLineEdit)
        edits[0].setText("第二期")
        next(e for e in edits if e.text() == "王芳").setText("")  # 讲师 left blank: asked after
    ans.form(fill_class).text("李强")
    do("新建培训班…")
    qtbot.waitUntil(lambda: ans.done() and w.instructor == "李强", timeout=10000)
    do.check_dialogs()
