"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.platform import World, running_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """The central service with the 12123 platform's intake client (tests.helpers.platform)."""
    yield from running_world(tmp_path)
