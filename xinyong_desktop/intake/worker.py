"""What runs inside the sandboxed parser process: one untrusted file → pages of positioned text and ink.

Everything returned is plain data (tuples, numpy arrays) so it crosses the process boundary cheaply.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from xinyong_desktop.intake.filetypes import IMAGE_TYPES, FileType, sniff_file
from xinyong_desktop.intake.images import decode_bounded, register_heif
from xinyong_desktop.intake.ink import build_inkmap
from xinyong_desktop.intake.limits import Limits

RENDER_SCALE = 1.5  # ink analysis: 108 dpi
OCR_SCALE = 2.0  # OCR: 144 dpi
MIN_TEXT_GLYPHS = 12


class Unreadable(Exception):
    """A file that cannot be read; the message is the Chinese reason shown to the instructor."""


def _is_upright(matrix: tuple | None) -> bool:
    if not matrix:
        return True
    a, b, c, d = matrix[:4]
    scale = math.hypot(a, b) or 1.0
    return abs(b) / scale < 0.05 and abs(c) / scale < 0.05 and a > 0 and d > 0


def _slight(matrix: tuple | None) -> bool:
    """Upright but for a hand's jitter: a value hand-filled a few degrees askew (under about 11°)."""
    if not matrix or len(matrix) < 4:
        return False
    a, b, c, d = matrix[:4]
    scale = math.hypot(a, b) or 1.0
    return abs(b) / scale < 0.2 and a > 0 and d > 0


def _is_red(color) -> bool:
    if not isinstance(color, (tuple, list)) or len(color) != 3:
        return False
    r, g, b = (float(x) for x in color)
    return r > 0.55 and r - g > 0.3 and r - b > 0.3


def _split_ring(chars: list[dict]) -> tuple[list[tuple], list[str]]:
    """Page text vs. seal ring text: ring glyphs are rotated, plus red upright ones among them.

    A red letterhead is upright and far from any ring, so it stays text; a black or blue glyph tilted only a
    few degrees is handwriting filled into the form (a value), not a ring.
    """
    glyphs, ring, ring_centres, red_upright = [], [], [], []
    for c in chars:
        t = c.get("text", "")
        if not t.strip():
            continue
        g = (t, float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]), 1.0)
        if not _is_upright(c.get("matrix")) and (_is_red(c.get("non_stroking_color")) or not _slight(c.get("matrix"))):
            ring.append(t)
            ring_centres.append(((g[1] + g[3]) / 2, (g[2] + g[4]) / 2))
        elif _is_red(c.get("non_stroking_color")):
            red_upright.append(g)
        else:
            glyphs.append(g)
    for g in red_upright:
        cx, cy = (g[1] + g[3]) / 2, (g[2] + g[4]) / 2
        if any(abs(cx - x) < 40 and abs(cy - y) < 40 for x, y in ring_centres):
            ring.append(g[0])
        else:
            glyphs.append(g)
    return glyphs, ring


def _pdfium_chars(page, height: float) -> list[dict]:
    """A page's characters from PDFium's text layer: text, loose box (points from the top), text matrix and
    fill colour (0–1 RGB).  Characters PDFium generates itself (spaces, line ends) are left out."""
    import ctypes

    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        h = textpage.raw
        box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        out = []
        for i in range(raw.FPDFText_CountChars(h)):
            cp = raw.FPDFText_GetUnicode(h, i)
            if raw.FPDFText_IsGenerated(h, i) == 1 or not 0x20 < cp < 0x110000 or 0xD800 <= cp < 0xE000:
                continue
            ch = chr(cp)
            if not ch.strip() or not raw.FPDFText_GetLooseCharBox(h, i, box):
                continue
            raw.FPDFText_GetMatrix(h, i, matrix)
            colour = (r.value / 255, g.value / 255, b.value / 255) if raw.FPDFText_GetFillColor(h, i, r, g, b, a) else None
            out.append({"text": ch, "x0": box.left, "x1": box.right, "top": height - box.top, "bottom": height - box.bottom,
                        "matrix": (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f),
                        "non_stroking_color": colour})
        return out
    finally:
        textpage.close()


def _pdf_pages(path: Path, limits: Limits, ocr: bool, on_pages) -> list[dict]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg:
            raise Unreadable("PDF 文件已加密（需要密码），无法读取；请提供未加密的文件") from e
        raise Unreadable("PDF 文件已损坏或格式不正确，无法打开") from e
    n = len(doc)
    if n == 0:
        raise Unreadable("PDF 文件没有任何页面")
    if n > limits.max_pages:
        raise Unreadable(f"PDF 共 {n} 页，超过单个文件 {limits.max_pages} 页的上限；请拆分后再导入")
    if on_pages:
        on_pages(n)
    pages: list[dict] = []
    for i in range(n):
        page = doc[i]
        w, h = page.get_size()
        if w * h > 14400 * 14400 or w <= 0 or h <= 0:
            raise Unreadable(f"第 {i + 1} 页尺寸异常（{w:.0f}×{h:.0f}），无法处理")
        try:
            chars = _pdfium_chars(page, h)
        except pdfium.PdfiumError:  # a page whose text layer cannot be listed is read by OCR
            chars = []
        glyphs, ring = _split_ring(chars)
        scale = RENDER_SCALE
        img_pages = len(glyphs) < MIN_TEXT_GLYPHS
        blank = i in limits.empty_pages  # nothing to read on it (limits.weigh): as OCR'd, found nothing
        if img_pages and ocr and not blank:
            scale = OCR_SCALE
        # a page of 14000×14000 pt is legal PDF: render it smaller rather than at 2 GB per bitmap
        cap = limits.max_ocr_pixels if img_pages and ocr else limits.max_render_pixels
        cap = min(cap, limits.empty_render_pixels) if blank else cap
        scale = min(scale, 0.995 * math.sqrt(cap / (w * h)))  # pdfium rounds sizes up
        rgb = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True).to_numpy()[..., :3].copy()
        if img_pages and ocr and not blank:
            pages.append(_ocr_page(rgb, scale, photo=False))
        else:
            source = "none" if img_pages else "text"
            pages.append(_page(w, h, "ocr" if blank and ocr else source, glyphs, "".join(ring), rgb, scale))
        page.close()
    doc.close()
    return pages


