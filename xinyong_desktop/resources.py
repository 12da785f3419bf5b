"""Locate the top-level `resources/` folder from a checkout, an editable install or a PyInstaller bundle."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    env = os.environ.get("XINYONG_RESOURCES")
    if env:
        return Path(env)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    here = Path(__file__).resolve().parent
    for cand in (here.parent / "resources", here / "resources"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("找不到 resources 文件夹（规则、字体、模板）；请从源代码目录安装或设置 XINYONG_RESOURCES")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def font_path() -> Path:
    return resource_path("fonts", "wqy-microhei.ttf")


FALLBACK_FONT = "HanaMinB.ttf"


def fallback_font_path() -> Path | None:
    """A TrueType font for rare characters (CJK Extension B, e.g. 𠀾) that the main font lacks: HanaMinB
    (花園明朝B, free licence, 30 MB — too big to keep in the repository).  Looked for in resources/fonts/
    (where the installer build puts it), XINYONG_EXTB_FONT, and the system's font folders (Debian/Ubuntu
    package fonts-hanazono; on Windows installed into Fonts).  None when absent: such characters are then
    reported by documents.pdf.missing_glyphs."""
    import os

    candidates = [resource_path("fonts", FALLBACK_FONT)]
    if os.environ.get("XINYONG_EXTB_FONT"):
        candidates.insert(0, Path(os.environ["XINYONG_EXTB_FONT"]))
    candidates += [Path("/usr/share/fonts/truetype/hanazono") / FALLBACK_FONT,
                   Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts" / FALLBACK_FONT,
                   Path(os.environ.get("LOCALAPPDATA", "~")).expanduser() / "Microsoft/Windows/Fonts" / FALLBACK_FONT,
                   Path("~/.local/share/fonts").expanduser() / FALLBACK_FONT]
    return next((p for p in candidates if p.is_file()), None)


def ui_path(name: str) -> Path:
    """A Qt Designer form from the top-level ui/ folder (next to resources/)."""
    return resources_dir().parent / "ui" / name
