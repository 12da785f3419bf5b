"""Caps for parsing untrusted files.  Values are generous for real packets, tight for bombs.

A file's work is budgeted by what it can legitimately hold (`weigh` looks at its structure in the parser
process before it is parsed, without rendering or decoding anything): a page with a text layer costs a text
page's budget, a page to be read by OCR costs an OCR page's budget only when it holds something to read (a
picture, a drawing of more than a few strokes, an annotation); a page with nothing to read (blank, a few
lines, a huge empty canvas) is not OCR'd at all — it is rendered small for ink analysis and has no text, as
OCR would find — so a 28 KB PDF of 60 pages of 14000 pt or a 300 KB TIFF of 60 empty 48-megapixel frames is
read in seconds and named for review as a file with nothing readable, instead of being OCR'd for minutes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace

# a page drawn with fewer path segments than this (and no text, picture or annotation) has nothing to read:
# one CJK character drawn as outlines takes 20–60 segments, so this is at most two or three characters
EMPTY_PAGE_SEGMENTS = 64
# a TIFF frame compressed to fewer bytes than this per megapixel is blank or nearly so: a sparse page of text
# at 600 dpi (35 MP) in CCITT G4 takes about 300 bytes per megapixel, a blank one 30–60
EMPTY_FRAME_BYTES_PER_MP = 150
OBJECTS_WEIGHED_PER_PAGE = 5_000  # past this a page is simply "something to read"
# a page larger than any paper (A0: 2384×3370 pt) with no picture on it: vector art or text on a canvas of
# metres, legal PDF (up to 14400 pt a side) but nothing a packet holds.  Ink analysis (seals, signatures) of
# such a page at 12 MP finds nothing a 4 MP rendering would not: a file of such pages only is rendered at that
LARGEST_PAPER_PT2 = 2384 * 3370 * 1.05


@dataclass(frozen=True)
class Weight:
    """What a file can legitimately hold, in pages (or TIFF frames)."""

    pages: int
    text: int = 0  # pages with a text layer (a dozen characters or more): read as text
    content: int = 0  # pages to be read by OCR that hold something to read
    oversized: int = 0  # pages (of any of these kinds) larger than any paper, with no picture on them
    empty_at: tuple[int, ...] = ()  # the pages (0-based) with nothing to read
    # the rest (pages - text - content): nothing to read on them

    @property
    def empty(self) -> int:
        return max(self.pages - self.text - self.content, 0)

    @property
    def nothing_readable(self) -> bool:
        return self.pages > 0 and self.text == 0 and self.content == 0


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 150 * 1024 * 1024
    max_pages: int = 60
    max_image_pixels: int = 80_000_000  # decoded frames larger than this are refused (a decompression bomb)
    max_render_pixels: int = 12_000_000  # a page is rendered at most this large for ink analysis (A4: 1.1 MP)
    max_ocr_pixels: int = 3_000_000  # and at most this large for OCR (A4 at 144 dpi: 2 MP; a 4:3 photo at 2200 px: 3.6 MP)
    # a file with nothing to read on any page is rendered (and OCR'd) at most this large: A4 at 50 dpi; its
    # result (no text) is the same at any size, the cost is not (60 pages of 14000 pt at 3 MP: a minute of OCR)
    empty_render_pixels: int = 250_000
    empty_pages: frozenset[int] = frozenset()  # of the file being parsed (0-based): not OCR'd, rendered small
    oversized_render_pixels: int = 4_000_000  # a file of pages larger than any paper without pictures (A2 at 108 dpi)
    memory_bytes: int = 4 * 1024**3  # address space of one parser process (a backstop; not on Windows; OpenVINO maps ~2.6 GB)
    memory_budget_bytes: int = 3 * 1024**3  # resident memory of all parser processes together (OpenVINO: ~1.1 GB each)
    seconds_base: float = 30.0
    seconds_per_page_ocr: float = 15.0
    seconds_per_page_text: float = 3.0
    seconds_per_page_empty: float = 1.0  # rendered small, nothing found (a 48 MP TIFF frame decoded: 0.1–0.4 s)
    # what a file's bytes can legitimately hold: a page worth reading by OCR is tens of kilobytes of image;
    # a 28 KB PDF declaring 60 pages of 14000 pt (or a 300 KB TIFF of 60 huge frames) is not 60 pages of work
    seconds_per_kib: float = 0.15

    def timeout(self, pages: int, ocr: bool, size_bytes: int | None = None) -> float:
        """CPU seconds for a file: a base plus a budget per page (page count or TIFF frames), capped by what
        the file's size can hold — never less than one page's budget."""
        per = self.seconds_per_page_ocr if ocr else self.seconds_per_page_text
        return self._capped(self.seconds_base + per * max(pages, 1), per, size_bytes)

    def budget(self, weight: Weight, ocr: bool, size_bytes: int | None = None) -> float:
        """CPU seconds for a weighed file: text pages at the text rate, pages with something to read by OCR
        at the OCR rate, pages with nothing to read at the empty rate; capped by what its size can hold."""
        per = self.seconds_per_page_ocr if ocr else self.seconds_per_page_text
        full = (self.seconds_base + self.seconds_per_page_text * weight.text + per * weight.content
                + self.seconds_per_page_empty * weight.empty)
        return self._capped(full, self.seconds_per_page_empty if weight.nothing_readable else per, size_bytes)

    def _capped(self, full: float, per: float, size_bytes: int | None) -> float:
        if size_bytes is None:
            return full
        return min(full, max(self.seconds_base + per, self.seconds_base + self.seconds_per_kib * size_bytes / 1024))

    def for_file(self, weight: Weight | None) -> Limits:
        """The limits one file is parsed under: its pages with nothing to read are not OCR'd and are rendered
        small (the result OCR would give: no text — a file of such pages only is named for review); a file whose
        every page is larger than any paper and has no picture is rendered for ink analysis at most at
        `oversized_render_pixels`."""
        out = self
        if weight is not None and weight.empty_at:
            out = replace(out, empty_pages=frozenset(weight.empty_at))
        if weight is not None and weight.oversized == weight.pages > 0:
            out = replace(out, max_render_pixels=min(out.max_render_pixels, out.oversized_render_pixels))
        return out


def weigh(path: str, limits: Limits) -> Weight | None:
    """What the file at `path` can hold, from its structure only (runs in the parser process, on untrusted
    bytes: nothing is rendered or decoded).  None when it cannot tell (not a PDF or TIFF, damaged, more
    pages than allowed): the file is then budgeted by its page count and size, and parsed as usual."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
        if b"%PDF-" in head:
            return _weigh_pdf(path, limits)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return _weigh_tiff(path, limits)
    except Exception:  # noqa: BLE001 - a file the weighing cannot read is the parser's to report
        return None
    return None


