"""Benchmark: scanned pages — seconds per page (vs. the OCR engine alone), peak memory, time to first result.

python benchmarks/bench_ocr.py
"""
from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from tests.packetgen import FILE_NAMES, Facts, kinds_for, write_packet
from xinyong_desktop.intake.sandbox import ParserPool
from xinyong_desktop.services.check_packet import check_packet


def scan_packet(root: Path) -> Path:
    """The generated text packet, every page rasterised at 150 dpi into an image-only PDF."""
    f = Facts.random(5)
    text = write_packet(root / "text", f, "serious", "agent")
    out = root / "scan"
    out.mkdir()
    (out / "case.json").write_bytes((text / "case.json").read_bytes())
    for i, kind in enumerate(kinds_for("serious", "agent")):
        page = pdfium.PdfDocument(str(text / FILE_NAMES[kind]))[0]
        rgb = page.render(scale=150 / 72, rev_byteorder=True).to_numpy()[..., :3]
        buf = io.BytesIO()
        Image.fromarray(rgb).save(buf, "JPEG", quality=80)
        c = Canvas(str(out / f"scan{i:04d}.pdf"), pagesize=A4)
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, *A4)
        c.save()
    return out


def engine_only(pdf: Path) -> float:
    from xinyong_desktop.intake.ocr import _engine

    rgb = pdfium.PdfDocument(str(pdf))[0].render(scale=2.0, rev_byteorder=True).to_numpy()[..., :3].copy()
    eng = _engine()
    eng(rgb, use_det=True, use_cls=False, use_rec=True)
    t = time.perf_counter()
    eng(rgb, use_det=True, use_cls=False, use_rec=True)
    return time.perf_counter() - t


def _vm_hwm(pid: int) -> float:
    """Peak resident memory of a process in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = scan_packet(Path(tmp))
        pages = len(list(d.glob("*.pdf")))
        first: list[float] = []
        with ParserPool() as pool:
            t0 = time.perf_counter()
            res = check_packet(d, as_of=dt.date(2026, 1, 1), pool=pool,
                               on_material=lambda m: first.append(time.perf_counter() - t0) if not first else None)
            total = time.perf_counter() - t0
            peaks = [_vm_hwm(s.proc.pid) for s in pool._slots]
        eng = statistics.median(engine_only(p) for p in sorted(d.glob("*.pdf"))[:3])
        peak_children = max(peaks, default=0.0)
        print(f"scanned packet: {pages} pages, {len(res.materials)} materials, ready={res.ready}")
        print(f"total {total:.1f} s on 2 parser processes -> {total / pages * 2:.2f} s per page per core")
        print(f"OCR engine alone (144 dpi page): {eng:.2f} s per page")
        print(f"time to first material: {first[0]:.1f} s")
        print(f"peak memory of a parser process: {peak_children:.0f} MB")


if __name__ == "__main__":
    main()
