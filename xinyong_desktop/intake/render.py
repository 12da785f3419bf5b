"""Render one page of a packet file for display (PDF via pypdfium2, images via Pillow) as RGB."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from xinyong_desktop.intake.filetypes import IMAGE_TYPES, FileType, sniff_file


def page_count(path: Path) -> int:
    if sniff_file(path) == FileType.PDF:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    return 1


def render_page(path: Path, page: int, scale: float = 1.5) -> tuple[np.ndarray, float]:
    """(RGB array, pixels per page point) for 1-based page of path."""
    ftype = sniff_file(path)
    if ftype == FileType.PDF:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            bm = doc[page - 1].render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
            return np.ascontiguousarray(bm.to_numpy()[..., :3]), scale
        finally:
            doc.close()
    if ftype in IMAGE_TYPES:
        from PIL import Image, ImageOps

        with Image.open(path) as im:
            return np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(im).convert("RGB"))), 1.0
    raise ValueError("不支持的文件类型")
