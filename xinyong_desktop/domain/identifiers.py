"""统一社会信用代码 (GB 32100-2015) and resident ID number (GB 11643-1999) checks.

Validity is the check character (and, for ID numbers, a real birth date not in the
future).  Region codes are never used to reject: numbers are assigned at issue time.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

USCC_RE = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")
ID_RE = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9A-Z])")

# OCR look-alikes, tried only where a checksum confirms the result.
OCR_CONFUSIONS: dict[str, str] = {
    "O": "0", "0": "O", "D": "0", "Q": "0",
    "I": "1", "L": "1", "1": "I",
    "Z": "2", "2": "Z",
    "S": "5", "5": "S",
    "B": "8", "8": "B",
    "G": "6", "6": "G",
}


def clean_code(s: str) -> str:
    """Upper-case, half-width, without spaces or separators."""
    from xinyong_desktop.domain.text import to_halfwidth

    return re.sub(r"[\s\-_·.]", "", to_halfwidth(s)).upper()


def uscc_check_char(first17: str) -> str | None:
    try:
        total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    except ValueError:
        return None
    c = 31 - total % 31
    return USCC_ALPHABET[0 if c == 31 else c]


def is_valid_uscc(code: str) -> bool:
    code = clean_code(code)
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def org_code_ok(code: str) -> bool:
    """GB 11714 check of positions 9–17; only a hint (older codes break it)."""
    code = clean_code(code)
    if len(code) != 18:
        return False
    body, check = code[8:16], code[16]
    try:
        total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    except ValueError:
        return False
    c = 11 - total % 11
    expect = "X" if c == 10 else "0" if c == 11 else str(c)
    return expect == check


def id_check_char(first17: str) -> str | None:
    if len(first17) != 17 or not first17.isdigit():
        return None
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(code: str) -> dt.date | None:
    try:
        return dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def id_number_problem(code: str, today: dt.date | None = None) -> str | None:
    """None when valid, otherwise a short Chinese reason."""
    code = clean_code(code)
    if len(code) != 18:
        return f"应为18位，实际{len(code)}位"
    if not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        return "含有非法字符"
    birth = id_birth_date(code)
    if birth is None:
        return f"出生日期 {code[6:14]} 不是有效日期"
    if birth > (today or dt.date.today()) or birth.year < 1900:
        return f"出生日期 {birth.isoformat()} 不可能"
    if id_check_char(code[:17]) != code[17]:
        return "校验码不正确"
    return None


def is_valid_id_number(code: str, today: dt.date | None = None) -> bool:
    return id_number_problem(code, today) is None


def _variants(code: str, max_changes: int) -> list[str]:
    idx = [i for i, c in enumerate(code) if c in OCR_CONFUSIONS]
    out = []
    for n in range(1, max_changes + 1):
        for combo in itertools.combinations(idx, n):
            chars = list(code)
            for i in combo:
                chars[i] = OCR_CONFUSIONS[chars[i]]
            out.append("".join(chars))
    return out


def repair_uscc(code: str, max_changes: int = 2) -> tuple[str, bool]:
    """Return (code, confirmed).  Try look-alike swaps only if exactly one variant passes the check.

    A code that is already valid is returned as is; an ambiguous repair is not made.
    """
    code = clean_code(code)
    if is_valid_uscc(code):
        return code, True
    if len(code) != 18:
        return code, False
    # characters never allowed in a USCC are the first suspects
    forced = "".join({"I": "1", "O": "0", "S": "5", "V": "U", "Z": "2"}.get(c, c) for c in code)
    if forced != code and is_valid_uscc(forced):
        return forced, True
    hits = {v for v in _variants(forced, max_changes) if is_valid_uscc(v)}
    if len(hits) == 1:
        return hits.pop(), True
    return code, False


def repair_id_number(code: str, max_changes: int = 2) -> tuple[str, bool]:
    code = clean_code(code)
    if is_valid_id_number(code):
        return code, True
    if len(code) != 18:
        return code, False
    digitised = "".join(
        OCR_CONFUSIONS.get(c, c) if (i < 17 and not c.isdigit()) else c for i, c in enumerate(code)
    )
    if digitised != code and is_valid_id_number(digitised):
        return digitised, True
    hits = {v for v in _variants(digitised, max_changes) if v[:17].isdigit() and is_valid_id_number(v)}
    if len(hits) == 1:
        return hits.pop(), True
    return code, False


def is_masked(value: str) -> bool:
    """A code or ID number whose publisher or copier hid part of it (91430681XXXXXXXXXX, 915206****7FMTAX63)."""
    v = value.upper()
    return "*" in v or "＊" in v or "XXXX" in v or "××" in v
