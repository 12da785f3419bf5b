"""A throw-away PostgreSQL server for the store tests, started from the system's packages.

Skipped, with the reason, only where none can be started (no initdb, no psycopg driver)."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    cands = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return cands[-1] if cands else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _bin("initdb"), _bin("pg_ctl")
        self.dir = ""
        self.port = 0
        self.prefix: list[str] = []

    def why_not(self) -> str | None:
        if not self.initdb or not self.pg_ctl:
            return "未找到 PostgreSQL（initdb/pg_ctl）：安装系统的 postgresql 包后，存储测试也会在 PostgreSQL 上运行"
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "未安装 psycopg 驱动：pip install 'psycopg[binary]'"
        return None

    def start(self) -> str:
        self.dir = tempfile.mkdtemp(prefix="xinyong-pg-")
        os.chmod(self.dir, 0o777)
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.prefix = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        subprocess.run(self.prefix + [self.initdb, "-D", data, "-A", "trust", "-U", "xinyong", "-E", "UTF8",
                                      "--locale=C"], check=True, capture_output=True, timeout=120)
        self.port = _free_port()
        subprocess.run(self.prefix + [self.pg_ctl, "-D", data, "-w", "-l", os.path.join(self.dir, "log"), "-o",
                                      f"-p {self.port} -k {self.dir} -c listen_addresses='' -c fsync=off",
                                      "start"], check=True, capture_output=True, timeout=120)
        return self.url("postgres")

    def url(self, db: str) -> str:
        return f"postgresql+psycopg://xinyong@/{db}?host={self.dir}&port={self.port}"

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(host=self.dir, port=self.port, user="xinyong", dbname="postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.dir:
            subprocess.run(self.prefix + [self.pg_ctl, "-D", os.path.join(self.dir, "data"), "-m", "immediate",
                                          "stop"], capture_output=True, timeout=60)
            shutil.rmtree(self.dir, ignore_errors=True)
