"""The status page as an applicant's phone shows it: Debian's chromium, headless, at a phone's
size; the page must render Chinese text and need no horizontal scrolling."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from central.platform_sim import elicence_body, random_person
from tests.helpers.platform import World

PHONE = (390, 844)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is missing: scripts/setup.sh installs Debian's chromium")
    return found


def _browser(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", f"--window-size={PHONE[0]},{PHONE[1]}",
                           *args], capture_output=True, text=True, timeout=120, check=False)


def test_the_status_page_renders_on_a_phone(world: World, faces_dir: Path,
                                            tmp_path: Path) -> None:
    rng = random.Random(21)
    receipt = world.submit("elicence-photo", elicence_body(
        "REF-BROWSER-001", random_person(rng),
        (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes(), "album")).json()
    url = str(world.client.base_url).rstrip("/") + receipt["status_path"]
    dom = _browser("--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "审核中" in dom.stdout and "电子驾驶证照片采集" in dom.stdout
    assert "审核截止" in dom.stdout
    shot = tmp_path / "status.png"
    result = _browser(f"--screenshot={shot}", url)
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    with Image.open(shot) as image:
        assert image.size == PHONE
        pixels = image.convert("L")
        # the card's text is drawn: dark pixels in the upper part of the page (CJK glyphs
        # render; a missing font would leave boxes or nothing)
        import numpy as np

        dark = int((np.asarray(pixels.crop((0, 0, PHONE[0], 400))) < 100).sum())
        assert dark > 2000
        # nothing reaches past the right edge: the rightmost column is background
        edge = [pixels.getpixel((PHONE[0] - 1, y)) for y in range(0, PHONE[1], 4)]
        assert min(edge) > 200
