"""Hostile and broken files: each becomes one readable failure within the limits, never a crash or hang."""
from __future__ import annotations

import io
import os
import re
import struct
import time
import zlib

import pytest
from reportlab.pdfgen.canvas import Canvas

from tests.intake.hostile_parsers import install
from xinyong_desktop.intake.limits import Limits
from xinyong_desktop.intake.sandbox import ParserPool, cpu_seconds


def _pdf_with_text(path, text="信用修复承诺书", encrypt=None):
    from tests.packetgen import _font

    c = Canvas(str(path), encrypt=encrypt)
    c.setFont(_font(), 14)
    c.drawString(72, 700, text)
    c.showPage()
    c.save()


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for o in offsets:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _png_header_only(w: int, h: int) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    good = tmp_path / "good.pdf"
    _pdf_with_text(good)
    enc = tmp_path / "encrypted.pdf"
    _pdf_with_text(enc, encrypt="secret")
    trunc = tmp_path / "truncated.pdf"
    trunc.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 3])
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "notes.pdf").write_text("这不是PDF，只是一段文字。", encoding="utf-8")
    nested = b"[" * 200_000 + b"]" * 200_000
    (tmp_path / "nested.pdf").write_bytes(_raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /X " + nested + b" >>",
        b"<< /Length 5 >>\nstream\nBT ET\nendstream"]))
    bomb_data = zlib.compress(b"\x00" * (200 * 1024 * 1024), 9)
    (tmp_path / "bomb.pdf").write_bytes(_raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb_data) + bomb_data + b"\nendstream"]))
    (tmp_path / "pixels.png").write_bytes(_png_header_only(60000, 60000))
    renamed = tmp_path / "photo.jpg"  # a PDF with a picture's name is still read as a PDF
    renamed.write_bytes(good.read_bytes())
    return tmp_path


@pytest.mark.parametrize("name,reason", [
    ("encrypted.pdf", "加密"), ("truncated.pdf", "损坏"), ("empty.pdf", "空"), ("notes.pdf", "不是 PDF"),
    ("pixels.png", "像素"),
])
def test_each_hostile_file_is_one_failure(files, name, reason):
    limits = Limits(memory_bytes=1536 * 1024**2, seconds_base=20)
    t = time.monotonic()
    with ParserPool(workers=1, limits=limits) as pool:
        res = pool.map([str(files / name)], ocr=False)[str(files / name)]
    assert time.monotonic() - t < 60
    assert res["ok"] is False and res["reason"]
    assert re.search(reason, res["reason"]), res["reason"]
    assert any("\u4e00" <= c <= "\u9fff" for c in res["reason"])


def test_decompression_bomb_content_is_read_within_the_limits(files):
    """200 MB of zeros behind a 200 kB stream: PDFium streams the content without holding it; the page is blank
    (nothing drawn), the parser stays within its memory and time limits."""
    t = time.monotonic()
    with ParserPool(workers=1, limits=Limits(memory_bytes=1536 * 1024**2, seconds_base=20)) as pool:
        res = pool.map([str(files / "bomb.pdf")], ocr=False)[str(files / "bomb.pdf")]
    assert time.monotonic() - t < 60
    assert res["ok"] is True and len(res["pages"]) == 1 and res["pages"][0]["glyphs"] == []


def test_deeply_nested_pdf_is_read_as_the_blank_page_it_is(files):
    """200,000 nested arrays in the page dictionary: pdfium skips the junk key; the page is blank, not a crash."""
    with ParserPool(workers=1, limits=Limits(memory_bytes=1536 * 1024**2, seconds_base=20)) as pool:
        res = pool.map([str(files / "nested.pdf")], ocr=False)[str(files / "nested.pdf")]
    assert res["ok"] is True and len(res["pages"]) == 1 and res["pages"][0]["glyphs"] == []


def test_renamed_file_is_read_by_content(files):
    with ParserPool(workers=1) as pool:
        res = pool.map([str(files / "photo.jpg")], ocr=False)[str(files / "photo.jpg")]
    assert res["ok"] and res["ftype"] == "pdf"
    text = "".join(g[0] for g in res["pages"][0]["glyphs"])
    assert "信用修复承诺书" in text


