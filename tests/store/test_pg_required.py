"""CI must not pass with the PostgreSQL half of the store tests silently skipped: with XINYONG_REQUIRE_PG set
(as .ci/run sets it) a server that cannot be had fails those tests; without it they skip with the reason."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_pg_tests(tmp_path: Path, require: bool) -> subprocess.CompletedProcess:
    # a Python where the PostgreSQL driver cannot be imported: no server can be used
    (tmp_path / "psycopg.py").write_text("raise ImportError('psycopg hidden by the test')\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "XINYONG_REQUIRE_PG"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    if require:
        env["XINYONG_REQUIRE_PG"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "postgresql",
                           "tests/store/test_db.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_missing_server_skips_locally_and_fails_when_required(tmp_path):
    local = _run_pg_tests(tmp_path, require=False)
    assert local.returncode == 0, local.stdout
    assert " skipped" in local.stdout and "psycopg" in local.stdout and " passed" not in local.stdout
    ci = _run_pg_tests(tmp_path, require=True)
    assert ci.returncode == 1, ci.stdout
    assert " error" in ci.stdout and " skipped" not in ci.stdout and "psycopg" in ci.stdout
