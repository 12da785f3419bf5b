"""A batch export records what it was to contain; two records of one enterprise never share a folder; result
files appear under their final names only complete."""
from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packetgen import Facts, write_packet
from xinyong_desktop.export.usb import BATCH_MANIFEST, verify
from xinyong_desktop.services.export_packets import export_packets

AS_OF = dt.date(2025, 3, 1)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def two_of_one_enterprise(tmp_path_factory):
    """Two penalty records of one enterprise, each with its packet (and one other enterprise)."""
    root = tmp_path_factory.mktemp("batch")
    f = Facts.random(93, decision_date=dt.date(2024, 6, 1))
    g = dataclasses.replace(f, decision_number=f.decision_number.replace("号", "1号"))
    other = Facts.random(94, decision_date=dt.date(2024, 6, 1))
    return [write_packet(root / "a", f), write_packet(root / "b", g), write_packet(root / "c", other)], (f, g)


def test_two_records_of_one_enterprise_get_two_folders(tmp_path, two_of_one_enterprise, pool, rules):
    """Was: both "已导出并校验" into one folder, the first replaced, and verify passed."""
    packets, (f, g) = two_of_one_enterprise
    out = export_packets(packets, tmp_path / "usb", rules, "张老师", AS_OF, pool=pool)
    assert len(out.exported) == 3 and len({p.name for p in out.exported}) == 3, out.skipped
    names = {p.name for p in out.exported}
    assert any(f.decision_number in n for n in names) and any(g.decision_number in n for n in names)
    assert all(r.ok for r in verify(tmp_path / "usb"))
    record = json.loads((tmp_path / "usb" / BATCH_MANIFEST).read_text(encoding="utf-8"))
    batch = record["batches"][-1]
    assert batch["complete"] and [c["state"] for c in batch["cases"]] == ["exported"] * 3


_KILLED_BATCH = """
import datetime as dt, os, sys
from pathlib import Path
from xinyong_desktop.export import usb
from xinyong_desktop.services import export_packets as ep
from xinyong_desktop.rules.loader import default_rules

real, done = usb.export_item, []
def export_item(*a, **k):
    if done:  # the first enterprise is on the stick, verified; the second is about to start: power lost
        os._exit(9)
    done.append(real(*a, **k))
    return done[-1]
ep.export_item = export_item
ep.export_packets([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]), default_rules(), "张老师", dt.date(2025, 3, 1))
"""


def test_verify_fails_when_a_killed_batch_is_missing_an_enterprise(tmp_path, two_of_one_enterprise):
    """Was: verify passed 31 sticks from killed batch exports that were missing an enterprise."""
    packets, _ = two_of_one_enterprise
    usb = tmp_path / "usb"
    run = subprocess.run([sys.executable, "-c", _KILLED_BATCH, str(usb), *map(str, packets)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 9, run.stderr[-2000:]
    folders = [p for p in usb.iterdir() if p.is_dir()]
    assert len(folders) == 1 and all(r.ok for r in verify(folders[0]))  # the kill landed after the first …
    batch = json.loads((usb / BATCH_MANIFEST).read_text(encoding="utf-8"))["batches"][-1]
    assert [c["state"] for c in batch["cases"]] == ["exported", "pending", "pending"]  # … before the second
    reports = verify(usb)
    bad = [r for r in reports if not r.ok]
    assert len(bad) == 2 and all("导出中断" in r.missing[0] for r in bad)
    cli = subprocess.run([sys.executable, "-m", "xinyong_desktop", "verify", str(usb)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 1 and "导出中断" in cli.stdout


class _FillsUp:
    """A file on a disk that fills up after `room` bytes (ENOSPC), as a stick does."""

    def __init__(self, fh, room: int):
        self._fh, self._room = fh, room

    def write(self, data):
        if len(data) > self._room:
            self._fh.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


def test_a_full_disk_leaves_no_truncated_pdf_under_its_final_name(tmp_path, monkeypatch):
    """Forms, notices and merged letters are all written by documents.pdf.build: on a full disk the final
    name never holds a 0-byte or truncated PDF (was: both, under the final names)."""
    import builtins

    from xinyong_desktop.documents.pdf import build, p, styles

    real_open = builtins.open
    landed = []

    def full_open(file, mode="r", *a, **k):
        fh = real_open(file, mode, *a, **k)
        if "w" in mode and "out" in str(file):
            landed.append(str(file))
            return _FillsUp(fh, 1500)
        return fh

    monkeypatch.setattr(builtins, "open", full_open)
    out = tmp_path / "out"
    with pytest.raises(OSError):
        build(out / "全部_信用修复提醒函.pdf", [p("信用修复提醒函 " * 400, styles()["body"])], "合并打印")
    monkeypatch.undo()
    assert landed  # the write really went to the full disk
    assert not (out / "全部_信用修复提醒函.pdf").exists()
    assert not list(out.iterdir())  # nor its temporary file
    build(out / "全部_信用修复提醒函.pdf", [p("信用修复提醒函", styles()["body"])], "合并打印")
    assert (out / "全部_信用修复提醒函.pdf").read_bytes().startswith(b"%PDF")
