"""Rules as data: the TOML files under resources/rules, loaded and validated."""
from xinyong_desktop.rules.loader import RuleBook, RuleError, load_rules

__all__ = ["RuleBook", "RuleError", "load_rules"]
