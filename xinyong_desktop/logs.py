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

# An ID number: 15–19 digits (a misread one too), the last may be X, not part of a longer run of digits —
# also glued to letters ("ID320…", "sfz320…") and written in groups with single spaces ("320413 19780704 3678",
# "3204 1319 7807 0436 78").  A USCC keeps its letters inside, so it never is one run of digits.
_S = "[ \u3000]"  # a space between groups (an ID typed as 320413 19780704 3678)
ID_NUMBER = re.compile("(?<![0-9])(?:[0-9]{14,18}"  # one run
                       f"|[0-9]{{6}}{_S}[0-9]{{8}}{_S}[0-9]{{3}}"  # 6 8 4
                       f"|[0-9]{{6}}(?:{_S}[0-9]{{4}}){{2}}{_S}[0-9]{{3}}"  # 6 4 4 4
                       f"|(?:[0-9]{{4}}{_S}){{4}}[0-9])[0-9Xx](?![0-9])")  # 4 4 4 4 2
# A mobile number: 1[3-9]x xxxx xxxx, with or without +86 / 86 / 0086 in front, spaces or dashes between the
# groups ("+86 139-6123-4567", "139 6123 4567", "8613961234567").
MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ \-]?)?(1[3-9][0-9])[ \-]?([0-9]{4})[ \-]?([0-9]{4})(?![0-9])")


def _keep_last4(m: re.Match) -> str:
    digits = re.sub(r"[^0-9Xx]", "", m.group())
    return "*" * (len(digits) - 4) + digits[-4:]


def redact(text: str) -> str:
    """`text` with every ID number (15–19 digits, in any of the forms above) and mobile number masked: only
    the last four characters are kept."""
    text = ID_NUMBER.sub(_keep_last4, text)
    return MOBILE.sub(lambda m: "*" * 7 + m.group(3), text)


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