def _weigh_pdf(path: str, limits: Limits) -> Weight | None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(path)
    try:
        n = len(doc)
        if not 0 < n <= limits.max_pages:
            return None
        text = content = oversized = 0
        empty: list[int] = []
        for i in range(n):
            page = doc[i]
            try:
                kind, bare = _pdf_page(page, raw)
            finally:
                page.close()
            text += kind == "text"
            content += kind == "content"
            oversized += bare
            if kind == "empty":
                empty.append(i)
        return Weight(n, text, content, oversized, tuple(empty))
    finally:
        doc.close()


def _pdf_page(page, raw) -> tuple[str, bool]:
    """What a page holds: "text" (a text layer of a dozen characters or more), "content" (something for OCR
    or ink analysis: a few characters, a picture, a drawing, an annotation — a stamp, a filled form) or
    "empty"; and whether it is larger than any paper with no picture on it."""
    from xinyong_desktop.intake.worker import MIN_TEXT_GLYPHS

    w, h = page.get_size()
    textpage = page.get_textpage()
    try:
        chars = sum(1 for i in range(raw.FPDFText_CountChars(textpage.raw))
                    if raw.FPDFText_IsGenerated(textpage.raw, i) != 1 and raw.FPDFText_GetUnicode(textpage.raw, i) > 0x20)
    finally:
        textpage.close()
    annotated = raw.FPDFPage_GetAnnotCount(page.raw) > 0  # (an annotation may show a picture: a stamp)
    kind = "text" if chars >= MIN_TEXT_GLYPHS else "content" if chars or annotated else ""
    oversized = w * h > LARGEST_PAPER_PT2 and not annotated
    if kind and not oversized:
        return kind, False
    segments, picture, texts = 0, False, False
    for seen, obj in enumerate(page.get_objects(max_depth=8), 1):  # into form XObjects
        if seen > OBJECTS_WEIGHED_PER_PAGE:
            return kind or "content", False  # too much to tell: an ordinary page with something on it
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:  # (of any size: a 1×1 picture may be stretched over the page)
            picture = True
            break
        texts = texts or obj.type == raw.FPDF_PAGEOBJ_TEXT
        if obj.type == raw.FPDF_PAGEOBJ_PATH:
            segments += max(raw.FPDFPath_CountSegments(obj.raw), 0)
    if not kind:
        kind = "content" if picture or texts or segments >= EMPTY_PAGE_SEGMENTS else "empty"
    return kind, oversized and not picture


def _weigh_tiff(path: str, limits: Limits) -> Weight | None:
    from PIL import Image

    size = os.path.getsize(path)
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels  # opening and seeking decode nothing
    with Image.open(path) as im:
        n = int(getattr(im, "n_frames", 1) or 1)
        if not 0 < n <= limits.max_pages:
            return None
        empty: list[int] = []
        for i in range(n):
            im.seek(i)
            tags = getattr(im, "tag_v2", {})
            stored = min(sum(int(c) for c in (tags.get(279) or tags.get(325) or ())), size)  # strip/tile bytes
            megapixels = im.width * im.height / 1e6
            if megapixels >= 1 and stored < EMPTY_FRAME_BYTES_PER_MP * megapixels:
                empty.append(i)
        return Weight(n, 0, n - len(empty), 0, tuple(empty))
