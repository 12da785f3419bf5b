"""What a person and an office add to a printed form: handwritten signatures, red seals, the scanner.

Signatures are written the way people really sign these forms — INLINE, right after "法定代表人（签字）："
on the same line, not on a blank drawn for them:
  - ``name``: the signer's name in ink (the bundled CJK font, larger, slanted, rotated a little, stroked
    thicker, in blue-black or black), placed as an image: on a scan the recogniser reads it as characters;
  - ``scrawl``: a cursive scrawl drawn as bezier strokes (vector ink, no characters at all).
Seals are the project's red ring with star and ring text (tests/packetgen.Page.seal).  Scans reuse the
print-and-scan model of the real-document fixtures (tests/realdocs/render.scan).
"""
from __future__ import annotations

import math
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from tests.packetgen import RED, Page
from xinyong_desktop.resources import font_path

INKS = {"blue": (22, 38, 120), "black": (25, 25, 28)}


@lru_cache(maxsize=4)
def _pil_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path()), size)


def name_image(name: str, seed: int, ink: str = "blue") -> Image.Image:
    """A name written by hand: glyphs of uneven size, slanted, rotated a little, heavy strokes, tight spacing."""
    rng = random.Random(seed)
    colour = INKS[ink]
    h = 96
    canvas = Image.new("RGBA", (90 * len(name) + 60, h + 40), (255, 255, 255, 0))
    x = 20
    for ch in name:
        size = rng.randint(62, 80)
        glyph = Image.new("RGBA", (size + 30, size + 30), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((12, 4), ch, font=_pil_font(size), fill=colour + (255,),
                                   stroke_width=rng.choice([1, 2]), stroke_fill=colour + (255,))
        glyph = glyph.rotate(rng.uniform(-9, 9), resample=Image.BICUBIC, expand=True)
        canvas.alpha_composite(glyph, (x, rng.randint(0, 18)))
        x += int(size * rng.uniform(0.68, 0.82))  # handwriting runs the characters together
    canvas = canvas.crop((0, 0, min(canvas.width, x + 40), canvas.height))
    shear = rng.uniform(0.18, 0.3)  # a forward slant
    w, hh = canvas.size
    canvas = canvas.transform((w + int(shear * hh), hh), Image.AFFINE, (1, shear, -shear * hh, 0, 1, 0),
                              resample=Image.BICUBIC)
    return canvas.crop(canvas.getbbox() or (0, 0, w, hh))


def sign_inline(c: Canvas, x: float, baseline: float, name: str, seed: int, style: str = "name",
                ink: str = "blue", height: float = 24.0) -> None:
    """Sign at (x, baseline): the ink starts right after the label and rises above the line like real signing."""
    if style == "scrawl":
        scrawl(c, x + 4, baseline + 4, seed, ink)
        return
    img = name_image(name, seed, ink)
    width = height * img.width / img.height
    c.drawImage(ImageReader(img), x + 2, baseline - height * 0.25, width=width, height=height, mask="auto")


def scrawl(c: Canvas, x: float, y: float, seed: int, ink: str = "black", length: float = 70.0) -> None:
    rng = random.Random(seed)
    r, g, b = INKS[ink]
    c.saveState()
    c.setStrokeColor(Color(r / 255, g / 255, b / 255))
    c.setLineWidth(1.5)
    p = c.beginPath()
    p.moveTo(x, y)
    steps = 6
    dx = length / steps
    for k in range(steps):
        p.curveTo(x + dx * k + dx * 0.4, y + rng.uniform(9, 18), x + dx * k + dx * 0.8, y - rng.uniform(5, 11),
                  x + dx * (k + 1), y + rng.uniform(-3, 4))
    p.moveTo(x - 4, y - 6)
    p.curveTo(x + length * 0.3, y - 12, x + length * 0.7, y + 2, x + length + 6, y - 4)  # the underline flourish
    c.drawPath(p)
    c.restoreState()


def seal(c: Canvas, name: str, cx: float, cy: float, r: float = 42.0, color: Color = RED) -> None:
    Page(c).seal(name, cx, cy, r=r, color=color)


def square_stamp(c: Canvas, lines: list[str], cx: float, cy: float, w: float = 110, h: float = 46) -> None:
    """A bank's rectangular red stamp (电子回单专用章 / 业务专用章 / 收讫)."""
    from tests.packetgen import _font

    c.saveState()
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    c.setLineWidth(1.6)
    c.roundRect(cx - w / 2, cy - h / 2, w, h, 4)
    c.setFont(_font(), 9)
    step = h / (len(lines) + 1)
    for i, t in enumerate(lines):
        c.drawCentredString(cx, cy + h / 2 - step * (i + 1) - 3, t)
    c.restoreState()


def elliptic_stamp(c: Canvas, name: str, cx: float, cy: float, rx: float = 52, ry: float = 34) -> None:
    """The oval finance/receipt stamp used on 财政票据 (ring text along the ellipse, a title across)."""
    from tests.packetgen import _font

    c.saveState()
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    c.setLineWidth(1.8)
    c.ellipse(cx - rx, cy - ry, cx + rx, cy + ry)
    c.setFont(_font(), 8)
    n = len(name)
    for i, ch in enumerate(name):
        a = math.radians(200) - math.radians(220) * i / max(n - 1, 1)
        c.saveState()
        c.translate(cx + (rx - 9) * math.cos(a), cy + (ry - 9) * math.sin(a))
        c.rotate(math.degrees(a) - 90)
        c.drawCentredString(0, -3, ch)
        c.restoreState()
    c.restoreState()
