"""The log file, and the filter that keeps ID and phone numbers out of it.

Messages, their arguments, tracebacks and stack dumps pass through `RedactingFilter` on the handler before
anything is written: a run of 15–19 digits (an ID number, also a misread one, with or without a trailing X)
and an 11-digit mobile number become `****` with only their last four characters kept.  The database engine
hides statement parameters on its own side (`store.db.make_engine`: hide_parameters), so an error quoting an
INSERT never carries the values either."""
from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

# not part of a longer run of digits/letters: a USCC or a hash stays readable, an ID number does not
_ID = re.compile(r"(?<![0-9A-Za-z])\d{14,18}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{5})(\d{4})(?!\d)")


def redact(text: str) -> str:
    """`text` with every ID number (15–19 digits) and mobile number masked."""
    text = _ID.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)
    return _MOBILE.sub(lambda m: "*" * 7 + m.group(2), text)


class RedactingFilter(logging.Filter):
    """Masks ID and phone numbers in a record's message, traceback and stack before a handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.msg = redact(record.getMessage())
        except Exception:  # noqa: BLE001 - a record whose arguments do not format is still written, masked
            record.msg = redact(f"{record.msg!r} {record.args!r}")
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def default_log_path() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("xinyong-desktop", appauthor=False)) / "xinyong.log"


def setup_logging(path: Path | None = None) -> Path:
    """A rotating, redacted log (the user's log directory by default); returns its path.  Idempotent."""
    path = path or default_log_path()
    root = logging.getLogger()
    for h in root.handlers:
        if isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path.resolve():
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    h = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    h.addFilter(RedactingFilter())
    root.addHandler(h)
    root.setLevel(logging.INFO)
    return path
