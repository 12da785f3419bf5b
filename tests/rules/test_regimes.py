"""Both rule regimes, record by record (issue 22): Order 58 (2023-05-01 → 2026-03-31, no severity classes) and
Order 36 (from 2026-04-01), the transition setting, severities unknown / proposed / given, NECIPS in full,
名单 before and after 2026-04-01, the national 高频失信 flag counting listings."""
from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest

from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.resources import resource_path
from xinyong_desktop.roster.board import read_rosters
from xinyong_desktop.rules.assess import RecordFacts, assess
from xinyong_desktop.rules.loader import load_rules

D = dt.date.fromisoformat
MINOR, GENERAL, SERIOUS = RecordSeverity.MINOR, RecordSeverity.GENERAL, RecordSeverity.SERIOUS
TODAY = D("2026-12-02")
PORTAL = "以“信用中国”网站显示为准"


# ------------------------------------------------------------------ 信用中国 across 2026-04-01
@pytest.mark.parametrize("decision,severity,text,eligible,withdrawn,status,differs", [
    # Order 58: every penalty 3 months / 3 years, whatever the severity; the Order 36 maximum (1 year for 一般)
    # is only a note — a 一般 record of 2025 is still published in December 2026 and still gets its letter
    ("2025-06-30", GENERAL, "", "2025-10-01", "2028-07-01", "eligible", True),
    # a record the portal shows as 严重: its serious minimum (1 year) is the later date and the one given
    ("2025-06-30", SERIOUS, "", "2026-07-01", "2028-07-01", "eligible", True),
    ("2025-06-30", MINOR, "", "2025-10-01", "2028-07-01", "eligible", True),  # no 轻微 class under Order 58
    # the five sectors: 1 year minimum under Order 58
    ("2025-06-30", GENERAL, "常州市某区市场监督管理局 食品安全", "2026-07-01", "2028-07-01", "eligible", True),
    ("2026-03-31", GENERAL, "常州市消防救援支队", "2027-04-01", "2029-04-01", "not_yet", True),
    ("2026-03-31", SERIOUS, "常州市应急管理局 安全生产", "2027-04-01", "2029-04-01", "not_yet", False),
    ("2026-03-31", GENERAL, "常州市生态环境局", "2026-07-01", "2029-04-01", "eligible", True),
    # Order 36 from 2026-04-01: by severity; 轻微 in principle not published
    ("2026-04-01", GENERAL, "", "2026-07-02", "2027-04-02", "eligible", False),
    ("2026-04-01", SERIOUS, "", "2027-04-02", "2029-04-02", "not_yet", False),
    ("2026-04-01", MINOR, "", "2026-04-01", "2026-07-02", "minor_unpublished", False),
    ("2026-04-01", GENERAL, "常州市消防救援支队", "2026-07-02", "2027-04-02", "eligible", False),  # no sectors
])
def test_creditchina_table(rules, decision, severity, text, eligible, withdrawn, status, differs):
    a = assess(rules, RecordFacts(D(decision), severity, text=text), TODAY)
    assert (a.eligible_from, a.withdrawn_on, a.status) == (D(eligible), D(withdrawn), status)
    assert a.firm and a.differs == differs
    assert a.ruleset.id == ("ndrc-order58" if D(decision) < D("2026-04-01") else "ndrc-order36")
    if differs:  # the two regimes disagree: the note says how and that the portal decides
        assert any(PORTAL in n and "第36号" in n for n in a.notes)


def test_record_shown_serious_under_order_58_waits_the_serious_minimum(rules):
    # an environment bureau (not one of Order 58's five sectors) decided it on 2024-06-17; the instructor enters
    # 严重 as the portal shows it: 3 months under Order 58, 1 year for a serious record — the later date counts
    rec = RecordFacts(D("2024-06-17"), SERIOUS, text="常州市生态环境局")
    a = assess(rules, rec, D("2025-05-25"))
    assert (a.status, a.eligible_from) == ("not_yet", D("2025-06-18"))
    assert "2024年9月18日" in a.eligibility.note and PORTAL in a.eligibility.note
    assert assess(rules, rec, D("2025-06-18")).status == "eligible"
    # a general record of the same day: Order 58's 3 months, no note
    g = assess(rules, RecordFacts(D("2024-06-17"), GENERAL, text="常州市生态环境局"), D("2025-05-25"))
    assert (g.status, g.eligible_from, g.eligibility.note) == ("eligible", D("2024-09-18"), "")


