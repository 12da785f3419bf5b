"""Render one page of a packet file for display (PDF via pypdfium2, images via Pillow) as RGB."""
from __future__ import annotations

import math
import threading
from pathlib import Path

import numpy as np

from xinyong_desktop.intake.filetypes import IMAGE_TYPES, FileType, locate, sniff_file

# pdfium is not thread-safe: the viewer (UI thread) and the thumbnail worker take turns
PDFIUM_LOCK = threading.Lock()


MAX_VIEW_PIXELS = 16_000_000  # a page shown or thumbnailed is never rendered larger than this


def page_count(path: Path) -> int:
    path = locate(path)
    ftype = sniff_file(path)
    if ftype == FileType.PDF:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            try:
                return len(doc)
            finally:
                doc.close()
    if ftype == FileType.TIFF:
        from PIL import Image

        with Image.open(path) as im:
            return int(getattr(im, "n_frames", 1) or 1)
    return 1


def render_page(path: Path, page: int, scale: float = 1.5, max_side: int | None = None) -> tuple[np.ndarray, float]:
    """(RGB array, pixels per page point) for 1-based page of path; max_side bounds a thumbnail's size."""
    path = locate(path)  # a name shown decoded (GBK on Linux) finds its file
    ftype = sniff_file(path)
    if ftype == FileType.PDF:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            return _render_pdf(pdfium, path, page, scale, max_side)
    if ftype in IMAGE_TYPES:
        from PIL import Image

        from xinyong_desktop.intake.images import decode_bounded, register_heif

        register_heif()
        with Image.open(path) as im:
            if page > 1:
                im.seek(page - 1)  # a multi-page TIFF
            side = max_side or int(math.sqrt(MAX_VIEW_PIXELS))
            rgb, w, _h = decode_bounded(im, side)
            return rgb, rgb.shape[1] / w
    raise ValueError("不支持的文件类型")


def _render_pdf(pdfium, path: Path, page: int, scale: float, max_side: int | None):
    doc = pdfium.PdfDocument(str(path))
    try:
        w, h = doc[page - 1].get_size()
        if max_side:
            scale = min(scale, max_side / max(w, h, 1))
        scale = min(scale, 0.995 * math.sqrt(MAX_VIEW_PIXELS / max(w * h, 1)))  # a 14000 pt page: shown smaller
        bm = doc[page - 1].render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
        return np.ascontiguousarray(bm.to_numpy()[..., :3]), scale
    finally:
        doc.close()
