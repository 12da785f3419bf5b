import shutil

import pytest

from xinyong_desktop.resources import resource_path
from xinyong_desktop.rules.loader import RuleError, load_rules


@pytest.fixture
def rules_copy(tmp_path):
    d = tmp_path / "rules"
    shutil.copytree(resource_path("rules"), d)
    return d


def test_shipped_rules_load():
    rb = load_rules()
    assert rb.materials and rb.kinds and rb.fields


@pytest.mark.parametrize("fname,old,new,must", [
    ("periods.toml", "min_months = 12, max_months = 36", "min_months = 40, max_months = 36", "min_months"),
    ("periods.toml", 'valid_from = "2026-04-01"', 'valid_from = "2026-4-1"', "valid_from"),
    ("materials.toml", 'severities = ["minor", "general", "serious"]', 'severities = ["severe"]', "severities"),
    ("materials.toml", 'platforms = ["necips"]', 'platforms = ["weibo"]', "platforms"),
    ("materials.toml", 'scope = "enterprise"', 'scope = "family"', "scope"),
    ("materials.toml", "window_months = 12", "window_months = 0", "high_frequency"),
    ("penalties.toml", 'serious = ["revoke_licence"', 'serious = ["revoke"', "severity.serious"),
    ("outdated.toml", 'title = "信用报告"', "title = 7", "template[2].title"),
    ("periods.toml", "periods.light = {", "periods.lite = {", "lite"),
    ("materials.toml", "seal = true", 'seal = "yes"', "seal"),
    ("reading.toml", 'type = "uscc"', 'type = "code"', "type"),
    ("reading.toml", '[kinds.business_license]', '[kinds.licence]', "licence"),
    ("materials.toml", '[materials.agent_id]', '[materials.agent_card]', "agent_card"),
])
def test_broken_rule_names_file_and_key(rules_copy, fname, old, new, must):
    p = rules_copy / fname
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules(rules_copy)
    assert fname in str(e.value) and must in str(e.value)


def test_syntax_error_names_file(rules_copy):
    (rules_copy / "reading.toml").write_text("[kinds\n", encoding="utf-8")
    with pytest.raises(RuleError, match="reading.toml"):
        load_rules(rules_copy)


def test_missing_file(rules_copy):
    (rules_copy / "periods.toml").unlink()
    with pytest.raises(RuleError, match="periods.toml"):
        load_rules(rules_copy)


def test_rule_change_changes_checklist(rules_copy):
    from xinyong_desktop.domain.model import Applicant, Kind, RecordSeverity

    assert not load_rules(rules_copy).materials[Kind.RECTIFICATION_REPORT].required_for(
        RecordSeverity.GENERAL, Applicant.AGENT, True)
    p = rules_copy / "materials.toml"
    text = p.read_text(encoding="utf-8")
    i = text.index("[materials.rectification_report]")
    p.write_text(text[:i] + text[i:].replace("platforms = []", 'platforms = ["creditchina"]', 1), encoding="utf-8")
    rb = load_rules(rules_copy)
    assert rb.materials[Kind.RECTIFICATION_REPORT].required_for(RecordSeverity.GENERAL, Applicant.AGENT, True)
