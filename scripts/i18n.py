#!/usr/bin/env python3
"""Keep the Qt Linguist catalogs (resources/translations/<area>_zh_CN.ts) in step with the code.

Finds every translatable string: ``tr("Context", "text")`` / ``translate("Context", "text")``,
``tr_later(...)`` and ``both(...)`` in the core, ``self.tr("text")`` (context = class name) and
``QCoreApplication.translate("Context", "text")`` in ui/. Strings are English; zh_CN is filled
in the .ts files (edit the XML: replace ``<translation type="unfinished"></translation>`` with
``<translation>中文</translation>``). The vocabulary (station/vocabulary/*.toml: flags, decision
reasons, part kinds) has its zh and en texts in the data files; ``check`` loads them too.

  python scripts/i18n.py update AREA PATH...   add new strings of PATHs to AREA's catalog
  python scripts/i18n.py fill AREA FILE.json   set translations from {"English": "中文"}
  python scripts/i18n.py check                 list unfinished entries and strings missing
                                               from every catalog (exit 1 if any)
"""

from __future__ import annotations

import ast
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
LANG = "zh_CN"
SCANNED = ("station", "devices", "central", "app", "ui", "main.py")
CORE_FUNCS = {"tr", "tr_later", "translate", "both", "QT_TRANSLATE_NOOP"}


def _const(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def strings_in(path: Path) -> list[tuple[str, str]]:
    """(context, source) pairs in one Python file, in order of appearance."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                args = child.args
                if name in CORE_FUNCS and len(args) >= 2 and _const(args[0]) and _const(args[1]):
                    found.append((_const(args[0]) or "", _const(args[1]) or ""))
                elif (
                    name == "tr" and isinstance(func, ast.Attribute) and cls and args
                    and _const(args[0]) is not None
                ):
                    found.append((cls, _const(args[0]) or ""))
            visit(child, cls)

    visit(tree, None)
    return found


def python_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        path = (ROOT / p) if not Path(p).is_absolute() else Path(p)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
        elif path.exists():
            files.append(path)
    return [f for f in files if ".venv" not in f.parts and "migrations" not in f.parts]


def load(path: Path) -> ET.ElementTree:
    if path.exists():
        return ET.parse(path)
    root = ET.Element("TS", version="2.1", language=LANG, sourcelanguage="en")
    return ET.ElementTree(root)


def entries(tree: ET.ElementTree) -> dict[tuple[str, str], ET.Element]:
    out: dict[tuple[str, str], ET.Element] = {}
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name", default="")
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source", default=""))] = msg
    return out


def save(tree: ET.ElementTree, ts_path: Path) -> None:
    ET.indent(tree, space="    ")
    TS_DIR.mkdir(parents=True, exist_ok=True)
    with ts_path.open("wb") as fh:
        fh.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(fh, encoding="utf-8", short_empty_elements=False)
        fh.write(b"\n")


def fill(area: str, json_file: str) -> int:
    """Set translations from a JSON object {"English source": "中文", ...} (any context)."""
    mapping = json.loads(Path(json_file).read_text(encoding="utf-8"))
    ts_path = TS_DIR / f"{area}_{LANG}.ts"
    tree = load(ts_path)
    done = 0
    for (_ctx, source), msg in entries(tree).items():
        if source in mapping:
            translation = msg.find("translation")
            if translation is None:
                translation = ET.SubElement(msg, "translation")
            translation.attrib.pop("type", None)
            translation.text = mapping[source]
            done += 1
    save(tree, ts_path)
    print(f"{ts_path.relative_to(ROOT)}: {done} translation(s) set")
    return 0


def update(area: str, paths: list[str]) -> int:
    ts_path = TS_DIR / f"{area}_{LANG}.ts"
    tree = load(ts_path)
    known = entries(tree)
    contexts = {c.findtext("name"): c for c in tree.getroot().iter("context")}
    added = 0
    for file in python_files(paths):
        for context, source in strings_in(file):
            if (context, source) in known:
                continue
            ctx = contexts.get(context)
            if ctx is None:
                ctx = ET.SubElement(tree.getroot(), "context")
                ET.SubElement(ctx, "name").text = context
                contexts[context] = ctx
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = source
            ET.SubElement(msg, "translation", type="unfinished")
            known[(context, source)] = msg
            added += 1
    save(tree, ts_path)
    print(f"{ts_path.relative_to(ROOT)}: {added} new string(s)")
    return 0


def all_catalog_entries() -> dict[tuple[str, str], tuple[Path, ET.Element]]:
    out: dict[tuple[str, str], tuple[Path, ET.Element]] = {}
    for ts in sorted(TS_DIR.glob(f"*_{LANG}.ts")):
        for key, msg in entries(ET.parse(ts)).items():
            out[key] = (ts, msg)
    return out


def problems() -> list[str]:
    catalog = all_catalog_entries()
    found: list[str] = []
    for key, (ts, msg) in catalog.items():
        translation = msg.find("translation")
        if translation is None or translation.get("type") == "unfinished" or not translation.text:
            found.append(f"unfinished in {ts.name}: {key[0]} / {key[1]!r}")
    for file in python_files(list(SCANNED)):
        for key in strings_in(file):
            if key not in catalog:
                found.append(f"missing from catalogs: {file.relative_to(ROOT)}: {key[0]} / {key[1]!r}")
    return found + vocabulary_problems()


def vocabulary_problems() -> list[str]:
    """The vocabulary files (station/vocabulary/*.toml) carry both languages themselves: each
    must load, which needs a zh and an en text for every code."""
    sys.path.insert(0, str(ROOT))
    from station import vocabulary

    found: list[str] = []
    for load in (vocabulary.load_flags, vocabulary.load_decision_reasons,
                 vocabulary.load_part_kinds):
        try:
            load()
        except vocabulary.VocabularyError as exc:
            found.append(str(exc))
    return found


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "update":
        return update(argv[1], argv[2:])
    if len(argv) == 3 and argv[0] == "fill":
        return fill(argv[1], argv[2])
    if argv == ["check"]:
        issues = problems()
        print("\n".join(issues) if issues else "translations complete")
        return 1 if issues else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
