"""Render a stored real document as an office would: word-processor PDF, optionally printed and scanned.

The text comes from `tests/fixtures/real/*.toml` (see fixtures.py); nothing here invents content.  Layout:
optional red letterhead, title centred, the number line (centred, or above the title on the right), the
当事人 block flush left, body paragraphs indented two characters, tables for forms, and the 落款 (authority and
date) right-aligned with a red seal over the date.  `first_page_only` keeps page 1 only — a photocopied
first page — so whatever falls after it (often the 落款) is not in the file.

`render()` returns the strings actually drawn, so the fixture self-test can check the truth against them.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from tests.packetgen import RED, Page, _font

W, H = A4
LEFT, RIGHT, TOP, BOTTOM = 80.0, W - 80.0, H - 78.0, 72.0
BODY = 13.0
LEAD = 22.0
NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)%")


@dataclass
class Drawn:
    """What ended up in the file, page by page."""

    pages: list[list[str]] = field(default_factory=lambda: [[]])
    closing_drawn: bool = False

    @property
    def text(self) -> str:
        return "\n".join("\n".join(p) for p in self.pages)


class _Writer:
    def __init__(self, c: Canvas, first_page_only: bool):
        self.c = c
        self.first_only = first_page_only
        self.y = TOP
        self.drawn = Drawn()
        self.stopped = False

    # -- page handling
    def _room(self, need: float) -> bool:
        if self.stopped:
            return False
        if self.y - need >= BOTTOM:
            return True
        if self.first_only:
            self.stopped = True
            return False
        self.c.showPage()
        self.drawn.pages.append([])
        self.y = TOP
        return True

    def _put(self, text: str, x: float, size: float, color: Color = black, align: str = "left") -> None:
        self.c.setFillColor(color)
        self.c.setFont(_font(), size)
        if align == "centre":
            self.c.drawCentredString(W / 2, self.y, text)
        elif align == "right":
            self.c.drawRightString(RIGHT, self.y, text)
        else:
            self.c.drawString(x, self.y, text)
        self.c.setFillColor(black)
        self.drawn.pages[-1].append(text)

    def gap(self, h: float) -> None:
        self.y -= h

    def line(self, text: str, size: float = BODY, align: str = "left", color: Color = black,
             lead: float | None = None) -> bool:
        lead = lead or size * 1.7
        if not self._room(lead):
            return False
        self._put(text, LEFT, size, color, align)
        self.y -= lead
        return True

    def wrap(self, text: str, size: float = BODY, indent: int = 2) -> list[str]:
        width = RIGHT - LEFT
        out: list[str] = []
        cur = "\u3000" * indent
        for ch in text:
            if stringWidth(cur + ch, _font(), size) > width and cur.strip():
                if ch in NO_LINE_START and cur:  # keep closing punctuation with its line: move the last char down
                    out.append(cur[:-1])
                    cur = cur[-1]
                else:
                    out.append(cur)
                    cur = ""
            cur += ch
        if cur.strip():
            out.append(cur)
        return out

    def para(self, text: str, size: float = BODY, indent: int = 2) -> bool:
        for ln in self.wrap(text, size, indent):
            if not self.line(ln, size, lead=LEAD):
                return False
        return True

    def table(self, rows: list[list[str]], size: float = 11.5, col: float = 150.0, height: float = 30.0) -> bool:
        for row in rows:
            label, value = (row + [""])[:2]
            lines = self.wrap(value, size, indent=0) if value else [""]
            h = max(height, 16 + 16 * len(lines))
            if not self._room(h):
                return False
            top = self.y + size + 6
            self.c.rect(LEFT, top - h, RIGHT - LEFT, h)
            self.c.line(LEFT + col, top - h, LEFT + col, top)
            self.c.setFont(_font(), size)
            self.c.drawString(LEFT + 6, top - h / 2 - size / 2 + 2, label)
            self.drawn.pages[-1].append(label)
            for i, ln in enumerate(lines):
                self.c.drawString(LEFT + col + 6, top - 18 - 16 * i, ln)
                if ln:
                    self.drawn.pages[-1].append(ln)
            self.y -= h
        self.y -= 14
        return True


def render(doc: dict, render_opts: dict, out: Path) -> Drawn:
    """Draw one document (the `document` table of a fixture) into the PDF `out`."""
    c = Canvas(str(out), pagesize=A4)
    c.setTitle(doc.get("title", ""))
    w = _Writer(c, bool(render_opts.get("first_page_only")))
    number = doc.get("number", "")
    if number and render_opts.get("number_above_title"):
        w.line(number, size=BODY, align="right")
        w.gap(6)
    if doc.get("header"):
        for h in doc["header"] if isinstance(doc["header"], list) else [doc["header"]]:
            w.line(h, size=20, align="centre", color=RED, lead=34)
    if doc.get("title"):
        # a long title (娄底海关关于……案的处罚决定) wraps onto centred lines, as a word processor sets it
        for ln in w.wrap(doc["title"], size=18 if len(doc["title"]) > 20 else 21, indent=0):
            w.line(ln, size=18 if len(doc["title"]) > 20 else 21, align="centre", lead=32 if len(doc["title"]) > 20 else 36)
    if number and not render_opts.get("number_above_title"):
        w.line(number, size=BODY, align="centre", lead=30)
    if doc.get("addressee"):
        w.line(doc["addressee"])
    for p in doc.get("party", []):
        if not w.para(p, indent=0):
            break
    if doc.get("table"):
        w.gap(6)
        w.table(doc["table"])
    for p in [p.strip() for p in doc.get("body", "").split("\n") if p.strip()]:
        if not w.para(p):
            break
    closing = doc.get("closing", [])
    if closing and not w.stopped:
        w.gap(24)
        if w._room(LEAD * (len(closing) + 1)):
            seal_y = None
            for i, t in enumerate(closing):
                w.line(t, align="right", lead=LEAD + 4)
                if i == len(closing) - 1:
                    seal_y = w.y + LEAD + 10
            w.drawn.closing_drawn = True
            seal_name = render_opts.get("seal_name") or (closing[0] if len(closing) > 1 else "")
            if render_opts.get("seal", True) and seal_name and seal_y:
                Page(c).seal(seal_name, RIGHT - 70, seal_y, r=44)
    c.showPage()
    c.save()
    return w.drawn


def scan(pdf: Path, out: Path, seed: int, angle: float = 0.8, dpi: int = 150) -> Path:
    """Print-and-scan look: each page rendered, tinted, rotated slightly, noised, JPEG-compressed.

    `out` ending in .jpg gets the first page as a JPEG photo; ending in .pdf gets an image-only PDF.
    """
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    images: list[Image.Image] = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(doc)):
            img = doc[i].render(scale=dpi / 72).to_pil().convert("RGB")
            img = img.rotate(angle * rng.choice([-1, 1]), resample=Image.BICUBIC, expand=False, fillcolor=(250, 249, 244))
            arr = np.asarray(img).astype(np.float32)
            arr = arr * np.array([0.97, 0.96, 0.93]) + 6  # paper tint, toner not quite black
            arr += nrng.normal(0, 7, arr.shape[:2])[..., None]
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.5))
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=60)
            images.append(Image.open(io.BytesIO(buf.getvalue())))
    finally:
        doc.close()
    if out.suffix.lower() in (".jpg", ".jpeg"):
        images[0].save(out, "JPEG", quality=70)
    else:
        images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out