def test_hang_is_killed_at_the_deadline(files):
    """A parser that never returns is stopped by the time limit; the pool keeps working."""
    limits = Limits(seconds_base=1.0, seconds_per_page_text=0.0)
    (files / "hang.pdf").write_bytes((files / "good.pdf").read_bytes())
    with ParserPool(workers=1, limits=limits, start_method="spawn", initializer=install,
                    initargs=("hang.pdf",)) as pool:
        t = time.monotonic()
        out = pool.map([str(files / "hang.pdf"), str(files / "good.pdf")], ocr=False)
        assert time.monotonic() - t < 15
    assert out[str(files / "hang.pdf")]["ok"] is False and "超时" in out[str(files / "hang.pdf")]["reason"]
    assert out[str(files / "good.pdf")]["ok"] is True


def test_the_limit_counts_the_parsers_cpu_time(files):
    """A parser spinning on the CPU is stopped at its CPU limit; one that is slow only because it gets no CPU
    (a loaded laptop: here it waits off the CPU for longer than the limit) finishes."""
    limits = Limits(seconds_base=1.0, seconds_per_page_text=0.0)
    for name in ("spin.pdf", "nap.pdf"):
        (files / name).write_bytes((files / "good.pdf").read_bytes())
    with ParserPool(workers=1, limits=limits, start_method="spawn", initializer=install,
                    initargs=(None, None, None, "spin.pdf", "nap.pdf")) as pool:
        out = pool.map([str(files / "spin.pdf"), str(files / "nap.pdf")], ocr=False)
    assert out[str(files / "spin.pdf")]["ok"] is False and "超时" in out[str(files / "spin.pdf")]["reason"]
    assert out[str(files / "nap.pdf")]["ok"] is True


def test_cpu_seconds_reads_a_process_cpu_time():
    before = cpu_seconds(os.getpid())
    assert before is not None
    t = time.process_time()
    while time.process_time() - t < 0.3:
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.2
    assert cpu_seconds(2**22 + 12345) is None  # no such process


def test_memory_limit_kills_and_recovers(files):
    limits = Limits(memory_bytes=600 * 1024**2)
    with ParserPool(workers=1, limits=limits, start_method="spawn", initializer=install,
                    initargs=(None, "good.pdf")) as pool:
        out = pool.map([str(files / "good.pdf"), str(files / "truncated.pdf")], ocr=False)
    assert out[str(files / "good.pdf")]["ok"] is False
    assert "内存" in out[str(files / "good.pdf")]["reason"]
    assert out[str(files / "truncated.pdf")]["ok"] is False


def test_cancel_stops_the_batch(files):
    import threading

    ev = threading.Event()
    ev.set()
    with ParserPool(workers=1) as pool:
        out = pool.map([str(files / "good.pdf")] * 3, ocr=False, cancel=ev)
    assert out == {}


_NOISY = """
import json, sys
from pathlib import Path
from tests.intake import hostile_parsers
from xinyong_desktop.intake.sandbox import ParserPool
if sys.argv[2] != "-":
    from xinyong_desktop.logs import setup_logging
    setup_logging(Path(sys.argv[2]))
with ParserPool(workers=1, initializer=hostile_parsers.install_noisy_pdfium) as pool:
    print(json.dumps(pool.map([sys.argv[1]], ocr=False), ensure_ascii=False))
"""


