"""Screenshots of the follow-up window for the README (docs/screenshots/follow-up.png, register.png), from a
generated roster in a throw-away database:  QT_QPA_PLATFORM=offscreen python scripts/screenshot_follow_up.py"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2026, 12, 2)
ROWS = [
    "常州甲有限公司,,常环罚〔2026〕1号,2026-09-10,一般,常州市生态环境局,信用中国",
    "常州乙有限公司,,常环罚〔2026〕2号,2026-05-10,一般,常州市生态环境局,信用中国",
    "常州丙有限公司,,常税稽罚〔2026〕3号,2026-04-20,严重,国家税务总局常州市税务局稽查局,信用中国",
    "常州丁有限公司,,常应急罚〔2025〕4号,2025-06-05,一般,常州市应急管理局,信用中国",
    "常州戊有限公司,,常市监处罚〔2025〕5号,2025-07-15,,常州市市场监督管理局,",
]


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from xinyong_desktop.app.follow_up_window import FollowUpWindow
    from xinyong_desktop.roster.board import read_rosters
    from xinyong_desktop.rules.loader import default_roster_rules, default_rules
    from xinyong_desktop.services import follow_up as fu
    from xinyong_desktop.services.classes import import_roster, roster_of_class
    from xinyong_desktop.store import repo
    from xinyong_desktop.store.db import open_db
    from xinyong_desktop.store.models import Case

    app = QApplication.instance() or QApplication(sys.argv)
    rules = default_rules()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "名单.csv"
        csv.write_text("\n".join(["企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度,处罚机关,公示平台"] + ROWS),
                       encoding="utf-8")
        db = open_db(Path(tmp) / "s.sqlite3")
        with db() as s, s.begin():
            tc = repo.create_class(s, "2026年第9期", AS_OF, "常州市信用服务中心")
            import_roster(s, tc.id, read_rosters([csv], AS_OF), "张老师")
            cid = tc.id
            roster = roster_of_class(s, cid, AS_OF, rules)
            rows = {r.record.decision_number: r for r in fu.follow_up_list(s, roster)}
            b, c = rows["常环罚〔2026〕2号"], rows["常税稽罚〔2026〕3号"]
            fu.record_step(s, b.record_id, "reminder", dt.date(2026, 5, 12), "两书同达", "已签收", "张老师")
            fu.record_step(s, b.record_id, "urge1", dt.date(2026, 8, 11), "政企通", "已阅", "张老师")
            fu.record_step(s, b.record_id, "urge2", dt.date(2026, 9, 10), "电话", "企业表示月底申请", "张老师")
            fu.record_step(s, c.record_id, "reminder", dt.date(2026, 4, 22), "两书同达", "已签收", "张老师")
            case = s.query(Case).filter(Case.record_id == b.record_id).one()
            case.status, case.submitted_on, case.query_code = "已提交", dt.date(2026, 11, 13), "CX2026111300017"
            fu.register_document(s, "certificate", dt.date(2026, 11, 20), "常州乙有限公司（招投标用）", b.record,
                                 "张老师")
            fu.register_document(s, "deletion_letter", dt.date(2026, 11, 20), "常州乙有限公司", b.record, "张老师",
                                 third_party="某信用服务公司")

        def roster_at(day):
            with db() as s:
                return roster_of_class(s, cid, day, rules)

        w = FollowUpWindow(db, cid, roster_at, AS_OF, "张老师", default_roster_rules().channels)
        w.resize(1180, 520)
        w.show()
        app.processEvents()
        out = ROOT / "docs" / "screenshots"
        w.grab().save(str(out / "follow-up.png"))
        w.tabs.setCurrentIndex(2)
        app.processEvents()
        w.grab().save(str(out / "register.png"))
        w.hide()
    print(out / "follow-up.png", out / "register.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
