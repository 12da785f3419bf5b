"""What a packet folder holds that is not a file to read — links, FIFOs, folders that cannot be opened — is
reported as a warning naming it, never followed and never skipped silently."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.packetgen import Facts, write_packet
from xinyong_desktop.intake import filetypes
from xinyong_desktop.intake.filetypes import survey


@pytest.fixture
def packet(tmp_path):
    p = write_packet(tmp_path / "packet", Facts.random(95, decision_date=dt.date(2024, 6, 1)))
    outside = tmp_path / "outside.pdf"
    outside.write_bytes((p / "02承诺书.pdf").read_bytes())
    (p / "外部链接.pdf").symlink_to(outside)
    (p / "目录链接").symlink_to(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(p / "管道.pdf")
    (p / "扫描件").mkdir()
    (p / "扫描件" / "a.pdf").write_bytes((p / "02承诺书.pdf").read_bytes())
    (p / ".hidden.pdf").write_bytes(b"%PDF-1.4")
    return p


def _closed(folder: Path, monkeypatch) -> None:
    """A sub-folder the user may not open (as root, chmod cannot show it, so the OS answer is simulated)."""
    real = os.scandir

    def scandir(path="."):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(filetypes.os, "scandir", scandir)


def test_survey_reports_links_fifos_and_closed_folders(packet, monkeypatch):
    _closed(packet / "扫描件", monkeypatch)
    found = survey(packet)
    skipped = dict(found.skipped)
    assert "链接" in skipped["外部链接.pdf"] and "链接" in skipped["目录链接"]
    assert "没有读取权限" in skipped["扫描件"]
    if hasattr(os, "mkfifo"):
        assert "不是普通文件" in skipped["管道.pdf"]
    names = {p.name for p in found.files}
    assert "外部链接.pdf" not in names and "管道.pdf" not in names and ".hidden.pdf" not in names
    assert "02承诺书.pdf" in names and "case.json" not in names


def test_check_names_each_skipped_entry_in_a_warning(packet, pool, rules, monkeypatch):
    from xinyong_desktop.services.check_packet import check_packet

    _closed(packet / "扫描件", monkeypatch)
    result = check_packet(packet, as_of=dt.date(2025, 3, 1), rules=rules, pool=pool)
    warned = {f.path: f for f in result.findings if f.code == "FILE_UNREADABLE" and f.severity == "warning"}
    assert {"外部链接.pdf", "目录链接", "扫描件"} <= set(warned)
    assert "扫描件" in warned["扫描件"].message and "权限" in warned["扫描件"].message
    assert not any(f.severity != "warning" and f.path in warned for f in result.findings)
    assert not any(m.path == "外部链接.pdf" for m in result.materials)  # the link was not followed
