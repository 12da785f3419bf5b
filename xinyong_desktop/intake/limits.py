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

    def timeout(self, pages: int, ocr: bool) -> float:
        per = self.seconds_per_page_ocr if ocr else self.seconds_per_page_text
        return self.seconds_base + per * max(pages, 1)
