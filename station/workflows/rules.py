"""Data-driven review routing: resources/rules/review_routing.toml decides which facts flag a
case and with which reason code."""

from __future__ import annotations

import operator
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from station.i18n import current_language, translate

RULES_FILE = Path(__file__).resolve().parents[2] / "resources" / "rules" / "review_routing.toml"
RULES_CONTEXT = "ReviewRules"  # translation context of the rule messages

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge, "in": lambda a, b: a in b,
}


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fact: str
    op: Literal["eq", "ne", "lt", "le", "gt", "ge", "in"]
    value: Any

    def holds(self, facts: Mapping[str, Any]) -> bool:
        if facts.get(self.fact) is None:
            return False
        try:
            return bool(_OPS[self.op](facts[self.fact], self.value))
        except TypeError:  # a fact of the wrong type never satisfies a condition
            return False


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    message: str
    # a published rule brings its own Chinese text (the catalogs only know the built-in ones)
    message_zh: str | None = None
    kinds: tuple[str, ...] | None = None
    when: tuple[Condition, ...] = ()

    def applies(self, kind: str, facts: Mapping[str, Any]) -> bool:
        if self.kinds is not None and kind not in self.kinds:
            return False
        return all(c.holds(facts) for c in self.when)


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rule: tuple[Rule, ...]


class RulesError(ValueError):
    """The rules file cannot be used; the message says where."""


@dataclass(frozen=True)
class Flag:
    code: str
    message_en: str
    message_zh: str | None = None

    def message(self, language: str | None = None) -> str:
        return _text(self.message_en, self.message_zh, language)


def _text(message_en: str, message_zh: str | None, language: str | None) -> str:
    if message_zh and (language or current_language()) != "en":
        return message_zh
    return translate(RULES_CONTEXT, message_en, language)


def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rules = RuleSet.model_validate(data).rule
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RulesError(f"review routing rules {path}: {exc}") from exc
    codes = [r.code for r in rules]
    if len(codes) != len(set(codes)):
        raise RulesError(f"review routing rules {path}: duplicate reason codes")
    return rules


@lru_cache(maxsize=1)
def built_in_rules() -> tuple[Rule, ...]:
    return load_rules()


def default_rules() -> tuple[Rule, ...]:
    """The rules in force: the central service's published ones, else the built-in file."""
    from station import published  # published builds on this module

    return published.active().rules()


def evaluate(kind: str, facts: Mapping[str, Any], rules: tuple[Rule, ...] | None = None) -> list[Flag]:
    return [Flag(r.code, r.message, r.message_zh) for r in (rules or default_rules())
            if r.applies(kind, facts)]


def reason_message(code: str, language: str | None = None) -> str:
    """The text of a reason code for people (falls back to the code itself)."""
    for rule in (*default_rules(), *built_in_rules()):
        if rule.code == code:
            return _text(rule.message, rule.message_zh, language)
    return code
