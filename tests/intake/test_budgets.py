"""Budgets that fit the input: a kilobyte file declaring many huge pages (or frames) with nothing on them is
weighed by its structure, not OCR'd for minutes, and named for review as a file with nothing readable; files
with something to read on them are read as before."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from xinyong_desktop.intake.limits import Limits, Weight, weigh

ID_TEXT = "信用修复承诺书：本企业承诺所提交的材料真实有效"


def huge_vector_pdf(path: Path, pages: int = 60) -> Path:
    """The issue's 28 KB PDF: 60 pages of 14000×14000 pt, one thick line each (the old parser OCR'd each at
    3 MP: 535 s)."""
    c = Canvas(str(path), pagesize=(14_000, 14_000))
    for i in range(pages):
        c.setLineWidth(40)
        c.line(500, 500 + i * 200, 13_500, 13_000 - i * 150)
        c.showPage()
    c.save()
    return path


def empty_frames_tiff(path: Path, frames: int = 60, size: tuple[int, int] = (6000, 8000)) -> Path:
    """The issue's 321 KB TIFF: 60 bilevel frames of 48 megapixels, one black bar each (was: 466 s)."""
    a, b = Image.new("1", size, 1), Image.new("1", size, 1)
    a.paste(0, (100, 100, 400, size[1] - 100))
    b.paste(0, (2000, 100, 2300, size[1] - 100))
    a.save(path, save_all=True, append_images=[b if i % 2 else a for i in range(frames - 1)], compression="group4")
    return path


def _text_pdf(path: Path, text: str = ID_TEXT) -> Path:
    from tests.packetgen import _font

    c = Canvas(str(path))
    c.setFont(_font(), 14)
    c.drawString(72, 700, text)
    c.showPage()
    c.save()
    return path


def test_weighing_tells_pages_with_something_to_read(tmp_path):
    limits = Limits()
    every = tuple(range(60))
    assert weigh(str(huge_vector_pdf(tmp_path / "huge.pdf")), limits) == Weight(60, 0, 0, 60, every)
    assert weigh(str(empty_frames_tiff(tmp_path / "scan.tif")), limits) == Weight(60, 0, 0, 0, every)
    assert weigh(str(_text_pdf(tmp_path / "text.pdf")), limits) == Weight(1, 1, 0)

    # a scan: a picture on the page (any size: a small one may be stretched over the page) is read by OCR
    pic = tmp_path / "pic.png"
    Image.new("L", (40, 20), 0).save(pic)
    c = Canvas(str(tmp_path / "scan.pdf"))
    c.drawImage(str(pic), 0, 0, 595, 842)
    c.showPage()
    c.save()
    # text drawn as outlines (a printer driver's "text as curves"): a few characters' worth of segments
    c = Canvas(str(tmp_path / "curves.pdf"))
    p = c.beginPath()
    for i in range(40):
        p.moveTo(72 + i * 12, 700)
        p.curveTo(75 + i * 12, 712, 80 + i * 12, 712, 82 + i * 12, 700)
    c.drawPath(p, fill=1)
    c.showPage()
    # and a page whose only content is an annotation (a stamp, a filled form field)
    c.textAnnotation("已核对", Rect=(72, 600, 200, 650))
    c.showPage()
    c.save()
    assert weigh(str(tmp_path / "scan.pdf"), limits) == Weight(1, 0, 1)
    # pages larger than any paper: text on a 14000 pt canvas is oversized; a photo made a PDF at 72 dpi
    # (8064×6048 pt, a 48 MP camera) is not — it has a picture
    c = Canvas(str(tmp_path / "canvas.pdf"), pagesize=(14_000, 14_000))
    for i in range(3):
        c.setFont("Helvetica", 300)
        c.drawString(1000, 7000, f"A HUGE PAGE OF TEXT {i}")
        c.showPage()
    c.save()
    c = Canvas(str(tmp_path / "photo.pdf"), pagesize=(8064, 6048))
    c.setFont("Helvetica", 40)
    c.drawString(100, 100, "an invisible OCR text layer over the photo")
    c.drawImage(str(pic), 0, 0, 8064, 6048)
    c.showPage()
    c.save()
    assert weigh(str(tmp_path / "canvas.pdf"), limits) == Weight(3, 3, 0, oversized=3)
    assert weigh(str(tmp_path / "photo.pdf"), limits) == Weight(1, 1, 0, oversized=0)
    assert weigh(str(tmp_path / "curves.pdf"), limits) == Weight(2, 0, 2)

    # a scanned TIFF frame with text on it compresses to far more than an empty one
    import numpy as np

    rng = np.random.default_rng(3)
    page = np.ones((2200, 1700), bool)
    for row in range(200, 2000, 60):  # lines of "characters": small dark blobs
        for col in range(150, 1550, 30):
            if rng.random() < 0.8:
                page[row:row + 24, col:col + 20] = rng.random((24, 20)) > 0.5
    frame = Image.fromarray(page).convert("1")
    frame.save(tmp_path / "fax.tif", save_all=True, append_images=[Image.new("1", (1700, 2200), 1)],
               compression="group4")
    assert weigh(str(tmp_path / "fax.tif"), limits) == Weight(2, 0, 2)  # a blank back page under 1 MP is kept too
    frame.save(tmp_path / "fax600.tif", save_all=True, append_images=[Image.new("1", (5000, 7000), 1)],
               compression="group4")
    assert weigh(str(tmp_path / "fax600.tif"), limits) == Weight(2, 0, 1, 0, (1,))  # a blank 35 MP one is not

    # what it cannot tell is left to the parser and its page-count budget
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    assert weigh(str(tmp_path / "broken.pdf"), limits) is None
    assert weigh(str(pic), limits) is None


