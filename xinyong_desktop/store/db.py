"""Open the SQLite database (user data dir by default) with durable settings and migrate it to head."""
from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(str(files("xinyong_desktop.store") / "migrations"))  # package data, in every install


def default_db_path() -> Path:
    env = os.environ.get("XINYONG_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    d = Path(user_data_dir("xinyong-desktop", appauthor=False))
    d.mkdir(parents=True, exist_ok=True)
    return d / "xinyong.sqlite3"


def data_dir(db_path: Path | None) -> Path:
    """The desk's data folder (packets/ of imported bundles, backups/): beside the SQLite file, or — with the
    office database, which has no file here — the user's data folder."""
    if db_path is not None:
        return Path(db_path).parent
    from platformdirs import user_data_dir

    return Path(user_data_dir("xinyong-desktop", appauthor=False))


def database_url() -> str | None:
    """An office database (PostgreSQL) instead of the laptop's SQLite file: XINYONG_DB_URL, e.g.
    postgresql+psycopg://user:password@server/xinyong.  None: the embedded SQLite database."""
    return os.environ.get("XINYONG_DB_URL") or None


def make_engine(path: Path | str) -> Engine:
    """hide_parameters: an error (and SQLAlchemy's own logging) never quotes the values of a statement —
    they are ID and phone numbers as often as not.  The log filter (logs.RedactingFilter) masks the rest."""
    if isinstance(path, str) and "://" in path:  # a server URL
        return create_engine(path, future=True, pool_pre_ping=True, hide_parameters=True)
    engine = create_engine(f"sqlite:///{path}", future=True, hide_parameters=True)

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


def _url(path: Path | str) -> str:
    return path if isinstance(path, str) and "://" in path else f"sqlite:///{path}"


def alembic_config(path: Path | str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", _url(path).replace("%", "%%"))
    return cfg


def pending_migration(path: Path | str) -> bool:
    """True when the database exists and is behind the newest migration."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    if not isinstance(path, str) and (not Path(path).exists() or Path(path).stat().st_size == 0):
        return False
    head = ScriptDirectory.from_config(alembic_config(path)).get_current_head()
    engine = create_engine(_url(path), hide_parameters=True)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    return current != head


def migrate(path: Path | str) -> None:
    from alembic import command

    if not isinstance(path, str) and pending_migration(path):
        from xinyong_desktop.store.backup import make_backup

        make_backup(Path(path), "before-migration")  # always, before the schema changes
    command.upgrade(alembic_config(path), "head")


def open_db(path: Path | str | None = None) -> sessionmaker[Session]:
    """SQLite file (default: the user's data dir) or a server URL (argument or XINYONG_DB_URL), migrated to head."""
    target = path or database_url() or default_db_path()
    migrate(target)
    return sessionmaker(make_engine(target), expire_on_commit=False)
