"""Data-driven review routing: resources/rules/review_routing.toml (or the version the central
service published, station.published) decides which facts flag a case and with which flag.
The flags' labels and explanations are in the vocabulary (station/vocabulary/flags.toml, and
a published bundle's vocabulary/flags.toml for flags of its own).

The file is checked when it loads: every fact a condition names must be one the station
provides (``FACTS``), with a value of its type, every kind a case kind, and every code a
flag of the vocabulary. A misspelt name fails at start with a message saying which rule and
what is known, instead of silently never firing.
"""

from __future__ import annotations

import operator
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from station import vocabulary
from station.db.models import CaseKind
from station.vocabulary import Catalogue
from station.wire import FlagTerm

RULES_FILE = Path(__file__).resolve().parents[2] / "resources" / "rules" / "review_routing.toml"

# The facts station.workflows.cases.case_facts provides, and their types. A new fact is
# added there and here; a rule may name only these.
FACTS: dict[str, type] = {
    "case.kind": str,
    "case.resubmission": bool,
    "document.source": str,
    "document.failed_checks": int,
    "document.valid_now": bool,
    "document.days_to_expiry": int,
    "chip_photo.available": bool,
    "face_match.match": bool,
    "face_match.score": float,
    "face_match.borderline": bool,
    "photo.override": bool,
    "phone.verified": bool,
}

Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "in"]
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge, "in": lambda a, b: a in b,
}
_ORDERING = {"lt", "le", "gt", "ge"}


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fact: str
    op: Op
    value: Any

    def holds(self, facts: Mapping[str, Any]) -> bool:
        if facts.get(self.fact) is None:
            return False
        try:
            return bool(_OPS[self.op](facts[self.fact], self.value))
        except TypeError:  # a fact of the wrong type never satisfies a condition
            return False

    def problem(self) -> str | None:
        """Why this condition can never work as written, or None."""
        kind = FACTS.get(self.fact)
        if kind is None:
            return f"unknown fact {self.fact!r} (known: {', '.join(FACTS)})"
        if self.op in _ORDERING and kind not in (int, float):
            return f"fact {self.fact!r} is a {kind.__name__}: it cannot be compared with {self.op}"
        values = self.value if self.op == "in" else [self.value]
        if self.op == "in" and not isinstance(self.value, list):
            return f"op 'in' on {self.fact!r} needs a list of values"
        for value in values:
            if not _is_a(value, kind):
                return f"fact {self.fact!r} is a {kind.__name__}, not {value!r}"
        return None


def _is_a(value: Any, kind: type) -> bool:
    if kind is bool or isinstance(value, bool):  # bool is an int to Python, not to a rule
        return kind is bool and isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
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
    """A flag a case was routed with; its texts come from the vocabulary."""

    code: str

    def message(self, language: str | None = None) -> str:
        """The explanation for people (the code itself for a flag without one)."""
        return reason_message(self.code, language)


def load_rules(path: Path = RULES_FILE,
               flags: Catalogue[FlagTerm] | None = None) -> tuple[Rule, ...]:
    """Read and check the rules; RulesError says which rule is wrong and how."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rules = RuleSet.model_validate(data).rule
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RulesError(f"review routing rules {path}: {exc}") from exc
    codes = [r.code for r in rules]
    if len(codes) != len(set(codes)):
        raise RulesError(f"review routing rules {path}: duplicate flag codes")
    known_flags = flags if flags is not None else vocabulary.flags()
    case_kinds = [kind.value for kind in CaseKind]
    problems: list[str] = []
    for rule in rules:
        if rule.code not in known_flags:
            problems.append(f"rule {rule.code}: not a flag of the vocabulary "
                            f"(add it to {vocabulary.FLAGS_FILE.name})")
        for kind in rule.kinds or ():
            if kind not in case_kinds:
                problems.append(f"rule {rule.code}: unknown case kind {kind!r} "
                                f"(known: {', '.join(case_kinds)})")
        problems.extend(f"rule {rule.code}: {problem}" for condition in rule.when
                        if (problem := condition.problem()) is not None)
    if problems:
        raise RulesError(f"review routing rules {path}: " + "; ".join(problems))
    return rules


@lru_cache(maxsize=1)
def built_in_rules() -> tuple[Rule, ...]:
    return load_rules()


def default_rules() -> tuple[Rule, ...]:
    """The rules in force: the central service's published ones, else the built-in file."""
    from station import published  # published builds on this module

    return published.active().rules()


def evaluate(kind: str, facts: Mapping[str, Any], rules: tuple[Rule, ...] | None = None) -> list[Flag]:
    return [Flag(r.code) for r in (rules or default_rules()) if r.applies(kind, facts)]


def flags_in_force() -> Catalogue[FlagTerm]:
    """The flags of the configuration in force: the built-in vocabulary with what the central
    service published (a published rule may raise a flag of its own)."""
    from station import published

    return published.active().flags()


def reason_message(code: str, language: str | None = None) -> str:
    """The explanation of a flag for people (falls back to the code itself)."""
    term = flags_in_force().get(code) or vocabulary.flags().get(code)
    return term.explanation.text(language) if term is not None else code
