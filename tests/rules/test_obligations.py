"""The checklist per severity × applicant × platform (with and without the office's additions), case.json
keys, late payment (加处罚款), one 承诺书 per record, outdated templates by title only, the verdict wording."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from xinyong_desktop.checks import obligations
from xinyong_desktop.checks.engine import CaseFacts, run_checks
from xinyong_desktop.cli import main
from xinyong_desktop.domain.model import Applicant, FieldId, FieldValue, Kind, Material, RecordSeverity, TextSource
from xinyong_desktop.services.check_packet import CaseFileError, read_case_file

LR, AGENT = Applicant.LEGAL_REPRESENTATIVE, Applicant.AGENT
K = Kind

CREDITCHINA_LR = {K.PENALTY_DECISION, K.COMMITMENT_LETTER, K.PAYMENT_PROOF, K.BUSINESS_LICENSE,
                  K.LEGAL_REP_CERTIFICATE, K.LEGAL_REP_ID}
CREDITCHINA_AGENT = CREDITCHINA_LR - {K.LEGAL_REP_CERTIFICATE} | {K.AUTHORIZATION_LETTER, K.AGENT_ID}


@pytest.mark.parametrize("severity", list(RecordSeverity))
@pytest.mark.parametrize("applicant,platform,extra,want", [
    (LR, "creditchina", (), CREDITCHINA_LR),
    (AGENT, "creditchina", (), CREDITCHINA_AGENT),
    (LR, "creditchina", (K.APPLICATION_FORM,), CREDITCHINA_LR | {K.APPLICATION_FORM}),
    (AGENT, "creditchina", (K.APPLICATION_FORM, K.RECTIFICATION_REPORT),
     CREDITCHINA_AGENT | {K.APPLICATION_FORM, K.RECTIFICATION_REPORT}),
    (LR, "necips", (), CREDITCHINA_LR | {K.APPLICATION_FORM}),  # SAMR asks for its 申请书
    (AGENT, "necips", (K.RECTIFICATION_REPORT,), CREDITCHINA_AGENT | {K.APPLICATION_FORM, K.RECTIFICATION_REPORT}),
])
def test_checklist(rules, severity, applicant, platform, extra, want):
    got = {m.kind for m in rules.checklist(severity, applicant, platform, True, extra)}
    assert got == want
    no_fine = {m.kind for m in rules.checklist(severity, applicant, platform, False, extra)}
    assert no_fine == want - {K.PAYMENT_PROOF}


def test_roles_are_marked(rules):
    roles = {k: m.role for k, m in rules.materials.items()}
    assert roles[K.COMMITMENT_LETTER] == roles[K.PAYMENT_PROOF] == roles[K.AUTHORIZATION_LETTER] == "submission"
    assert roles[K.PENALTY_DECISION] == roles[K.BUSINESS_LICENSE] == roles[K.LEGAL_REP_ID] == "reference"
    assert {k for k, m in rules.materials.items() if m.scope == "enterprise"} >= {
        K.BUSINESS_LICENSE, K.LEGAL_REP_ID, K.AGENT_ID, K.LEGAL_REP_CERTIFICATE}


def _m(kind: Kind, **fields) -> Material:
    return Material(f"{kind}.pdf", kind, [1], TextSource.TEXT,
                    {FieldId(k): FieldValue(v, 1, (10, 10, 50, 20), 0.99) for k, v in fields.items()})


def test_missing_material_names_office_additions(rules):
    facts = CaseFacts(RecordSeverity.SERIOUS, LR, extra_required=(K.RECTIFICATION_REPORT,))
    found = obligations.required_materials({}, facts, Decimal("1000"), rules)
    by_kind = {f.kind: f.message for f in found}
    assert "本培训班要求" in by_kind[K.RECTIFICATION_REPORT]
    assert "本培训班要求" not in by_kind[K.COMMITMENT_LETTER]
    assert K.APPLICATION_FORM not in by_kind


def test_authority_proof_when_penalty_goes_beyond_fines(rules):
    facts = CaseFacts(RecordSeverity.SERIOUS, LR, penalty_types=("fine", "suspend_licence"))
    found = obligations.required_materials({}, facts, Decimal("1000"), rules)
    assert any(f.kind == K.APPLICATION_FORM and "处罚机关" in f.message for f in found)
    plain = CaseFacts(RecordSeverity.GENERAL, LR, penalty_types=("fine", "order_correct"))  # 责令改正 is routine
    assert not any(f.kind == K.APPLICATION_FORM for f in obligations.required_materials({}, plain, Decimal(1), rules))


@pytest.mark.parametrize("decided,paid,fine,late_days,amount", [
    ("2025-03-01", "2025-03-16", "5000", None, None),  # day 15: in time
    ("2025-03-01", "2025-03-17", "5000", 1, "150.00"),
    ("2025-03-01", "2025-03-27", "5000", 11, "1650.00"),
    ("2025-01-31", "2025-04-30", "5000", 74, "5000.00"),  # capped at the fine
])
def test_late_payment(decided, paid, fine, late_days, amount):
    by_kind = {K.PAYMENT_PROOF: [_m(K.PAYMENT_PROOF, payment_date=paid, paid_amount=f"{fine}.00")]}
    found = obligations.late_payment(by_kind, dt.date.fromisoformat(decided), Decimal(fine))
    if late_days is None:
        assert found == []
        return
    (f,) = found
    assert f.severity == "warning" and f.code == "LATE_PAYMENT" and f.field == "payment_date"
    assert f"逾期 {late_days} 日" in f.message and f"{amount} 元" in f.message and "第七十二条" in f.message


def test_late_payment_does_not_block_ready(rules):
    mats = [_m(K.PAYMENT_PROOF, payment_date="2025-06-01", paid_amount="5000.00"),
            _m(K.PENALTY_DECISION, decision_date="2025-03-01", fine_amount="5000.00")]
    facts = CaseFacts(RecordSeverity.GENERAL, LR)
    found, _ = run_checks(mats, facts, dt.date(2025, 7, 1), rules)
    late = [f for f in found if f.code == "LATE_PAYMENT"]
    assert late and all(f.severity == "warning" for f in late)


def test_each_record_needs_its_own_commitment_letter(rules):
    facts = CaseFacts(RecordSeverity.GENERAL, LR, decision_number="常市监处罚〔2025〕12号")
    mats = [_m(K.COMMITMENT_LETTER, decision_number="常市监处罚〔2025〕11号"),
            _m(K.BUSINESS_LICENSE, enterprise_name="常州某某有限公司")]
    found = obligations.record_number_findings(mats, facts, rules)
    assert [(f.code, f.kind) for f in found] == [("DECISION_NUMBER_MISMATCH", K.COMMITMENT_LETTER)]
    same = [_m(K.COMMITMENT_LETTER, decision_number="常市监处罚[2025]12号")]
    assert obligations.record_number_findings(same, facts, rules) == []


def test_withdrawn_wording_never_says_submit(rules):
    mats = [_m(K.PENALTY_DECISION, decision_date="2023-01-05")]
    found, _ = run_checks(mats, CaseFacts(RecordSeverity.GENERAL, LR), dt.date(2025, 6, 1), rules)
    (w,) = [f for f in found if f.code == "NO_REPAIR_NEEDED"]
    assert "以“信用中国”网站显示为准" in w.message and "终止公示" in w.message and "停止公示" not in w.message
    v = obligations.verdict(True, found)
    assert "可以提交" not in v and "以“信用中国”网站显示为准" in v


def test_necips_records_that_may_not_end_early(rules):
    mats = [_m(K.PENALTY_DECISION, decision_date="2025-01-10")]
    facts = CaseFacts(RecordSeverity.SERIOUS, LR, "necips", published_on=dt.date(2025, 1, 20),
                      penalty_types=("revoke_licence",))
    found, eligible_from = run_checks(mats, facts, dt.date(2025, 9, 1), rules)
    assert eligible_from is None
    assert [f.severity for f in found if f.code == "NOT_REPAIRABLE"] == ["error"]


@pytest.mark.parametrize("case,why", [
    ({}, "record_severity"),
    ({"applicant": "agent"}, "record_severity"),
    ({"record_severity": "general", "extra_required": ["application_from"]}, "application_from"),
    ({"record_severity": "general", "extra_required": "application_form"}, "extra_required"),
    ({"record_severity": "general", "platform": "weibo"}, "platform"),
    ({"record_severity": "general", "published_on": "2025-13-01"}, "published_on"),
])
def test_bad_case_json_is_exit_2_with_a_chinese_message(tmp_path, capsys, case, why):
    (tmp_path / "case.json").write_text(json.dumps(case), encoding="utf-8")
    with pytest.raises(CaseFileError, match=why):
        read_case_file(tmp_path)
    assert main(["check", str(tmp_path), "--json"]) == 2
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err


@pytest.mark.parametrize("sample", ["p001", "p003"])
def test_no_case_json_checks_with_the_assumed_facts_named(tmp_path, capsys, sample):
    """An enterprise's stick never has a case.json: the check runs, says what it assumed, and leaves to review
    what depends on it (p003, decided before 2023-05-01: the 527号 periods differ by severity)."""
    import shutil
    from pathlib import Path

    src = Path("/work/shared/samples") / sample
    as_of = json.loads((src / "expected.json").read_text(encoding="utf-8"))["as_of"]
    packet = tmp_path / "packet"
    shutil.copytree(src / "packet", packet)
    (packet / "case.json").unlink()
    rc = main(["check", str(packet), "--as-of", as_of, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc in (0, 1) and rc == (0 if out["ready"] else 1)
    assert out["record_severity"] is None
    assert set(out["assumed"]) == {"record_severity", "platform", "applicant"}
    assert out["assumed"]["record_severity"]["value"] is None
    period = [f for f in out["findings"] if f["code"] == "NOT_YET_ELIGIBLE"]
    assert period and all(f["severity"] in ("review", "warning") for f in period)
    if sample == "p003":
        assert out["assumed"]["applicant"]["value"] == "agent"  # it carries a 授权委托书
        (both,) = [f for f in period if f["severity"] == "review" and "一般失信行为" in f["message"]]
        assert "严重失信行为" in both["message"] and out["eligible_from"] is None


def test_case_json_keys_are_read(tmp_path):
    (tmp_path / "case.json").write_text(json.dumps({
        "record_severity": "serious", "applicant": "agent", "platform": "necips",
        "extra_required": ["application_form", "rectification_report", "application_form"],
        "published_on": "2025-02-07", "unknown": 1}), encoding="utf-8")
    f = read_case_file(tmp_path)
    assert (f.record_severity, f.applicant, f.platform) == ("serious", "agent", "necips")
    assert f.extra_required == (K.APPLICATION_FORM, K.RECTIFICATION_REPORT)
    assert f.published_on == dt.date(2025, 2, 7)


def test_shared_samples_and_corpus_carry_record_severity():
    from pathlib import Path

    files = sorted(Path("/work/shared").glob("*/*/packet/case.json"))
    if not files:
        pytest.skip("shared samples not present")
    for p in files:
        data = json.loads(p.read_text(encoding="utf-8"))
        assert data.get("record_severity") in ("minor", "general", "serious"), p


def test_outdated_templates_by_title_only(rules):
    from xinyong_desktop.extract.classify import outdated_title

    titles = rules.outdated_titles
    assert outdated_title([("信用报告", True)], titles) == "信用报告"
    assert outdated_title([("企业信用报告", True)], titles) == "信用报告"
    # a page that merely mentions a credit report, or the Order 58-era 信用中国 form, is not outdated
    assert outdated_title([("本单位承诺不再要求提供信用报告等材料", True)], titles) is None
    assert outdated_title([("信用报告", False)], titles) is None
    assert outdated_title([("失信行为纠正后的信用信息修复申请表", True)], titles) is None
    assert outdated_title([("失信行为纠正后的信用信息修复承诺书", True)], titles) is None


@pytest.mark.parametrize("fine,province,code,severity", [
    ("3000", "贵州", "NOT_REPAIRABLE", "error"),  # a small fine: 3 months, cannot be repaired (not "after 6 months")
    ("80000", "贵州", "NOT_YET_ELIGIBLE", "error"),  # above the threshold: repairable after 6 months
    ("3000", "", "NOT_YET_ELIGIBLE", "review"),  # Jiangsu's threshold is unknown: both outcomes, review
])
def test_necips_fine_amount_in_the_desk_check(rules, fine, province, code, severity):
    """The desk's check passes the decision's fine: a NECIPS small fine is not repairable."""
    mats = [_m(K.PENALTY_DECISION, decision_date="2025-01-10", fine_amount=fine, penalty_authority="某市市场监督管理局")]
    facts = CaseFacts(RecordSeverity.GENERAL, LR, "necips", published_on=dt.date(2025, 1, 20), province=province,
                      art14=(True, True, True))
    found, eligible_from = run_checks(mats, facts, dt.date(2025, 3, 1), rules)
    period = [(f.code, f.severity) for f in found if f.code in ("NOT_REPAIRABLE", "NOT_YET_ELIGIBLE")]
    assert (code, severity) in period
    assert eligible_from == (dt.date(2025, 7, 21) if fine == "80000" else None)


def test_necips_art14_conditions_are_asked(rules):
    mats = [_m(K.PENALTY_DECISION, decision_date="2025-01-10", fine_amount="80000")]
    base = CaseFacts(RecordSeverity.GENERAL, LR, "necips", published_on=dt.date(2025, 1, 20), province="贵州")
    found, _ = run_checks(mats, base, dt.date(2025, 8, 1), rules)
    (ask,) = [f for f in found if f.code == "NOT_REPAIRABLE"]
    assert ask.severity == "warning" and "经营异常名录" in ask.message and "第十四条" in ask.message
    from dataclasses import replace

    found, _ = run_checks(mats, replace(base, art14=(False, True, True)), dt.date(2025, 8, 1), rules)
    (no,) = [f for f in found if f.code == "NOT_REPAIRABLE"]
    assert no.severity == "error" and "同一类违法行为" in no.message


def test_case_json_necips_keys(tmp_path):
    (tmp_path / "case.json").write_text(json.dumps({
        "record_severity": "general", "platform": "necips", "penalty_text": "限制开展生产经营活动五年",
        "province": "湖北", "natural_person": True, "art14": [True, None, False]}), encoding="utf-8")
    f = read_case_file(tmp_path)
    assert (f.penalty_text, f.province, f.natural_person, f.art14) == ("限制开展生产经营活动五年", "湖北", True,
                                                                       (True, None, False))
    (tmp_path / "case.json").write_text(json.dumps({"record_severity": "general", "art14": "yes"}), encoding="utf-8")
    with pytest.raises(CaseFileError, match="art14"):
        read_case_file(tmp_path)
