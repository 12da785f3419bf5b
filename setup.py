"""Build hook: the top-level `resources/` (rules, fonts, templates) and `ui/` (Qt Designer forms) are copied
into the package as `xinyong_desktop/_data/{resources,ui}`, so a wheel (or a PyInstaller bundle, see
build_installer.spec) carries them and `xinyong_desktop.resources` finds them with importlib.resources.
The folders stay at the top of the repository as the one source that officials and developers edit.
Everything else about the project is in pyproject.toml."""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = ("resources", "ui")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout's folders
            return
        target = Path(self.build_lib) / "xinyong_desktop" / "_data"
        for name in DATA:
            if not (ROOT / name).is_dir():
                raise SystemExit(f"setup.py: {name}/ missing from the source tree")
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(ROOT / name, target / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithData})
