"""The desk turns errors into dialogs in one place (app.main.show_error): Chinese text from the error
hierarchy, never a traceback, the system's English errno text or SQL; the log keeps the details, masked."""
from __future__ import annotations

import datetime as dt
import re

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.packetgen import Facts, write_packet  # noqa: E402

ENGLISH = re.compile(r"Traceback|Errno|Error|denied|exists|INSERT|SELECT|parameters")


@pytest.fixture
def window(qtbot, tmp_path, pool, rules, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.logs import setup_logging
    from xinyong_desktop.store.db import open_db

    make_app()  # (it names the organisation "xinyong": the test's own settings are chosen after it)
    from tests.app.settings import isolate_settings

    isolate_settings(tmp_path / "settings")
    log = setup_logging(tmp_path / "desk.log")
    w = MainWindow(open_db(tmp_path / "desk.sqlite3"), rules, "张老师", pool, log_path=log)
    qtbot.addWidget(w)
    w.show()
    return w, log


def _dialogs(monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(lambda *a, k=kind, **kw: shown.append((k, a[2]))))
    return shown


def _trigger(w, text: str) -> None:
    from PySide6.QtGui import QAction

    next(a for a in w.findChildren(QAction) if a.text() == text).trigger()


def test_forms_into_a_file_instead_of_a_folder(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from xinyong_desktop.app import strings as S

    w, log = window
    f = Facts.random(43, decision_date=dt.date.today() - dt.timedelta(days=200),
                     signed_date=dt.date.today() - dt.timedelta(days=2))
    w.add_packet(write_packet(tmp_path / "packet", f), ask=False)
    qtbot.waitUntil(lambda: w.running is None and w.last_result is not None, timeout=60000)
    blocker = tmp_path / "不是文件夹.txt"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(blocker)))
    shown = _dialogs(monkeypatch)
    _trigger(w, S.MAKE_FORMS)  # 文件 → 生成预填材料和审核意见表… (Ctrl+G), the user answers with a file
    qtbot.waitUntil(lambda: w.running is None and bool(shown), timeout=60000)
    kind, text = shown[0]
    assert kind == "warning"  # something the user can fix, not a crash
    assert "不是文件夹" in text and str(log) in text and not ENGLISH.search(text), text
    assert blocker.read_text(encoding="utf-8") == "x"


def test_database_error_dialog_and_log_carry_no_id_number(window, monkeypatch):
    """An unexpected database error reaches the crash hook: the dialog is Chinese without SQL, the log has the
    traceback without the ID number that was being written."""
    import sys

    from sqlalchemy.exc import IntegrityError

    from xinyong_desktop.app import main as app_main
    from xinyong_desktop.store.models import Decision

    w, log = window
    shown = _dialogs(monkeypatch)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app_main.install_crash_dialog(log)
    id_number = "32040219850312461X"
    try:
        with w.db() as s, s.begin():  # a decision for a case that does not exist: foreign key refused
            s.add(Decision(case_id=987654, action="correct", target="field:id_number", value=id_number,
                           reason="", instructor="张老师"))
    except IntegrityError:
        sys.excepthook(*sys.exc_info())
    else:
        raise AssertionError("the database accepted a decision for a missing case")
    kind, text = shown[0]
    assert kind == "critical" and "数据库" in text and str(log) in text
    assert not ENGLISH.search(text) and id_number not in text
    for h in __import__("logging").getLogger().handlers:
        h.flush()
    logged = log.read_text(encoding="utf-8")
    assert "IntegrityError" in logged and "FOREIGN KEY" in logged  # the details are there for support …
    assert id_number not in logged and id_number[:-4] not in logged  # … the ID number is not
