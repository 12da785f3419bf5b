"""case.json is untrusted: never read through a link, never a FIFO or a device, never more than a cap.

Each read runs in a child process with a memory limit and a timeout, so the old behaviour (hang on a FIFO,
eat memory on /dev/zero, follow a link to /etc/passwd) shows as a failure, not a stuck test run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xinyong_desktop.safeio import UnsafeFileError, read_small_regular_file

_CHILD = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, 1536 * 1024**2))
from xinyong_desktop.services.check_packet import CaseFileError, read_case_file
try:
    f = read_case_file(Path(sys.argv[1]))
    print("OK", f.record_severity, f.applicant)
except CaseFileError as e:
    print("REFUSED", e)
"""


def _read_in_child(packet: Path) -> str:
    try:
        out = subprocess.run([sys.executable, "-c", _CHILD, str(packet)], capture_output=True, text=True, timeout=30,
                             cwd=Path(__file__).resolve().parents[2])
    except subprocess.TimeoutExpired:
        return "HUNG"
    return out.stdout.strip() or f"CRASHED {out.returncode}: {out.stderr[-300:]}"


@pytest.fixture
def packet(tmp_path):
    d = tmp_path / "packet"
    d.mkdir()
    return d


def test_a_normal_case_file_is_read(packet):
    (packet / "case.json").write_text(json.dumps({"record_severity": "serious", "applicant": "agent"}), encoding="utf-8")
    assert _read_in_child(packet) == "OK serious agent"


def test_no_case_file_names_what_is_assumed(packet):
    """Issue 22: a folder without case.json is checked; the severity is never silently "general" — it is listed
    as assumed and what depends on it is review (tests/rules/test_obligations.py)."""
    from xinyong_desktop.services.check_packet import read_case_file

    assert "record_severity" in read_case_file(packet).assumed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting(packet):
    os.mkfifo(packet / "case.json")
    out = _read_in_child(packet)
    assert out.startswith("REFUSED") and "不是普通文件" in out, out


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_dev_zero_is_refused(packet):
    (packet / "case.json").symlink_to("/dev/zero")
    out = _read_in_child(packet)
    assert out.startswith("REFUSED") and "链接" in out, out


@pytest.mark.skipif(not Path("/etc/passwd").exists(), reason="needs /etc/passwd")
def test_a_link_to_a_file_outside_is_not_followed(packet):
    (packet / "case.json").symlink_to("/etc/passwd")
    out = _read_in_child(packet)
    assert out.startswith("REFUSED") and "链接" in out, out


def test_a_dangling_link_is_refused_not_taken_as_absent(packet):
    (packet / "case.json").symlink_to(packet / "nowhere.json")
    assert _read_in_child(packet).startswith("REFUSED")


def test_a_folder_named_case_json_is_refused(packet):
    (packet / "case.json").mkdir()
    out = _read_in_child(packet)
    assert out.startswith("REFUSED") and "文件夹" in out, out


def test_an_oversized_case_file_is_refused(packet):
    (packet / "case.json").write_text(json.dumps({"record_severity": "general", "pad": "x" * 5_000_000}), encoding="utf-8")
    out = _read_in_child(packet)
    assert out.startswith("REFUSED") and "上限" in out, out


def test_helper_reads_up_to_the_cap_and_refuses_beyond(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(b"a" * 100)
    assert read_small_regular_file(p, 100) == b"a" * 100
    with pytest.raises(UnsafeFileError):
        read_small_regular_file(p, 99)
    with pytest.raises(FileNotFoundError):
        read_small_regular_file(tmp_path / "missing", 10)
