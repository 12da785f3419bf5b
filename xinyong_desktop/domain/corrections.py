"""An instructor's correction of an amount or a date, as typed ("1.2万元", "壹万贰仟元", "12,000",
"2024年1月5日"), made into the value the checks compute with ("12000.00", "2024-01-05") — or refused with a
Chinese message before anything is saved (was: "意外错误（InvalidOperation）" and nothing saved)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from xinyong_desktop.domain.text import AMOUNT_CN_RE, AMOUNT_NUM_RE, format_amount, nfkc, parse_amount, parse_date
from xinyong_desktop.errors import InputError

AMOUNT_FIELDS = {"fine_amount", "paid_amount"}
DATE_FIELDS = {"decision_date", "payment_date", "signed_date"}
MAX_AMOUNT = Decimal("1000000000")  # a fine of a billion yuan is a typo


class CorrectionError(InputError, ValueError):
    """A corrected value that cannot be what the field holds; the message says what to type."""


def _amount(text: str) -> Decimal | None:
    s = nfkc(text).strip().replace(" ", "")
    s = re.sub(r"^(?:人民币|RMB)", "", s, flags=re.I)
    if AMOUNT_NUM_RE.fullmatch(s) or AMOUNT_CN_RE.fullmatch(s):
        return parse_amount(s)
    if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿点.0-9]+(?:元|圆)?整?", s) and re.search(r"[^.0-9元圆整]", s):
        try:  # 一万二千元, 一点二万 (cn2an: readers' dependency of domain.text)
            import cn2an

            return Decimal(str(cn2an.cn2an(re.sub(r"(?:元|圆)?整?$", "", s), "smart"))).quantize(Decimal("0.01"))
        except (ImportError, ValueError, InvalidOperation, KeyError, IndexError):
            return None
    return None


def normalize_correction(field: str, value: str | None) -> str | None:
    """The value to store for a correction of `field` (unchanged for fields that are plain text)."""
    if value is None:
        return value
    if field in AMOUNT_FIELDS:
        amount = _amount(value)
        if amount is None or amount <= 0 or amount >= MAX_AMOUNT:
            raise CorrectionError(f"“{value[:30]}”不是有效的金额。请输入如 12000、12,000.50、1.2万元 或 壹万贰仟元")
        return format_amount(amount)
    if field in DATE_FIELDS:
        day = parse_date(nfkc(value).strip())
        if day is None:
            raise CorrectionError(f"“{value[:30]}”不是有效的日期。请输入如 2024-01-05 或 2024年1月5日")
        return day.isoformat()
    return value
