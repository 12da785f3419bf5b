"""Run every real document through the engine and print what each test case got vs wanted.

    python -m tests.realdocs.report            # table of failures
    python -m tests.realdocs.report --write    # also rewrite known_failures.toml (the strict xfail list)

Not a test (pytest does not collect it); the lead's tool while fixing the engine.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.realdocs import checks
from tests.realdocs.fixtures import load_all
from xinyong_desktop.intake.sandbox import ParserPool
from xinyong_desktop.services.check_packet import check_packet


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str]) -> int:
    docs = load_all()
    failures: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp, ParserPool() as pool:
        results = {d.id: check_packet(checks.build(d, Path(tmp)), as_of=checks.AS_OF, pool=pool) for d in docs}
    total = 0
    for test, case_id, doc, extra in checks.cases(docs):
        total += 1
        problem = checks.CHECKS[test](doc, results[doc.id], *extra)
        if problem:
            failures.setdefault(test, {})[case_id] = problem
            print(f"{test}[{case_id}]: {problem}")
    n = sum(len(v) for v in failures.values())
    print(f"\n{n} of {total} cases fail ({len(docs)} documents)")
    if "--write" in argv:
        lines = ["# Real-document cases the current engine fails: strict xfail in test_real_documents.py.",
                 "# Written by `python -m tests.realdocs.report --write`; remove an entry when the engine is fixed.", ""]
        for test in sorted(failures):
            lines.append(f"[{test}]")
            lines += [f"{_toml_str(c)} = {_toml_str(r)}" for c, r in sorted(failures[test].items())]
            lines.append("")
        checks.KNOWN_FILE.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
