"""End to end on generated text-PDF packets: clean packets pass, each seeded defect is found."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.packetgen import Facts, Spec, draw_pdf, write_packet
from xinyong_desktop.services.check_packet import check_packet


def as_of_for(f: Facts, severity: str) -> dt.date:
    # past every minimum (Order 58: a year for fire and work safety, whatever the severity), before the maximum
    return f.decision_date + dt.timedelta(days=400)


def run(tmp_path, pool, facts=None, severity="general", applicant="legal_representative", as_of=None, **kw):
    f = facts or Facts.random(kw.pop("seed", 1))
    d = write_packet(tmp_path / "packet", f, severity, applicant, **kw)
    return f, check_packet(d, as_of=as_of or as_of_for(f, severity), pool=pool)


def errors(res):
    return {(x.code, x.kind, x.field) for x in res.findings if x.severity == "error"}


def codes(res):
    return {x.code for x in res.findings if x.severity == "error"}


@pytest.mark.parametrize("severity,applicant,layout,seed", [
    ("general", "legal_representative", 0, 11), ("general", "legal_representative", 1, 12),
    ("general", "agent", 2, 13), ("serious", "legal_representative", 1, 14), ("serious", "agent", 0, 15),
])
def test_clean_packet_is_ready_and_fields_are_read(tmp_path, pool, severity, applicant, layout, seed):
    f, res = run(tmp_path, pool, severity=severity, applicant=applicant, layout=layout, seed=seed)
    assert errors(res) == set(), [x.message for x in res.findings]
    assert res.ready
    by_kind = {m.kind: m for m in res.materials}
    dec = by_kind["penalty_decision"]
    assert dec.value("enterprise_name") == f.name
    assert dec.value("uscc") == f.uscc
    assert dec.value("decision_number") == f.decision_number
    assert dec.value("decision_date") == f.decision_date.isoformat()
    assert dec.value("fine_amount") == f"{f.fine:.2f}"
    assert dec.value("penalty_authority") == f.authority
    app = by_kind["application_form"]
    assert app.value("signed_date") == f.signed_date.isoformat()
    assert app.value("seal") == "present" and app.value("signature") == "present"
    assert by_kind["payment_proof"].value("paid_amount") == f"{f.fine:.2f}"
    assert by_kind["legal_rep_id"].value("id_number") == f.rep_id
    if applicant == "agent":
        assert by_kind["agent_id"].value("id_name") == f.agent
        assert by_kind["authorization_letter"].value("agent_name") == f.agent
    expected_from = f.decision_date.replace(day=1)  # sanity: eligibility was computed from the decision
    assert res.eligible_from and res.eligible_from > expected_from
    for m in res.materials:
        for fv in m.fields.values():
            if fv.bbox:
                x0, y0, x1, y1 = fv.bbox
                assert 0 <= x0 < x1 <= 596 and 0 <= y0 < y1 <= 843


def test_format_variants_are_not_defects(tmp_path, pool):
    f = Facts.random(21)
    dn_variant = f.decision_number.replace("〔", "[").replace("〕", "]")
    specs = {"commitment_letter": Spec("commitment_letter", layout=2, extra={"dn_text": dn_variant}),
             "application_form": Spec("application_form", layout=1, extra={"dn_text": f.decision_number.replace("〔", "（").replace("〕", "）")}),
             "payment_proof": Spec("payment_proof", layout=1)}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert errors(res) == set(), [x.message for x in res.findings]


def test_missing_material(tmp_path, pool):
    _, res = run(tmp_path, pool, omit=("commitment_letter",))
    assert ("MATERIAL_MISSING", "commitment_letter", None) in errors(res)
    assert not res.ready


def test_rectification_report_is_the_class_default_for_serious_records_only(tmp_path, pool):
    import json

    # case.json says nothing about additional materials: the class default (materials.toml class_default) asks a
    # 整改报告 of a serious record and a 申请书 of every record
    f, res = run(tmp_path, pool, severity="serious", omit=("rectification_report",))
    assert ("MATERIAL_MISSING", "rectification_report", None) in errors(res)
    case = tmp_path / "packet" / "case.json"
    data = json.loads(case.read_text(encoding="utf-8"))
    # the office says it asks nothing besides the platform's list: 信用中国 does not ask for it
    case.write_text(json.dumps({**data, "extra_required": []}), encoding="utf-8")
    res = check_packet(tmp_path / "packet", as_of=as_of_for(f, "serious"), pool=pool)
    assert ("MATERIAL_MISSING", "rectification_report", None) not in errors(res)
    # a general record: the class default asks no 整改报告
    case.write_text(json.dumps({**data, "record_severity": "general"}), encoding="utf-8")
    res = check_packet(tmp_path / "packet", as_of=as_of_for(f, "serious"), pool=pool)
    assert ("MATERIAL_MISSING", "rectification_report", None) not in errors(res)


def test_application_form_is_required_by_the_class_default_unless_the_office_says_otherwise(tmp_path, pool):
    import json

    f, res = run(tmp_path, pool, omit=("application_form",))
    assert ("MATERIAL_MISSING", "application_form", None) in errors(res)
    case = tmp_path / "packet" / "case.json"
    case.write_text(json.dumps({**json.loads(case.read_text(encoding="utf-8")), "extra_required": []}),
                    encoding="utf-8")
    res = check_packet(tmp_path / "packet", as_of=as_of_for(f, "general"), pool=pool)
    assert ("MATERIAL_MISSING", "application_form", None) not in errors(res)


def test_unreadable_file_is_one_finding_and_rest_is_checked(tmp_path, pool):
    f = Facts.random(3)
    d = write_packet(tmp_path / "packet", f)
    (d / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n" + b"\x00garbage" * 50)
    res = check_packet(d, as_of=as_of_for(f, "general"), pool=pool)
    bad = [x for x in res.findings if x.code == "FILE_UNREADABLE"]
    assert len(bad) == 1 and bad[0].path == "broken.pdf" and bad[0].severity == "error"
    assert {m.kind for m in res.materials} >= {"application_form", "commitment_letter", "penalty_decision"}


def test_field_missing(tmp_path, pool):
    specs = {"application_form": Spec("application_form", extra={"dn_text": ""})}
    _, res = run(tmp_path, pool, specs=specs)
    assert ("FIELD_MISSING", "application_form", "decision_number") in errors(res)


def test_uscc_invalid(tmp_path, pool):
    f = Facts.random(4)
    bad = f.uscc[:-1] + ("0" if f.uscc[-1] != "0" else "1")
    specs = {"application_form": Spec("application_form", facts=replace(f, uscc=bad))}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert ("USCC_INVALID", "application_form", "uscc") in errors(res)


def test_id_number_invalid(tmp_path, pool):
    f = Facts.random(5)
    bad = f.rep_id[:-1] + ("0" if f.rep_id[-1] != "0" else "1")
    specs = {"legal_rep_certificate": Spec("legal_rep_certificate", facts=replace(f, rep_id=bad))}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert ("ID_NUMBER_INVALID", "legal_rep_certificate", "id_number") in errors(res)


def test_name_mismatch_limited_vs_limited_liability(tmp_path, pool):
    f = Facts.random(6)
    f = replace(f, name=f.name.replace("有限责任公司", "有限公司").replace("股份有限公司", "有限公司"))
    other = f.name.replace("有限公司", "有限责任公司")
    specs = {"commitment_letter": Spec("commitment_letter", facts=replace(f, name=other), seal_name=f.name)}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert ("NAME_MISMATCH", "commitment_letter", "enterprise_name") in errors(res)


def test_uscc_mismatch(tmp_path, pool):
    f = Facts.random(7)
    other = Facts.random(70).uscc
    specs = {"commitment_letter": Spec("commitment_letter", facts=replace(f, uscc=other))}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert ("USCC_MISMATCH", "commitment_letter", "uscc") in errors(res)


def test_legal_rep_mismatch(tmp_path, pool):
    f = Facts.random(8)
    specs = {"penalty_decision": Spec("penalty_decision", facts=replace(f, rep="赵子龙"))}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert ("LEGAL_REP_MISMATCH", "penalty_decision", "legal_representative") in errors(res)


def test_decision_number_mismatch(tmp_path, pool):
    f = Facts.random(9)
    wrong = f.decision_number.replace("〕", "〕1", 1)
    specs = {"commitment_letter": Spec("commitment_letter", extra={"dn_text": wrong})}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert ("DECISION_NUMBER_MISMATCH", "commitment_letter", "decision_number") in errors(res)


def test_fine_underpaid(tmp_path, pool):
    f = Facts.random(10)
    specs = {"payment_proof": Spec("payment_proof", extra={"paid": f.fine // 2})}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert ("FINE_NOT_FULLY_PAID", "payment_proof", "paid_amount") in errors(res)


def test_fine_paid_by_someone_else(tmp_path, pool):
    f = Facts.random(16)
    specs = {"payment_proof": Spec("payment_proof", layout=1, extra={"payer": f.rep})}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert ("FINE_NOT_FULLY_PAID", "payment_proof", "payer_name") in errors(res)


def test_amount_in_words_disagrees(tmp_path, pool):
    f = Facts.random(17)
    specs = {"payment_proof": Spec("payment_proof", extra={"words": "伍佰元整"})}
    _, res = run(tmp_path, pool, facts=f, specs=specs)
    assert "FINE_NOT_FULLY_PAID" in codes(res)


def test_seal_missing(tmp_path, pool):
    specs = {"commitment_letter": Spec("commitment_letter", seal=False)}
    _, res = run(tmp_path, pool, specs=specs)
    assert ("SEAL_MISSING", "commitment_letter", "seal") in errors(res)
    # the evidence points at where the seal should be: the line asking for it
    letter = next(m for m in res.materials if m.kind == "commitment_letter")
    seal = letter.fields["seal"]
    assert seal.value == "absent" and seal.bbox is not None
    page = res.pages[letter.path][seal.page - 1]
    under = [ln.text for ln in page.lines if ln.bbox[1] <= (seal.bbox[1] + seal.bbox[3]) / 2 <= ln.bbox[3]]
    assert any(label in t for t in under for label in ("盖章", "公章", "（章）")), under


def test_signature_missing_points_at_the_place_to_sign(tmp_path, pool):
    specs = {"application_form": Spec("application_form", signature=False)}
    _, res = run(tmp_path, pool, specs=specs)
    form = next(m for m in res.materials if m.kind == "application_form")
    sig = form.fields["signature"]
    assert sig.value == "absent" and sig.bbox is not None
    page = res.pages[form.path][sig.page - 1]
    under = [ln.text for ln in page.lines if ln.bbox[1] <= (sig.bbox[1] + sig.bbox[3]) / 2 <= ln.bbox[3]]
    assert any("签" in t for t in under), under


def test_seal_of_another_unit(tmp_path, pool):
    specs = {"application_form": Spec("application_form", seal_name="常州市别的贸易有限公司")}
    _, res = run(tmp_path, pool, specs=specs)
    assert ("SEAL_MISSING", "application_form", "seal") in errors(res)


def test_signature_missing(tmp_path, pool):
    specs = {"application_form": Spec("application_form", signature=False)}
    _, res = run(tmp_path, pool, specs=specs)
    assert ("SIGNATURE_MISSING", "application_form", "signature") in errors(res)


def test_not_yet_eligible_and_eligible_from(tmp_path, pool):
    f = replace(Facts.random(18, decision_date=dt.date(2023, 11, 30)), authority="常州市生态环境局")  # not a 1-year sector
    _, res = run(tmp_path, pool, facts=f, as_of=dt.date(2024, 2, 28))
    assert ("NOT_YET_ELIGIBLE", None, None) in errors(res)
    assert res.eligible_from == dt.date(2024, 3, 1)  # 3 months end 2024-02-29 (民法典): from the day after


def test_no_repair_needed_is_a_warning(tmp_path, pool):
    f = Facts.random(19)  # Order 58 publishes 3 years: a day past them
    _, res = run(tmp_path, pool, facts=f, as_of=f.decision_date + dt.timedelta(days=1100))
    warn = [x for x in res.findings if x.code == "NO_REPAIR_NEEDED"]
    assert warn and warn[0].severity == "warning"
    assert res.ready


def test_authorization_names_another_person(tmp_path, pool):
    f = Facts.random(20)
    specs = {"authorization_letter": Spec("authorization_letter", extra={"agent": "钱多多"})}
    _, res = run(tmp_path, pool, facts=f, applicant="agent", specs=specs)
    assert ("AUTHORIZATION_INVALID", "authorization_letter", "agent_name") in errors(res)


def test_authorization_unsigned(tmp_path, pool):
    specs = {"authorization_letter": Spec("authorization_letter", signature=False)}
    _, res = run(tmp_path, pool, applicant="agent", specs=specs)
    assert ("AUTHORIZATION_INVALID", "authorization_letter", "signature") in errors(res)


def test_stack_of_materials_in_one_file_is_split(tmp_path, pool):
    f = Facts.random(22)
    d = write_packet(tmp_path / "packet", f, omit=("application_form", "commitment_letter", "legal_rep_certificate"))
    draw_pdf(d / "scan_all.pdf", [Spec("application_form"), Spec("commitment_letter", layout=1),
                                  Spec("legal_rep_certificate")], f)
    res = check_packet(d, as_of=as_of_for(f, "general"), pool=pool)
    stack = sorted((m.pages, m.kind) for m in res.materials if m.path == "scan_all.pdf")
    assert stack == [([1], "application_form"), ([2], "commitment_letter"), ([3], "legal_rep_certificate")]
    assert errors(res) == set(), [x.message for x in res.findings]


def test_file_names_are_ignored(tmp_path, pool):
    """A commitment letter named like an application is still a commitment letter."""
    f = Facts.random(23)
    d = write_packet(tmp_path / "packet", f, omit=("commitment_letter",))
    draw_pdf(d / "信用修复申请书(2).pdf", [Spec("commitment_letter")], f)
    res = check_packet(d, as_of=as_of_for(f, "general"), pool=pool)
    assert {m.kind for m in res.materials if m.path == "信用修复申请书(2).pdf"} == {"commitment_letter"}


def test_id_card_front_without_title_in_a_stack_is_its_own_material(tmp_path, pool):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from tests.packetgen import DRAW, Page, _font

    f = Facts.random(24)
    d = write_packet(tmp_path / "packet", f, omit=("legal_rep_id", "legal_rep_certificate"))
    c = Canvas(str(d / "stack.pdf"), pagesize=A4)
    import random as _r

    DRAW["legal_rep_certificate"](Page(c), f, Spec("legal_rep_certificate"), _r.Random(1))
    c.showPage()
    c.setFont(_font(), 11)  # the front side of the card only: no "居民身份证" title on this page
    for i, t in enumerate((f"姓名  {f.rep}", "性别  男    民族  汉", "出生  1980 年 1 月 2 日", "住址  江苏省常州市天宁区",
                           f"公民身份号码  {f.rep_id}")):
        c.drawString(120, 700 - 26 * i, t)
    c.showPage()
    c.save()
    res = check_packet(d, as_of=as_of_for(f, "general"), pool=pool)
    stack = sorted((m.pages, m.kind) for m in res.materials if m.path == "stack.pdf")
    assert stack == [([1], "legal_rep_certificate"), ([2], "legal_rep_id")]
    assert errors(res) == set(), [x.message for x in res.findings]
