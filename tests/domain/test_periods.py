"""Publicity periods, table by table: 民法典 day counting, month ends, leap days, rule sets by date,
轻微 under Order 36, NECIPS by publication date, records NECIPS never lets end early."""
import datetime as dt
import shutil

import pytest

from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.domain.periods import Period, add_months, add_working_days, eligibility
from xinyong_desktop.resources import resource_path
from xinyong_desktop.rules.loader import RuleError, load_rules

D = dt.date.fromisoformat
MINOR, GENERAL, SERIOUS = RecordSeverity.MINOR, RecordSeverity.GENERAL, RecordSeverity.SERIOUS


@pytest.mark.parametrize("start,months,want", [
    ("2023-11-30", 3, "2024-02-29"),  # clamped to a leap February
    ("2022-11-30", 3, "2023-02-28"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2024-03-31", 6, "2024-09-30"),
    ("2024-02-29", 12, "2025-02-28"),
    ("2024-05-15", 0, "2024-05-15"),
    ("2023-12-04", 3, "2024-03-04"),
])
def test_add_months(start, months, want):
    assert add_months(D(start), months) == D(want)


# 民法典 arts. 201–202: the period ends on the corresponding day; repair opens (and publication ends) the day after
@pytest.mark.parametrize("decision,period,eligible,withdrawn", [
    ("2024-03-05", (3, 12), "2024-06-06", "2025-03-06"),  # domain.md's worked example
    ("2023-11-30", (3, 12), "2024-03-01", "2024-12-01"),  # 3 months end 2024-02-29 (leap, clamped)
    ("2022-11-30", (3, 12), "2023-03-01", "2023-12-01"),  # ends 2023-02-28
    ("2024-02-29", (12, 36), "2025-03-01", "2027-03-01"),  # a leap day: 2025-02-28 ends the year
    ("2024-01-31", (3, 12), "2024-05-01", "2025-02-01"),  # 04-30 clamped end
    ("2024-08-31", (12, 36), "2025-09-01", "2027-09-01"),
    ("2024-12-31", (3, 12), "2025-04-01", "2026-01-01"),  # across the year end
])
def test_civil_code_counting(decision, period, eligible, withdrawn):
    el = eligibility(D(decision), Period(*period))
    assert (el.eligible_from, el.withdrawn_on) == (D(eligible), D(withdrawn))
    assert el.last_published_day == D(withdrawn) - dt.timedelta(days=1)
    assert el.status(D(eligible) - dt.timedelta(days=1)) == "not_yet"  # a day early is refused
    assert el.status(D(eligible)) == "eligible"
    assert el.status(el.last_published_day) == "eligible"
    assert el.status(D(withdrawn)) == "withdrawn"


def test_anniversary_setting_opens_on_the_day_itself():
    el = eligibility(D("2024-03-05"), Period(3, 12), "anniversary")
    assert (el.eligible_from, el.withdrawn_on) == (D("2024-06-05"), D("2025-03-05"))


def test_no_minimum_and_no_early_end():
    assert eligibility(D("2026-05-10"), Period(0, 3)).eligible_from == D("2026-05-10")
    el = eligibility(D("2026-05-10"), Period(None, 36))
    assert el.eligible_from is None and el.status(D("2027-01-01")) == "not_repairable"
    assert el.status(D("2029-05-11")) == "withdrawn"


def test_working_days():
    assert add_working_days(D("2026-04-03"), 1) == D("2026-04-06")  # Friday → Monday
    assert add_working_days(D("2026-04-01"), 20) == D("2026-04-29")


@pytest.mark.parametrize("day,want", [
    ("2022-06-01", "ndrc-527-2019"), ("2023-04-30", "ndrc-527-2019"), ("2023-05-01", "ndrc-order58"),
    ("2026-03-31", "ndrc-order58"), ("2026-04-01", "ndrc-order36"), ("2030-01-01", "ndrc-order36"),
])
def test_rule_sets_chosen_by_date(rules, day, want):
    assert rules.ruleset_for(D(day)).id == want
    assert rules.ruleset_for(D(day), "necips").id == "samr-order45"


def test_serious_minimum_by_rule_set(rules):
    assert rules.ruleset_for(D("2022-06-01")).periods["serious"].min_months == 6
    o58 = rules.ruleset_for(D("2024-06-01"))
    assert not o58.by_severity and set(o58.periods) == {"all", "special_sectors"}  # Order 58: no severity classes
    assert (o58.periods["all"].min_months, o58.periods["all"].max_months) == (3, 36)
    assert o58.periods["special_sectors"].min_months == 12
    assert rules.ruleset_for(D("2026-04-01")).periods["serious"].min_months == 12


@pytest.mark.parametrize("as_of,severity,eligible,withdrawn,published", [
    # one rule set at a time (rules.assess chooses between them): the day before and the day Order 36 starts
    ("2026-03-31", MINOR, "2026-04-11", "2029-01-11", True),  # Order 58: no classes, 3 months / 3 years
    ("2026-04-01", MINOR, "2026-01-10", "2026-04-11", False),  # Order 36: in principle not published
    ("2026-03-31", GENERAL, "2026-04-11", "2029-01-11", True),
    ("2026-04-01", GENERAL, "2026-04-11", "2027-01-11", True),
    ("2026-04-01", SERIOUS, "2027-01-11", "2029-01-11", True),
])
def test_creditchina_across_2026_04_01(rules, as_of, severity, eligible, withdrawn, published):
    el = rules.eligibility(D("2026-01-10"), severity, D(as_of))
    assert (el.eligible_from, el.withdrawn_on, el.published) == (D(eligible), D(withdrawn), published)
    assert el.start_basis == "decision"


def test_necips_counts_from_publication(rules):
    el = rules.eligibility(D("2025-01-10"), GENERAL, D("2025-08-01"), "necips", published_on=D("2025-02-07"))
    assert el.start_basis == "publication" and el.start == D("2025-02-07")
    assert (el.eligible_from, el.withdrawn_on) == (D("2025-08-08"), D("2028-02-08"))  # 6 months / 3 years
    assert el.status(D("2025-08-07")) == "not_yet" and el.status(D("2025-08-08")) == "eligible"


def test_necips_without_publication_date_estimates_and_says_so(rules):
    el = rules.eligibility(D("2025-01-10"), GENERAL, D("2025-08-01"), "necips")
    assert el.start_basis == "estimated_publication"
    assert el.start == D("2025-02-07")  # 20 working days after Friday 2025-01-10
    assert el.eligible_from == D("2025-08-08")
    assert "20 个工作日" in el.note and "以国家企业信用信息公示系统显示的公示日期为准" in el.note


@pytest.mark.parametrize("text,fine,category,repairable,months", [
    ("贵州省某县市场监督管理局 罚款", 3000, "light", False, 3),  # a small fine: published 3 months, just ends
    ("通报批评", None, "light", False, 3),
    ("贵州省 罚款", 80000, "standard", True, 36),
    ("湖北省 没收违法所得、罚款", 180000, "standard", True, 36),
    ("限制开展生产经营活动", None, "not_early", False, 36),
    ("吊销营业执照", None, "not_early", False, 36),
    ("责令停产停业；罚款", 20000, "not_early", False, 36),
    ("降低资质等级", None, "not_early", False, 36),
    ("限制从业", None, "not_early", False, 36),
    ("警告", None, "not_published", False, 0),
    ("简易程序 罚款", 200, "not_published", False, 0),
])
def test_necips_categories(rules, text, fine, category, repairable, months):
    from decimal import Decimal

    types = rules.penalties.types_in(text)
    got = rules.penalties.necips_category(types, Decimal(fine) if fine else None, text)
    assert got == category
    el = rules.eligibility(D("2025-01-10"), GENERAL, D("2025-03-01"), "necips", published_on=D("2025-01-20"),
                           category=got)
    assert el.repairable == repairable
    assert el.withdrawn_on == add_months(D("2025-01-20"), months) + dt.timedelta(days=1 if months else 0)


def test_necips_food_and_drugs_wait_a_year(rules):
    from decimal import Decimal

    types = rules.penalties.types_in("罚款")
    assert rules.penalties.necips_category(types, Decimal(100000), "食品安全 贵州省某市市场监督管理局") == "special_sectors"
    el = rules.eligibility(D("2025-01-10"), GENERAL, D("2025-03-01"), "necips", D("2025-01-20"), "special_sectors")
    assert el.eligible_from == D("2026-01-21")


def test_necips_has_no_serious_class(rules):
    """Without the penalty types a serious record is counted like any other NECIPS penalty."""
    a = rules.eligibility(D("2025-01-10"), SERIOUS, D("2025-03-01"), "necips", published_on=D("2025-01-20"))
    b = rules.eligibility(D("2025-01-10"), GENERAL, D("2025-03-01"), "necips", published_on=D("2025-01-20"))
    assert a == b


@pytest.fixture
def rules_copy(tmp_path):
    d = tmp_path / "rules"
    shutil.copytree(resource_path("rules"), d)
    return d


def test_day_counting_is_a_setting(rules_copy):
    p = rules_copy / "periods.toml"
    p.write_text(p.read_text(encoding="utf-8").replace('day_counting = "civil_code"', 'day_counting = "anniversary"'),
                 encoding="utf-8")
    rb = load_rules(rules_copy)
    assert rb.eligibility(D("2024-03-05"), GENERAL, D("2024-06-01")).eligible_from == D("2024-06-05")
    p.write_text(p.read_text(encoding="utf-8").replace('day_counting = "anniversary"', 'day_counting = "lunar"'),
                 encoding="utf-8")
    with pytest.raises(RuleError, match="day_counting"):
        load_rules(rules_copy)


def test_every_rule_has_its_source(rules):
    rows = rules.sources()
    assert all(src for _, _, src in rows), [r for r in rows if not r[2]]
    text = "\n".join(src for _, _, src in rows)
    for must in ("民法典", "第36号", "第45号", "国办发〔2025〕22号"):
        assert must in text
