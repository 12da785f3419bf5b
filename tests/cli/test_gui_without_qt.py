"""`gui` where PySide6 is not installed: a Chinese message saying how to install it, exit 2, no traceback."""
from __future__ import annotations

import subprocess
import sys

# behaves as a Python without PySide6 does: the import raises ModuleNotFoundError naming the package
ABSENT_QT = (
    "import sys, importlib.abc\n"
    "class Absent(importlib.abc.MetaPathFinder):\n"
    "    def find_spec(self, name, path, target=None):\n"
    "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
    "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
    "sys.meta_path.insert(0, Absent())\n"
    "from xinyong_desktop.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_gui_without_pyside6_says_how_to_install(tmp_path):
    for args in (["gui"], ["gui", "--open", str(tmp_path), "--screenshot", str(tmp_path / "s.png")]):
        p = subprocess.run([sys.executable, "-c", ABSENT_QT, *args], capture_output=True, text=True, timeout=120)
        assert p.returncode == 2, p.stderr
        assert "PySide6" in p.stderr and 'pip install "xinyong-desktop[gui]"' in p.stderr
        assert "Traceback" not in p.stderr and not (tmp_path / "s.png").exists()


def test_pyside6_that_does_not_load_is_explained(tmp_path):
    broken = ABSENT_QT.replace("raise ModuleNotFoundError(f'No module named {name!r}', name=name)",
                               "raise ImportError('libEGL.so.1: cannot open shared object file')")
    p = subprocess.run([sys.executable, "-c", broken, "gui"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "libEGL.so.1" in p.stderr and "libegl1" in p.stderr
    assert "Traceback" not in p.stderr
