"""`--no-ocr` never turns an unread scan into a missing material: the material may be on the picture."""
from __future__ import annotations

import pypdfium2 as pdfium

from tests.checks.test_packets import as_of_for
from tests.packetgen import Facts, write_packet
from xinyong_desktop.domain.model import Code, Kind, Severity
from xinyong_desktop.services.check_packet import check_packet


def test_an_unread_scan_makes_no_material_missing(tmp_path, pool):
    f = Facts.random(31)
    d = write_packet(tmp_path / "packet", f)
    letter = d / "02承诺书.pdf"
    doc = pdfium.PdfDocument(str(letter))
    doc[0].render(scale=150 / 72).to_pil().convert("RGB").save(d / "IMG_0412.jpg", quality=90)  # a photo of it
    doc.close()
    letter.unlink()
    res = check_packet(d, as_of=as_of_for(f, "general"), pool=pool, ocr=False)
    missing = [x for x in res.findings if x.code == Code.MATERIAL_MISSING]
    assert [(x.kind, x.severity) for x in missing] == [(Kind.COMMITMENT_LETTER, Severity.REVIEW)]
    assert "IMG_0412.jpg" in missing[0].message
    assert not res.ready and not any(x.severity == Severity.ERROR for x in res.findings)
