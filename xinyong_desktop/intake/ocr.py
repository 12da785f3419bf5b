"""Offline OCR with RapidOCR (models ship in its wheel).  Loaded lazily, once per worker process."""
from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np

from xinyong_desktop.extract.layout import Glyph


@lru_cache(maxsize=1)
def _engine():
    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "warning"})


def drop_red(rgb: np.ndarray) -> np.ndarray:
    """Seals are stamped over names and dates: whiten red ink so the black text under it reads."""
    from xinyong_desktop.intake.ink import red_mask

    if not red_mask(rgb).any():
        return rgb
    # in the red channel red ink is as light as paper while black (and black under red) stays dark
    red = rgb[..., 0]
    return np.repeat(red[..., None], 3, axis=2)


def ocr_glyphs(rgb: np.ndarray, scale: float) -> list[Glyph]:
    """OCR lines as glyphs in page points (scale = pixels per point of `rgb`)."""
    result = _engine()(drop_red(rgb))
    if result.boxes is None or result.txts is None:
        return []
    out = []
    for box, txt, score in zip(result.boxes, result.txts, result.scores, strict=False):
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        out.append(Glyph(txt, min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale, float(score)))
    return out
