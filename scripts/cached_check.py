"""The `xinyong-desktop` command with a parse cache, for scoring the engine over and over during development.

    python ../shared/tools/score.py ../shared/corpus -v \
        --cmd "python scripts/cached_check.py check {packet} --as-of {as_of} --json"

The first run parses every file (OCR included) and stores each parser result under
$XINYONG_PARSE_CACHE (default: the system's temp folder), keyed by the file's bytes, the OCR flag and the
source of the intake package; later runs re-read only the engine (classify, extract, check) — a whole
corpus in a minute instead of half an hour.  Not part of the product: the app always parses afresh.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from xinyong_desktop import cli
from xinyong_desktop.intake import sandbox
from xinyong_desktop.services import check_packet

CACHE = Path(__import__("os").environ.get("XINYONG_PARSE_CACHE") or Path(tempfile.gettempdir()) / "xinyong-parse-cache")


def _intake_version() -> str:
    if os.environ.get("XINYONG_INTAKE_KEY"):  # reuse parses of another intake on purpose (engine-only work)
        return os.environ["XINYONG_INTAKE_KEY"]
    h = hashlib.sha256()
    intake = Path(sandbox.__file__).parent
    for p in sorted([*intake.glob("*.py"), intake.parent / "domain" / "glyph.py"]):
        if p.name not in ("sandbox.py", "limits.py"):  # how files are parsed, not how the parsers are run
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


class CachingPool(sandbox.ParserPool):
    def map(self, paths, ocr=True, on_result=None, cancel=None):
        version, todo, results = _intake_version(), [], {}
        keys = {}
        for p in paths:
            keys[p] = CACHE / f"{hashlib.sha256(Path(p).read_bytes() + version.encode() + bytes([ocr])).hexdigest()}.pickle"
            if keys[p].exists():
                results[p] = pickle.loads(keys[p].read_bytes())
                if on_result:
                    on_result(p, results[p])
            else:
                todo.append(p)

        def store(path: str, res: dict) -> None:
            if res.get("ok"):
                CACHE.mkdir(parents=True, exist_ok=True)
                keys[path].write_bytes(pickle.dumps(res))
            results[path] = res
            if on_result:
                on_result(path, res)

        if todo:
            super().map(todo, ocr=ocr, on_result=store, cancel=cancel)
        return results


# the check command makes its pool from the sandbox module (cli._checked), check_packet() when given none
sandbox.ParserPool = CachingPool  # type: ignore[misc]
check_packet.ParserPool = CachingPool  # type: ignore[misc]

if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[1:]))