def test_general_record_of_2025_is_not_withdrawn_after_one_year(rules):
    a = assess(rules, RecordFacts(D("2025-06-30"), GENERAL), D("2026-07-15"))
    assert a.status == "eligible" and a.withdrawn_on == D("2028-07-01")
    (note,) = a.notes
    assert "一般失信行为最长公示期已于2026年6月30日届满" in note and PORTAL in note


def test_transition_is_a_setting(tmp_path):
    d = tmp_path / "rules"
    shutil.copytree(resource_path("rules"), d)
    p = d / "periods.toml"
    p.write_text(p.read_text(encoding="utf-8").replace('transition_maximum = "decision_date"',
                                                       'transition_maximum = "current"'), encoding="utf-8")
    rb = load_rules(d)
    a = assess(rb, RecordFacts(D("2025-06-30"), GENERAL), TODAY)
    assert (a.eligible_from, a.withdrawn_on, a.status) == (D("2025-10-01"), D("2026-07-01"), "withdrawn")
    assert a.max_ruleset.id == "ndrc-order36" and any("第58号" in n and PORTAL in n for n in a.notes)
    p.write_text(p.read_text(encoding="utf-8").replace('transition_maximum = "current"', 'transition_maximum = "x"'),
                 encoding="utf-8")
    with pytest.raises(Exception, match="transition_maximum"):
        load_rules(d)


# ------------------------------------------------------------------ severity unknown / proposed / given
def test_unknown_severity_gives_both_dates_never_one(rules):
    a = assess(rules, RecordFacts(D("2026-04-01"), None, "unknown"), TODAY)
    assert not a.firm and a.status == "to_confirm"
    labels = {o.label: (o.eligibility.eligible_from, o.status) for o in a.options}
    assert labels == {"一般失信行为": (D("2026-07-02"), "eligible"), "严重失信行为": (D("2027-04-02"), "not_yet")}
    assert "如属一般失信行为，自2026年7月2日起" in a.candidates_text()
    assert "如属严重失信行为，自2027年4月2日起" in a.candidates_text()


def test_unknown_severity_under_order_58_needs_none(rules):
    """Order 58 has no severity classes: the minimum is firm without knowing the severity."""
    a = assess(rules, RecordFacts(D("2025-06-30"), None, "unknown"), D("2025-09-01"))
    assert a.firm and a.status == "not_yet" and a.eligible_from == D("2025-10-01")


@pytest.mark.parametrize("text,fine,want", [
    ("罚款", 5000, GENERAL),
    ("罚款", 5_000_000, SERIOUS),  # a 5,000,000元 fine is not 一般
    ("罚款", 300_000, None),  # between the office's two amounts: no proposal, both dates
    ("警告", None, MINOR),
    ("罚款（简易程序）", 200, MINOR),
    ("吊销营业执照", None, SERIOUS),
    ("限制开展生产经营活动", None, SERIOUS),
    ("", None, None),
])
def test_severity_proposed_from_type_and_amount(rules, text, fine, want):
    pen = rules.penalties
    types = pen.types_in(text) | ({"fine"} if fine else set())
    assert pen.propose_severity(frozenset(types), Decimal(fine) if fine else None) == want


def _roster(tmp_path, rows: list[str], header: str, as_of: dt.date):
    path = tmp_path / "r.csv"
    path.write_text("\n".join([header] + rows), encoding="utf-8")
    return read_rosters([path], as_of)


