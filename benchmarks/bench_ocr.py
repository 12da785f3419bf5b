"""Benchmark: scanned pages — our seconds per page against the OCR engine alone, per stage, per backend.

    python benchmarks/bench_ocr.py                 # both backends (each in a process of its own)
    python benchmarks/bench_ocr.py --backend openvino

For each backend (XINYONG_OCR_BACKEND=openvino|onnxruntime) it prints
- the engine alone: detection + recognition of each 144 dpi page, nothing else (CPU and wall seconds per page);
- the stages of our pipeline, in one process, page after page (CPU seconds per page): render, preparation
  (orientation and skew), detection, recognition, the engine's word boxes, the second look at dates,
  ink/seal analysis, the text model and checks ("layout": everything after the parser);
- the desk's way: the same packet through the parser pool (2 processes), CPU time of the whole process tree
  per page (the machine is shared: CPU time is the figure to compare; wall time is printed beside it), time to
  the first material and peak memory of a parser.
Acceptance (issue 25): our CPU seconds per page ≤ 1.1 × the engine alone's.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from PIL import Image  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from tests.packetgen import FILE_NAMES, Facts, kinds_for, write_packet  # noqa: E402

AS_OF = dt.date(2026, 1, 1)


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


def cpu() -> float:
    """CPU seconds of this process, all threads (an inference engine may run in threads of its own)."""
    return time.process_time()


def engine_alone(pdfs: list[Path]) -> tuple[float, float]:
    """Median CPU and wall seconds of detection + recognition of one 144 dpi page, nothing else."""
    from xinyong_desktop.intake.ocr import _engine

    eng = _engine()
    pages = [pdfium.PdfDocument(str(p))[0].render(scale=2.0, rev_byteorder=True).to_numpy()[..., :3].copy()
             for p in pdfs]
    eng(pages[0], use_det=True, use_cls=False, use_rec=True)  # warm
    cpus, walls = [], []
    for rgb in pages:
        c, t = cpu(), time.perf_counter()
        eng(rgb, use_det=True, use_cls=False, use_rec=True)
        cpus.append(cpu() - c)
        walls.append(time.perf_counter() - t)
    return statistics.median(cpus), statistics.median(walls)


class Stages:
    """Exclusive CPU time per stage: a stage's calls count without the timed calls made inside them."""

    def __init__(self):
        self.acc: dict[str, float] = defaultdict(float)
        self._stack: list[float] = []  # CPU time of timed calls made inside each open call
        self.passthrough = False  # inside an engine call that its caller's stage holds

    def run(self, stage: str, fn, *a, **k):
        c = cpu()
        self._stack.append(0.0)
        try:
            return fn(*a, **k)
        finally:
            inner = self._stack.pop()
            spent = cpu() - c
            self.acc[stage] += spent - inner
            if self._stack:
                self._stack[-1] += spent

    @contextlib.contextmanager
    def patch(self, obj, name: str, stage: str):
        orig = getattr(obj, name)

        def wrapper(*a, **k):
            if self.passthrough:
                return orig(*a, **k)
            return self.run(stage, orig, *a, **k)

        setattr(obj, name, wrapper)
        try:
            yield
        finally:
            setattr(obj, name, orig)


class _EngineProxy:
    """The engine: its page reading (detection + recognition + word boxes) timed model by model; its other calls
    (orientation, the second look) left to the stage that makes them."""

    def __init__(self, eng, st: Stages):
        self._eng, self._st = eng, st

    def __getattr__(self, name):
        return getattr(self._eng, name)

    def __call__(self, img, **kw):
        if kw.get("use_det") and kw.get("use_rec"):
            return self._st.run("word boxes, engine pre/post", self._eng, img, **kw)
        self._st.passthrough = True
        try:
            return self._eng(img, **kw)
        finally:
            self._st.passthrough = False


class InProcessPool:
    """check_packet's pool, parsing in this process (so every stage can be timed)."""

    def __init__(self):
        from xinyong_desktop.intake.limits import Limits

        self.limits = Limits()

    def map(self, paths, ocr=True, on_result=None, cancel=None):
        from xinyong_desktop.intake import worker

        out = {}
        for p in paths:
            out[p] = worker.parse_file(p, ocr=ocr, limits=self.limits)
            if on_result:
                on_result(p, out[p])
        return out


def stages(packet: Path, pages: int) -> dict[str, float]:
    """CPU seconds per page of each stage of one check in this process."""
    import pypdfium2 as pdfium_mod
    from rapidocr.ch_ppocr_det import TextDetector
    from rapidocr.ch_ppocr_rec import TextRecognizer

    from xinyong_desktop.intake import ocr, prepare, worker
    from xinyong_desktop.services import check_packet as cp

    st = Stages()
    eng = ocr._engine()
    with contextlib.ExitStack() as es:
        es.enter_context(st.patch(pdfium_mod.PdfPage, "render", "render"))
        es.enter_context(st.patch(worker, "decode_bounded", "render"))
        for name in ("straighten_photo", "upside_down", "deskew"):
            es.enter_context(st.patch(prepare, name, "preparation"))
        es.enter_context(st.patch(ocr, "drop_red", "preparation"))
        es.enter_context(st.patch(ocr, "second_look", "second look at dates"))
        es.enter_context(st.patch(worker, "_page", "ink/seal analysis"))
        es.enter_context(st.patch(worker, "parse_file", "parser (other)"))
        es.enter_context(st.patch(TextDetector, "__call__", "detection"))
        es.enter_context(st.patch(TextRecognizer, "__call__", "recognition"))
        ocr._STATE["engine"] = _EngineProxy(eng, st)
        try:
            st.run("layout + checks", cp.check_packet, packet, as_of=AS_OF, pool=InProcessPool())
        finally:
            ocr._STATE["engine"] = eng
    out = {k: v / pages for k, v in st.acc.items() if not k.startswith("_")}
    out["total"] = sum(out.values())
    return out


