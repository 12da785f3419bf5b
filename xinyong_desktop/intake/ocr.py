"""Offline OCR with RapidOCR (models ship in its wheel).  Loaded lazily, once per worker process, on OpenVINO where
it imports and reads a probe line, on onnxruntime otherwise (XINYONG_OCR_BACKEND forces one; docs/ocr-backends.md)."""
from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from xinyong_desktop.domain.glyph import Glyph, char_width

BACKENDS = ("openvino", "onnxruntime")  # in order of preference
BACKEND_ENV = "XINYONG_OCR_BACKEND"  # auto (the default) | openvino | onnxruntime
_NAMES = {"openvino": "OpenVINO", "onnxruntime": "ONNX Runtime"}
log = logging.getLogger("xinyong.intake")


@dataclass(frozen=True)
class Backend:
    """The inference engine the OCR models run on in this process, and why."""

    name: str  # "openvino" | "onnxruntime"
    version: str
    reason: str  # Chinese: why this one (shown in the About dialog)

    def label(self) -> str:
        return f"{_NAMES.get(self.name, self.name)} {self.version}".strip()


def wanted_backend() -> str:
    """The setting: XINYONG_OCR_BACKEND=openvino|onnxruntime forces one; anything else (or unset) is auto."""
    v = os.environ.get(BACKEND_ENV, "").strip().lower().replace("-", "").replace("_", "")
    return {"openvino": "openvino", "ov": "openvino", "onnxruntime": "onnxruntime", "ort": "onnxruntime",
            "onnx": "onnxruntime"}.get(v, "auto")


def _threads() -> int:
    # two parser processes share the cores: one thread each avoids oversubscription
    return int(os.environ.get("XINYONG_OCR_THREADS", "2" if (os.cpu_count() or 2) >= 4 else "1"))


def _build(backend: str):
    """A RapidOCR engine on `backend`, with the models that ship in the rapidocr wheel named explicitly (the
    same files for either backend, and never a download)."""
    import rapidocr
    from rapidocr import EngineType, RapidOCR

    models = Path(rapidocr.__file__).resolve().parent / "models"
    threads = _threads()
    params: dict = {"Global.log_level": "warning", "Global.use_cls": False,
                    "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
                    "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
                    "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                    "EngineConfig.openvino.inference_num_threads": threads,
                    "EngineConfig.openvino.num_streams": 1,
                    # two parser processes: pinning would put both on the same core
                    "EngineConfig.openvino.enable_cpu_pinning": False}
    engine_type = EngineType.OPENVINO if backend == "openvino" else EngineType.ONNXRUNTIME
    for task in ("Det", "Cls", "Rec"):
        params[f"{task}.engine_type"] = engine_type
    return RapidOCR(params=params)


