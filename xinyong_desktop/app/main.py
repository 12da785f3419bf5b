"""Start the Qt review desk: application, bundled CJK font, database, main window."""
from __future__ import annotations

import getpass
import sys


def make_app():
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    from xinyong_desktop.resources import font_path

    # background checks run Python in a worker thread: hand the GIL back to the UI thread more often
    sys.setswitchinterval(0.001)
    from PySide6.QtCore import QCoreApplication, Qt

    if sys.platform != "win32":  # Qt's own file dialogs, translated below, instead of an English desktop's
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName("xinyong")
    app.setApplicationName("xinyong-desktop")
    install_chinese(app)
    fid = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    if families:  # Chinese never shows as boxes, even where the laptop has no CJK font
        app.setFont(QFont(families[0], 10))
    from xinyong_desktop.resources import fallback_font_path

    extb = fallback_font_path()
    if extb is not None:  # rare characters (Ext-B) in names: Qt falls back to it per glyph
        QFontDatabase.addApplicationFont(str(extb))
    return app


def install_chinese(app) -> bool:
    """Qt's own strings (OK/Cancel, Yes/No, the file dialog, context menus) in Chinese, from the qtbase_zh_CN
    catalogue that ships inside the PySide6 wheel; dates and numbers in the Chinese locale."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if getattr(app, "_xinyong_translator", None) is not None:
        return True
    tr = QTranslator(app)
    if not tr.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return False
    app.installTranslator(tr)
    # Qt 6 gave two file-dialog labels a mnemonic ("&Look in:") that the catalogue has without one: ours adds them
    from xinyong_desktop.resources import resource_path

    extra = QTranslator(app)
    if extra.load(str(resource_path("i18n", "xinyong_qt_zh_CN.qm"))):
        app.installTranslator(extra)
    app._xinyong_translator = (tr, extra)  # kept alive with the application
    return True


def setup_logging():
    """A rotating log in the user's log directory, ID and phone numbers masked (`xinyong_desktop.logs`)."""
    from xinyong_desktop.logs import setup_logging as setup

    return setup()


def show_error(parent, exc: BaseException, log_path=None) -> None:
    """The one place the desk turns an exception into a dialog: the Chinese message of the error hierarchy
    (`errors.user_message`: never a traceback, SQL or English errno text).  An error of the hierarchy or of
    the file system is something the user can act on (a warning); anything else is logged with its traceback (redacted) and
    shown as an unexpected error that lost nothing that was saved."""
    import logging

    from PySide6.QtWidgets import QMessageBox

    from xinyong_desktop.app import strings as S
    from xinyong_desktop.errors import XinyongError, user_message

    log = str(log_path) if log_path else "（未启用日志）"
    if isinstance(exc, XinyongError | OSError):  # a file that cannot be written is not a crash either
        logging.getLogger("xinyong").warning("操作未完成：%s", user_message(exc))
        QMessageBox.warning(parent, S.ERROR_TITLE, S.ERROR_TEXT.format(err=user_message(exc), log=log))
        return
    logging.getLogger("xinyong").error("未处理的错误", exc_info=(type(exc), exc, exc.__traceback__))
    QMessageBox.critical(parent, S.ERROR_TITLE, S.CRASH_TEXT.format(err=user_message(exc), log=log))


def install_crash_dialog(log_path) -> None:
    """An unexpected error is logged and shown in Chinese — what was saved and where the log is — never a
    silent exit.  The window stays usable."""

    def hook(exc_type, exc, tb):
        try:
            show_error(None, exc.with_traceback(tb), log_path)
        except Exception:  # noqa: BLE001 - the dialog itself must never take the app down
            pass

    sys.excepthook = hook


def instance_key(db_target) -> str:
    import hashlib

    return "xinyong-desktop-" + hashlib.sha1(f"{getpass.getuser()}|{db_target}".encode()).hexdigest()[:16]


def forward_to_running(key: str) -> bool:
    """True when another instance runs on this database: it was asked to come forward."""
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(key)
    if not sock.waitForConnected(500):
        return False
    sock.write(b"raise\n")
    sock.flush()
    sock.waitForBytesWritten(500)
    sock.disconnectFromServer()
    return True


