"""The headless `check` command: contract JSON, exit codes, and no Qt anywhere on its path."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packetgen import Facts, Spec, write_packet

BLOCK_QT = (
    "import sys, importlib.abc\n"
    "class B(importlib.abc.MetaPathFinder):\n"
    "    def find_spec(self, name, path, target=None):\n"
    "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):\n"
    "            raise ImportError('Qt is blocked in this test')\n"
    "sys.meta_path.insert(0, B())\n"
    "from xinyong_desktop.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK_QT, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def packets(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    f = Facts.random(31)
    clean = write_packet(root / "clean", f)
    bad = write_packet(root / "bad", f, specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    (bad / "子目录").mkdir()
    (bad / "子目录" / "坏文件.pdf").write_bytes(b"%PDF-1.4 broken")
    as_of = (f.decision_date.replace(day=1).toordinal() + 200)
    import datetime as dt

    return clean, bad, dt.date.fromordinal(as_of).isoformat()


def test_ready_packet_exits_0_with_contract_json(packets):
    clean, _, as_of = packets
    p = run_cli("check", str(clean), "--as-of", as_of, "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["schema"] == 2 and d["ready"] is True and d["as_of"] == as_of
    assert d["record_severity"] == "general" and d["eligible_from"]
    kinds = {m["kind"] for m in d["materials"]}
    assert {"penalty_decision", "application_form", "commitment_letter", "payment_proof"} <= kinds
    for m in d["materials"]:
        assert set(m) == {"path", "kind", "pages", "text_source", "fields"}
        assert "\\" not in m["path"]
        for fv in m["fields"].values():
            assert set(fv) == {"value", "page", "bbox", "confidence"}


def test_not_ready_packet_exits_1_and_hostile_file_is_a_finding(packets):
    _, bad, as_of = packets
    p = run_cli("check", str(bad), "--as-of", as_of, "--json")
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)
    codes = {(f["code"], f["kind"]) for f in d["findings"]}
    assert ("SEAL_MISSING", "commitment_letter") in codes
    unread = [f for f in d["findings"] if f["code"] == "FILE_UNREADABLE"]
    assert unread and unread[0]["path"] == "子目录/坏文件.pdf" and unread[0]["severity"] == "error"


def test_readable_report_in_chinese(packets):
    _, bad, as_of = packets
    p = run_cli("check", str(bad), "--as-of", as_of)
    assert p.returncode == 1
    assert "暂不能提交" in p.stdout and "公章" in p.stdout


@pytest.mark.parametrize("args", [["check", "/nonexistent/packet"], ["check"], ["check", ".", "--as-of", "2024-13-01"]])
def test_usage_errors_exit_2(args):
    assert run_cli(*args).returncode == 2


def test_bad_case_json_exits_2(tmp_path):
    (tmp_path / "case.json").write_text('{"record_severity": "huge"}', encoding="utf-8")
    p = run_cli("check", str(tmp_path))
    assert p.returncode == 2 and "record_severity" in p.stderr


def test_core_imports_no_qt():
    """Every core module imports with Qt blocked (napari-style guard for the pure core)."""
    import pkgutil

    import xinyong_desktop

    mods = [m.name for m in pkgutil.walk_packages(xinyong_desktop.__path__, "xinyong_desktop.")
            if ".app" not in m.name and "migrations" not in m.name and not m.name.endswith("__main__")]
    code = BLOCK_QT.split("from xinyong_desktop")[0] + "import importlib\n" + "".join(
        f"importlib.import_module({m!r})\n" for m in mods)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert len(mods) > 15


def test_module_entry_point(packets):
    clean, _, as_of = packets
    p = subprocess.run([sys.executable, "-m", "xinyong_desktop", "check", str(clean), "--as-of", as_of, "--json"],
                       capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[2])
    assert p.returncode == 0 and json.loads(p.stdout)["ready"]
