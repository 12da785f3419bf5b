"""The sandbox's bounds: one memory budget for all parsers, huge pages and pictures read smaller (never an
out-of-memory), HEIC photos and every page of a TIFF read, and no parser left running when the app dies."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from tests.intake.hostile_parsers import install, install_two
from tests.packetgen import Facts, Spec, draw_pdf
from xinyong_desktop.intake.limits import Limits
from xinyong_desktop.intake.sandbox import ParserPool

ROOT = Path(__file__).resolve().parents[2]
FACTS = Facts.random(52, decision_date=dt.date(2024, 3, 9), signed_date=dt.date(2024, 10, 16))


def _page_rgb(tmp_path: Path, kind: str) -> np.ndarray:
    draw_pdf(tmp_path / f"{kind}.pdf", [Spec(kind)], FACTS)
    page = pdfium.PdfDocument(str(tmp_path / f"{kind}.pdf"))[0]
    return page.render(scale=150 / 72, rev_byteorder=True).to_numpy()[..., :3].copy()


def _text(res: dict, page: int = 0) -> str:
    return "".join(g[0] for g in res["pages"][page]["glyphs"])


def _ink_pixels(page: dict) -> int:
    return int(page["ink"]["shape"][0] * page["ink"]["shape"][1])


def _tiny_pdfs(tmp_path: Path, *names: str) -> list[str]:
    for n in names:
        c = Canvas(str(tmp_path / n))
        c.drawString(72, 700, "x")
        c.save()
    return [str(tmp_path / n) for n in names]


def _held_by_other_pools() -> int:
    """What the parsers of pools already alive in this test process hold (the suite's shared, OCR-warm pool): the
    budget counts every pool of the process, so each test's budget is set on top of it."""
    from xinyong_desktop.intake import sandbox

    return sum(sandbox.resident_bytes(pid) for pool in list(sandbox._LIVE) for pid in pool.pids())


def test_parsers_share_one_memory_budget(tmp_path):
    """Two parsers that each stay at 500 MB — fine alone, over a 900 MB budget together: the larger is
    stopped (one finding naming memory), the other finishes normally."""
    a, b = _tiny_pdfs(tmp_path, "a.pdf", "b.pdf")
    limits = Limits(memory_budget_bytes=_held_by_other_pools() + 900 * 1024**2, seconds_base=60)
    with ParserPool(workers=2, limits=limits, start_method="spawn", initializer=install_two,
                    initargs=(("a.pdf", "b.pdf"), 500 * 1024**2)) as pool:
        pool.warm()
        out = pool.map([a, b], ocr=False)
    stopped = [p for p in (a, b) if not out[p]["ok"]]
    assert len(stopped) == 1 and "内存" in out[stopped[0]]["reason"]
    assert out[({a, b} - set(stopped)).pop()]["ok"] is True


def test_two_growing_parsers_in_one_pool_stay_within_the_budget(tmp_path):
    _tiny_pdfs(tmp_path, "a.pdf", "b.pdf")
    budget = _held_by_other_pools() + 800 * 1024**2
    limits = Limits(memory_budget_bytes=budget, seconds_base=60)
    with ParserPool(workers=2, limits=limits, start_method="spawn", initializer=install,
                    initargs=(None, "a.pdf", 300 * 1024**2)) as pool:
        pool.warm()
        out = pool.map([str(tmp_path / "a.pdf"), str(tmp_path / "b.pdf")], ocr=False)
    # a.pdf grows to 300 MB and then parses: within the budget with b beside it
    assert out[str(tmp_path / "a.pdf")]["ok"] is True
    assert out[str(tmp_path / "b.pdf")]["ok"] is True


def test_a_14000_point_page_is_read_smaller(tmp_path):
    paths = []
    for i in range(2):
        p = tmp_path / f"huge{i}.pdf"
        c = Canvas(str(p), pagesize=(14000, 14000))
        c.setFont("Helvetica", 400)
        c.drawString(1000, 7000, "HUGE PAGE")
        c.setFillColorRGB(0.9, 0.1, 0.1)
        c.circle(7000, 3000, 1500, fill=1)
        c.save()
        assert p.stat().st_size < 10_000
        paths.append(str(p))
    limits = Limits()
    with ParserPool(workers=2, limits=limits) as pool:
        out = pool.map(paths, ocr=False)
    for p in paths:
        res = out[p]
        assert res["ok"], res
        page = res["pages"][0]
        assert page["width"] == 14000 and "HUGEPAGE" in _text(res)
        assert _ink_pixels(page) <= limits.max_render_pixels
        assert page["ink"]["scale"] < 0.3  # rendered at a fraction of a pixel per point
    from xinyong_desktop.intake.render import MAX_VIEW_PIXELS, render_page

    rgb, scale = render_page(Path(paths[0]), 1)  # the viewer too
    assert rgb.shape[0] * rgb.shape[1] <= MAX_VIEW_PIXELS and scale < 0.3


@pytest.fixture(scope="module")
def big_png(tmp_path_factory):
    p = tmp_path_factory.mktemp("big") / "79mp.png"
    Image.new("L", (8900, 8900), 255).save(p, compress_level=1)  # 79.2 megapixels
    return p


def test_a_79_megapixel_png_is_read_downscaled(big_png):
    with ParserPool(workers=1) as pool:
        res = pool.map([str(big_png)], ocr=False)[str(big_png)]
    assert res["ok"], res
    page = res["pages"][0]
    assert (page["width"], page["height"]) == (8900, 8900)
    assert page["ink"]["shape"][0] <= 1300


def test_a_truncated_jpeg_declaring_8900_squared_is_one_readable_failure(tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (8900, 8900), "white").save(buf, "JPEG", quality=50)
    p = tmp_path / "trunc.jpg"
    p.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 3])
    with ParserPool(workers=1) as pool:
        res = pool.map([str(p)], ocr=True)[str(p)]
    assert res["ok"] is False and "不完整" in res["reason"]


