"""Open the SQLite database (user data dir by default) with durable settings and migrate it to head."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_db_path() -> Path:
    env = os.environ.get("XINYONG_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    d = Path(user_data_dir("xinyong-desktop", appauthor=False))
    d.mkdir(parents=True, exist_ok=True)
    return d / "xinyong.sqlite3"


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # every connection: durable and consistent
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA secure_delete=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()

    return engine


def alembic_config(path: Path):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return cfg


def migrate(path: Path) -> None:
    from alembic import command

    command.upgrade(alembic_config(path), "head")


def open_db(path: Path | None = None) -> sessionmaker[Session]:
    path = path or default_db_path()
    migrate(path)
    return sessionmaker(make_engine(path), expire_on_commit=False)
