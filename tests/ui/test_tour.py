"""The UI tour (python -m ui.tour) at the counter's 1366x768 in both languages: it goes through
every screen, writes one PNG of exactly that size per screen and a report that lists them all,
with the flows it drove and F1's clicks and key presses."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(1500)  # both tours, started together, in the first test
ROOT = Path(__file__).resolve().parents[2]
SIZE = (1366, 768)
LANGUAGES = ("zh_CN", "en")
# the screens a person meets on the way, whatever else the tour photographs
EXPECTED = (
    "first-start", "operators", "devices", "settings", "login", "home",
    "f1-document", "f1-photo-live", "f1-photo-taken", "f1-phone", "f1-agreement", "f1-review",
    "f1-receipt", "f2-organisation", "f2-scans", "f2-agreement", "f2-receipt", "f3-photo-taken",
    "f3-receipt", "f4-scans", "f4-receipt", "cases", "cases-detail", "lock", "review-queue",
    "case-view-f2", "case-view-f3", "case-view-f4", "case-view-f1-mismatch", "dashboard",
    "cases-returned", "resubmission-receipt", "kiosk-first-start", "kiosk-attract", "kiosk-registration-card",
    "kiosk-registration-liveness", "kiosk-registration-phone", "kiosk-registration-sign",
    "kiosk-registration-done", "kiosk-elicence-photo", "kiosk-elicence-done",
    "kiosk-idle-warning", "kiosk-out-of-service", "kiosk-admin",
)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.fixture(scope="module")
def tours(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both languages' tours, side by side (each mostly waits for its simulated devices)."""
    base = tmp_path_factory.mktemp("tour")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    runs = {}
    for language in LANGUAGES:
        out = base / language
        command = [sys.executable, "-m", "ui.tour", "--size", "x".join(map(str, SIZE)),
                   "--language", language, "--out", str(out)]
        log = (base / f"{language}.log").open("wb")
        runs[language] = (out, log, subprocess.Popen(command, cwd=ROOT, env=environ,
                                                     stdout=log, stderr=subprocess.STDOUT))
    failed: list[str] = []
    try:
        for language, (_out, _log, process) in runs.items():
            code = process.wait(timeout=1200)
            if code != 0:
                tail = (base / f"{language}.log").read_text(encoding="utf-8", errors="replace")
                failed.append(f"the {language} tour stopped ({code}):\n{tail[-4000:]}")
    finally:
        for _out, log, process in runs.values():
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()
    if failed:
        pytest.fail("\n\n".join(failed))
    return {language: out for language, (out, _log, _p) in runs.items()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_tour_photographs_every_screen_at_the_screen_size(tours, language) -> None:  # type: ignore[no-untyped-def]
    out = tours[language]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    names = [screen["name"] for screen in report["screens"]]
    missing = [name for name in EXPECTED if name not in names]
    assert not missing, missing
    files = {screen["file"] for screen in report["screens"]}
    assert files == {path.name for path in out.glob("*.png")}  # one picture per screen listed
    for screen in report["screens"]:
        assert png_size(out / screen["file"]) == SIZE, screen["file"]
        width, height = screen["size_needed"]
        assert width > 0 and height > 0
        assert isinstance(screen["fits"], bool)
        assert all(isinstance(item, str) for item in screen["clipped"] + screen["untranslated"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_tour_reports_the_flows_it_drove(tours, language) -> None:  # type: ignore[no-untyped-def]
    report = json.loads((tours[language] / "report.json").read_text(encoding="utf-8"))
    flows = {flow["flow"]: flow for flow in report["flows"]}
    assert {"f1", "f2", "f3", "f4", "f1-mismatch", "resubmission",
            "kiosk-registration", "kiosk-elicence"} <= set(flows)
    f1 = flows["f1"]
    assert f1["auto_captured"] is True and f1["face_match"]["match"] is True
    assert f1["routed_to_review"] is False and f1["review_reasons"] == []
    mismatch = flows["f1-mismatch"]
    assert mismatch["face_match"]["match"] is False and "LOW_FACE_MATCH" in mismatch["review_reasons"]
    assert flows["f3"]["review_reasons"] == ["ELICENCE_PHOTO"]
    assert flows["f4"]["routed_to_review"] is True
    clicks, keys = report["f1_input"]["clicks"], report["f1_input"]["key_presses"]
    assert clicks >= 3 and keys >= len("13812345678") + 6  # the number and the SMS code at least



@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits_the_counter_monitor_and_speaks_the_language(tours, language) -> None:  # type: ignore[no-untyped-def]
    """No screen needs more than 1366x768 or cuts a label's or a button's text, and no visible
    text is in the other language (data from people and cases aside)."""
    report = json.loads((tours[language] / "report.json").read_text(encoding="utf-8"))
    wrong = {screen["name"]: {"size_needed": screen["size_needed"], "clipped": screen["clipped"],
                              "untranslated": screen["untranslated"]}
             for screen in report["screens"] if not screen["fits"] or screen["untranslated"]}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)
