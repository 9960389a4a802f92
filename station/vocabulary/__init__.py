"""The codes people see named: routing flags, decision reasons and part kinds.

Each is a data file next to this module with a Chinese and an English text per code
(``flags.toml``, ``decision_reasons.toml``, ``part_kinds.toml``). The station, the central
service (``GET /v1/vocabulary``) and the review UI all read them through this module, so a
code has one label everywhere. A file that cannot be used fails at load with a message that
says where (missing language, duplicate code, a part kind the wire does not know).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from station.wire import FlagTerm, PartKind, Term, Vocabulary

HERE = Path(__file__).resolve().parent
FLAGS_FILE = HERE / "flags.toml"
DECISION_REASONS_FILE = HERE / "decision_reasons.toml"
PART_KINDS_FILE = HERE / "part_kinds.toml"

T = TypeVar("T", bound=Term)


class VocabularyError(ValueError):
    """A vocabulary file cannot be used; the message says which and why."""


class Catalogue(Generic[T]):
    """The terms of one vocabulary file, in file order, looked up by code."""

    def __init__(self, terms: tuple[T, ...]) -> None:
        self.terms = terms
        self._by_code = {term.code: term for term in terms}

    def __iter__(self) -> Iterator[T]:
        return iter(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def get(self, code: str) -> T | None:
        return self._by_code.get(code)

    def label(self, code: str, language: str | None = None) -> str:
        """The label of ``code`` (the code itself for one this station does not know)."""
        term = self._by_code.get(code)
        return term.label.text(language) if term is not None else code


class _FlagsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    flag: tuple[FlagTerm, ...]


class _ReasonsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: tuple[Term, ...]


class _PartKindsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    part_kind: tuple[Term, ...]


def _read(path: Path, schema: type[BaseModel]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"vocabulary {path}: {exc}") from exc
    return _parse(text, str(path), schema)


def _parse(text: str, source: str, schema: type[BaseModel]) -> Any:
    try:
        return schema.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise VocabularyError(f"vocabulary {source}: {exc}") from exc


def _catalogue(path: Path | str, terms: tuple[T, ...]) -> Catalogue[T]:
    seen: set[str] = set()
    for term in terms:
        if term.code in seen:
            raise VocabularyError(f"vocabulary {path}: code {term.code!r} appears twice")
        seen.add(term.code)
    return Catalogue(terms)


def load_flags(path: Path = FLAGS_FILE) -> Catalogue[FlagTerm]:
    return _catalogue(path, _read(path, _FlagsFile).flag)


def parse_flags(text: str, source: str) -> Catalogue[FlagTerm]:
    """Flags from the text of a flags file (``source`` names it in errors), e.g. a
    configuration bundle's ``vocabulary/flags.toml``."""
    return _catalogue(source, _parse(text, source, _FlagsFile).flag)


def with_flags(base: Catalogue[FlagTerm], extra: Catalogue[FlagTerm]) -> Catalogue[FlagTerm]:
    """``base`` with the flags of ``extra`` added (and, for a code in both, ``extra``'s texts):
    a published bundle brings the flags its rules add."""
    added = {term.code: term for term in extra}
    kept = tuple(added.pop(term.code, term) for term in base)
    return Catalogue(kept + tuple(added.values()))


def load_decision_reasons(path: Path = DECISION_REASONS_FILE) -> Catalogue[Term]:
    return _catalogue(path, _read(path, _ReasonsFile).reason)


def load_part_kinds(path: Path = PART_KINDS_FILE) -> Catalogue[Term]:
    catalogue = _catalogue(path, _read(path, _PartKindsFile).part_kind)
    wire = {kind.value for kind in PartKind}
    missing, unknown = sorted(wire - set(catalogue.codes)), sorted(set(catalogue.codes) - wire)
    if missing or unknown:
        raise VocabularyError(f"vocabulary {path}: must name each PartKind once; "
                              f"missing {missing}, not a PartKind {unknown}")
    return catalogue


@lru_cache(maxsize=1)
def flags() -> Catalogue[FlagTerm]:
    return load_flags()


@lru_cache(maxsize=1)
def decision_reasons() -> Catalogue[Term]:
    return load_decision_reasons()


@lru_cache(maxsize=1)
def part_kinds() -> Catalogue[Term]:
    return load_part_kinds()


def vocabulary(flag_terms: Catalogue[FlagTerm] | None = None) -> Vocabulary:
    """Everything, as the central service serves it (with ``flag_terms`` instead of the
    built-in flags: the published configuration's)."""
    return Vocabulary(flags=list(flag_terms if flag_terms is not None else flags()),
                      decision_reasons=list(decision_reasons()), part_kinds=list(part_kinds()))


__all__ = ["Catalogue", "VocabularyError", "decision_reasons", "flags", "load_decision_reasons",
           "load_flags", "load_part_kinds", "parse_flags", "part_kinds", "vocabulary",
           "with_flags"]
