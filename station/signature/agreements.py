"""Agreement texts (resources/agreements/): the user agreement and the power-of-attorney
template, by version and language. The exact text returned is what the signer sees and what
the signature record binds (its SHA-256), so texts are read byte for byte, never reflowed."""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import NamedTuple

AGREEMENTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "agreements"
USER_AGREEMENT = "user_agreement"
POWER_OF_ATTORNEY = "power_of_attorney"
# Fields a power of attorney is filled with (from the case: organisation and agent).
PLACEHOLDERS = (
    "organisation_name", "credit_code", "legal_representative", "agent_name",
    "agent_id_number", "agent_mobile", "valid_from", "valid_to",
)


class AgreementError(LookupError):
    """No such agreement, version or language, or a template field is missing."""


class Agreement(NamedTuple):
    version: str
    text: str


def _index(directory: Path) -> dict[str, dict[str, object]]:
    return tomllib.loads((directory / "index.toml").read_text(encoding="utf-8"))


def _in_force(directory: Path | None) -> Path:
    """``directory``, or the agreements of the configuration in force (station.published)."""
    if directory is not None:
        return directory
    from station import published  # published builds on this module

    return published.active().agreements_dir


def current_version(kind: str = USER_AGREEMENT, directory: Path | None = None) -> str:
    entry = _index(_in_force(directory)).get(kind)
    if not isinstance(entry, dict):
        raise AgreementError(f"no agreement {kind!r}")
    return str(entry["current"])


def load_agreement(
    kind: str = USER_AGREEMENT,
    language: str = "zh_CN",
    version: str | None = None,
    fields: dict[str, str] | None = None,
    directory: Path | None = None,
) -> Agreement:
    """(version, text) of an agreement in one language ("zh_CN" or "en").

    A template (the power of attorney) needs ``fields`` for every ``${placeholder}``; the
    filled text is the one to show and to bind the signature to. ``directory``: the
    agreements of the configuration in force unless given (a case in progress passes its
    own version's, ``published.for_case(case).agreements_dir``).
    """
    directory = _in_force(directory)
    entry = _index(directory).get(kind)
    if not isinstance(entry, dict):
        raise AgreementError(f"no agreement {kind!r}")
    version = version or str(entry["current"])
    versions = entry.get("versions", {})
    files = versions.get(version) if isinstance(versions, dict) else None
    if not isinstance(files, dict) or language not in files:
        raise AgreementError(f"no {kind!r} version {version!r} in language {language!r}")
    text = (directory / str(files[language])).read_text(encoding="utf-8")
    template = string.Template(text)
    if template.get_identifiers():
        if fields is None:
            raise AgreementError(f"{kind!r} is a template: fill {template.get_identifiers()}")
        missing = [name for name in template.get_identifiers() if name not in fields]
        if missing:
            raise AgreementError(f"{kind!r} needs the fields {missing}")
        text = template.substitute(fields)
    return Agreement(version, text)
