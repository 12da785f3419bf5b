"""The fonts a PDF's pages use, and whether each is embedded (what `pdffonts` lists), read with pdfminer."""
from __future__ import annotations

from pathlib import Path


def pdf_fonts(path: Path) -> set[tuple[str, bool]]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    out = set()
    with open(path, "rb") as f:
        doc = PDFDocument(PDFParser(f))
        for page in PDFPage.create_pages(doc):
            res = resolve1(page.resources) or {}
            for ref in (resolve1(res.get("Font")) or {}).values():
                fd = resolve1(ref)
                base = resolve1(fd.get("BaseFont"))
                desc = resolve1(fd.get("FontDescriptor")) or {}
                if fd.get("DescendantFonts"):
                    desc = resolve1(resolve1(resolve1(fd["DescendantFonts"])[0]).get("FontDescriptor")) or {}
                embedded = any(k in desc for k in ("FontFile", "FontFile2", "FontFile3"))
                out.add((getattr(base, "name", str(base)), embedded))
    return out


def unembedded(path: Path) -> set[str]:
    return {name for name, embedded in pdf_fonts(path) if not embedded}
