"""Render one page of a packet file for display (PDF via pypdfium2, images via Pillow) as RGB."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from xinyong_desktop.intake.filetypes import IMAGE_TYPES, FileType, locate, sniff_file


# pdfium is not thread-safe: the viewer (UI thread) and the thumbnail worker take turns
PDFIUM_LOCK = threading.Lock()


def page_count(path: Path) -> int:
    path = locate(path)
    if sniff_file(path) == FileType.PDF:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            try:
                return len(doc)
            finally:
                doc.close()
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
        from PIL import Image, ImageOps

        with Image.open(path) as im:
            if max_side:
                im.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced size, fast
                im = ImageOps.exif_transpose(im).convert("RGB")
                im.thumbnail((max_side, max_side))
                return np.ascontiguousarray(np.asarray(im)), 1.0
            return np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(im).convert("RGB"))), 1.0
    raise ValueError("不支持的文件类型")


def _render_pdf(pdfium, path: Path, page: int, scale: float, max_side: int | None):
    doc = pdfium.PdfDocument(str(path))
    try:
        if max_side:
            w, h = doc[page - 1].get_size()
            scale = min(scale, max_side / max(w, h, 1))
        bm = doc[page - 1].render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
        return np.ascontiguousarray(bm.to_numpy()[..., :3]), scale
    finally:
        doc.close()
