"""Benchmark: seconds to check one text-PDF packet (~8 files, 15 pages) vs. a floor.

The floor is pypdfium2 text extraction of the same files — the least any checker must do.  Two figures:
in this process with a warm parser pool (the desk's case), and as whole processes (`xinyong-desktop check`
against a Python process that imports pypdfium2 and extracts the text: the command line's case).
Run from the repository root:  python benchmarks/bench_check.py
"""
from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium

from tests.packetgen import Facts, Spec, draw_pdf, write_packet
from xinyong_desktop.intake.sandbox import ParserPool
from xinyong_desktop.services.check_packet import check_packet


def make_packet(root: Path) -> Path:
    f = Facts.random(99)
    d = write_packet(root / "packet", f, "serious", "agent")
    # a stack scan of three materials and a two-copy decision make it 8+ files / 15 pages
    draw_pdf(d / "scan_stack.pdf", [Spec("commitment_letter"), Spec("application_form", layout=1),
                                    Spec("business_license"), Spec("payment_proof", layout=1)], f)
    draw_pdf(d / "附件.pdf", [Spec("penalty_decision", layout=1), Spec("legal_rep_id")], f)
    return d


def floor(files: list[Path]) -> float:
    t = time.perf_counter()
    for p in files:
        doc = pdfium.PdfDocument(str(p))
        for page in doc:
            page.get_textpage().get_text_range()
        doc.close()
    return time.perf_counter() - t


FLOOR_PROCESS = """
import sys, pypdfium2 as pdfium
for p in sys.argv[1:]:
    doc = pdfium.PdfDocument(p)
    for page in doc:
        page.get_textpage().get_text_range()
"""


def whole_process(d: Path, files: list[Path], runs: int = 5) -> tuple[float, float]:
    """Median wall seconds of the check command and of the floor, each as its own process."""
    def timed(cmd: list[str]) -> float:
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        return time.perf_counter() - t

    check = [sys.executable, "-m", "xinyong_desktop", "check", str(d), "--as-of", "2026-01-01", "--json"]
    floor_cmd = [sys.executable, "-c", FLOOR_PROCESS, *map(str, files)]
    return (statistics.median(timed(check) for _ in range(runs)),
            statistics.median(timed(floor_cmd) for _ in range(runs)))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = make_packet(Path(tmp))
        files = sorted(d.rglob("*.pdf"))
        pages = sum(len(pdfium.PdfDocument(str(p))) for p in files)
        as_of = dt.date(2026, 1, 1)
        t = time.perf_counter()
        with ParserPool() as pool:
            cold = check_packet(d, as_of=as_of, pool=pool)
            t_cold = time.perf_counter() - t
            warm = []
            for _ in range(5):
                t = time.perf_counter()
                check_packet(d, as_of=as_of, pool=pool)
                warm.append(time.perf_counter() - t)
        fl = statistics.median(floor(files) for _ in range(5))
        med = statistics.median(warm)
        print(f"packet: {len(files)} files, {pages} pages, {len(cold.materials)} materials")
        print(f"check, cold (parser processes started): {t_cold:.2f} s")
        print(f"check, warm pool, median of 5:          {med:.2f} s per packet  (target < 1.5 s)")
        print(f"floor (pypdfium2 text extraction):      {fl:.3f} s  -> ratio {med / fl:.1f}x")
        proc, proc_floor = whole_process(d, files)
        print(f"whole process: check command {proc:.2f} s, floor process {proc_floor:.2f} s "
              f"-> ratio {proc / proc_floor:.1f}x  (target <= 5x)")


if __name__ == "__main__":
    main()
