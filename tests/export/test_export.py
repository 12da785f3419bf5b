"""Export to a stick: complete and verified, or visibly incomplete; verify names what changed."""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.packetgen import Facts, Spec, write_packet
from xinyong_desktop.export.names import safe_name, unique
from xinyong_desktop.export.usb import BATCH_MANIFEST, INCOMPLETE, ExportError, verify
from xinyong_desktop.services.export_packets import export_packets

AS_OF = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def packets(tmp_path_factory):
    root = tmp_path_factory.mktemp("exp")
    good = write_packet(root / "good", Facts.random(91, decision_date=dt.date(2024, 6, 1)))
    bad = write_packet(root / "bad", Facts.random(92, decision_date=dt.date(2024, 6, 1)),
                       specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    return good, bad


def test_export_and_verify(tmp_path, packets, pool, rules):
    good, bad = packets
    out = export_packets([good, bad], tmp_path / "usb", rules, "张老师", AS_OF, pool=pool)
    assert len(out.exported) == 1 and len(out.skipped) == 1 and "未就绪" in out.skipped[0][1]
    folder = out.exported[0]
    names = sorted(p.name for p in folder.iterdir())
    assert names[0] == "00_审核意见表.pdf" and "manifest.json" in names
    assert names[1].startswith("01_信用修复申请书")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["instructor"] == "张老师" and manifest["version"]
    assert all(len(e["sha256"]) == 64 and e["size"] > 0 for e in manifest["files"])
    assert all(r.ok for r in verify(tmp_path / "usb"))
    victim = folder / names[2]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    reports = verify(tmp_path / "usb")
    assert reports[0].changed == [names[2]]


def test_forced_export_records_the_reason(tmp_path, packets, pool, rules):
    _, bad = packets
    out = export_packets([bad], tmp_path / "usb", rules, "张老师", AS_OF, force_reason="原件已现场核对", pool=pool)
    m = json.loads((out.exported[0] / "manifest.json").read_text(encoding="utf-8"))
    assert m["ready"] is False and m["forced_reason"] == "原件已现场核对"


def test_not_enough_space(tmp_path, packets, pool, rules, monkeypatch):
    good, _ = packets
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10**6, 10**6 - 1000, 1000))
    with pytest.raises(ExportError, match="剩余空间"):
        export_packets([good], tmp_path / "usb", rules, "张老师", AS_OF, pool=pool)
    assert [p.name for p in (tmp_path / "usb").iterdir()] == [BATCH_MANIFEST]  # only the batch record …
    assert not any(r.ok for r in verify(tmp_path / "usb"))  # … which says the batch is not on the stick


@pytest.mark.parametrize("raw,want", [
    ('常州:某"公司"?', "常州_某_公司__"), ("CON.pdf", "_CON.pdf"), ("名字. ", "名字"), ("a/b\\c.pdf", "a_b_c.pdf"),
])
def test_safe_names(raw, want):
    assert safe_name(raw) == want


def test_names_unique_ignoring_case():
    taken: set[str] = set()
    assert [unique(n, taken) for n in ("A.pdf", "a.pdf", "A.PDF")] == ["A.pdf", "a (2).pdf", "A (3).PDF"]
    assert len(safe_name("长" * 300 + ".pdf")) <= 80


