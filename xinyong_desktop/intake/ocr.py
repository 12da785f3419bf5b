"""Offline OCR with RapidOCR (models ship in its wheel).  Loaded lazily, once per worker process."""
from __future__ import annotations

import logging
import os
from functools import lru_cache

import numpy as np

from xinyong_desktop.domain.glyph import Glyph


@lru_cache(maxsize=1)
def _engine():
    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    from rapidocr import RapidOCR

    # two parser processes share the cores: one thread each avoids oversubscription
    threads = int(os.environ.get("XINYONG_OCR_THREADS", "2" if (os.cpu_count() or 2) >= 4 else "1"))
    return RapidOCR(params={"Global.log_level": "warning", "Global.use_cls": False,
                            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1})


def drop_red(rgb: np.ndarray) -> np.ndarray:
    """Seals are stamped over names and dates: whiten red ink so the black text under it reads."""
    from xinyong_desktop.intake.ink import red_mask

    if not red_mask(rgb).any():
        return rgb
    # in the red channel red ink is as light as paper while black (and black under red) stays dark
    red = rgb[..., 0]
    return np.repeat(red[..., None], 3, axis=2)


def ocr_page(rgb: np.ndarray, scale: float, photo: bool = False) -> tuple[list[Glyph], np.ndarray, list[list[float]]]:
    """OCR one page image (scale = pixels per point of `rgb`).

    The page is straightened first (photo perspective, light, rotation, skew).  Returns the glyphs in
    points of the upright page, the upright image, and the 3x3 matrix from upright points to the
    original page's points (so evidence boxes land on the page as the file shows it).
    """
    from xinyong_desktop.intake.prepare import prepare

    engine = _engine()
    prep = prepare(rgb, engine, photo=photo)
    # the engine keeps call flags between calls: say every one explicitly
    result = engine(drop_red(prep.image), use_det=True, use_cls=False, use_rec=True)
    out = []
    if result.boxes is not None and result.txts is not None:
        for box, txt, score in zip(result.boxes, result.txts, result.scores, strict=False):
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            # the detector often swallows a signature written right after a label into the line box:
            # clip the box to the width its characters need, so the strokes stay visible as ink
            need = sum((y1 - y0) * (0.42 if ord(c) < 0x2E80 else 0.75) for c in txt) * 1.1
            if need and x1 - x0 > need + (y1 - y0):
                x1 = x0 + need
            out.append(Glyph(txt, x0 / scale, y0 / scale, x1 / scale, y1 / scale, float(score)))
    s = np.diag([scale, scale, 1.0])
    to_page = np.diag([1 / scale, 1 / scale, 1.0]) @ prep.back @ s
    return out, prep.image, to_page.tolist()
