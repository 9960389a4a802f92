"""Every user-facing string has a zh_CN translation, and the catalogs compile."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from station import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_every_marked_string_is_translated() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_core_translation_reads_the_catalog() -> None:
    assert i18n.translate("Accounts", "Wrong user name or password.", "zh_CN") == "用户名或密码错误。"
    assert i18n.translate("Accounts", "Wrong user name or password.", "en") == (
        "Wrong user name or password."
    )
    assert i18n.translate("Nowhere", "Unknown text", "zh_CN") == "Unknown text"
    assert i18n.both("Accounts", "No such operator.") == {
        "zh": "没有该操作员。", "en": "No such operator."
    }


def test_catalogs_compile_with_lrelease(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    for ts in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        out = tmp_path / (ts.stem + ".qm")
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(out)], check=True)
        assert out.stat().st_size > 0
