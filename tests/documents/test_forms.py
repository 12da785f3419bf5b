"""Generated forms: read back by our own intake as the right kind with the same facts; fonts embedded."""
from __future__ import annotations

import datetime as dt
import re

import pypdfium2 as pdfium
import pytest

from tests.packetgen import Facts, write_packet
from xinyong_desktop.documents.forms import render_form, write_forms
from xinyong_desktop.documents.pdf import missing_glyphs
from xinyong_desktop.resources import fallback_font_path
from xinyong_desktop.services.check_packet import check_packet


def embedded_fonts(path) -> list[str]:
    """Font names that carry an embedded TrueType program (checked from the file's bytes)."""
    data = path.read_bytes()
    assert b"/FontFile2" in data, "no embedded TrueType font program"
    return re.findall(rb"/BaseFont\s*/([A-Z]{6}\+[^\s/>]+)", data)


@pytest.fixture(scope="module")
def checked(tmp_path_factory, pool):
    root = tmp_path_factory.mktemp("forms")
    f = Facts.random(61)
    d = write_packet(root / "packet", f, applicant="agent")
    res = check_packet(d, as_of=f.decision_date + dt.timedelta(days=200), pool=pool)
    return f, res, root


def test_forms_round_trip_through_intake(checked, pool, rules):
    f, res, root = checked
    out = root / "out"
    paths = write_forms(res, rules, out, "张老师")
    names = sorted(p.name for p in paths)
    assert names == ["00_审核意见表.pdf", "01_信用修复申请书.pdf", "02_信用修复承诺书.pdf", "03_授权委托书.pdf"]
    back = check_packet(out, as_of=res.as_of, pool=pool, facts=res.facts)
    by_path = {m.path: m for m in back.materials}
    app, com, auth = by_path["01_信用修复申请书.pdf"], by_path["02_信用修复承诺书.pdf"], by_path["03_授权委托书.pdf"]
    assert (app.kind, com.kind, auth.kind) == ("application_form", "commitment_letter", "authorization_letter")
    for m in (app, com, auth):
        assert m.value("enterprise_name") == f.name
        assert m.value("uscc") == f.uscc
        assert m.value("decision_number") == f.decision_number
    assert app.value("decision_date") == f.decision_date.isoformat()
    assert com.value("decision_date") == f.decision_date.isoformat()
    assert auth.value("agent_name") == f.agent
    # the blanks are left for the enterprise: no seal or signature is invented
    assert app.value("seal") == "absent" and app.value("signature") == "absent"
    for p in paths:
        assert embedded_fonts(p)


def test_user_text_is_escaped_and_rare_characters_survive(tmp_path):
    facts = {"enterprise_name": "常州<丄>&某某（集团）有限公司", "uscc": "91320481NM02FXLW73", "decision_number": "常市监处罚〔2024〕1号"}
    path = render_form("application_form", facts, tmp_path / "a.pdf")
    text = pdfium.PdfDocument(str(path))[0].get_textpage().get_text_range()
    assert "常州<丄>&某某（集团）有限公司" in text.replace("\r", "").replace("\n", "")
    assert "________" in text  # facts not known are blanks to fill by hand, never invented


needs_extb_font = pytest.mark.skipif(
    fallback_font_path() is None,
    reason="未找到生僻字字体 HanaMinB.ttf（apt-get install fonts-hanazono，或设置 XINYONG_EXTB_FONT）；.ci/run 会安装它")


@needs_extb_font
def test_missing_glyphs_are_reported():
    assert missing_glyphs("常州丄<&𠀾") == set()  # 𠀾 (Ext-B) comes from the fallback font
    assert missing_glyphs("\U00030000") == {"\U00030000"}  # Ext-G: in neither font


@needs_extb_font
def test_rare_extension_b_characters_are_drawn_and_embedded(tmp_path):
    name = "常州𠀾𠁆<&>建材有限公司"
    facts = {"enterprise_name": name, "uscc": "91320481NM02FXLW73", "decision_number": "常市监处罚〔2024〕1号"}
    path = render_form("application_form", facts, tmp_path / "rare.pdf")
    text = pdfium.PdfDocument(str(path))[0].get_textpage().get_text_range()
    assert name in text.replace("\r", "").replace("\n", "")
    data = path.read_bytes()
    assert data.count(b"/FontFile2") >= 2  # both the main font and the rare-character font are embedded


def test_forms_command(checked, tmp_path):
    import subprocess
    import sys

    f, res, root = checked
    p = subprocess.run([sys.executable, "-m", "xinyong_desktop", "forms", str(root / "packet"), "--out", str(tmp_path / "o"),
                        "--as-of", res.as_of.isoformat()], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert len(list((tmp_path / "o").glob("*.pdf"))) == 4