def _vm_hwm(pid: int) -> float:
    """Peak resident memory of a process in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def pool_run(packet: Path, pages: int) -> dict:
    """The desk's way: the parser pool, 2 processes, warm as the desk keeps them between packets (each has read
    a page, so its engine is loaded); CPU of the whole process tree.  The cold start is timed separately."""
    from xinyong_desktop.intake.sandbox import ParserPool, cpu_seconds
    from xinyong_desktop.services.check_packet import check_packet

    first: list[float] = []
    pdfs = sorted(packet.glob("*.pdf"))
    with ParserPool() as pool:
        pool.warm()
        c0 = {pid: cpu_seconds(pid) or 0.0 for pid in pool.pids()}
        t = time.perf_counter()
        pool.map([str(p) for p in pdfs[:2]])  # one page each: both parsers load their engine
        cold_wall = time.perf_counter() - t
        base = {pid: cpu_seconds(pid) or 0.0 for pid in pool.pids()}
        cold_cpu = sum(base[pid] - c0.get(pid, 0.0) for pid in base)
        c = cpu()
        t0 = time.perf_counter()
        res = check_packet(packet, as_of=AS_OF, pool=pool,
                           on_material=lambda m: first.append(time.perf_counter() - t0) if not first else None)
        wall = time.perf_counter() - t0
        main_cpu = cpu() - c
        parser_cpu = sum((cpu_seconds(pid) or 0.0) - base.get(pid, 0.0) for pid in pool.pids())
        peak = max((_vm_hwm(pid) for pid in pool.pids()), default=0.0)
    return {"wall": wall, "cpu": main_cpu + parser_cpu, "first": first[0] if first else 0.0, "peak_mb": peak,
            "materials": len(res.materials), "ready": res.ready, "pages": pages, "cold_wall": cold_wall,
            "cold_cpu": cold_cpu}


def one_backend(backend: str) -> dict:
    os.environ["XINYONG_OCR_BACKEND"] = backend
    from xinyong_desktop.intake.ocr import backend as chosen

    with tempfile.TemporaryDirectory() as tmp:
        d = scan_packet(Path(tmp))
        pdfs = sorted(d.glob("*.pdf"))
        name = chosen().label()
        eng_cpu, eng_wall = engine_alone(pdfs)
        st = stages(d, len(pdfs))
        pool = pool_run(d, len(pdfs))
    return {"backend": name, "engine_cpu": eng_cpu, "engine_wall": eng_wall, "stages": st, "pool": pool}


def report(r: dict) -> None:
    st, pool = r["stages"], r["pool"]
    print(f"== {r['backend']}")
    print(f"  engine alone (detection + recognition, 144 dpi page): {r['engine_cpu']:.2f} s CPU, "
          f"{r['engine_wall']:.2f} s wall per page")
    print("  stages, one process (CPU s per page):")
    for k in ("render", "preparation", "detection", "recognition", "word boxes, engine pre/post", "second look at dates",
              "ink/seal analysis", "parser (other)", "layout + checks", "total"):
        print(f"    {k:<22}{st.get(k, 0.0):6.2f}")
    print(f"  our pipeline / engine alone (CPU): {st['total'] / r['engine_cpu']:.2f}x  (target <= 1.10x)")
    pp = pool["pages"]
    print(f"  parser pool, 2 warm processes: {pp} pages, {pool['materials']} materials, ready={pool['ready']}; "
          f"{pool['cpu'] / pp:.2f} s CPU per page (process tree) = {pool['cpu'] / pp / r['engine_cpu']:.2f}x the "
          f"engine; wall {pool['wall']:.1f} s ({pool['wall'] / pp * 2:.2f} s per page per core)")
    print(f"  time to first material {pool['first']:.1f} s; peak memory of a parser {pool['peak_mb']:.0f} MB")
    print(f"  cold start (both parsers load the engine and read one page each): {pool['cold_cpu']:.1f} s CPU, "
          f"{pool['cold_wall']:.1f} s wall")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["openvino", "onnxruntime"], help="one backend, in this process")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON (used for the comparison)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} cores",
          file=sys.stderr)
    if args.backend:
        r = one_backend(args.backend)
        if args.json:
            print(json.dumps(r))
        else:
            report(r)
        return
    results = []
    for b in ("onnxruntime", "openvino"):
        out = subprocess.run([sys.executable, __file__, "--backend", b, "--json"], capture_output=True, text=True)
        if out.returncode:
            print(f"{b}: failed\n{out.stderr[-2000:]}")
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for r in results:
        report(r)
    if len(results) == 2:
        a, b = results
        print(f"OpenVINO / onnxruntime, our pipeline CPU per page: {b['stages']['total'] / a['stages']['total']:.2f}; "
              f"engine alone: {b['engine_cpu'] / a['engine_cpu']:.2f}")
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"benchmark children CPU {ru.ru_utime + ru.ru_stime:.0f} s; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
