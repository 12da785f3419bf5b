"""Store tests run on the embedded SQLite file and on a real PostgreSQL server started for the run."""
from __future__ import annotations

import pytest

from tests.pgserver import PgServer


@pytest.fixture(scope="session")
def pg_server():
    server = PgServer()
    why = server.why_not()
    if why:
        pytest.skip(why)
    try:
        server.start()
    except Exception as e:  # noqa: BLE001
        server.stop()
        pytest.skip(f"无法启动 PostgreSQL：{e}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path):
    """A fresh database: a SQLite file path, or the URL of a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "store.sqlite3"
    return request.getfixturevalue("pg_server").new_database()