KILLER = """
import sys
from pathlib import Path
from xinyong_desktop.domain.model import Kind, Material, TextSource
from xinyong_desktop.export.usb import ExportItem, export_item
src, dest = Path(sys.argv[1]), Path(sys.argv[2])
mats = [Material(p.name, Kind.OTHER, [1], TextSource.OCR, {}) for p in sorted(src.iterdir())]
dest.mkdir(parents=True, exist_ok=True)
print("start", flush=True)  # the test times its kill from here: what follows is the write window
export_item(ExportItem("常州测试有限公司", src, mats), dest, "张老师", {k: k.value for k in Kind})
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """A packet of phone photos and scans (12 × 1.5 MiB): writing, fsyncing and verifying it takes long enough
    that kills can be aimed inside the write and not only before or after it."""
    src = tmp_path_factory.mktemp("photos")
    rng = random.Random(5)
    for i in range(12):
        (src / f"照片{i:02d}.jpg").write_bytes(rng.randbytes(3 << 19))
    return src


def _export_once(src: Path, dest: Path) -> tuple[subprocess.Popen, float]:
    p = subprocess.Popen([sys.executable, "-c", KILLER, str(src), str(dest)], stdout=subprocess.PIPE, text=True,
                         start_new_session=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "start"
    return p, time.perf_counter()


def _state(dest: Path) -> str:
    """before: nothing written yet; inside: the staging folder exists; after: the final folder alone."""
    names = [p.name for p in dest.iterdir()] if dest.exists() else []
    if any(n.endswith(INCOMPLETE) for n in names):
        return "inside"
    return "after" if any(not n.endswith("（旧）") for n in names) and names else "before"


def _kill_rounds(tmp_path: Path, src: Path, rounds: int) -> dict[str, int]:
    """Kill export processes at moments spread over the measured write window; each round either starts on
    an empty stick or re-exports over a complete earlier export.  Returns where the kills landed."""
    window = []
    for i in range(2):  # calibration: how long the write takes here, now
        p, t0 = _export_once(src, tmp_path / f"cal{i}")
        p.wait(120)
        window.append(time.perf_counter() - t0)
        assert [r.ok for r in verify(tmp_path / f"cal{i}")] == [True]
    w = min(window)
    rng = random.Random(11)
    landed = {"before": 0, "inside": 0, "after": 0}
    for i in range(rounds):
        dest = tmp_path / f"usb{i}"
        reexport = i % 2 == 1
        if reexport:  # a complete earlier export of the same enterprise is on the stick
            shutil.copytree(tmp_path / "cal0", dest)
        p, t0 = _export_once(src, dest)
        time.sleep(max(0.0, t0 + rng.uniform(0.05, 0.75) * w - time.perf_counter()))
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(30)
        reports = verify(dest)
        landed[_state(dest)] += 1
        for r in reports:  # every folder is verified complete, or visibly incomplete — never silently short
            assert r.ok or r.incomplete or r.folder.name.endswith(INCOMPLETE), r
        if reexport:  # nothing is lost: a complete, verified copy is still there (final or kept as （旧）)
            assert any(r.ok and not r.folder.name.endswith(INCOMPLETE) for r in reports), reports
    return landed


def test_killed_export_is_never_silently_truncated(tmp_path, photos):
    landed = _kill_rounds(tmp_path, photos, 8)
    # aimed inside the write window: most kills must land there, or the test proves nothing
    assert landed["inside"] >= 5, landed


@pytest.mark.slow
def test_killed_export_50_times(tmp_path, photos):
    landed = _kill_rounds(tmp_path, photos, 50)
    print(f"kills: {landed}")
    assert landed["inside"] >= 40, landed


@pytest.fixture
def small_fs(tmp_path):
    """A real 120 KiB filesystem (tmpfs), so writes genuinely fail with ENOSPC.  Needs mount rights."""
    mnt = tmp_path / "stick"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"无法挂载小文件系统（需要 root）：{r.stderr.decode(errors='replace').strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_export_onto_a_full_small_filesystem(small_fs, packets, pool, rules, monkeypatch):
    good, _ = packets
    assert sum(p.stat().st_size for p in good.iterdir()) > 120 * 1024  # the packet cannot fit
    with pytest.raises(ExportError, match="剩余空间"):  # the free-space check says so before writing
        export_packets([good], small_fs, rules, "张老师", AS_OF, pool=pool)
    assert [p.name for p in small_fs.iterdir()] == [BATCH_MANIFEST]
    # when the free-space figure lies (a stick that reports wrongly), the write itself runs out of space:
    # the folder stays visibly incomplete and verify says so
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10**10, 0, 10**10))
    with pytest.raises(ExportError, match="目标盘已满"):
        export_packets([good], small_fs, rules, "张老师", AS_OF, pool=pool)
    monkeypatch.setattr(shutil, "disk_usage", real)
    left = [p for p in small_fs.iterdir() if p.name != BATCH_MANIFEST]
    assert left and all(INCOMPLETE in p.name for p in left)
    reports = verify(small_fs)
    assert reports and not any(r.ok for r in reports) and all(r.incomplete for r in reports)