def test_roster_severity_unknown_proposed_given(tmp_path):
    header = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度,处罚内容,罚款金额,公示平台"
    roster = _roster(tmp_path, [
        "常州甲有限公司,,常环罚〔2026〕1号,2026-04-10,,,,信用中国",  # nothing known
        "常州乙有限公司,,常环罚〔2026〕2号,2026-04-10,,罚款,5000000,信用中国",  # proposed 严重 from the amount
        "常州丙有限公司,,常环罚〔2026〕3号,2026-04-10,一般,罚款,5000,信用中国",  # given
    ], header, TODAY)
    unknown, proposed, given = roster.records
    assert unknown.severity_source == "unknown" and unknown.status == "to_confirm"
    assert unknown.severity_label == "待确认（一般或严重）"
    assert [c["label"] for c in unknown.as_json()["candidates"]] == ["一般失信行为", "严重失信行为"]
    assert proposed.severity_source == "proposed" and proposed.severity_label == "严重（待确认）"
    assert proposed.eligible_from == D("2027-04-11") and any("待确认" in p for p in proposed.problems)
    assert given.severity_label == "一般" and given.status == "eligible" and given.eligible_from == D("2026-07-11")
    assert unknown in roster.lists(30)["to_confirm"]


def test_minor_is_never_listed_as_may_apply(tmp_path):
    header = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度,公示平台"
    roster = _roster(tmp_path, ["常州丁有限公司,,常环罚〔2026〕4号,2026-05-10,轻微,信用中国"], header, TODAY)
    (rec,) = roster.records
    lists = roster.lists(30)
    assert rec in lists["minor_unpublished"] and rec not in lists["eligible"]


# ------------------------------------------------------------------ NECIPS
@pytest.mark.parametrize("province_text,natural_person,fine,category", [
    ("贵州省遵义市市场监督管理局", False, 49_999, "light"),
    ("贵州省遵义市市场监督管理局", False, 50_000, "standard"),  # the amount itself is not "below"
    ("贵州省遵义市市场监督管理局", True, 4_999, "light"),
    ("贵州省遵义市市场监督管理局", True, 5_000, "standard"),  # natural persons: their own threshold
    ("湖北省武汉市市场监督管理局", False, 99_999, "light"),
    ("湖北省武汉市市场监督管理局", True, 10_000, "standard"),
    ("湖北省武汉市市场监督管理局", True, 9_999, "light"),
])
def test_necips_small_fine_per_province(rules, province_text, natural_person, fine, category):
    a = assess(rules, RecordFacts(D("2025-03-10"), None, platform="necips", penalty_types=frozenset({"fine"}),
                                  fine_yuan=Decimal(fine), text=province_text, published_on=D("2025-03-20"),
                                  natural_person=natural_person), TODAY)
    assert a.category == category and a.firm
    if category == "light":  # 3 months, cannot be repaired: it just ends
        assert a.eligible_from is None and a.withdrawn_on == D("2025-06-21") and a.status == "withdrawn"
    else:
        assert a.eligible_from == D("2025-09-21") and a.withdrawn_on == D("2028-03-21")


def test_necips_jiangsu_threshold_unknown_says_so(rules):
    a = assess(rules, RecordFacts(D("2025-03-10"), GENERAL, platform="necips", penalty_types=frozenset({"fine"}),
                                  fine_yuan=Decimal(3000), text="常州市市场监督管理局",
                                  published_on=D("2025-03-20")), D("2025-07-01"))
    assert not a.firm and a.status == "to_confirm"
    assert any("江苏省" in n and "标准未找到" in n for n in a.notes)
    assert {o.label for o in a.options} == {"通报批评或较低数额罚款", "其他行政处罚"}


def test_necips_restriction_and_summary_procedure(rules):
    limit = assess(rules, RecordFacts(D("2025-03-10"), None, platform="necips",
                                      penalty_types=rules.penalties.types_in("限制开展生产经营活动"),
                                      text="限制开展生产经营活动", published_on=D("2025-03-20")), TODAY)
    assert limit.status == "not_repairable" and limit.eligible_from is None and limit.withdrawn_on == D("2028-03-21")
    five = assess(rules, RecordFacts(D("2025-03-10"), None, platform="necips",
                                     penalty_types=rules.penalties.types_in("限制开展生产经营活动五年"),
                                     text="限制开展生产经营活动五年", published_on=D("2025-03-20")), TODAY)
    assert five.withdrawn_on == D("2030-03-21")  # over 3 years: its real period
    assert any("按实际期限公示" in n for n in five.notes)
    simple = assess(rules, RecordFacts(D("2025-03-10"), None, platform="necips",
                                       penalty_types=rules.penalties.types_in("简易程序 罚款200元"),
                                       fine_yuan=Decimal(200), text="简易程序"), TODAY)
    assert simple.status == "not_published"


