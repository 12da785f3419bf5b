"""Make the README's screenshots: open the desk on a generated packet, wait for the check, grab the window;
then the automation hook (`xinyong-desktop gui --open … --screenshot …`) on the shared samples at 1600×1000 and
1366×768, once with every check done and once with several packets still in the queue.

python scripts/screenshot.py   (works on the offscreen platform or under Xvfb)
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtCore import QCoreApplication, QTimer

    from tests.packetgen import Facts, Spec, write_packet
    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.intake.sandbox import ParserPool
    from xinyong_desktop.rules.loader import default_rules
    from xinyong_desktop.store.db import open_db

    tmp = Path(tempfile.mkdtemp())
    app = make_app()
    QCoreApplication.setOrganizationName("xinyong-screenshot")
    f = Facts.random(7, decision_date=dt.date.today() - dt.timedelta(days=200), signed_date=dt.date.today())
    folder = write_packet(tmp / "常州企业材料", f, specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    with ParserPool() as pool:
        w = MainWindow(open_db(tmp / "shot.sqlite3"), default_rules(), "张老师", pool)
        w.resize(1500, 900)
        w.show()

        def wait():
            while w.running is not None:
                app.processEvents()
                time.sleep(0.05)

        # a class with its roster; the first enterprise brings its packet
        from tests.rostergen import make_rows, write_xlsx

        rows = make_rows(60, seed=3, start=dt.date.today() - dt.timedelta(days=1000), span_days=990)
        rows[0].name, rows[0].uscc = f.name, f.uscc
        rows[0].normalized_number = rows[0].decision_number = f.decision_number
        rows[0].decision_date, rows[0].severity = f.decision_date, "general"
        for k, r in enumerate(rows[5:8]):
            r.name, r.uscc = rows[4].name, rows[4].uscc
            r.decision_date = rows[4].decision_date + dt.timedelta(days=40 * (k + 1))
        w.new_class("2026年第5期信用修复培训班", dt.date.today(), "常州市信用办三楼培训室", "张老师、李老师")
        w.import_roster([write_xlsx(tmp / "处罚名单.xlsx", rows)])
        wait()
        if w.roster_errors_box is not None:
            w.roster_errors_box.close()
        w.open_case(w.cases.item(0, 0).data(0x0100))
        w.add_packet(folder)
        wait()
        w._step_tree(1)
        w._step_tree(1)
        w._step_tree(1)
        row = next(i for i in range(w.findings.count()) if "公章" in w.findings.item(i).text())
        w.findings.setCurrentRow(row)
        w._step_tree(0)
        QTimer.singleShot(300, app.quit)
        app.exec()
        out = ROOT / "docs" / "screenshots" / "review.png"
        w.grab().save(str(out))
        print(out)
        w.tabs.setCurrentIndex(1)
        QTimer.singleShot(300, app.quit)
        app.exec()
        out = ROOT / "docs" / "screenshots" / "board.png"
        w.grab().save(str(out))
        print(out)
        w.tabs.setCurrentIndex(0)
        # the dialogs in Chinese (Qt's own buttons translated): purge asks for the class's name typed in,
        # removing a case asks yes/no
        shots = iter([ROOT / "docs" / "screenshots" / "dialog-purge.png",
                      ROOT / "docs" / "screenshots" / "dialog-remove.png"])

        def grab_dialog() -> None:
            from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

            d = QApplication.activeModalWidget()
            if d is None:
                QTimer.singleShot(100, grab_dialog)
                return
            out = next(shots)
            d.grab().save(str(out))
            print(out)
            d.reject() if isinstance(d, QDialog) and not isinstance(d, QMessageBox) else \
                d.button(QMessageBox.StandardButton.No).click()

        QTimer.singleShot(300, grab_dialog)
        w.purge_personal_data()
        QTimer.singleShot(300, grab_dialog)
        w.remove_case()
        w.close()


HOOK_SHOTS = [  # (file, size, packets, while checking)
    ("hook-p003.png", "1600x1000", ["p003"], False),
    ("review-1366.png", "1366x768", ["p003"], False),
    ("queue-1600.png", "1600x1000", ["p003", "p006", "p002", "p004", "p005"], True),
    ("queue-1366.png", "1366x768", ["p003", "p006", "p002", "p004", "p005"], True),
]


def hook_shots() -> None:
    """The pictures the hook makes, as a user would ask for them (a throw-away database each time)."""
    import subprocess

    samples = ROOT.parent / "shared" / "samples"
    if not samples.is_dir():
        print(f"（跳过：找不到 {samples}）")
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("XINYONG_DB", None)
    for name, size, packets, while_checking in HOOK_SHOTS:
        cmd = [sys.executable, "-m", "xinyong_desktop", "gui", "--open",
               *[str(samples / p / "packet") for p in packets], "--screenshot", str(ROOT / "docs" / "screenshots" / name),
               "--size", size, "--as-of", "2023-06-10"] + (["--while-checking"] if while_checking else [])
        subprocess.run(cmd, env=env, check=True, timeout=600)


if __name__ == "__main__":
    main()
    hook_shots()
