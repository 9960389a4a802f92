"""Running the project's command-line tools the way a user does: ``python -m module ...``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_module(module: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module args`` from the project root; never raises on a non-zero exit."""
    return subprocess.run([sys.executable, "-m", module, *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)