def test_necips_small_fine_on_the_board_and_later_penalty_warning(tmp_path):
    header = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,处罚内容,罚款金额,处罚机关,公示平台"
    roster = _roster(tmp_path, [
        "遵义甲有限公司,,遵市监罚〔2025〕1号,2025-03-10,罚款,3000,贵州省遵义市市场监督管理局,国家企业信用信息公示系统",
        "遵义甲有限公司,,遵市监罚〔2025〕9号,2025-09-10,罚款,80000,贵州省遵义市市场监督管理局,国家企业信用信息公示系统",
        "遵义乙有限公司,,遵市监罚〔2025〕2号,2025-03-10,简易程序 罚款,200,贵州省遵义市市场监督管理局,国家企业信用信息公示系统",
    ], header, D("2025-05-01"))
    small, later, simple = roster.records
    assert small.status == "not_repairable" and small.eligible_from is None  # 3 months, not repairable
    assert later.status == "not_yet"
    assert any("第十四条" in p and "遵市监罚〔2025〕9号" in p for p in small.problems)
    assert simple.status == "not_published" and simple in roster.lists(30)["not_published"]


def test_platform_proposed_from_the_authority(tmp_path):
    header = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度,处罚机关"
    roster = _roster(tmp_path, [
        "常州甲有限公司,,常市监罚〔2025〕1号,2025-03-10,一般,常州市市场监督管理局",
        "常州乙有限公司,,常市监罚〔2026〕2号,2026-04-10,一般,常州市市场监督管理局",
        "常州丙有限公司,,常环罚〔2025〕3号,2025-03-10,一般,常州市生态环境局",
    ], header, TODAY)
    before, after, other = roster.records
    assert (before.platform, before.platform_source) == ("necips", "proposed")
    assert before.platform_label.endswith("（待确认）")
    assert (after.platform, other.platform) == ("creditchina", "creditchina")  # 信用中国 is the window from 2026-04-01


# ------------------------------------------------------------------ 名单 and 高频失信
@pytest.mark.parametrize("as_of,window", [("2026-03-31", False), ("2026-04-01", True)])
def test_listing_route_before_and_after_2026_04_01(tmp_path, as_of, window):
    header = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,信息类别,认定单位,列入日期"
    roster = _roster(tmp_path, [
        "常州甲有限公司,,常市监列〔2025〕1号,2025-02-10,严重违法失信名单,常州市市场监督管理局,2025-02-10",
        "常州乙有限公司,,常应急列〔2025〕2号,2025-02-10,严重失信主体名单,常州市应急管理局,2025-02-10",
    ], header, D(as_of))
    samr, other = roster.records
    assert samr.status == other.status == "listing"
    for r in (samr, other):
        assert ("“信用中国”" in r.route()) == window and "审核" in r.route() if window else "向列入单位" in r.route()
    assert (samr.eligible_from, samr.withdrawn_on) == (D("2026-02-11"), D("2028-02-11"))  # SAMR: 1 year / 3 years
    assert "列入满一年" in samr.route()
    assert other.eligible_from is None


def test_national_flag_counts_listings(tmp_path):
    header = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度,信息类别"
    penalties = [f"常州甲有限公司,,常环罚〔2025〕{i + 1}号,2025-{1 + i:02d}-10,一般," for i in range(8)]
    listings = [f"常州甲有限公司,,常环列〔2025〕{i}号,2025-10-0{i},,严重失信主体名单" for i in (1, 2)]
    roster = _roster(tmp_path, penalties + listings, header, D("2025-12-01"))
    assert len(roster.records) == 10
    assert all("屡禁不止、屡罚不改（全国）" in r.high_frequency_rules for r in roster.records)
    eight = _roster(tmp_path, penalties, header, D("2025-12-01"))
    assert not any("屡禁不止、屡罚不改（全国）" in r.high_frequency_rules for r in eight.records)
