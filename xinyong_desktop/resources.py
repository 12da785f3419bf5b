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


def fallback_font_path() -> Path:
    """Rare characters (CJK Extension B, e.g. 𠀾) that the main font lacks."""
    return resource_path("fonts", "HanaMinB-ExtB.ttf")


def ui_path(name: str) -> Path:
    """A Qt Designer form from the top-level ui/ folder (next to resources/)."""
    return resources_dir().parent / "ui" / name