def _image_pages(path: Path, limits: Limits, ocr: bool, on_pages) -> list[dict]:
    from PIL import Image

    register_heif()
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
    pages = []
    try:
        with Image.open(path) as im:
            n = int(getattr(im, "n_frames", 1) or 1)  # a multi-page TIFF: every page
            if n > limits.max_pages:
                raise Unreadable(f"图片文件共 {n} 页，超过单个文件 {limits.max_pages} 页的上限；请拆分后再导入")
            if on_pages:
                on_pages(n)
            for i in range(n):
                if n > 1:
                    im.seek(i)
                if im.width * im.height > limits.max_image_pixels:
                    raise Unreadable(f"图片过大（{im.width}×{im.height} 像素），超过处理上限")
                blank = i in limits.empty_pages  # nothing to read on it (limits.weigh): as OCR'd, found nothing
                if ocr and not blank:
                    # phone photos are usually larger than needed: OCR at about 2000 px on the long side
                    rgb, w, h = decode_bounded(im, 2200, max_pixels=limits.max_ocr_pixels)
                    pages.append(_ocr_page(rgb, rgb.shape[1] / w, photo=True))
                else:
                    # pixels are page points for images; ink is analysed on a copy at most ~1300 px high
                    rgb, w, h = decode_bounded(im, 4000, 1300, max_pixels=limits.empty_render_pixels if blank else None)
                    pages.append(_page(w, h, "ocr" if blank and ocr else "none", [], "", rgb, rgb.shape[0] / h))
    except Unreadable:
        raise
    except Image.DecompressionBombError as e:
        raise Unreadable("图片像素数超过安全上限（疑似解压炸弹），未处理") from e
    except OSError as e:
        if "truncated" in str(e):
            raise Unreadable("图片文件不完整（数据被截断），无法读取；请重新拍摄或复制完整的文件") from e
        raise Unreadable("图片文件已损坏或格式不受支持，无法打开") from e
    except (ValueError, SyntaxError, EOFError) as e:
        raise Unreadable("图片文件已损坏或格式不受支持，无法打开") from e
    return pages


def _ocr_page(rgb: np.ndarray, scale: float, photo: bool) -> dict:
    from xinyong_desktop.intake.ocr import ocr_page

    glyphs, upright, to_page = ocr_page(rgb, scale, photo=photo)
    uh, uw = upright.shape[:2]
    page = _page(uw / scale, uh / scale, "ocr", [(g.text, g.x0, g.top, g.x1, g.bottom, g.conf, g.chars) for g in glyphs],
                 "", upright, scale)
    page["to_page"] = to_page
    return page


def _resize(rgb: np.ndarray, scale: float) -> np.ndarray:
    import cv2

    return cv2.resize(rgb, (max(int(rgb.shape[1] * scale), 1), max(int(rgb.shape[0] * scale), 1)), interpolation=cv2.INTER_AREA)


def _page(w: float, h: float, source: str, glyphs: list[tuple], ring: str, rgb: np.ndarray, scale: float) -> dict:
    if scale > RENDER_SCALE and rgb.shape[0] > 1400:  # OCR resolution: ink is analysed at the usual one
        k = RENDER_SCALE / scale
        rgb = _resize(rgb, k)
        scale = RENDER_SCALE
    boxes = [(g[1], g[2], g[3], g[4]) for g in glyphs if g[5] >= 0.6]
    inkmap = build_inkmap(rgb, scale, boxes, scanned=source != "text")
    return {"width": w, "height": h, "source": source, "glyphs": glyphs, "ring": ring, "ink": inkmap.pack()}


def parse_file(path: str, ocr: bool = True, limits: Limits | None = None, on_pages=None) -> dict:
    """Parse one file; never raises for a bad file — returns {'ok': False, 'reason': ...}."""
    limits = limits or Limits()
    p = Path(path)
    try:
        size = p.stat().st_size
        if size == 0:
            raise Unreadable("文件为空（0 字节）")
        if size > limits.max_file_bytes:
            raise Unreadable(f"文件大小 {size / 1024 / 1024:.0f} MB，超过 {limits.max_file_bytes // 1024 // 1024} MB 上限")
        ftype = sniff_file(p)
        if ftype == FileType.PDF:
            pages = _pdf_pages(p, limits, ocr, on_pages)
        elif ftype in IMAGE_TYPES:
            pages = _image_pages(p, limits, ocr, on_pages)
        else:
            raise Unreadable("不是 PDF 或图片文件（按文件内容判断），无法作为材料读取")
        return {"ok": True, "ftype": str(ftype), "pages": pages}
    except Unreadable as e:
        return {"ok": False, "reason": str(e)}
    except MemoryError:
        return {"ok": False, "reason": "解析时内存超出上限（文件可能是恶意构造或过于复杂）"}
    except RecursionError:
        return {"ok": False, "reason": "文件结构嵌套过深，无法安全解析"}
    except Exception as e:
        import logging

        logging.getLogger("xinyong.intake").exception("parse failed: %s", path)  # a bug must not hide as "unreadable"
        return {"ok": False, "reason": f"文件无法解析（{type(e).__name__}），可能已损坏"}
