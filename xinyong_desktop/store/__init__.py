"""Persistence: SQLAlchemy models on SQLite (WAL, synchronous=FULL), migrated by Alembic."""
