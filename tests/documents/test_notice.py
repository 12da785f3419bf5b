"""The one-time correction notice lists every open blocker (by material, with the fix) and nothing resolved."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pypdfium2 as pdfium
import pytest

from tests.packetgen import Facts, Spec, write_packet
from xinyong_desktop.documents.notice import render_notice
from xinyong_desktop.services.check_packet import check_packet
from xinyong_desktop.services.review import finding_key


def pdf_text(path) -> str:
    doc = pdfium.PdfDocument(str(path))
    return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).replace("\r", "").replace("\n", "")


F = Facts.random(81)
DEFECTS = {
    "MATERIAL_MISSING": dict(omit=("commitment_letter",)),
    "SEAL_MISSING": dict(specs={"commitment_letter": Spec("commitment_letter", seal=False)}),
    "SIGNATURE_MISSING": dict(specs={"application_form": Spec("application_form", signature=False)}),
    "USCC_MISMATCH": dict(specs={"commitment_letter": Spec("commitment_letter", facts=replace(F, uscc=Facts.random(82).uscc))}),
    "FINE_NOT_FULLY_PAID": dict(specs={"payment_proof": Spec("payment_proof", extra={"paid": F.fine // 4})}),
    "FIELD_MISSING": dict(specs={"application_form": Spec("application_form", extra={"dn_text": ""})}),
}


@pytest.mark.parametrize("code", list(DEFECTS))
def test_notice_names_material_and_fix(tmp_path, pool, rules, code):
    d = write_packet(tmp_path / "p", F, **DEFECTS[code])
    res = check_packet(d, as_of=F.decision_date + dt.timedelta(days=200), pool=pool)
    target = [f for f in res.findings if f.code == code]
    assert target
    text = pdf_text(render_notice(res, rules, tmp_path / "n.pdf", "张老师"))
    for f in [x for x in res.findings if x.severity == "error"]:
        assert rules.materials[f.kind].name in text if f.kind else "申请条件" in text
        assert f.message[:20].replace(" ", "") in text.replace(" ", "")
    assert "一次性告知" in text and "张老师" in text


def test_clean_packet_notice_says_ready(tmp_path, pool, rules):
    d = write_packet(tmp_path / "p", F)
    res = check_packet(d, as_of=F.decision_date + dt.timedelta(days=200), pool=pool)
    text = pdf_text(render_notice(res, rules, tmp_path / "n.pdf"))
    assert "可以提交" in text and "问题及补正要求" not in text


def test_overridden_finding_is_not_on_the_notice(tmp_path, pool, rules):
    d = write_packet(tmp_path / "p", F, **DEFECTS["SEAL_MISSING"])
    res = check_packet(d, as_of=F.decision_date + dt.timedelta(days=200), pool=pool)
    f = next(x for x in res.findings if x.code == "SEAL_MISSING")
    key = finding_key(str(f.code), str(f.kind), str(f.field), f.path)
    text = pdf_text(render_notice(res, rules, tmp_path / "n.pdf", overridden={key}))
    assert "公章" not in text.split("以下材料已审核无误")[0]
    assert "可以提交" in text
