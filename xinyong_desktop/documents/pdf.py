"""A small A4 layout engine on reportlab: official-document margins, embedded TrueType CJK font, escaped text."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xinyong_desktop.resources import fallback_font_path, font_path

FONT = "XYSans"
FALLBACK = "XYExtB"


def _to_unicode_cmap(fontname, subset):
    """reportlab's ToUnicode CMap writes code points as <%04X>, which breaks for characters beyond the BMP
    (𠀾 U+2003E would read back as U+2003 …): write each as UTF-16BE, surrogate pairs included, so copying
    and our own intake read rare names correctly."""
    def utf16(v: int) -> str:
        return chr(v).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
             f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
             f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
             f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar"]
    lines += [f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


_ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@lru_cache(maxsize=1)
def font() -> str:
    """Register the bundled TrueType font once; reportlab embeds the subset it uses in every PDF.  It is also the
    tables' cell font: a table sets its cells' font even around paragraphs, and reportlab's default there is the
    standard Helvetica, which is never embedded (pdffonts would list it in every document with a table)."""
    from reportlab.platypus.tables import CellStyle

    pdfmetrics.registerFont(TTFont(FONT, str(font_path())))
    CellStyle.fontname = FONT
    return FONT


@lru_cache(maxsize=1)
def _fallback() -> tuple[str | None, frozenset[int]]:
    """(path, code points) of the rare-character font, looked up once; (None, ∅) when it is not installed."""
    path = fallback_font_path()
    return (str(path), _cmap(str(path))) if path is not None else (None, frozenset())


@lru_cache(maxsize=1)
def fallback_font() -> str:
    """Register the rare-character font on first need (only called for characters it was found to have)."""
    pdfmetrics.registerFont(TTFont(FALLBACK, _fallback()[0]))
    return FALLBACK


@lru_cache(maxsize=2)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont as FT

    return frozenset(FT(path, lazy=True).getBestCmap())


def _main_cmap() -> frozenset[int]:
    return _cmap(str(font_path()))


def missing_glyphs(text: str) -> set[str]:
    """Characters neither the bundled font nor the rare-character font can draw (they would show as boxes)."""
    main, extra = _main_cmap(), _fallback()[1]
    return {c for c in text if not c.isspace() and ord(c) not in main and ord(c) not in extra}


def _markup(text: str) -> str:
    """Escaped paragraph markup; characters only the fallback font has are set in it."""
    main = _main_cmap()
    if all(ord(c) in main or c.isspace() or ord(c) < 0x3000 for c in text):
        return escape(text).replace("\n", "<br/>")
    extra = _fallback()[1]
    out = []
    for c in text:
        if ord(c) not in main and ord(c) in extra:
            out.append(f'<font name="{fallback_font()}">{escape(c)}</font>')
        else:
            out.append("<br/>" if c == "\n" else escape(c))
    return "".join(out)


def styles() -> dict[str, ParagraphStyle]:
    f = font()
    # GB/T 9704 in spirit: title 二号 (22 pt), body 三号 (16 pt) with 28 pt leading, first-line indent 2 chars
    return {
        "title": ParagraphStyle("title", fontName=f, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=18),
        "body": ParagraphStyle("body", fontName=f, fontSize=14, leading=26, firstLineIndent=28, wordWrap="CJK"),
        "plain": ParagraphStyle("plain", fontName=f, fontSize=14, leading=24, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=f, fontSize=11.5, leading=16, wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=f, fontSize=10, leading=14, wordWrap="CJK"),
        "tiny": ParagraphStyle("tiny", fontName=f, fontSize=8.5, leading=11, wordWrap="CJK"),
        "letter": ParagraphStyle("letter", fontName=f, fontSize=13, leading=23, firstLineIndent=26, wordWrap="CJK"),
        "signoff": ParagraphStyle("signoff", fontName=f, fontSize=13, leading=24, alignment=TA_RIGHT),
        "sign": ParagraphStyle("sign", fontName=f, fontSize=14, leading=30, leftIndent=220),
    }


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: escaped, so '<' and '&' print as themselves."""
    return Paragraph(_markup(text), style)


def table(rows: list[list[str]], widths: list[float], header: bool = False, size: str = "cell") -> Table:
    st = styles()[size]
    t = Table([[p(c, st) for c in r] for r in rows], colWidths=widths)
    pad = 2 if size == "tiny" else 5
    cmds = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad)]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)))
    t.setStyle(TableStyle(cmds))
    return t


def build(path: Path, story: list, title: str, on_page=None) -> Path:
    """The story on A4, written under a temporary name, flushed, then renamed (safeio.atomic_output): a full disk
    never leaves a 0-byte or truncated PDF under its final name.  The canvas starts in the embedded CJK font:
    reportlab's default start font is the standard (never embedded) Helvetica, which then sits in every page's
    resources although no text uses it."""
    from xinyong_desktop.safeio import atomic_output

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, topMargin=30 * mm, bottomMargin=28 * mm, leftMargin=28 * mm,
                                rightMargin=26 * mm, title=title, author="信用修复小班审核台", initialFontName=font(),
                                initialFontSize=12, initialLeading=14)
        if on_page is None:
            doc.build(story)
        else:
            doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


def spacer(h: float = 10) -> Spacer:
    return Spacer(1, h)


CONTENT_WIDTH = A4[0] - 54 * mm
