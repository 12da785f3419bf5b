"""A database error never puts an ID or phone number into the log or an error text: the engine hides
statement parameters (hide_parameters) and the log's filter masks what is left (e.g. PostgreSQL's DETAIL)."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from xinyong_desktop.logs import RedactingFilter, redact, setup_logging
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Decision

ID_NUMBER = "32040219850312461X"
MOBILE = "13912345678"


@pytest.fixture
def log_file(tmp_path):
    path = setup_logging(tmp_path / "logs" / "xinyong.log")
    yield path
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "baseFilename", None) == str(path.resolve()):
            root.removeHandler(h)
            h.close()


def test_forced_database_error_logs_no_personal_number(store_target, log_file):
    db = open_db(store_target)
    try:
        with pytest.raises(IntegrityError) as info:
            with db() as s, s.begin():  # a correction of an ID field for a case that does not exist
                s.add(Decision(case_id=987654, action="correct", target="field:id_number", value=ID_NUMBER,
                               reason=f"电话 {MOBILE}", instructor="张老师"))
    finally:
        db.kw["bind"].dispose()
    err = info.value
    assert ID_NUMBER not in str(err) and MOBILE not in str(err)  # hide_parameters
    assert "parameters hidden" in str(err)
    logging.getLogger("xinyong.store").error("保存失败：%s（值 %s）", err, ID_NUMBER, exc_info=err)
    logging.getLogger("xinyong").warning("重试 %r", {"id": ID_NUMBER, "phone": MOBILE})
    for h in logging.getLogger().handlers:
        h.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "IntegrityError" in text and "Traceback" in text and "decision" in text  # what support needs
    for secret in (ID_NUMBER, ID_NUMBER[:14], MOBILE, MOBILE[:7]):
        assert secret not in text, secret
    assert "**************461X" in text and "*******5678" in text


def test_redaction_covers_misread_ids_and_keeps_other_numbers():
    assert redact("身份证 110101199003071234 号") == "身份证 **************1234 号"
    assert redact("误读 1101011990030712345") == "误读 ***************2345"  # 19 digits, a misread ID
    assert redact("15 位 110101900307123") == "15 位 ***********7123"
    assert redact("手机13912345678") == "手机*******5678"
    # a USCC, a decision number, a date, a case id stay readable
    keep = "91320400MA1X2Y3Z4A 常市监罚〔2024〕123号 2024-03-05 case 987654 sha 0123456789abcdef0123"
    assert redact(keep) == keep


def test_filter_masks_arguments_traceback_and_stack():
    rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "值 %s", (ID_NUMBER,), None)
    try:
        raise ValueError(f"bad {ID_NUMBER}")
    except ValueError as e:
        rec.exc_info = (type(e), e, e.__traceback__)
    rec.stack_info = f"stack {MOBILE}"
    assert RedactingFilter().filter(rec)
    out = logging.Formatter("%(message)s").format(rec)
    assert ID_NUMBER not in out and MOBILE not in out and "ValueError" in out


@pytest.mark.parametrize("written", [
    "ID320413197807043678", "sfz320413197807043678", "SFZ32041319780704367X", "身份证号:320413 19780704 3678",
    "3204 1319 7807 0436 78", "320413 1978 0704 3678", "+86 139-6123-4567", "+8613961234567", "0086 139 6123 4567",
    "139-6123-4567", "139 6123 4567", "8613961234567"])
def test_redaction_covers_written_variants(written):
    """The forms people type: glued to letters, grouped with spaces, +86 and dashed phones."""
    out = redact(f"文件 {written}.pdf 无法读取")
    digits = "".join(c for c in written if c.isdigit())
    core = digits[-11:] if len(digits) <= 15 else digits  # a phone without its country code
    assert core not in "".join(c for c in out if c.isdigit() or c == "*"), out
    assert out.endswith(".pdf 无法读取") and "".join(c for c in written if c.isdigit() or c in "Xx")[-4:] in out
