"""Hostile and oversized inputs through the real commands: wall time and peak memory of the whole process
tree (the command, the forkserver, the parser processes, the resource tracker), sampled from /proc.

    python benchmarks/bench_hostile.py            # every scenario
    python benchmarks/bench_hostile.py heic tiff  # some of them

Linux only (reads /proc).  Prints one line per scenario: what was tried, the exit status and outcome, seconds,
peak resident memory of the tree in MB, and how many processes of the tree were still alive afterwards.
"""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- measuring a process tree
def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat[0] not in ("Z", "X"):
                kids.setdefault(int(stat[1]), []).append(int(d))
    return kids


def _tree(root: int, known: set[int]) -> set[int]:
    kids, out, todo = _children(), set(), [root]
    while todo:
        p = todo.pop()
        out.add(p)
        todo.extend(kids.get(p, []))
    return out | {p for p in known if Path(f"/proc/{p}").exists()}  # reparented parsers still count


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def run(cmd: list[str], timeout: float = 600, kill_after: float | None = None) -> dict:
    """Run cmd; sample the tree's resident memory every 50 ms; optionally SIGKILL the command after
    kill_after seconds (its children must then go by themselves)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    seen: set[int] = set()
    peak = 0
    killed = False
    while p.poll() is None:
        pids = _tree(p.pid, seen)
        seen |= pids
        peak = max(peak, sum(_rss(x) for x in pids))
        if kill_after is not None and not killed and time.monotonic() - t0 > kill_after:
            p.send_signal(signal.SIGKILL)
            killed = True
        if time.monotonic() - t0 > timeout:
            p.kill()
            break
        time.sleep(0.05)
    out, err = p.communicate()
    secs = time.monotonic() - t0
    deadline = time.monotonic() + 10
    while any(_alive(x) for x in seen - {p.pid}) and time.monotonic() < deadline:
        time.sleep(0.2)
    return {"rc": p.returncode, "secs": secs, "peak_mb": peak / 2**20, "left": sum(_alive(x) for x in seen - {p.pid}),
            "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace")}


def check(packet: Path) -> list[str]:
    return [sys.executable, "-m", "xinyong_desktop", "check", str(packet), "--json", "--as-of", "2025-03-01"]


def outcome(r: dict, name: str | None = None) -> str:
    try:
        doc = json.loads(r["out"])
    except ValueError:
        return (r["err"].strip().splitlines() or ["(no output)"])[-1][:90]
    if doc.get("errors"):
        return doc["errors"][0]["message"][:90]
    if "findings" in doc:
        fs = [f for f in doc["findings"] if name is None or f.get("path") == name]
        if fs:
            return f"{fs[0]['code']}: {fs[0]['message'][:60]}"
        ms = [m for m in doc["materials"] if name is None or m["path"] == name]
        return f"read as {ms[0]['kind']}" if ms else "no finding"
    return f"{len(doc.get('records', doc.get('rows', [])))} records"


# ---------------------------------------------------------------- inputs
def one_line_pdf(path: Path, glyphs: int = 40_000) -> None:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=(14_000, 200))
    c.setFont("Helvetica", 0.6)
    c.drawString(10, 100, "a" * glyphs)
    c.save()


def huge_page_pdf(path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=(14_000, 14_000))
    c.setFont("Helvetica", 300)
    c.drawString(1000, 7000, "HUGE PAGE")
    c.save()


def scenarios(tmp: Path) -> dict:
    from PIL import Image

    from tests.intake.test_roster_bounds import _xlsx

    def packet(name: str, files: dict[str, bytes | None] | None = None) -> Path:
        d = tmp / name
        d.mkdir()
        (d / "case.json").write_text('{"record_severity": "general"}', encoding="utf-8")
        for n, data in (files or {}).items():
            if data is not None:
                (d / n).write_bytes(data)
        return d

    out = {}

    def line():
        d = packet("line")
        one_line_pdf(d / "一行.pdf")
        return run(check(d)), "一行.pdf"
    out["line"] = ("PDF of 40,000 glyphs on one line (check)", line)

    def fifo():
        d = packet("fifo")
        (d / "case.json").unlink()
        os.mkfifo(d / "case.json")
        return run(check(d), timeout=60), None
    out["fifo"] = ("case.json is a FIFO (check)", fifo)

    def zero():
        d = packet("zero")
        (d / "case.json").unlink()
        (d / "case.json").symlink_to("/dev/zero")
        return run(check(d), timeout=60), None
    out["zero"] = ("case.json links to /dev/zero (check)", zero)

    def passwd():
        d = packet("passwd")
        (d / "case.json").unlink()
        (d / "case.json").symlink_to("/etc/passwd")
        return run(check(d), timeout=60), None
    out["passwd"] = ("case.json links to /etc/passwd (check)", passwd)

    def million():
        p = _xlsx(tmp / "1m.xlsx", 1_048_576)
        return run([sys.executable, "-m", "xinyong_desktop", "roster", str(p), "--json"], timeout=600), None
    out["million"] = ("XLSX roster of 1,048,576 rows (roster)", million)

    def bomb():
        p = _xlsx(tmp / "bomb.xlsx", 20_000, pad=b"A" * 20_000, extra={"xl/media/image1.bin": os.urandom(6 << 20)})
        return run([sys.executable, "-m", "xinyong_desktop", "roster", str(p), "--json"], timeout=600), None
    out["bomb"] = ("XLSX inflating to 400 MB, diluted by a stored random entry (roster)", bomb)

    def huge():
        d = packet("huge")
        huge_page_pdf(d / "a.pdf")
        huge_page_pdf(d / "b.pdf")
        return run(check(d)), "a.pdf"
    out["huge"] = ("two 8 KB PDFs with 14000×14000 pt pages (check)", huge)

    def png():
        d = packet("png")
        Image.new("L", (8900, 8900), 255).save(d / "79mp.png", compress_level=1)
        return run(check(d)), "79mp.png"
    out["png"] = ("79-megapixel PNG (check, OCR on)", png)

    def jpeg():
        buf = io.BytesIO()
        Image.new("RGB", (8900, 8900), "white").save(buf, "JPEG", quality=50)
        d = packet("jpeg", {"trunc.jpg": buf.getvalue()[: len(buf.getvalue()) // 3]})
        return run(check(d)), "trunc.jpg"
    out["jpeg"] = ("truncated JPEG declaring 8900² pixels (check)", jpeg)

    def heic():
        import pillow_heif

        pillow_heif.register_heif_opener()
        d = packet("heic")
        Image.new("RGB", (3024, 4032), "white").save(d / "IMG_0001.HEIC", format="HEIF")
        return run(check(d)), "IMG_0001.HEIC"
    out["heic"] = ("HEIC phone photo 3024×4032 (check)", heic)

    def pdf60():  # the cheap ones: a few kilobytes that used to cost minutes
        from reportlab.pdfgen.canvas import Canvas

        d = packet("pdf60")
        c = Canvas(str(d / "承诺书(1).pdf"), pagesize=(14_000, 14_000))
        for i in range(60):
            c.setLineWidth(40)
            c.line(500, 500 + i * 200, 13_500, 13_000 - i * 150)  # vector art only: OCR'd, nothing to read
            c.showPage()
        c.save()
        return run(check(d), timeout=900), "承诺书(1).pdf"
    out["pdf60"] = ("PDF of 60 pages of 14000×14000 pt, vector art only (check)", pdf60)

    def tiff60():
        d = packet("tiff60")
        frames = [Image.new("1", (6000, 8000), 1) for _ in range(60)]
        for i, f in enumerate(frames):
            f.paste(0, (100 + i * 50, 100, 400 + i * 50, 7900))  # one black bar per frame
        frames[0].save(d / "scan.tif", save_all=True, append_images=frames[1:], compression="group4")
        return run(check(d), timeout=900), "scan.tif"
    out["tiff60"] = ("60-frame bilevel TIFF of 6000×8000 frames (check)", tiff60)

    def canvas():  # the next cheap file an attacker tries: the huge pages carry a text layer (no OCR)
        from reportlab.pdfgen.canvas import Canvas

        d = packet("canvas")
        c = Canvas(str(d / "画布.pdf"), pagesize=(14_000, 14_000))
        for i in range(60):
            c.setFont("Helvetica", 300)
            c.drawString(1000, 7000, f"A HUGE PAGE OF TEXT {i}")
            c.showPage()
        c.save()
        return run(check(d), timeout=900), "画布.pdf"
    out["canvas"] = ("PDF of 60 pages of 14000×14000 pt, a line of text each (check)", canvas)

    def mixed():  # one scanned page among 59 empty huge ones: the scan is OCR'd, the empty pages are not
        from PIL import ImageDraw, ImageFont
        from reportlab.pdfgen.canvas import Canvas

        from xinyong_desktop.resources import font_path

        d = packet("mixed")
        pic = Image.new("L", (1240, 300), 255)
        ImageDraw.Draw(pic).text((40, 100), "信用修复承诺书", font=ImageFont.truetype(str(font_path()), 80), fill=0)
        pic.save(tmp / "mixed-line.jpg", quality=60)
        c = Canvas(str(d / "承诺书.pdf"), pagesize=(595, 842))
        c.drawImage(str(tmp / "mixed-line.jpg"), 0, 600, 595, 144)
        c.showPage()
        for i in range(59):
            c.setPageSize((14_000, 14_000))
            c.setLineWidth(40)
            c.line(500, 500 + i * 200, 13_500, 13_000 - i * 150)
            c.showPage()
        c.save()
        return run(check(d), timeout=900), "承诺书.pdf"
    out["mixed"] = ("PDF of one scanned page and 59 empty pages of 14000×14000 pt (check)", mixed)

    def selfref():  # the stream length refers to itself: PDFium repairs it into a near-blank page
        import zlib

        from tests.intake.test_hostile import _raw_pdf

        d = packet("selfref")
        (d / "承诺书(1).pdf").write_bytes(_raw_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length 4 0 R /Filter /FlateDecode >>\nstream\n"
            + zlib.compress(b"BT /F1 24 Tf 72 700 Td (Commitment) Tj ET")[:9] + b"\nendstream"]))
        return run(check(d)), "承诺书(1).pdf"
    out["selfref"] = ("PDF whose stream length refers to itself (check)", selfref)

    def merged():
        from tests.intake.test_roster_bounds import _merged_xlsx

        p = _merged_xlsx(tmp / "merged.xlsx", "A1:XFD1048576")
        return run([sys.executable, "-m", "xinyong_desktop", "roster", str(p), "--json"], timeout=600), None
    out["merged"] = ("XLSX roster merging A1:XFD1048576 (roster)", merged)

    def kill():
        d = packet("kill")
        huge_page_pdf(d / "hang.pdf")
        script = ("import sys\nfrom pathlib import Path\nfrom tests.intake.hostile_parsers import install\n"
                  "from xinyong_desktop.intake.sandbox import ParserPool\nif __name__ == '__main__':\n"
                  "    with ParserPool(workers=2, initializer=install, initargs=('hang.pdf',)) as pool:\n"
                  "        pool.map([sys.argv[1]], ocr=False)\n")
        (tmp / "hang_main.py").write_text(script)
        r = run([sys.executable, str(tmp / "hang_main.py"), str(d / "hang.pdf")], kill_after=3.0)
        r["out"] = ""
        r["err"] = f"main killed during a hung parse; processes of its tree alive 10 s later: {r['left']}"
        return r, None
    out["kill"] = ("main process killed during a hung parse", kill)
    return out


def bench_build_lines() -> None:
    from xinyong_desktop.extract.layout import Glyph, build_lines

    glyphs = [Glyph("字", 10.0 + i * 5, 100.0 + (i % 3) * 0.5, 14.0 + i * 5, 110.0 + (i % 3) * 0.5) for i in range(40_000)]
    t = time.perf_counter()
    lines = build_lines(glyphs)
    print(f"build_lines, 40,000 glyphs on one line: {time.perf_counter() - t:.3f} s ({len(lines)} line)")


def main() -> None:
    wanted = sys.argv[1:]
    if not wanted or "build_lines" in wanted:
        bench_build_lines()
    with tempfile.TemporaryDirectory() as tmp:
        for key, (what, fn) in scenarios(Path(tmp)).items():
            if wanted and key not in wanted:
                continue
            r, name = fn()
            size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file() and key in str(p))
            print(f"{what}: exit {r['rc']}, {outcome(r, name)}; {r['secs']:.1f} s, peak {r['peak_mb']:.0f} MB "
                  f"(whole tree), left running {r['left']}; input {size / 1024:.1f} KB", flush=True)


if __name__ == "__main__":
    main()
