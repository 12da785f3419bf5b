"""A positioned character (or OCR'd run of characters): what a PDF text layer and OCR both produce.

It lives in the domain so that `intake` (OCR) can make glyphs without importing `extract`, which builds
lines from them (`extract.layout`)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 1.0

    @property
    def height(self) -> float:
        return self.bottom - self.top