@pytest.mark.parametrize("with_log", [True, False], ids=["app-log", "no-log"])
def test_a_parser_prints_nothing_on_stderr(tmp_path, with_log):
    """PdfiumError from a page index (the parser's logging.exception), a warning and a native message on fd 2
    of the parser: nothing reaches the terminal; with a log, the records are in it, masked."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    ID = "320413197807043678"
    pdf = tmp_path / f"身份证{ID}.pdf"
    _pdf_with_text(pdf)
    log = tmp_path / "logs" / "x.log"
    run = subprocess.run([sys.executable, "-c", _NOISY, str(pdf), str(log) if with_log else "-"],
                         cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    res = json.loads(run.stdout)[str(pdf)]
    assert not res["ok"] and "PdfiumError" in res["reason"]  # the page index failed as aimed
    assert run.stderr == ""  # was: Python's last-resort handler printing the traceback with the full path
    if with_log:
        text = log.read_text(encoding="utf-8")
        assert "Traceback" in text and "PdfiumError" in text  # what support needs …
        assert "pdfium: bad xref" in text and "odd page tree" in text  # … the native message, the warning
        assert ID not in text and "**************3678" in text  # … masked


def test_a_file_the_app_may_not_open_is_said_so(tmp_path):
    """Was "(PermissionError) 可能已损坏" with a traceback.  (Root reads every file: a folder named .pdf stands
    in for the refused open.)"""
    bad = tmp_path / "承诺书.pdf"
    bad.mkdir()
    with ParserPool(workers=1) as pool:
        res = pool.map([str(bad)], ocr=False)[str(bad)]
    assert not res["ok"] and "文件无法打开" in res["reason"] and "Error" not in res["reason"], res


def test_the_budget_fits_what_the_file_can_hold(tmp_path):
    """A small file declaring 60 pages gets the budget its bytes can hold, not 60 pages' worth (the 28 KB PDF
    of 60 huge pages ran 535 s of a 930 s budget).  Scaled down: 1 s base, 2 s per page, 0.001 s per KiB."""
    import threading

    from tests.intake.hostile_parsers import install_many_pages

    small = tmp_path / "small.pdf"
    _pdf_with_text(small)
    assert small.stat().st_size < 64 * 1024
    limits = Limits(seconds_base=1.0, seconds_per_page_ocr=2.0, seconds_per_kib=0.001)
    assert limits.timeout(60, True) == 121.0 and limits.timeout(60, True, small.stat().st_size) == 3.0
    assert limits.timeout(60, True, 150 * 1024**2) == 121.0  # a large scan keeps its per-page budget
    stop = threading.Event()
    cancel = threading.Timer(60, stop.set)  # the old budget (121 s of CPU) would still be running
    cancel.start()
    start = time.monotonic()
    try:
        with ParserPool(workers=1, limits=limits, initializer=install_many_pages, initargs=("small.pdf", 60)) as pool:
            out = pool.map([str(small)], ocr=True, cancel=stop)
    finally:
        cancel.cancel()
    assert str(small) in out and "超时" in out[str(small)]["reason"], out
    assert time.monotonic() - start < 60


def test_a_file_with_nothing_readable_is_named_for_review(tmp_path, rules):
    """A blank PDF, and one whose stream length refers to itself (PDFium repairs it into a near-blank page),
    were silently "other" materials: nothing told the instructor that 承诺书(1).pdf shows nothing."""
    import datetime as dt

    from reportlab.pdfgen.canvas import Canvas

    from xinyong_desktop.services.check_packet import check_packet

    d = tmp_path / "packet"
    d.mkdir()
    (d / "case.json").write_text('{"record_severity": "general"}', encoding="utf-8")
    c = Canvas(str(d / "空白.pdf"))
    c.showPage()
    c.save()
    (d / "承诺书(1).pdf").write_bytes(_raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 4 0 R /Filter /FlateDecode >>\nstream\n" + zlib.compress(b"BT /F1 24 Tf 72 700 Td (Commitment) Tj ET")[:9]
        + b"\nendstream"]))
    _pdf_with_text(d / "承诺书.pdf")  # a readable one is not named
    with ParserPool() as own:  # closed afterwards: idle OCR parsers would count in later memory-budget tests
        res = check_packet(d, as_of=dt.date(2025, 3, 1), rules=rules, pool=own)
    named = {f.path for f in res.findings if f.severity == "review" and "没有可识别的文字" in f.message}
    assert named == {"空白.pdf", "承诺书(1).pdf"}, [(f.code, f.path, f.message) for f in res.findings]
