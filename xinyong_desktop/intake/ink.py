"""Ink on a rendered page: red seals and handwritten strokes that are not text.

Pure numpy/OpenCV on an RGB array; boxes in and out are in page points.  OpenCV is imported inside the
functions that use it: they run in the parser process, and the checker, which only unpacks the blobs already
found (`InkMap.unpack`), does not load it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xinyong_desktop.domain.model import Box


@dataclass(frozen=True)
class Blob:
    bbox: Box  # page points
    pixels: int
    fill: float  # share of the bbox that is ink


@dataclass
class InkMap:
    """Bit masks of one page at `scale` pixels per point, and the marks found in them.

    The parser process finds the seal and stroke blobs (`pack`); what crosses to the checker is those
    blobs, not the masks (a page's masks are ~300 kB, its blobs a few tuples)."""

    scale: float
    red: np.ndarray  # bool HxW
    ink: np.ndarray  # bool HxW: dark strokes outside text boxes and ruled lines
    colourless: bool = False  # a black-and-white copy: red seals cannot show as red
    rings: list[Box] | None = None  # seal-sized rings found on a colourless page
    seals: list[Blob] | None = None  # found already (unpacked from a parser's result); None: find in the masks
    strokes: list[Blob] | None = None

    def pack(self) -> dict:
        return {"scale": self.scale, "shape": self.red.shape, "colourless": self.colourless, "rings": self.rings or [],
                "seals": [(b.bbox, b.pixels, b.fill) for b in seal_blobs(self)],
                "strokes": [(b.bbox, b.pixels, b.fill) for b in stroke_blobs(self)]}

    @classmethod
    def unpack(cls, d: dict) -> InkMap:
        none = np.zeros((0, 0), dtype=bool)
        return cls(d["scale"], none, none, d.get("colourless", False), [tuple(r) for r in d.get("rings", [])],
                   [Blob(tuple(b), p, f) for b, p, f in d.get("seals", [])],
                   [Blob(tuple(b), p, f) for b, p, f in d.get("strokes", [])])


def red_mask(rgb: np.ndarray) -> np.ndarray:
    import cv2
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    return ((h <= 10) | (h >= 165)) & (s >= 70) & (v >= 90)


def is_colourless(rgb: np.ndarray) -> bool:
    import cv2
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    return float(((hsv[..., 1] > 60) & (hsv[..., 2] > 60)).mean()) < 0.0005


def grey_rings(rgb: np.ndarray, scale: float) -> list[Box]:
    """Seal-sized dark rings (a red seal on a black-and-white copy)."""
    import cv2
    grey = cv2.medianBlur(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), 3)
    circles = cv2.HoughCircles(grey, cv2.HOUGH_GRADIENT, dp=1.2, minDist=60 * scale, param1=120, param2=45,
                               minRadius=int(22 * scale), maxRadius=int(95 * scale))
    out: list[Box] = []
    if circles is None:
        return out
    dark = grey < 160
    h, w = grey.shape
    for x, y, r in circles[0][:6]:
        t = np.linspace(0, 2 * np.pi, 180, endpoint=False)
        xs = np.clip((x + r * np.cos(t)).astype(int), 0, w - 1)
        ys = np.clip((y + r * np.sin(t)).astype(int), 0, h - 1)
        # a ring is dark nearly all the way round (text lines cross a circle only here and there)
        near = np.zeros_like(t, dtype=bool)
        for dr in (-2, -1, 0, 1, 2):
            near |= dark[np.clip((y + (r + dr) * np.sin(t)).astype(int), 0, h - 1),
                         np.clip((x + (r + dr) * np.cos(t)).astype(int), 0, w - 1)]
        if near.mean() > 0.8 and dark[ys, xs].size:
            out.append(((x - r) / scale, (y - r) / scale, (x + r) / scale, (y + r) / scale))
    return out


def build_inkmap(rgb: np.ndarray, scale: float, text_boxes: list[Box], scanned: bool = False) -> InkMap:
    import cv2
    red = red_mask(rgb)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # adaptive threshold copes with uneven light and grey scan backgrounds
    dark = (grey < 120) | (cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 25) > 0)
    dark &= grey < 170
    dark &= ~cv2.dilate(red.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    h, w = dark.shape
    for x0, y0, x1, y1 in text_boxes:
        a, b = max(int(x0 * scale) - 2, 0), max(int(y0 * scale) - 2, 0)
        c, d = min(int(x1 * scale) + 3, w), min(int(y1 * scale) + 3, h)
        dark[b:d, a:c] = False
    u8 = dark.astype(np.uint8)
    # ruled lines and table borders: long straight runs
    klen = max(int(40 * scale), 20)
    horiz = cv2.morphologyEx(u8, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (klen, 1)))
    vert = cv2.morphologyEx(u8, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, klen)))
    lines = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8))
    ink = (u8 & ~lines.astype(bool)).astype(bool)
    # specks of scan noise
    ink = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)).astype(bool) | (
        ink & (cv2.blur(ink.astype(np.float32), (5, 5)) > 0.25)
    )
    colourless = scanned and is_colourless(rgb)
    return InkMap(scale, red, ink, colourless, grey_rings(rgb, scale) if colourless else [])


def blobs(mask: np.ndarray, scale: float, join_pt: float, min_pixels: int) -> list[Blob]:
    import cv2
    if not mask.any():
        return []
    k = max(int(join_pt * scale), 1)
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((k, k), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        sub = mask[y : y + h, x : x + w] & (labels[y : y + h, x : x + w] == i)
        px = int(sub.sum())
        if px < min_pixels:
            continue
        out.append(Blob((x / scale, y / scale, (x + w) / scale, (y + h) / scale), px, px / max(w * h, 1)))
    return out


def seal_blobs(inkmap: InkMap) -> list[Blob]:
    """Red, roughly round marks of seal size (a red letterhead line is too flat to count)."""
    if inkmap.seals is not None:
        return list(inkmap.seals)
    out = []
    for b in blobs(inkmap.red, inkmap.scale, join_pt=6, min_pixels=int(150 * inkmap.scale**2)):
        w, h = b.bbox[2] - b.bbox[0], b.bbox[3] - b.bbox[1]
        if 35 <= w <= 260 and 35 <= h <= 260 and 0.55 <= w / h <= 1.8:
            out.append(b)
    return out


def stroke_blobs(inkmap: InkMap) -> list[Blob]:
    """Handwriting candidates: ink clusters wider than a speck, not text, not rules."""
    if inkmap.strokes is not None:
        return list(inkmap.strokes)
    out = []
    for b in blobs(inkmap.ink, inkmap.scale, join_pt=8, min_pixels=int(25 * inkmap.scale**2)):
        w, h = b.bbox[2] - b.bbox[0], b.bbox[3] - b.bbox[1]
        if max(w, h) >= 14:
            out.append(b)
    return out
