"""Benchmark: export throughput including fsync and read-back verification, as a ratio to a plain copy
(shutil.copyfile) of the same files to the same filesystem in the same run.  Target: ratio ≥ 0.8.

The check and form generation are left out (they are measured by bench_check.py): this is the copy path.
Run from the repository root:  python benchmarks/bench_export.py [DEST_DIR]
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinyong_desktop.domain.model import Kind, Material, TextSource
from xinyong_desktop.export.usb import ExportItem, export_item

N_FILES, SIZE = 40, 4 * 1024 * 1024  # 160 MiB: phone photos and scans of a few enterprises


def main() -> None:
    dest_root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "packet"
        src.mkdir()
        mats = []
        for i in range(N_FILES):
            (src / f"scan{i:02d}.jpg").write_bytes(os.urandom(SIZE))
            mats.append(Material(f"scan{i:02d}.jpg", Kind.OTHER, [1], TextSource.OCR, {}))
        total = N_FILES * SIZE
        names = {k: k.value for k in Kind}
        results = []
        for rnd in range(3):
            plain = dest_root / f"plain{rnd}"
            plain.mkdir(parents=True)
            t0 = time.perf_counter()
            for p in sorted(src.iterdir()):
                shutil.copyfile(p, plain / p.name)
            os.sync()
            t_plain = time.perf_counter() - t0
            t0 = time.perf_counter()
            export_item(ExportItem(f"企业{rnd}", src, mats), dest_root / f"exp{rnd}", "bench", names) if \
                (dest_root / f"exp{rnd}").mkdir(parents=True) is None else None
            t_exp = time.perf_counter() - t0
            results.append((t_plain, t_exp))
            shutil.rmtree(plain)
            shutil.rmtree(dest_root / f"exp{rnd}")
        t_plain = min(r[0] for r in results)
        t_exp = min(r[1] for r in results)
        ratio = t_plain / t_exp
        print(f"plain copy + sync: {total / t_plain / 2**20:7.1f} MiB/s ({t_plain:.2f} s for {total / 2**20:.0f} MiB)")
        print(f"export (fsync each file, manifest, read-back SHA-256 verify, rename): "
              f"{total / t_exp / 2**20:7.1f} MiB/s ({t_exp:.2f} s)")
        print(f"throughput ratio export/plain = {ratio:.2f}  [target ≥ 0.8: {'met' if ratio >= 0.8 else 'NOT met'}]")
        print("note: on a real USB stick the write dominates and the read-back is much faster than the write, "
              "so the ratio there is closer to 1 than on a RAM-backed temp folder.")


if __name__ == "__main__":
    main()
