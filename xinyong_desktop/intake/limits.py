"""Caps for parsing untrusted files.  Values are generous for real packets, tight for bombs."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 150 * 1024 * 1024
    max_pages: int = 60
    max_image_pixels: int = 80_000_000  # decoded frames larger than this are refused (a decompression bomb)
    max_render_pixels: int = 12_000_000  # a page is rendered at most this large for ink analysis (A4: 1.1 MP)
    max_ocr_pixels: int = 3_000_000  # and at most this large for OCR (A4 at 144 dpi: 2 MP; a 4:3 photo at 2200 px: 3.6 MP)
    memory_bytes: int = 4 * 1024**3  # address space of one parser process (a backstop; not on Windows; OpenVINO maps ~2.6 GB)
    memory_budget_bytes: int = 3 * 1024**3  # resident memory of all parser processes together (OpenVINO: ~1.1 GB each)
    seconds_base: float = 30.0
    seconds_per_page_ocr: float = 15.0
    seconds_per_page_text: float = 3.0
    # what a file's bytes can legitimately hold: a page worth reading by OCR is tens of kilobytes of image;
    # a 28 KB PDF declaring 60 pages of 14000 pt (or a 300 KB TIFF of 60 huge frames) is not 60 pages of work
    seconds_per_kib: float = 0.15

    def timeout(self, pages: int, ocr: bool, size_bytes: int | None = None) -> float:
        """CPU seconds for a file: a base plus a budget per page (page count or TIFF frames), capped by what
        the file's size can hold — never less than one page's budget."""
        per = self.seconds_per_page_ocr if ocr else self.seconds_per_page_text
        full = self.seconds_base + per * max(pages, 1)
        if size_bytes is None:
            return full
        return min(full, max(self.seconds_base + per, self.seconds_base + self.seconds_per_kib * size_bytes / 1024))