def _probe(engine) -> None:
    """The detector runs and the recogniser reads a tiny drawn line back: raises when they do not.  (The line
    is recognised on its own: the detector scales an image up to 736 px on its short side, so it is given a
    small square.)"""
    import cv2

    img = np.full((48, 200, 3), 255, dtype=np.uint8)
    cv2.putText(img, "2024 07", (10, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (0, 0, 0), 2, cv2.LINE_AA)
    res = engine(img, use_det=False, use_cls=False, use_rec=True)
    got = "".join(res.txts or ()).replace(" ", "")
    if "2024" not in got:
        raise RuntimeError(f"probe read {got!r}")
    engine(np.ascontiguousarray(img[:, :48]), use_det=True, use_cls=False, use_rec=False)


def _version(backend: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(backend)
    except PackageNotFoundError:  # a frozen build without metadata
        return ""


_LOCK = threading.Lock()
_STATE: dict = {}


def _engine():
    """The process's OCR engine, built once: OpenVINO when it imports and reads the probe line, onnxruntime
    otherwise (or the backend XINYONG_OCR_BACKEND forces)."""
    if "engine" in _STATE:
        return _STATE["engine"]
    with _LOCK:
        if "engine" in _STATE:
            return _STATE["engine"]
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        wanted = wanted_backend()
        engine, backend = None, None
        if wanted in ("auto", "openvino"):
            try:
                engine = _build("openvino")
                _probe(engine)
                backend = Backend("openvino", _version("openvino"),
                                  "按设置使用" if wanted == "openvino" else "自动选择：本机可运行 OpenVINO")
            except (Exception, SystemExit) as e:  # noqa: BLE001 - any failure (not installed, no CPU support, a
                # bad read; openvino's import exits when it cannot find its libraries on Windows) falls back
                log.warning("OCR backend OpenVINO unavailable (%s: %s); using onnxruntime", type(e).__name__, e)
                engine = None
                why = "OpenVINO 未安装" if isinstance(e, ImportError) else "OpenVINO 在本机无法运行"
                asked = "已设置使用 OpenVINO，但" if wanted == "openvino" else ""
                _STATE["fallback"] = f"{asked}{why}，改用 ONNX Runtime"
        if engine is None:
            engine = _build("onnxruntime")
            backend = Backend("onnxruntime", _version("onnxruntime"),
                              "按设置使用" if wanted == "onnxruntime" else _STATE.get("fallback", ""))
        log.info("OCR backend: %s (%s)", backend.label() if backend else "?", backend.reason if backend else "")
        _STATE["backend"] = backend
        _STATE["engine"] = engine
        return engine


def backend() -> Backend:
    """The backend this process's OCR runs on (builds the engine when it is not built yet)."""
    _engine()
    return _STATE["backend"]


def backend_info() -> dict:
    """For the About dialog (asked of a parser process): name, version, label and reason."""
    b = backend()
    return {"name": b.name, "version": b.version, "label": b.label(), "reason": b.reason}


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


_SQUIGGLES = set("~～-_—=/\\|·.、'`^")


def _after_label(txt: str) -> bool:
    """The line's tail after its last colon is squiggle-like symbols only ("法定代表人（签字）：~-")."""
    head, colon, tail = max(txt.rpartition("："), txt.rpartition(":"), key=lambda t: len(t[0]))
    return bool(colon) and bool(tail.strip()) and all(c in _SQUIGGLES or c == " " for c in tail)


def _read(engine, img: np.ndarray):
    # the engine keeps call flags between calls: say every one explicitly
    # word boxes per character (return_single_char_box: also in lines of digits and Latin letters only,
    # which are otherwise grouped into words with their first character's confidence)
    return engine(img, use_det=True, use_cls=False, use_rec=True, return_word_box=True, return_single_char_box=True)


def _quads(result) -> np.ndarray:
    boxes = getattr(result, "boxes", None)
    return np.zeros((0, 4, 2)) if boxes is None else np.asarray(boxes, dtype=np.float64)


# ASCII punctuation in a line of Chinese: the full-width mark it stands for (backends differ in which they read)
_WIDE = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})


def normalise_text(txt: str) -> str:
    """One spelling of a recognised line whichever backend read it: in a line with Chinese characters, ASCII
    punctuation becomes the full-width mark (a comma or colon between digits — 50,000  12:30 — stays).
    One character for one: the line's character positions still hold."""
    if not any(ord(c) >= 0x2E80 for c in txt):
        return txt
    out = []
    for i, ch in enumerate(txt):
        if ch in ",:" and 0 < i < len(txt) - 1 and txt[i - 1].isdigit() and txt[i + 1].isdigit():
            out.append(ch)
        else:
            out.append(ch.translate(_WIDE))
    return "".join(out)


def reading_order(glyphs: list[Glyph]) -> list[Glyph]:
    """Lines top to bottom, and left to right within a row (a line whose middle lies within half the row's
    height of the row's first line is on that row): the same order whichever backend detected them, where
    the detectors' own orders differ by a pixel."""
    rows: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: ((g.top + g.bottom) / 2, g.x0)):
        mid = (g.top + g.bottom) / 2
        if rows:
            first = rows[-1][0]
            if abs(mid - (first.top + first.bottom) / 2) <= 0.5 * min(first.bottom - first.top, g.bottom - g.top):
                rows[-1].append(g)
                continue
        rows.append([g])
    return [g for row in rows for g in sorted(row, key=lambda g: g.x0)]


