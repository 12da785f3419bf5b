"""Scans and phone photos: the same page degraded many ways reads to the same kind and fields.

Pages are generated as text PDFs, rendered, degraded (rotation, skew, noise, blur, JPEG, perspective,
uneven light, black-and-white) and saved as image-only PDFs or photos; OCR must recover them.
"""
from __future__ import annotations

import datetime as dt
import io
import socket

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from tests.packetgen import Facts, Spec, draw_pdf
from xinyong_desktop.services.check_packet import check_packet

FACTS = Facts.random(51, decision_date=dt.date(2024, 3, 9), signed_date=dt.date(2024, 10, 16))


@pytest.fixture(scope="module")
def clean_rgb(tmp_path_factory):
    d = tmp_path_factory.mktemp("scan")
    draw_pdf(d / "app.pdf", [Spec("application_form")], FACTS)
    page = pdfium.PdfDocument(str(d / "app.pdf"))[0]
    return page.render(scale=150 / 72, rev_byteorder=True).to_numpy()[..., :3].copy()


def rotate(rgb, k):
    return np.ascontiguousarray(np.rot90(rgb, k))


def skew(rgb, deg):
    h, w = rgb.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    return cv2.warpAffine(rgb, m, (w, h), borderValue=(255, 255, 255))


def noisy_jpeg(rgb):
    rng = np.random.default_rng(3)
    out = cv2.GaussianBlur(rgb, (3, 3), 0).astype(np.int16) + rng.normal(0, 9, rgb.shape).astype(np.int16)
    buf = io.BytesIO()
    Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=55)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def grey_uneven(rgb):
    h, w = rgb.shape[:2]
    ramp = np.linspace(0.95, 0.7, w)[None, :, None] * np.linspace(1.0, 0.85, h)[:, None, None]
    return np.clip(rgb.astype(np.float32) * ramp * np.array([0.97, 0.95, 0.9]), 0, 255).astype(np.uint8)


def photo(rgb):
    """The sheet photographed at an angle on a dark desk, with a shadow."""
    h, w = rgb.shape[:2]
    H, W = int(h * 1.25), int(w * 1.3)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[W * 0.12, H * 0.08], [W * 0.9, H * 0.05], [W * 0.94, H * 0.93], [W * 0.08, H * 0.9]])
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(rgb, m, (W, H), borderValue=(60, 55, 50))
    return grey_uneven(out)


def bw_copy(rgb):
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    g = np.where(g < 200, np.minimum(g, 110), 255).astype(np.uint8)
    return np.repeat(g[..., None], 3, axis=2)


def as_scanned_pdf(rgb, path):
    c = Canvas(str(path), pagesize=A4)
    w, h = A4
    if rgb.shape[1] > rgb.shape[0]:
        c.setPageSize((h, w))
        w, h = h, w
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=85)
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, w, h)
    c.showPage()
    c.save()


CASES = {
    "rot90": (lambda x: rotate(x, 1), "pdf"),
    "rot180": (lambda x: rotate(x, 2), "pdf"),
    "rot270": (lambda x: rotate(x, 3), "pdf"),
    "skew4": (lambda x: skew(x, 4), "pdf"),
    "noise_jpeg": (noisy_jpeg, "pdf"),
    "grey_uneven": (grey_uneven, "pdf"),
    "photo": (photo, "jpg"),
}


def _check_one(tmp_path, pool, rgb, fmt):
    d = tmp_path / "packet"
    d.mkdir()
    if fmt == "pdf":
        as_scanned_pdf(rgb, d / "scan0001.pdf")
    else:
        Image.fromarray(rgb).save(d / "IMG_2041.jpg", "JPEG", quality=88)
    (d / "case.json").write_text('{"record_severity": "general"}', encoding="utf-8")
    res = check_packet(d, as_of=dt.date(2024, 10, 20), pool=pool)
    apps = [m for m in res.materials if m.kind == "application_form"]
    assert apps, [(m.kind, m.path) for m in res.materials]
    return apps[0], res


@pytest.mark.parametrize("name", list(CASES))
def test_degraded_page_reads_like_the_text_version(tmp_path, pool, clean_rgb, name):
    fn, fmt = CASES[name]
    m, _ = _check_one(tmp_path, pool, fn(clean_rgb), fmt)
    assert m.text_source == "ocr"
    assert m.value("enterprise_name") == FACTS.name
    assert m.value("uscc") == FACTS.uscc
    assert m.value("decision_number") == FACTS.decision_number
    assert m.value("signed_date") == FACTS.signed_date.isoformat()
    assert m.value("seal") == "present"
    assert m.value("signature") == "present"
    # evidence lands inside the page as the file shows it
    x0, y0, x1, y1 = m.fields["uscc"].bbox
    assert 0 <= x0 < x1 and 0 <= y0 < y1


def test_black_and_white_copy_never_claims_a_seal_it_cannot_see(tmp_path, pool, clean_rgb):
    m, res = _check_one(tmp_path, pool, bw_copy(clean_rgb), "pdf")
    assert m.value("uscc") == FACTS.uscc
    seal = [f for f in res.findings if f.code == "SEAL_MISSING" and f.kind == "application_form"]
    if m.value("seal") == "present":  # the grey ring was found
        assert not seal
    else:
        assert seal and seal[0].severity == "warning"


def test_no_ocr_reports_scans_unreadable_never_guessed(tmp_path, pool, clean_rgb):
    d = tmp_path / "packet"
    d.mkdir()
    as_scanned_pdf(clean_rgb, d / "scan.pdf")
    (d / "case.json").write_text('{"record_severity": "general"}', encoding="utf-8")
    res = check_packet(d, as_of=dt.date(2024, 10, 20), pool=pool, ocr=False)
    assert all(not m.fields for m in res.materials)
    assert all(m.text_source == "none" for m in res.materials)
    assert any("未进行文字识别" in f.message for f in res.findings)


def test_ocr_makes_no_network_access(tmp_path, clean_rgb, monkeypatch):
    """The model ships in the wheel: OCR runs with every socket refused."""
    def refuse(*a, **k):
        raise OSError("network access during OCR")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from xinyong_desktop.intake.ocr import ocr_page

    glyphs, _img, _m = ocr_page(clean_rgb, 150 / 72)
    assert any(FACTS.uscc in g.text.replace(" ", "") for g in glyphs)


@pytest.mark.parametrize("turned", [False, True])
def test_a_turn_stands_only_when_the_turned_page_reads_better(clean_rgb, monkeypatch, turned):
    """The direction classifier misjudges lines a few degrees askew (a phone photo of a form, as in corpus2): the
    page is turned only when the turned page reads better — an upright page stays upright whatever it says, and
    a page really upside down is still turned."""
    from xinyong_desktop.intake import ocr
    from xinyong_desktop.intake import prepare as pp

    monkeypatch.setattr(pp, "upside_down", lambda engine, img, boxes: True)  # a classifier that says "180" always
    rgb = skew(clean_rgb, 5)
    if turned:
        rgb = rotate(rgb, 2)
    glyphs, _, _ = ocr.ocr_page(rgb, 150 / 72)
    text = "".join(g.text for g in glyphs)
    assert FACTS.uscc in text and FACTS.name in text
