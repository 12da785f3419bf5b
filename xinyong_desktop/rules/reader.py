"""Typed reading of the rule files: every error names the file and the dotted key."""
from __future__ import annotations

import datetime as dt
import tomllib
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar, overload

from xinyong_desktop.errors import InputError

E = TypeVar("E", bound=Enum)


class RuleError(InputError):
    """A rule file is missing, unparsable or has a wrong value; the message names file and key."""


class Reader:
    """Typed access to one TOML table with errors that name the file and the dotted key."""

    def __init__(self, fname: str, data: dict, prefix: str = ""):
        self.fname, self.data, self.prefix = fname, data, prefix

    def _key(self, k: str) -> str:
        return f"{self.prefix}.{k}" if self.prefix else k

    def fail(self, k: str, why: str) -> RuleError:
        return RuleError(f"规则文件 {self.fname} 中的 {self._key(k)} 有误：{why}")

    def get(self, k: str, typ: type | tuple, default: Any = ...) -> Any:
        if k not in self.data:
            if default is ...:
                raise self.fail(k, "缺少此项")
            return default
        v = self.data[k]
        if not isinstance(v, typ) or (typ is int and isinstance(v, bool)):
            raise self.fail(k, f"类型应为 {getattr(typ, '__name__', typ)}，实际为 {type(v).__name__}")
        return v

    def table(self, k: str) -> Reader:
        return Reader(self.fname, self.get(k, dict), self._key(k))

    def str_list(self, k: str, default=...) -> tuple[str, ...]:
        v = self.get(k, list, default)
        if any(not isinstance(x, str) for x in v):
            raise self.fail(k, "应为字符串列表")
        return tuple(v)

    def enum_list(self, k: str, enum, default=...) -> tuple:
        out = []
        for x in self.str_list(k, default):
            try:
                out.append(enum(x))
            except ValueError:
                raise self.fail(k, f"未知取值 “{x}”（可选：{', '.join(e.value for e in enum)}）") from None
        return tuple(out)

    def enum_keys(self, enum: type[E], why: str) -> list[tuple[str, E]]:
        """The table's keys as enum members, (key, member); an unknown key fails naming it."""
        out: list[tuple[str, E]] = []
        for k in self.data:
            try:
                out.append((k, enum(k)))
            except ValueError:
                raise self.fail(k, why) from None
        return out

    @overload
    def date(self, k: str) -> dt.date: ...
    @overload
    def date(self, k: str, default: dt.date | None) -> dt.date | None: ...

    def date(self, k: str, default: Any = ...) -> dt.date | None:
        v = self.get(k, (str, dt.date), default)
        if v is None or isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            raise self.fail(k, f"日期格式应为 YYYY-MM-DD，实际为 “{v}”") from None


def load_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RuleError(f"缺少规则文件 {path}") from None
    except tomllib.TOMLDecodeError as e:
        raise RuleError(f"规则文件 {path.name} 格式错误：{e}") from None