def test_budget_follows_the_weight():
    limits = Limits()
    kib28 = 28 * 1024
    # 60 pages with nothing to read: a base and a second each, capped by what 28 KB can hold
    assert limits.budget(Weight(60, 0, 0), True) == 30 + 60 * 1.0
    assert limits.budget(Weight(60, 0, 0), True, kib28) == pytest.approx(30 + 0.15 * 28)
    # a real 60-page scan keeps its OCR budget; text pages their text budget; a large file is not capped
    assert limits.budget(Weight(60, 0, 60), True, 40 << 20) == 30 + 60 * 15
    assert limits.budget(Weight(60, 60, 0), True, 40 << 20) == 30 + 60 * 3
    assert limits.budget(Weight(3, 1, 1), False) == 30 + 3 + 3 + 1
    # and never less than one page's budget, however small the file
    assert limits.budget(Weight(1, 0, 1), True, 100) == 30 + 15
    # a file with nothing to read is rendered small; any other keeps the full pixel caps
    # pages with nothing to read are not OCR'd (rendered small); a file without such pages is parsed as before
    assert limits.for_file(Weight(60, 0, 1, 0, tuple(range(1, 60)))).empty_pages == frozenset(range(1, 60))
    assert limits.for_file(Weight(60, 0, 60)) is limits and limits.for_file(None) is limits
    # a file of pages larger than any paper without pictures: ink analysis at 4 MP, not 12 (OCR unchanged)
    canvas = limits.for_file(Weight(3, 3, 0, oversized=3))
    assert canvas.max_render_pixels == limits.oversized_render_pixels and canvas.max_ocr_pixels == limits.max_ocr_pixels
    assert limits.for_file(Weight(3, 3, 0, oversized=2)) is limits  # one ordinary page: as before


def test_cheap_hostile_files_are_named_and_the_packet_checked(tmp_path, rules):
    """The issue's 28 KB PDF of 60 huge pages and 321 KB TIFF of 60 empty frames, in a generated packet:
    each hostile file is named in a review finding as a file with nothing readable (the old code OCR'd them
    until the time limit and reported a timeout — or, on a fast machine, minutes later the same finding),
    and every material of the packet is read as what it is."""
    from tests.packetgen import FILE_NAMES, Facts, write_packet
    from xinyong_desktop.intake.sandbox import ParserPool
    from xinyong_desktop.services.check_packet import check_packet

    d = write_packet(tmp_path / "packet", Facts.random(7))
    huge_vector_pdf(d / "承诺书(1).pdf")
    empty_frames_tiff(d / "scan.tif")
    assert (d / "承诺书(1).pdf").stat().st_size < 40 * 1024 and (d / "scan.tif").stat().st_size < 400 * 1024
    with ParserPool(workers=1) as own:
        res = check_packet(d, as_of=dt.date(2025, 3, 1), rules=rules, pool=own)
    by_path: dict[str, list] = {}
    for f in res.findings:
        by_path.setdefault(f.path, []).append((f.code, f.severity, f.message))
    blank = {p for p, fs in by_path.items() if any("没有可识别的文字" in m for _c, _s, m in fs)}
    assert blank == {"承诺书(1).pdf", "scan.tif"}, by_path
    assert not any("超时" in m for fs in by_path.values() for _c, _s, m in fs), by_path
    kinds = {m.path: m.kind.value for m in res.materials}
    expected = {name: kind for kind, name in FILE_NAMES.items() if (d / name).exists()}
    assert expected and all(kinds.get(name) == kind for name, kind in expected.items()), kinds


def test_a_readable_page_among_empty_huge_ones_is_read(tmp_path):
    """One scanned page among 59 empty pages of 14000 pt (the next cheap file: it used to OCR all 60, a minute,
    past a 28 KB file's budget): the scan is OCR'd, the empty pages are not (no text on them, as OCR finds)."""
    from PIL import ImageDraw, ImageFont

    from tests.packetgen import font_path
    from xinyong_desktop.intake.sandbox import ParserPool

    pic = Image.new("L", (1240, 300), 255)
    ImageDraw.Draw(pic).text((40, 100), "信用修复承诺书", font=ImageFont.truetype(str(font_path()), 80), fill=0)
    pic.save(tmp_path / "line.jpg", quality=60)
    path = tmp_path / "mixed.pdf"
    c = Canvas(str(path), pagesize=(595, 842))
    c.drawImage(str(tmp_path / "line.jpg"), 0, 600, 595, 144)
    c.showPage()
    for i in range(59):
        c.setPageSize((14_000, 14_000))
        c.setLineWidth(40)
        c.line(500, 500 + i * 200, 13_500, 13_000 - i * 150)
        c.showPage()
    c.save()
    assert weigh(str(path), Limits()) == Weight(60, 0, 1, 59, tuple(range(1, 60)))
    with ParserPool(workers=1) as pool:
        res = pool.map([str(path)], ocr=True)[str(path)]
    assert res["ok"], res
    pages = res["pages"]
    assert len(pages) == 60 and all(p["source"] == "ocr" for p in pages)
    assert "承诺书" in "".join(g[0] for g in pages[0]["glyphs"])
    assert not any(p["glyphs"] for p in pages[1:])
