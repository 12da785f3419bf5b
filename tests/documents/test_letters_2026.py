"""Letters under the rules of 2026: 轻微 under Order 36, NECIPS letters citing SAMR's rules, records that may
not end early, listings routed, the certificate saying what the office found, submission vs reference."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.documents.test_letters import text_of
from xinyong_desktop.documents import letters
from xinyong_desktop.domain.model import Kind, RecordSeverity
from xinyong_desktop.roster.board import RosterRecord

AS_OF = dt.date(2026, 5, 10)


def _rec(severity=RecordSeverity.GENERAL, platform="creditchina", decided=dt.date(2026, 4, 20),
         authority="常州市市场监督管理局", **kw) -> RosterRecord:
    r = RosterRecord("名单.xlsx", "", 2, "常州某某商贸有限公司", "91320402MA1XXXXX0X", "常市监处罚〔2026〕15号", decided,
                     severity, platform, authority, **kw)
    return r


@pytest.fixture
def out(tmp_path):
    return tmp_path


def _reminder(rec, rules, out) -> str:
    rec.set_dates(rules, AS_OF)
    paths, _ = letters.write_reminders([rec], rules, out, AS_OF)
    return text_of(paths[0])


def test_minor_record_under_order_36_is_not_announced_as_published(rules, out):
    t = _reminder(_rec(RecordSeverity.MINOR), rules, out)
    assert "原则上不予公示" in t and "第36号" in t
    assert "将在“信用中国”网站等网站公示" not in t
    assert "即可通过“信用中国”网站" in t  # repairable once the obligation is fulfilled, no date computed


def test_general_record_letter_uses_civil_code_dates(rules, out):
    t = _reminder(_rec(decided=dt.date(2026, 4, 20)), rules, out)
    assert "自2026年7月21日起" in t  # 3 months end 2026-07-20; from the day after
    assert "最长公示期至2027年4月20日届满" in t and "终止公示" in t and "停止公示" not in t


def test_necips_letter_cites_samr_and_counts_from_publication(rules, out):
    rec = _rec(platform="necips", published_on=dt.date(2026, 5, 5), penalty_types=frozenset({"fine"}),
               fine_yuan=Decimal(80000), authority="贵州省遵义市市场监督管理局")
    t = _reminder(rec, rules, out)
    assert "市场监管总局令第45号" in t and "自公示之日起计算" in t and "国家发展改革委" not in t
    assert "国家企业信用信息公示系统" in t
    assert "2026年11月6日" in t  # 6 months from the publication date, the day after


def test_necips_records_that_may_not_end_early_are_told_so(rules, out):
    rec = _rec(platform="necips", published_on=dt.date(2026, 5, 5), penalty_types=frozenset({"revoke_licence"}))
    t = _reminder(rec, rules, out)
    assert rec.status == "not_repairable" and rec.eligible_from is None
    assert "不得提前终止公示，期满自动停止公示" in t and "2029年5月5日" in t
    assert "申请时需提交的材料" not in t  # nothing to apply for: no material list


def test_listing_letter_routes_to_the_listing_unit(rules, out):
    rec = _rec(listing=True, listing_unit="常州市应急管理局")
    t = _reminder(rec, rules, out)
    assert "常州市应急管理局" in t and "移出" in t


def test_certificate_states_what_the_office_found(rules, out):
    rec = _rec(decided=dt.date(2025, 6, 3))
    rec.set_dates(rules, AS_OF)
    t = text_of(letters.render_certificate(rec, rules, out / "c.pdf", AS_OF, dt.date(2026, 1, 8), "CX1"))
    assert "经查询“信用中国”网站" in t and "已于2026年1月8日终止公示" in t
    assert "已全面履行" not in t and "停止公示" not in t
    d = text_of(letters.render_deletion_letter(rec, rules, out / "d.pdf", AS_OF, "某信用服务公司", dt.date(2026, 1, 8)))
    assert "终止公示" in d and "停止公示" not in d


def test_material_list_marks_submission_reference_and_class_additions(rules, out):
    rec = _rec()
    rec.set_dates(rules, AS_OF)
    paths, _ = letters.write_guides([rec], rules, out / "a", AS_OF)
    t = text_of(paths[0])
    assert "提交材料" in t and "核对材料" in t
    assert "信用修复申请书" not in t and "整改报告" not in t  # 信用中国 asks for neither
    paths, _ = letters.write_guides([rec], rules, out / "b", AS_OF, extra=(Kind.APPLICATION_FORM,))
    t = text_of(paths[0])
    assert "信用修复申请书" in t and "本班要求" in t
