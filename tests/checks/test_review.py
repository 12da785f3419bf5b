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
