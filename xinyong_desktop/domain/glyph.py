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
    # OCR: each character's own (x0, x1, confidence), when the recogniser gave them (a text layer: empty)
    chars: tuple[tuple[float, float, float], ...] = ()

    @property
    def height(self) -> float:
        return self.bottom - self.top


def char_width(ch: str) -> float:
    """Printed width of a character in ems: full-width (CJK, full-width punctuation) 1, others ½."""
    o = ord(ch)
    return 1.0 if o >= 0x2E80 or 0xFF00 <= o <= 0xFFEF or ch in "—…" else 0.5
