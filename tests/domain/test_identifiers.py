import datetime as dt

import pytest

from xinyong_desktop.domain import identifiers as ids


@pytest.mark.parametrize("code,ok", [
    ("91320481NM02FXLW73", True),
    ("91320402B4AKYUM84W", True),
    ("913204110H6DL20M5T", True),
    ("91320402B4AKYUM842", False),  # last character wrong
    ("91320481NM02FXLW7", False),  # 17 characters
    ("91320481NM02FXLW7I", False),  # I is not in the alphabet
    ("91 3204 81NM02FXLW73", True),  # spaces are noise
    ("９１３２０４８１ＮＭ０２ＦＸＬＷ７３", True),  # full-width
    ("91320481nm02fxlw73", True),  # lower case
])
def test_uscc(code, ok):
    assert ids.is_valid_uscc(code) is ok


def test_uscc_check_char_matches_stdnum():
    from stdnum.cn import uscc

    for code in ("91320481NM02FXLW73", "913204825GMLDAX452", "91320404EWL6D7387Q"):
        assert uscc.is_valid(code) == ids.is_valid_uscc(code)
        assert uscc.calc_check_digit(code[:17]) == ids.uscc_check_char(code[:17])


@pytest.mark.parametrize("code,problem", [
    ("320413197807043678", None),
    ("32040419800102293X", None),
    ("32040419800102293x", None),
    ("320413197807043679", "校验码不正确"),
    ("320413197802303671", "不是有效日期"),  # 30 February
    ("320413203001013678", "不可能"),  # born in the future
    ("3204131978070436", "应为18位"),
    ("32041319780704367A", "非法字符"),
])
def test_id_number(code, problem):
    got = ids.id_number_problem(code, today=dt.date(2025, 1, 1))
    if problem is None:
        assert got is None
    else:
        assert got is not None and problem in got


def test_changzhou_resident_born_before_region_code_existed_is_valid():
    # 320412 (武进区) dates from after 1983; stdnum.cn.ric would reject this real person, we must not
    body = "32041219600101001"
    code = body + ids.id_check_char(body)
    assert ids.is_valid_id_number(code)


@pytest.mark.parametrize("seen,want", [
    ("91320481NMO2FXLW73", "91320481NM02FXLW73"),  # O read for 0
    ("9132O481NM02FXLW73", "91320481NM02FXLW73"),
    ("9I320481NM02FXLW73", "91320481NM02FXLW73"),
])
def test_uscc_repair_confirmed_by_checksum(seen, want):
    fixed, ok = ids.repair_uscc(seen)
    assert ok and fixed == want


def test_uscc_repair_never_invents_a_code():
    # a typo that no look-alike swap explains stays as it is, unconfirmed
    fixed, ok = ids.repair_uscc("91320402B4AKYUM842")
    assert not ok and fixed == "91320402B4AKYUM842"


def test_id_repair():
    fixed, ok = ids.repair_id_number("3204131978O7043678")
    assert ok and fixed == "320413197807043678"
    fixed, ok = ids.repair_id_number("320413197807043677")
    assert not ok


def test_org_code_hint():
    assert isinstance(ids.org_code_ok("91320481NM02FXLW73"), bool)
