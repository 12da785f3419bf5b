"""The 补正告知单 under the 2026 rules: submission vs reference materials, and a record past its maximum
period is never told "可以提交"."""
from __future__ import annotations

import datetime as dt

from tests.documents.test_letters import text_of
from xinyong_desktop.checks.engine import CaseFacts, run_checks
from xinyong_desktop.documents.notice import render_notice
from xinyong_desktop.domain.model import Applicant, FieldId, FieldValue, Kind, Material, RecordSeverity, TextSource
from xinyong_desktop.services.check_packet import CheckResult


def _m(kind, **fields):
    return Material(f"{kind}.pdf", kind, [1], TextSource.TEXT,
                    {FieldId(k): FieldValue(v, 1, None, 0.99) for k, v in fields.items()})


def _result(rules, decided: str, as_of: dt.date) -> CheckResult:
    mats = [_m(Kind.PENALTY_DECISION, enterprise_name="常州某某有限公司", decision_date=decided,
               decision_number="常市监处罚〔2024〕3号"),
            _m(Kind.BUSINESS_LICENSE, enterprise_name="常州某某有限公司"),
            _m(Kind.COMMITMENT_LETTER, enterprise_name="常州某某有限公司", decision_number="常市监处罚〔2024〕3号")]
    facts = CaseFacts(RecordSeverity.GENERAL, Applicant.LEGAL_REPRESENTATIVE)
    findings, eligible_from = run_checks(mats, facts, as_of, rules)
    return CheckResult(as_of, facts, mats, findings, eligible_from)


def test_notice_names_each_material_as_submission_or_reference(rules, tmp_path):
    res = _result(rules, "2024-01-05", dt.date(2024, 6, 1))
    t = text_of(render_notice(res, rules, tmp_path / "n.pdf", "张老师"))
    assert "（提交材料）" in t and "（核对材料）" in t


def test_after_the_maximum_the_notice_never_says_submit(rules, tmp_path):
    from xinyong_desktop.checks.obligations import withdrawn_message
    from xinyong_desktop.domain.model import Code, Finding, Severity

    res = _result(rules, "2023-01-05", dt.date(2025, 6, 1))
    el = rules.eligibility(dt.date(2023, 1, 5), RecordSeverity.GENERAL, dt.date(2025, 6, 1))
    res.findings = [Finding(Code.NO_REPAIR_NEEDED, Severity.WARNING, withdrawn_message(el))]
    assert res.ready
    t = text_of(render_notice(res, rules, tmp_path / "n.pdf", "张老师"))
    assert "以“信用中国”网站显示为准" in t and "已达最长公示期" in t
    assert "可以提交" not in t
    assert "以下提交材料已审核无误" in t and "以下核对材料已审核无误" in t
