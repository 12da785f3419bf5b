"""Where the data files are: rules, fonts and templates (`resources/`) and Qt Designer forms (`ui/`).

One lookup for every way the app runs, through importlib.resources: a wheel and the PyInstaller bundle carry
both folders inside the package as `xinyong_desktop/_data/` (setup.py copies them at build time,
build_installer.spec puts them at the same place); in a source checkout or an editable install that folder
does not exist and the top-level `resources/` and `ui/` next to the package are the same files."""
from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path

from xinyong_desktop.errors import SetupError

_PACKAGE = "xinyong_desktop"


class ResourcesMissing(SetupError):
    """The data files are not where the package expects them (a broken install)."""


@cache
def data_root() -> Path:
    """The folder that holds `resources/` and `ui/`."""
    package = Path(str(files(_PACKAGE)))
    for cand in (package / "_data", package.parent):
        if (cand / "resources" / "rules").is_dir():
            return cand
    raise ResourcesMissing(
        f"找不到程序的规则、字体和模板文件（{package / '_data' / 'resources'}）：安装不完整，"
        "请重新安装（pip install xinyong-desktop 或安装包），不要只复制程序文件。")


def resources_dir() -> Path:
    return data_root() / "resources"


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
    candidates = [resource_path("fonts", FALLBACK_FONT)]
    if os.environ.get("XINYONG_EXTB_FONT"):
        candidates.insert(0, Path(os.environ["XINYONG_EXTB_FONT"]))
    candidates += [Path("/usr/share/fonts/truetype/hanazono") / FALLBACK_FONT,
                   Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts" / FALLBACK_FONT,
                   Path(os.environ.get("LOCALAPPDATA", "~")).expanduser() / "Microsoft/Windows/Fonts" / FALLBACK_FONT,
                   Path("~/.local/share/fonts").expanduser() / FALLBACK_FONT]
    return next((p for p in candidates if p.is_file()), None)


def ui_path(name: str) -> Path:
    """A Qt Designer form (`ui/`, next to `resources/`)."""
    return data_root() / "ui" / name
