"""Calibration of field confidences: for each confidence band, how many given values are right.

    python benchmarks/bench_calibration.py ../shared/corpus [--only text|scan|photo] [--no-ocr] [--cached]

Runs the engine in this process (one parser pool) on every packet with an expected.json, compares each
field value it gives with the truth (normalised as ../shared/tools/score.py does) and prints a table:
band → values given → share right.  The contract asks that values given with confidence ≥ 0.9 are right at
least 99 times in 100.  --cached reads the parses scripts/cached_check.py stored (the engine alone, in a minute).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinyong_desktop.intake.sandbox import ParserPool
from xinyong_desktop.services.check_packet import check_packet

BANDS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01)]
FW = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"}


def norm(field: str, value) -> str | None:
    if value is None:
        return None
    s = str(value).translate(FW).strip().replace(" ", "")
    if field in ("fine_amount", "paid_amount"):
        try:
            return f"{float(s.replace(',', '').replace('元', '').replace('¥', '')):.2f}"
        except ValueError:
            return s
    if field == "decision_number":
        s = re.sub(r"[\[【（(]", "〔", s)
        s = re.sub(r"[\]】）)]", "〕", s)
    if field in ("enterprise_name", "payer_name"):
        s = s.replace("(", "（").replace(")", "）")
    if field in ("uscc", "id_number"):
        s = s.upper()
    return s


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--only", choices=["text", "scan", "photo"])
    ap.add_argument("--no-ocr", action="store_true")
    ap.add_argument("--cached", action="store_true", help="parse through scripts/cached_check.py's cache")
    a = ap.parse_args()
    pool_type = ParserPool
    if a.cached:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
        from cached_check import CachingPool

        pool_type = CachingPool
    counts = [[0, 0] for _ in BANDS]
    wrong_sure: list[str] = []
    t0 = time.perf_counter()
    n = 0
    with pool_type() as pool:
        for tp in sorted(a.corpus.glob("*/expected.json")):
            truth = json.loads(tp.read_text(encoding="utf-8"))
            if a.only and any(m["media"] != a.only for m in truth["materials"]):
                continue
            n += 1
            res = check_packet(tp.parent / "packet", as_of=dt.date.fromisoformat(truth["as_of"]), ocr=not a.no_ocr,
                               pool=pool)
            got: dict[tuple[str, str], list] = {}
            for m in res.materials:
                got.setdefault((m.path, str(m.kind)), []).append(m)
            for tm in truth["materials"]:
                for m in got.get((tm["path"], tm["kind"]), []):
                    for fid, fv in m.fields.items():
                        want = tm["fields"].get(str(fid))
                        if want is None:
                            continue
                        right = norm(str(fid), fv.value) == norm(str(fid), want)
                        for i, (lo, hi) in enumerate(BANDS):
                            if lo <= fv.confidence < hi:
                                counts[i][0] += 1
                                counts[i][1] += right
                        if fv.confidence >= 0.9 and not right:
                            wrong_sure.append(f"{truth['packet_id']}:{tm['kind']}.{fid} = {fv.value} "
                                              f"({fv.confidence:.2f}) want {want}")
    print(f"{n} packets in {time.perf_counter() - t0:.0f} s")
    print(f"{'confidence':>12} {'values':>7} {'right':>7}")
    for (lo, hi), (given, right) in zip(BANDS, counts, strict=True):
        share = f"{right / given:.1%}" if given else "-"
        print(f"{lo:.2f}–{min(hi, 1.0):.2f} {given:>7} {share:>7}")
    sure = [c for (lo, _), c in zip(BANDS, counts, strict=True) if lo >= 0.9]
    g, r = sum(c[0] for c in sure), sum(c[1] for c in sure)
    print(f"≥ 0.90: {g} values, {r / g:.2%} right" if g else "≥ 0.90: none")
    for w in wrong_sure[:20]:
        print("  wrong but sure:", w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
