"""Page preparation around OCR: find the document in a photo, even out light, fix rotation and skew.

Every step records where its pixels came from (a 3x3 matrix back to the original page), so OCR boxes map back
to the page as the file shows it.  Orientation and skew are judged from the text lines the page's own OCR
reading detected (`ocr.ocr_page` reads a page once, and again only when it has to be turned or straightened):
no detection pass of its own.  Pure numpy/OpenCV plus the OCR engine's direction classifier.
"""
from __future__ import annotations

import cv2
import numpy as np


def rot90_back(k: int, w: int, h: int) -> np.ndarray:
    """Matrix taking a pixel of np.rot90(img, k) back to img (w, h = original size)."""
    k %= 4
    if k == 0:
        return np.eye(3)
    if k == 1:
        return np.array([[0, -1, w - 1], [1, 0, 0], [0, 0, 1]], dtype=np.float64)
    if k == 2:
        return np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=np.float64)
    return np.array([[0, 1, 0], [-1, 0, h - 1], [0, 0, 1]], dtype=np.float64)


def find_document(rgb: np.ndarray) -> np.ndarray | None:
    """The four corners of the sheet in a photo (tl, tr, br, bl), or None when the sheet fills the frame."""
    h, w = rgb.shape[:2]
    k = 800 / max(h, w)
    small = cv2.resize(rgb, (int(w * k), int(h * k))) if k < 1 else rgb.copy()
    k = min(k, 1.0)
    grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(grey, 40, 120), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area = small.shape[0] * small.shape[1]
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        peri = cv2.arcLength(c, True)
        approx = cv2.approxPolyDP(c, 0.02 * peri, True)
        a = cv2.contourArea(approx)
        if len(approx) == 4 and 0.2 * area < a < 0.97 * area and cv2.isContourConvex(approx):
            pts = approx.reshape(4, 2).astype(np.float64) / k
            s, d = pts.sum(1), np.diff(pts, axis=1).ravel()
            return np.array([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]])
    return None


def even_light(rgb: np.ndarray) -> np.ndarray:
    """Divide by the blurred background so shadows and grey paper become white."""
    h, w = rgb.shape[:2]
    k = max(int(min(h, w) / 20) | 1, 15)
    out = np.empty_like(rgb)
    for c in range(3):
        ch = rgb[..., c]
        bg = cv2.morphologyEx(ch, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
        bg = cv2.GaussianBlur(bg, (k, k), 0)
        out[..., c] = np.clip(ch.astype(np.float32) / np.maximum(bg, 1) * 255.0, 0, 255).astype(np.uint8)
    return out


def upside_down(engine, img: np.ndarray, boxes: np.ndarray) -> bool:
    """Ask the engine's text-direction classifier about the widest lines; majority decides."""
    try:
        cls_model = engine._load_cls_model()
    except Exception:  # noqa: BLE001 - an engine without a direction classifier: assume upright
        return False
    widths = boxes[:, :, 0].max(1) - boxes[:, :, 0].min(1)
    crops = []
    for i in np.argsort(-widths)[:9]:
        x0, y0 = boxes[i].min(0).astype(int)
        x1, y1 = boxes[i].max(0).astype(int)
        crop = img[max(y0, 0):y1, max(x0, 0):x1]
        if crop.size and crop.shape[1] > crop.shape[0]:
            crops.append(np.ascontiguousarray(crop))
    if not crops:
        return False
    out = cls_model(crops)
    labels = [str(r[0]) for r in (out.cls_res or [])]
    return sum(lb == "180" for lb in labels) > len(labels) / 2


def skew_degrees(boxes: np.ndarray) -> float:
    """Median angle (degrees) of the top edges of wide text lines."""
    angles = []
    for q in boxes:
        (x0, y0), (x1, y1) = q[0], q[1]
        if x1 - x0 > 3 * abs(q[3][1] - q[0][1]) and x1 - x0 > 40:
            angles.append(np.degrees(np.arctan2(y1 - y0, x1 - x0)))
    return float(np.median(angles)) if len(angles) >= 3 else 0.0


def straighten_photo(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A photo: the sheet cut out of the frame and flattened, its light evened out.  (image, matrix back)."""
    img, back = rgb, np.eye(3, dtype=np.float64)
    quad = find_document(rgb)
    if quad is not None:
        tw = int(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])))
        th = int(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])))
        dst = np.array([[0, 0], [tw - 1, 0], [tw - 1, th - 1], [0, th - 1]], dtype=np.float32)
        m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
        img = cv2.warpPerspective(rgb, m, (tw, th), borderValue=(255, 255, 255))
        back = np.asarray(np.linalg.inv(m), dtype=np.float64)
    return even_light(img), back


def sideways(boxes: np.ndarray) -> bool:
    """Most detected lines are taller than wide: the page lies on its side."""
    if not len(boxes):
        return False
    bw = boxes[:, :, 0].max(1) - boxes[:, :, 0].min(1)
    bh = boxes[:, :, 1].max(1) - boxes[:, :, 1].min(1)
    return bool((bh > 1.5 * bw).sum() > (bw > 1.5 * bh).sum())


def turn_quads(boxes: np.ndarray, k: int, w: int, h: int) -> np.ndarray:
    """Line quadrilaterals of an image (w x h) as they lie in np.rot90(image, k)."""
    k %= 4
    if not len(boxes) or k == 0:
        return boxes
    x, y = boxes[..., 0], boxes[..., 1]
    if k == 1:
        return np.stack([y, (w - 1) - x], axis=-1)
    if k == 2:
        return np.stack([(w - 1) - x, (h - 1) - y], axis=-1)
    return np.stack([(h - 1) - y, x], axis=-1)


def deskew(img: np.ndarray, skew: float) -> tuple[np.ndarray, np.ndarray]:
    """The image turned by `skew` degrees about its centre, and the matrix back."""
    ih, iw = img.shape[:2]
    m = cv2.getRotationMatrix2D((iw / 2, ih / 2), skew, 1.0)
    out = cv2.warpAffine(img, m, (iw, ih), borderValue=(255, 255, 255), flags=cv2.INTER_CUBIC)
    return out, np.vstack([cv2.invertAffineTransform(m), [0, 0, 1]])


def worth_straightening(skew: float) -> bool:
    """The detector copes with small skew (resampling would only blur); beyond 15 degrees it is no skew."""
    return 2.0 < abs(skew) < 15
