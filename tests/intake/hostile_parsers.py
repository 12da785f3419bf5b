"""Hostile parsers for the sandbox's tests, installed in each parser process through the pool's initializer
(the product's child loop has no fault hooks).  Module-level so that spawn/forkserver children can import it."""
from __future__ import annotations

import os
import time


def install(hang: str | None = None, hog: str | None = None, grow_to: int | None = None,
            spin: str | None = None, nap: str | None = None) -> None:
    """Wrap worker.parse_file: the file named `hang` never returns (asleep); `spin` never returns (busy on
    the CPU); `nap` waits 2.5 s off the CPU (a starved parser), then parses normally; the file named `hog`
    keeps allocating touched memory (up to grow_to bytes, then sleeps 3 s and parses normally; without
    grow_to: forever)."""
    from xinyong_desktop.intake import worker

    real = worker.parse_file

    def parse_file(path: str, *args, **kwargs):
        name = os.path.basename(path)
        if name == hang:
            time.sleep(3600)
        if name == spin:
            while True:
                pass
        if name == nap:
            time.sleep(2.5)
        if name == hog:
            held = []
            while grow_to is None or len(held) * (32 << 20) < grow_to:
                held.append(bytearray(b"\x01") * (32 << 20))  # written, so it is resident
                time.sleep(0.02)
            time.sleep(3)
        return real(path, *args, **kwargs)

    worker.parse_file = parse_file


def install_two(names: tuple[str, ...], grow_to: int) -> None:
    """Like install(hog=…), for several file names at once (each wraps the one before)."""
    for name in names:
        install(None, name, grow_to)


def install_noisy_pdfium() -> None:
    """What a fuzzed PDF does inside PDFium: a page index that fails (PdfiumError quoting the file), a warning,
    and a native library's message written straight to fd 2 — all naming the file."""
    import warnings

    import pypdfium2 as pdfium

    def getitem(self, i):
        os.write(2, f"pdfium: bad xref in {self._input}\n".encode())
        warnings.warn(f"odd page tree in {self._input}", stacklevel=1)
        raise pdfium.PdfiumError(f"Failed to load page {i} of {self._input}")

    pdfium.PdfDocument.__getitem__ = getitem


def install_many_pages(name: str, pages: int) -> None:
    """The file named `name` declares `pages` pages (as a 28 KB PDF of 60 huge pages does), then works on the
    CPU without end (as OCR of those pages does, for minutes)."""
    from xinyong_desktop.intake import worker

    real = worker.parse_file

    def parse_file(path: str, *args, on_pages=None, **kwargs):
        if os.path.basename(path) == name:
            if on_pages:
                on_pages(pages)
            while True:
                pass
        return real(path, *args, on_pages=on_pages, **kwargs)

    worker.parse_file = parse_file
