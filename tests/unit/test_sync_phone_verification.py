"""SMS verification codes: made and texted by the central service, checked by the station."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from app.sync import SyncRuntime
from station.config import Settings
from station.db.database import Database
from station.events import EventBus


def sent_code(settings: Settings, count: int = 1) -> str:
    """The code in the ``count``-th SMS the central service's development gateway sent (as
    the applicant reads it off the phone; at rest the outbox holds it sealed)."""
    outbox = Path(settings.storage.data_dir) / "central" / "sms-dev.jsonl"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
        if len(lines) >= count:
            message = json.loads(lines[count - 1])["text"]
            assert "验证码" in message
            return re.search(r"\d{6}", message).group(0)  # type: ignore[union-attr]
        time.sleep(0.1)
    raise AssertionError(f"SMS number {count} was not sent")


def test_code_is_texted_and_checked(settings: Settings, database: Database) -> None:
    settings.central.sync_interval_s = 60
    runtime = SyncRuntime(settings, database, EventBus())
    runtime.start_in_background().result(timeout=30)
    try:
        request = runtime.start_verification("13812345678")
        code = sent_code(settings, 1)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        assert runtime.check_verification(request, wrong) is False
        assert runtime.check_verification(request, code) is True
        again = runtime.start_verification("13812345678")
        for _ in range(5):  # five wrong tries use the request up
            runtime.check_verification(again, wrong)
        assert runtime.check_verification(again, sent_code(settings, 2)) is False
    finally:
        runtime.stop()
