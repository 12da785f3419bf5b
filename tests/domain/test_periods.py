import datetime as dt

import pytest

from xinyong_desktop.domain.periods import Period, add_months, eligibility

D = dt.date.fromisoformat


@pytest.mark.parametrize("start,months,want", [
    ("2023-11-30", 3, "2024-02-29"),  # clamped to a leap February
    ("2022-11-30", 3, "2023-02-28"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2024-03-31", 6, "2024-09-30"),
    ("2024-02-29", 12, "2025-02-28"),
    ("2024-05-15", 0, "2024-05-15"),
    ("2023-12-04", 3, "2024-03-04"),
])
def test_add_months(start, months, want):
    assert add_months(D(start), months) == D(want)


def test_eligibility_general():
    el = eligibility(D("2023-12-04"), Period(3, 12))
    assert el.eligible_from == D("2024-03-04")
    assert el.withdrawn_on == D("2024-12-04")
    assert el.status(D("2024-03-03")) == "not_yet"
    assert el.status(D("2024-03-04")) == "eligible"
    assert el.status(D("2024-12-04")) == "withdrawn"


def test_count_day_itself_setting():
    assert eligibility(D("2023-12-04"), Period(3, 12), count_day_itself=True).eligible_from == D("2024-03-03")


def test_rule_sets_chosen_by_date(rules):
    from xinyong_desktop.domain.model import RecordSeverity

    assert rules.ruleset_for(D("2022-06-01")).id == "ndrc-527-2019"
    assert rules.ruleset_for(D("2023-05-01")).id == "ndrc-order58"
    assert rules.ruleset_for(D("2026-03-31")).id == "ndrc-order58"
    assert rules.ruleset_for(D("2026-04-01")).id == "ndrc-order36"
    assert rules.ruleset_for(D("2025-01-01"), "necips").id == "samr-necips"
    assert rules.ruleset_for(D("2022-06-01")).periods[RecordSeverity.SERIOUS].min_months == 6
    assert rules.ruleset_for(D("2024-06-01")).periods[RecordSeverity.SERIOUS].min_months == 12
