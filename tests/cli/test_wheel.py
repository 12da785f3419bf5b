"""A plain (non-editable) install works: the wheel carries resources/ and ui/ and the migrations, and the
commands run from a folder that is not the checkout.

The wheel is built the way `pip install .` builds it and installed with --no-deps into a fresh venv; the
dependencies come from this test run's environment through a path-only .pth file (no network, seconds
instead of minutes).  `.ci/run` also does the full `pip install .` with dependencies from the registry."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.packetgen import Facts, write_packet
from tests.rostergen import make_rows, write_xlsx

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("xinyong_desktop-*.whl"))
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "zz_test_deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    work = tmp / "elsewhere"  # not the checkout: nothing may be found relative to the current folder
    work.mkdir()
    return wheel, py, work, env_dir


def run(installed, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    _, py, work, _ = installed
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "XINYONG_DB", "XINYONG_DB_URL")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run([str(py), "-m", "xinyong_desktop", *args], cwd=work, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_wheel_carries_the_data_files(installed):
    wheel = installed[0]
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("resources/rules/materials.toml", "resources/rules/periods.toml", "resources/rules/reading.toml",
                "resources/rules/roster.toml", "resources/templates/forms.toml", "resources/fonts/wqy-microhei.ttf",
                "ui/main_window.ui"):
        assert f"xinyong_desktop/_data/{rel}" in names, rel
    assert "xinyong_desktop/store/migrations/env.py" in names
    assert {n for n in names if n.startswith("xinyong_desktop/store/migrations/versions/") and n.endswith(".py")}
    assert not [n for n in names if n.startswith(("resources/", "ui/", "tests/"))]  # nothing at the top level


def test_installed_package_reads_its_own_data(installed):
    _, py, work, env_dir = installed
    p = subprocess.run([str(py), "-c", "import xinyong_desktop, xinyong_desktop.resources as r; "
                        "print(xinyong_desktop.__file__); print(r.resources_dir()); print(r.ui_path('main_window.ui'))"],
                       cwd=work, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    for line in p.stdout.split():
        assert Path(line).resolve().is_relative_to(env_dir.resolve()), line
        assert Path(line).exists()


def test_check_forms_roster_from_another_folder(installed, tmp_path):
    f = Facts.random(7)
    packet = write_packet(tmp_path / "packet", f)
    import datetime as dt

    # past a year: Order 58 gives fire and work-safety penalties a 1-year minimum
    as_of = dt.date.fromordinal(f.decision_date.replace(day=1).toordinal() + 400).isoformat()
    p = run(installed, "check", str(packet), "--as-of", as_of, "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["ready"] is True and {m["kind"] for m in d["materials"]} >= {"application_form", "penalty_decision"}

    out = tmp_path / "forms"
    p = run(installed, "forms", str(packet), "--out", str(out), "--as-of", as_of)
    assert p.returncode == 0, p.stderr
    pdfs = sorted(x.name for x in out.glob("*.pdf"))
    assert "00_审核意见表.pdf" in pdfs and len(pdfs) >= 3
    assert all((out / n).read_bytes().startswith(b"%PDF") for n in pdfs)

    roster = tmp_path / "名单.xlsx"
    write_xlsx(roster, make_rows(12, seed=3))
    p = run(installed, "roster", str(roster), "--as-of", "2025-01-01", "--json", "--xlsx", str(tmp_path / "b.xlsx"))
    assert p.returncode == 0, p.stderr
    assert len(json.loads(p.stdout)["records"]) == 12 and (tmp_path / "b.xlsx").stat().st_size > 0


@pytest.mark.gui
def test_gui_screenshot_from_another_folder(installed, tmp_path):
    packet = write_packet(tmp_path / "packet", Facts.random(8))
    shot = tmp_path / "shot.png"
    p = run(installed, "gui", "--open", str(packet), "--screenshot", str(shot))
    assert p.returncode == 0, p.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")