def _decides(txt: str, chars: list[tuple[float, float, float]], image: np.ndarray,
             box: tuple[float, float, float, float]) -> bool:
    """A date line worth reading again: its date is not whole, a digit of it is unsure, or a seal's red ink
    lies over it (a 落款 under its seal).  A clear, surely read date in black print is not read twice."""
    from xinyong_desktop.domain.text import find_dates
    from xinyong_desktop.intake.ink import red_mask

    if not find_dates(txt):
        return True
    if not chars or any(cf < 0.95 for ch, (_, _, cf) in zip(txt, chars, strict=False)
                        if ch.isdigit() or ch in "〇○零一二三四五六七八九十"):
        return True
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = image[max(y0, 0):max(y1, 0) + 1, max(x0, 0):max(x1, 0) + 1]
    return bool(crop.size) and int(red_mask(crop).sum()) > 0.01 * crop.shape[0] * crop.shape[1]


def _legibility(result) -> float:
    """How much of a reading is confident text: the characters read, weighted by their lines' scores."""
    if result.txts is None or result.scores is None:
        return 0.0
    return float(sum(len(t) * float(sc) for t, sc in zip(result.txts, result.scores, strict=False)))


def ocr_page(rgb: np.ndarray, scale: float, photo: bool = False) -> tuple[list[Glyph], np.ndarray, list[list[float]]]:
    """OCR one page image (scale = pixels per point of `rgb`).

    A photo is cut out and its light evened first.  The page is read once; the lines that reading detected
    say whether the page lies on its side or upside down (the direction classifier on its widest lines) or
    is skewed — only then is it turned or straightened and read again.  Returns the glyphs in points of the
    upright page, the upright image, and the 3x3 matrix from upright points to the original page's points
    (so evidence boxes land on the page as the file shows it).
    """
    from xinyong_desktop.intake import prepare as pp

    engine = _engine()
    img, back = pp.straighten_photo(rgb) if photo else (rgb, np.eye(3))
    clean = drop_red(img)  # seals off the text; the colour image stays for ink and the second look
    result = _read(engine, clean)
    quads = _quads(result)
    turns = 0
    if pp.sideways(quads):
        ih, iw = img.shape[:2]
        back, turns = back @ pp.rot90_back(1, iw, ih), 1
        img, clean = np.ascontiguousarray(np.rot90(img, 1)), np.ascontiguousarray(np.rot90(clean, 1))
        quads = pp.turn_quads(quads, 1, iw, ih)
    before = (result, quads, img, clean, back, turns)
    if len(quads) and pp.upside_down(engine, img, quads):
        ih, iw = img.shape[:2]
        back, turns = back @ pp.rot90_back(2, iw, ih), turns + 2
        img, clean = np.ascontiguousarray(np.rot90(img, 2)), np.ascontiguousarray(np.rot90(clean, 2))
    if turns:
        result = _read(engine, clean)
        quads = _quads(result)
        # the direction classifier misjudges lines a few degrees askew (a photo): a turn stands only when the
        # turned page reads better than the page as it was
        if turns != before[5] and _legibility(result) < _legibility(before[0]):
            result, quads, img, clean, back, turns = before
    skew = pp.skew_degrees(quads) if len(quads) else 0.0
    if pp.worth_straightening(skew):
        img, m_back = pp.deskew(img, skew)
        clean, _ = pp.deskew(clean, skew)
        back = back @ m_back
        result = _read(engine, clean)
    out = []
    if result.boxes is not None and result.txts is not None:
        words = result.word_results if len(result.word_results or ()) == len(result.txts) else [()] * len(result.txts)
        for box, txt, score, word in zip(result.boxes, result.txts, result.scores, words, strict=False):
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            chars = char_positions(txt, word)
            txt = normalise_text(txt)
            # a signature written after its label is read as a symbol ("签字：~"), unsure or squiggle-like after
            # the label's colon: not text, so the strokes stay visible as ink
            while chars and not (txt[-1].isalnum() or ord(txt[-1]) >= 0x2E80) and (
                    chars[-1][2] < 0.6 or (txt[-1] in _SQUIGGLES and _after_label(txt))):
                txt, chars = txt[:-1].rstrip(), chars[: len(txt[:-1].rstrip())]
            if not txt:
                continue
            if _DATE_LIKE.search(txt) and _decides(txt, chars, img, (x0, y0, x1, y1)):
                txt, chars, score = second_look(engine, img, clean, (x0, y0, x1, y1), txt, chars, float(score))
                txt = normalise_text(txt)
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
    to_page = np.diag([1 / scale, 1 / scale, 1.0]) @ back @ s
    return reading_order(out), img, to_page.tolist()
