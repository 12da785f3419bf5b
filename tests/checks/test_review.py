from types import SimpleNamespace as NS

from xinyong_desktop.services.review import blocking, finding_key, mask, mask_text


def test_mask_id_and_phone():
    assert mask("id_number", "320413197807043678") == "3204**********3678"
    assert mask("contact_phone", "18800419647") == "188****9647"
    assert mask("enterprise_name", "常州市青枫物流有限公司") == "常州市青枫物流有限公司"
    assert "197807" not in mask_text("身份证号码 320413197807043678 与…")
    assert "0041" not in mask_text("电话18800419647")


def test_override_resolves_only_its_finding():
    a = NS(code="SEAL_MISSING", kind="commitment_letter", field="seal", path="a.pdf", severity="error")
    b = NS(code="USCC_INVALID", kind="application_form", field="uscc", path="b.pdf", severity="error")
    w = NS(code="NO_REPAIR_NEEDED", kind=None, field=None, path=None, severity="warning")
    assert blocking([a, b, w], set()) == [a, b]
    assert blocking([a, b, w], {finding_key("SEAL_MISSING", "commitment_letter", "seal", "a.pdf")}) == [b]


def test_corrections_and_kind_changes_rerun_the_checks(tmp_path, pool, rules):
    import datetime as dt
    from dataclasses import replace

    from tests.packetgen import Facts, Spec, write_packet
    from xinyong_desktop.checks.engine import run_checks
    from xinyong_desktop.services.check_packet import check_packet
    from xinyong_desktop.services.review import apply_decisions, field_target, kind_target

    f = Facts.random(71)
    bad = f.uscc[:-1] + ("0" if f.uscc[-1] != "0" else "1")
    d = write_packet(tmp_path / "p", f, specs={"application_form": Spec("application_form", facts=replace(f, uscc=bad))})
    as_of = f.decision_date + dt.timedelta(days=400)  # past the 1-year minimum of a fire penalty (Order 58)
    res = check_packet(d, as_of=as_of, pool=pool)
    assert any(x.code == "USCC_INVALID" for x in res.findings)
    app = next(m for m in res.materials if m.kind == "application_form")
    fix = NS(action="correct", target=field_target(app.path, app.pages, "uscc"), value=f.uscc)
    findings, _ = run_checks(apply_decisions(res.materials, [fix]), res.facts, as_of, rules)
    assert not [x for x in findings if x.severity == "error"]
    # calling the commitment letter "other" makes it missing
    com = next(m for m in res.materials if m.kind == "commitment_letter")
    other = NS(action="set_kind", target=kind_target(com.path, com.pages), value="other")
    findings, _ = run_checks(apply_decisions(res.materials, [fix, other]), res.facts, as_of, rules)
    assert {(x.code, x.kind) for x in findings if x.severity == "error"} == {("MATERIAL_MISSING", "commitment_letter")}
    # the original result is untouched
    assert app.value("uscc") == bad
