"""Make the README's screenshots: open the desk on a generated packet, wait for the check, grab the window.

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
        w.add_packet(folder)
        while w.running is not None:
            app.processEvents()
            time.sleep(0.05)
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
        w.close()


if __name__ == "__main__":
    main()