def test_heic_photo_is_read(tmp_path):
    import pillow_heif

    pillow_heif.register_heif_opener()
    p = tmp_path / "IMG_0001.HEIC"
    Image.fromarray(_page_rgb(tmp_path, "commitment_letter")).save(p, format="HEIF", quality=90)
    assert p.read_bytes()[4:12] == b"ftypheic"
    with ParserPool(workers=1) as pool:
        res = pool.map([str(p)], ocr=True)[str(p)]
    assert res["ok"] and res["ftype"] == "heif", res
    assert "承诺书" in _text(res)


def test_every_page_of_a_tiff_is_read(tmp_path):
    pages = [Image.fromarray(_page_rgb(tmp_path, k)) for k in ("application_form", "commitment_letter")]
    p = tmp_path / "scan.tif"
    pages[0].save(p, save_all=True, append_images=pages[1:], compression="tiff_deflate")
    with ParserPool(workers=1) as pool:
        res = pool.map([str(p)], ocr=True)[str(p)]
    assert res["ok"] and len(res["pages"]) == 2, res.get("reason")
    assert "申请单位名称" in _text(res, 0) and "承诺" in _text(res, 1) and "承诺" not in _text(res, 0)
    from xinyong_desktop.intake.render import page_count, render_page

    assert page_count(p) == 2
    second, _ = render_page(p, 2)
    assert second.shape[0] > 100


_STARTER = """
import json, sys, time
from pathlib import Path
from tests.intake.hostile_parsers import install, install_two
from xinyong_desktop.intake.sandbox import ParserPool

if __name__ == "__main__":
    pool = ParserPool(workers=2, start_method=sys.argv[2], initializer=install, initargs=("hang.pdf",))
    pool.warm()
    info = {"parsers": pool.pids()}
    if sys.argv[2] == "forkserver":
        import multiprocessing.forkserver as fs
        import multiprocessing.resource_tracker as rt
        info["forkserver"] = fs._forkserver._forkserver_pid
        info["tracker"] = rt._resource_tracker._pid
    print(json.dumps(info), flush=True)
    pool.map([sys.argv[1]], ocr=False)  # hangs: the parser never returns
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie waiting for the container's init to reap it is not running


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_parsers_exit_when_the_app_is_killed(tmp_path, method):
    c = Canvas(str(tmp_path / "hang.pdf"))
    c.drawString(72, 700, "x")
    c.save()
    script = tmp_path / "starter.py"
    script.write_text(_STARTER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    app = subprocess.Popen([sys.executable, str(script), str(tmp_path / "hang.pdf"), method], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(app.stdout.readline())
        pids = [*info["parsers"], *(info[k] for k in ("forkserver", "tracker") if info.get(k))]
        assert len(pids) == (4 if method == "forkserver" else 2)
        time.sleep(1.0)  # the hanging parse is under way
        assert not any(_gone(p) for p in pids)
        app.send_signal(signal.SIGKILL)
        app.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not all(_gone(p) for p in pids):
            time.sleep(0.2)
        assert [p for p in pids if not _gone(p)] == []
    finally:
        if app.poll() is None:
            app.kill()
