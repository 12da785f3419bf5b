"""Decoding untrusted pictures within bounds: HEIC/HEIF through pillow-heif, every frame of a TIFF, and never a
full-size copy of a huge picture (used by the parser processes and by the page viewer)."""
from __future__ import annotations

_TRANSPOSE = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270",
              7: "TRANSVERSE", 8: "ROTATE_90"}


def register_heif() -> None:
    """HEIC/HEIF (iPhone photos) through pillow-heif's Pillow plugin."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - a dependency; without it HEIC files are reported unreadable
        return
    register_heif_opener()


def decode_bounded(im, max_side: int, max_height: int | None = None, max_pixels: int | None = None):
    """One frame of an opened Pillow image as upright RGB (numpy) no larger than max_side (max_height, max_pixels),
    plus its full upright size.  JPEG decodes at a reduced size directly (draft); other formats decode once
    and are reduced before any copy, so a 79-megapixel image never exists twice in memory."""
    import numpy as np
    from PIL import Image

    orientation = 1
    try:
        orientation = int(im.getexif().get(0x0112, 1) or 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block is no reason to refuse the picture
        orientation = 1
    w, h = im.size
    if orientation in (5, 6, 7, 8):
        w, h = h, w
    k = min(1.0, max_side / max(w, h, 1), (max_height or h) / max(h, 1),
            (max_pixels / max(w * h, 1)) ** 0.5 if max_pixels else 1.0)
    tw, th = im.size[0] * k, im.size[1] * k
    if k < 1.0 and im.format == "JPEG":
        im.draft("RGB", (int(tw) + 1, int(th) + 1))
    if im.mode not in ("RGB", "RGBA", "L", "LA"):
        # bilevel scans (fax TIFF) grey, not RGB: a 48-megapixel frame is reduced from 48 MB, not 144 MB
        im = im.convert("L" if im.mode == "1" else "RGBA" if "A" in im.mode or im.mode == "P" else "RGB")
    if k < 1.0:
        im = im.resize((max(int(tw), 1), max(int(th), 1)), Image.Resampling.BOX)
    if orientation in _TRANSPOSE:
        im = im.transpose(getattr(Image.Transpose, _TRANSPOSE[orientation]))
    if im.mode in ("RGBA", "LA"):
        bg = Image.new("RGB", im.size, (255, 255, 255))
        bg.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
        im = bg
    return np.ascontiguousarray(np.asarray(im.convert("RGB"))), float(w), float(h)
