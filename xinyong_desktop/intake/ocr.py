"""Offline OCR with RapidOCR (models ship in its wheel).  Loaded lazily, once per worker process."""
from __future__ import annotations

import logging
import os
import re
from functools import lru_cache

import numpy as np

from xinyong_desktop.domain.glyph import Glyph, char_width


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


def char_positions(txt: str, word: tuple | list | None) -> list[tuple[float, float, float]]:
    """Each character of an OCR'd line: (x0, x1, confidence) in image pixels, from the recogniser's word
    results (pieces of one or more characters, spaces left out, each with its confidence and 4-point box).
    Empty when they do not spell the line (then the caller shares the line's box out by printed widths)."""
    pieces = [p for p in (word or ()) if p and len(p) >= 3 and p[0]]
    if "".join(str(p[0]) for p in pieces) != txt.replace(" ", ""):
        return []
    flat: list[tuple[float, float, float]] = []
    for piece, conf, box in pieces:
        xs = [float(pt[0]) for pt in box]
        left, right = min(xs), max(xs)
        widths = [char_width(ch) for ch in piece]
        unit = (right - left) / (sum(widths) or 1.0)
        x = left
        for w in widths:
            flat.append((x, x + w * unit, float(conf)))
            x += w * unit
    out: list[tuple[float, float, float]] = []
    i = 0
    for ch in txt:
        if ch == " ":  # a space has no box of its own: zero width after the character before it
            at = out[-1][1] if out else (flat[0][0] if flat else 0.0)
            out.append((at, at, 1.0))
        else:
            out.append(flat[i])
            i += 1
    return out


_DATE_LIKE = re.compile(r"\d{2,4}\s*[年\-./]|[〇○零一二三四五六七八九]{2,4}\s*年")


def second_look(engine, image: np.ndarray, clean: np.ndarray, box: tuple[float, float, float, float], txt: str,
                chars: list[tuple[float, float, float]], score: float) -> tuple[str, list, float]:
    """A date is what a case's periods are counted from, and a 落款 date sits under its seal: read its line
    again on its own, from the red-dropped and the colour image (at twice the size).

    Both second readings agree on a whole date where the first found none ("2024年月21日" → "2024年9月21日"):
    their reading is taken.  A second reading that finds another date than the first: the digits are unsure
    (confidence 0.5), so nothing downstream states the date as read.  Otherwise the first reading stands."""
    from xinyong_desktop.domain.text import find_dates

    x0, y0, x1, y1 = box
    h, w = image.shape[:2]
    pad_x, pad_y = 0.3 * (y1 - y0), 0.2 * (y1 - y0)
    a, b = max(int(x0 - pad_x), 0), max(int(y0 - pad_y), 0)
    c, d = min(int(x1 + pad_x) + 1, w), min(int(y1 + pad_y) + 1, h)
    if c - a < 4 or d - b < 4:
        return txt, chars, score
    import cv2

    readings = []
    for src, zoom in ((clean, 1.0), (image, 2.0)):
        crop = np.ascontiguousarray(src[b:d, a:c])
        if zoom != 1.0:
            crop = cv2.resize(crop, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        r = engine(crop, use_det=False, use_cls=False, use_rec=True)
        if r.txts:
            readings.append((r.txts[0], float(r.scores[0])))
    if len(readings) < 2:
        return txt, chars, score

    def dates(t: str) -> tuple[str, ...]:
        return tuple(dt.isoformat() for dt, _, _ in find_dates(t))

    first, again = dates(txt), [dates(t) for t, _ in readings]
    if not first and again[0] and all(g == again[0] for g in again):
        return readings[0][0], [], min(sc for _, sc in readings) * 0.95
    if first and any(g and g != first for g in again):
        unsure = [(x, y, min(cf, 0.5) if ch.isdigit() or ch in "〇○零一二三四五六七八九十" else cf)
                  for ch, (x, y, cf) in zip(txt, chars, strict=False)] if chars else []
        return txt, unsure, min(score, 0.5) if not chars else score
    return txt, chars, score


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
    # word boxes per character (return_single_char_box: also in lines of digits and Latin letters only,
    # which are otherwise grouped into words with their first character's confidence)
    clean = drop_red(prep.image)
    result = engine(clean, use_det=True, use_cls=False, use_rec=True, return_word_box=True,
                    return_single_char_box=True)
    out = []
    if result.boxes is not None and result.txts is not None:
        words = result.word_results if len(result.word_results or ()) == len(result.txts) else [()] * len(result.txts)
        for box, txt, score, word in zip(result.boxes, result.txts, result.scores, words, strict=False):
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            chars = char_positions(txt, word)
            # a signature written after its label is read as an unsure symbol ("签字：~"): not text, so the
            # strokes stay visible as ink
            while chars and chars[-1][2] < 0.6 and not (txt[-1].isalnum() or ord(txt[-1]) >= 0x2E80):
                txt, chars = txt[:-1].rstrip(), chars[: len(txt[:-1].rstrip())]
            if not txt:
                continue
            if _DATE_LIKE.search(txt):
                txt, chars, score = second_look(engine, prep.image, clean, (x0, y0, x1, y1), txt, chars, float(score))
            if chars:  # the recogniser's own character positions: the line ends at its last character
                x1 = min(x1, chars[-1][1] + 0.2 * (y1 - y0))
            else:
                # the detector often swallows a signature written right after a label into the line box:
                # clip the box to the width its characters need, so the strokes stay visible as ink
                need = sum((y1 - y0) * (0.42 if ord(c) < 0x2E80 else 0.75) for c in txt) * 1.1
                if need and x1 - x0 > need + (y1 - y0):
                    x1 = x0 + need
            out.append(Glyph(txt, x0 / scale, y0 / scale, x1 / scale, y1 / scale, float(score),
                             tuple((a / scale, b / scale, c) for a, b, c in chars)))
    s = np.diag([scale, scale, 1.0])
    to_page = np.diag([1 / scale, 1 / scale, 1.0]) @ prep.back @ s
    return out, prep.image, to_page.tolist()
