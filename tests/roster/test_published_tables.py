"""Rosters shaped like the 双公示 tables offices really publish: title rows, two-level headers, 被处罚人 /
处罚文号 / 立案时间 / 结案时间, no severity column, no USCC (工商注册号 or nothing), amounts in 万元, a
严重失信主体名单 entry.  Every record must reach the board with its missing facts marked, none rejected."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from tests.packetgen import make_uscc
from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.roster.board import read_rosters

AS_OF = dt.date(2025, 6, 1)


def _xlsx(path, rows_above: list[list], data: list[list], merges: list[tuple[int, int, int, int]] = ()):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows_above + data:
        ws.append(r)
    for m in merges:
        ws.merge_cells(start_row=m[0], start_column=m[1], end_row=m[2], end_column=m[3])
    wb.save(path)
    return path


def test_chengguan_table_without_codes_dates_or_severity(tmp_path):
    """城管 table: 被处罚人, 处罚文号, 立案时间, 结案时间 — no USCC, no decision date, no 失信程度."""
    title = ["常州市某区城市管理局行政处罚案件信息公开（2025年第一季度）"]
    header = ["序号", "被处罚人", "处罚文号", "案由", "处罚结果", "立案时间", "结案时间", "执法单位"]
    data = [
        [1, "常州市某某餐饮店", "常某城管罚字〔2025〕第012号", "未经许可占道经营", "罚款人民币伍佰元整", "2025-01-03",
         "2025-01-20", "某区城管局"],
        [2, "常州某某建材有限公司", "常某城管罚字〔2025〕第013号", "擅自倾倒建筑垃圾", "罚款20000元", "2025-01-05",
         "2025-02-10", "某区城管局"],
        [3, "王某某", "常某城管罚字〔2025〕第014号", "乱张贴", "警告", "2025-02-01", "2025-02-01", "某区城管局"],
    ]
    path = _xlsx(tmp_path / "城管.xlsx", [title], [header] + data, merges=[(1, 1, 1, 8)])
    roster = read_rosters([path], AS_OF)
    assert roster.errors == [] and len(roster.records) == 3
    a, b, c = roster.records
    assert (a.enterprise_name, a.decision_number) == ("常州市某某餐饮店", "常某城管罚字〔2025〕第012号")
    # 结案时间 stands in for the decision date (later, so never early) and says so
    assert a.decision_date == dt.date(2025, 1, 20) and a.date_source == "case_closed"
    assert any("结案时间" in p for p in a.problems)
    assert any("按企业名称匹配" in p for p in a.problems)
    # severity proposed from 处罚结果 and marked 待确认
    assert (b.record_severity, b.severity_source) == (RecordSeverity.GENERAL, "proposed")
    assert (c.record_severity, c.severity_source) == (RecordSeverity.MINOR, "proposed")
    assert "待确认" in b.severity_label
    assert b.eligible_from == dt.date(2025, 5, 11)  # 2025-02-10 + 3 months, the day after
    # 立案时间 is never taken for the decision date
    assert all(r.decision_date != dt.date(2025, 1, 3) for r in roster.records)


def test_shuanggongshi_two_level_header_in_wanyuan(tmp_path):
    """市场监管 双公示 export: title rows, 行政相对人代码 merged over 统一社会信用代码 | 工商注册号, 罚款金额（万元）."""
    rng = random.Random(3)
    u1, u2 = make_uscc(rng), make_uscc(rng)
    above = [["行政处罚信息公示表"], ["填报单位：常州市某区市场监督管理局", None, None, None, None, None, None, None, None,
                                  "导出日期：2025-05-30"]]
    h1 = ["序号", "行政相对人名称", "行政相对人代码", None, "处罚决定书文号", "处罚类别", "处罚内容", "罚款金额（万元）",
          "处罚决定日期", "处罚机关"]
    h2 = [None, None, "统一社会信用代码", "工商注册号", None, None, None, None, None, None]
    data = [
        [1, "常州某某贸易有限公司", u1, "", "常某市监处罚〔2025〕21号", "罚款", "罚款人民币伍仟元", 0.5,
         dt.datetime(2025, 1, 15), "常州市某区市场监督管理局"],
        [2, "常州市某区某某便利店", "", "320412600123456", "常某市监处罚[2025]22号", "警告；罚款", "警告并处罚款", "0.2",
         "2025/02/03", "常州市某区市场监督管理局"],
        [3, "常州某某食品有限公司", u2, "", "常某市监处罚（2025）23号", "吊销营业执照", "吊销营业执照", "",
         "2025年2月20日", "常州市某区市场监督管理局"],
        [4, "某某小吃店", "", "", "常某市监处罚〔2025〕24号", "罚款", "罚款", "1.2", 45730, "常州市某区市场监督管理局"],
    ]
    merges = [(1, 1, 1, 10), (3, 3, 3, 4)] + [(3, c, 4, c) for c in (1, 2, 5, 6, 7, 8, 9, 10)]
    path = _xlsx(tmp_path / "双公示.xlsx", above, [h1, h2] + data, merges)
    roster = read_rosters([path], AS_OF)
    assert roster.errors == [] and len(roster.records) == 4
    r1, r2, r3, r4 = roster.records
    assert [r.row for r in roster.records] == [5, 6, 7, 8]  # the second header row is not a record
    assert (r1.uscc, r1.fine_yuan, r1.decision_date) == (u1, Decimal("5000.00"), dt.date(2025, 1, 15))
    assert r1.problems == ["失信程度按处罚种类和金额建议为“一般”，待确认（以“信用中国”网站显示为准）",
                           "公示平台按处罚机关建议为国家企业信用信息公示系统（2026年4月1日前市场监管部门的处罚在该系统修复），待确认"]
    assert (r1.platform, r1.platform_source, r1.platform_label) == ("necips", "proposed", "国家企业信用信息公示系统（待确认）")
    assert (r2.uscc, r2.registration_number, r2.fine_yuan) == ("", "320412600123456", Decimal("2000.00"))
    assert any("工商注册号" in p for p in r2.problems)
    assert r2.decision_number == "常某市监处罚〔2025〕22号"
    assert r3.record_severity == RecordSeverity.SERIOUS and r3.severity_source == "proposed"
    assert r4.uscc == r4.registration_number == "" and r4.decision_date == dt.date(2025, 3, 14)
    assert any("按企业名称匹配" in p for p in r4.problems)
    assert r4.fine_yuan == Decimal("12000.00")


def test_two_level_header_in_csv_without_merges(tmp_path):
    rng = random.Random(4)
    u = make_uscc(rng)
    text = "\r\n".join([
        "行政处罚决定公示,,,,,",
        "序号,被处罚单位,行政相对人代码,,处罚文号,罚款金额",
        ",,统一社会信用代码,工商注册号,,（万元）",
        f"1,常州某某物流有限公司,{u},,常某交罚〔2025〕5号,3",
    ])
    (tmp_path / "r.csv").write_bytes(text.encode("gbk"))
    roster = read_rosters([tmp_path / "r.csv"], AS_OF)
    assert roster.errors == [] and len(roster.records) == 1
    rec = roster.records[0]
    assert (rec.uscc, rec.decision_number, rec.fine_yuan) == (u, "常某交罚〔2025〕5号", Decimal("30000.00"))
    assert rec.status == "incomplete" and "缺少处罚日期" in rec.problems


def test_serious_dishonesty_listing_is_routed_not_repaired(tmp_path):
    rng = random.Random(5)
    u, v = make_uscc(rng), make_uscc(rng)
    header = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,信息类别,认定单位"
    text = "\r\n".join([
        header,
        f"常州某某化工有限公司,{u},常应急罚〔2024〕9号,2024-09-01,严重失信主体名单,常州市应急管理局",
        f"常州某某化工有限公司,{u},常应急罚〔2024〕10号,2024-10-01,一般,",
        f"常州某某运输有限公司,{v},常交罚〔2024〕11号,2024-10-01,严重,",
    ])
    (tmp_path / "l.csv").write_text(text, encoding="utf-8")
    roster = read_rosters([tmp_path / "l.csv"], AS_OF)
    assert roster.errors == [] and len(roster.records) == 3
    listing, penalty, serious = roster.records
    assert listing.listing and listing.status == "listing" and listing.eligible_from is None
    assert "常州市应急管理局" in listing.route() and "移出" in listing.route()
    assert not penalty.listing and penalty.status == "eligible"
    # Order 58 (2024): no severity classes, 3 months for every penalty outside the five sectors — but a record the
    # portal shows as 严重 waits the serious minimum (1 year) of the rules that class by severity
    assert not serious.listing and serious.record_severity == RecordSeverity.SERIOUS and serious.status == "not_yet"
    lists = roster.lists(30)
    assert lists["listing"] == [listing] and listing not in lists["not_yet"]


def test_national_and_office_flags_say_which_rule_fired(tmp_path):
    rng = random.Random(6)
    many, few = make_uscc(rng), make_uscc(rng)
    lines = ["企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度"]
    for i in range(10):  # ten serious records in 3 years, all still published → national criterion
        lines.append(f"常州某某甲有限公司,{many},常市监处罚〔2024〕{i + 1}号,{dt.date(2023, 1, 5) + dt.timedelta(days=80 * i)},严重")
    for i in range(3):  # three in a year → the office's early warning only
        lines.append(f"常州某某乙有限公司,{few},常市监处罚〔2025〕{i + 1}号,2025-0{i + 1}-10,一般")
    (tmp_path / "h.csv").write_text("\n".join(lines), encoding="utf-8")
    roster = read_rosters([tmp_path / "h.csv"], AS_OF)
    by = {r.uscc: r for r in roster.records}
    assert by[many].high_frequency_rules == ["屡禁不止、屡罚不改（全国）", "本办预警"]
    assert by[few].high_frequency_rules == ["本办预警"]


def test_rows_without_codes_are_matched_to_the_enterprise_by_name(tmp_path):
    rng = random.Random(7)
    u = make_uscc(rng)
    text = "\n".join([
        "被处罚人,统一社会信用代码,处罚文号,处罚决定日期,失信程度",
        f"常州某某五金有限公司,{u},常市监处罚〔2025〕31号,2025-01-10,一般",
        "常州某某五金有限公司,,常城管罚〔2025〕32号,2025-03-10,一般",
        "常州某某五金有限公司（ 无代码 ）,,常城管罚〔2025〕34号,2025-03-12,一般",
        "常州 某某五金有限公司,,常环罚〔2025〕33号,2025-04-10,一般",
    ])
    (tmp_path / "n.csv").write_text(text, encoding="utf-8")
    roster = read_rosters([tmp_path / "n.csv"], AS_OF)
    a, b, other, c = roster.records
    assert b.enterprise_key == c.enterprise_key == a.enterprise_key == u  # spaces in names are noise
    assert other.enterprise_key != u
    assert [r.high_frequency for r in (a, b, other, c)] == [True, True, False, True]