def serve_instance(key: str, window=None):
    """Listen for later starts and bring the window forward when one knocks.  Called before the window is
    built (so a second start a moment later finds this one); `server.window` is set once it exists."""
    from PySide6.QtNetwork import QLocalServer

    server = QLocalServer(window)
    server.window = window  # type: ignore[attr-defined]  # the window to raise, set once it exists
    QLocalServer.removeServer(key)  # a stale socket left by a killed instance
    server.listen(key)

    def knock() -> None:
        conn = server.nextPendingConnection()
        if conn is not None:
            conn.readyRead.connect(conn.readAll)
            conn.disconnected.connect(conn.deleteLater)
        win = getattr(server, "window", None)
        if win is not None:
            win.showNormal()
            win.raise_()
            win.activateWindow()

    server.newConnection.connect(knock)
    return server


def run_gui(open_dir=None, screenshot=None, as_of=None, size=(1600, 1000), while_checking=False) -> int:
    """The desk.  With open_dir (one folder or several) the packets are added and queued for checking; with
    screenshot the window (size wide and high) is saved to that file once the checks are done — or, with
    while_checking, once the first is done and the others still wait — and the app exits (automation hook for
    tests and the README's pictures).  A screenshot run uses a throw-away database unless XINYONG_DB names one."""
    import os
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QTimer

    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.intake.sandbox import ParserPool
    from xinyong_desktop.rules.loader import default_rules
    from xinyong_desktop.store.db import database_url, default_db_path, open_db

    app = make_app()
    if screenshot is not None:  # a picture of a fresh desk: not this computer's window sizes and folders
        from PySide6.QtCore import QSettings

        app.setOrganizationName("xinyong-screenshot")
        QSettings().clear()
    log_path = setup_logging()
    install_crash_dialog(log_path)
    tmp = None
    db_path = None
    if screenshot is not None and not os.environ.get("XINYONG_DB"):
        tmp = tempfile.TemporaryDirectory()
        db_path = Path(tmp.name) / "screenshot.sqlite3"
    url = None if db_path else database_url()
    db_path = None if url else (db_path or default_db_path())
    key = instance_key(url or db_path)
    if screenshot is None and forward_to_running(key):
        print("审核台已在运行，已切换到该窗口。")
        return 0
    server = serve_instance(key) if screenshot is None else None  # claimed at once: a second start finds it
    if db_path is not None and screenshot is None:
        from xinyong_desktop.store.backup import make_backup

        make_backup(db_path, "startup")
    pool = ParserPool()
    try:
        win = MainWindow(open_db(url or db_path), default_rules(), getpass.getuser(), pool, as_of=as_of,
                         db_path=db_path, log_path=log_path)
        if server is not None:
            server.window = win
            server.setParent(win)
            win.instance_server = server
        if screenshot is not None:
            win.headless = True
            win.resize(*size)
            win.show()
        else:
            win.open_window()
        status: dict[str, int] = {"code": 0}
        folders = [open_dir] if isinstance(open_dir, str | Path) else list(open_dir or [])
        first_case = None
        for folder in folders:
            win.ctl.select_case(None)  # each packet its own case
            cid = win.add_packet(Path(folder).resolve(), ask=False)
            first_case = first_case if first_case is not None else cid
        if first_case is not None and first_case > 0:
            win.open_case(first_case)
        if screenshot is not None:
            import time

            started = time.monotonic()

            def thumbnails_drawn() -> bool:
                return all(not win.thumbs.item(i).icon().isNull() for i in range(win.thumbs.count()))

            def checks_done() -> bool:
                if while_checking:  # the first packet read, the others still in the queue
                    return first_case is None or not win.checks.active(first_case)
                return win.running is None

            def grab_when_done() -> None:
                # the checks and then the page thumbnails (rendered in a worker) are done; 60 s at most for those
                if not checks_done() or (not thumbnails_drawn() and time.monotonic() - started < 60):
                    QTimer.singleShot(100, grab_when_done)
                    return
                if not status.get("selected"):
                    status["selected"] = 1
                    if win.queue.count():
                        win.next_review()  # the first item to review, its page and its evidence shown
                    else:
                        win._step_tree(1)
                if win._want_page != win._page_key and time.monotonic() - started < 90:
                    QTimer.singleShot(100, grab_when_done)  # the page is drawn in a worker: wait for it
                    return
                app.processEvents()
                ok = win.grab().save(str(screenshot))
                status["code"] = 0 if ok else 1
                print(screenshot if ok else f"无法保存截图：{screenshot}")
                win.close()
                app.quit()

            QTimer.singleShot(200, grab_when_done)
        else:
            QTimer.singleShot(300, pool.warm)  # parser processes start while the instructor looks at the window
        code = app.exec()
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(10_000)  # no worker may outlive the objects it reports to
        return status["code"] or code
    finally:
        pool.close()
        if tmp is not None:
            tmp.cleanup()
