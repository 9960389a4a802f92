"""SMS verification codes: made and texted by the central service, checked by the station."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import create_engine, text

from station.config import Settings
from station.db.database import Database
from station.events import EventBus
from station.sync.runtime import SyncRuntime


def sent_code(settings: Settings) -> str:
    central_db = Path(settings.storage.data_dir) / "central" / "central.sqlite3"
    engine = create_engine(f"sqlite:///{central_db}")
    with engine.connect() as conn:
        message = conn.execute(text("select text from notifications where template = "
                                    "'verification' order by created_at desc limit 1")).scalar_one()
    engine.dispose()
    assert "验证码" in message
    return re.search(r"\d{6}", message).group(0)  # type: ignore[union-attr]


def test_code_is_texted_and_checked(settings: Settings, database: Database) -> None:
    settings.central.sync_interval_s = 60
    runtime = SyncRuntime(settings, database, EventBus())
    runtime.start_in_background().result(timeout=30)
    try:
        request = runtime.start_verification("13812345678")
        code = sent_code(settings)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        assert runtime.check_verification(request, wrong) is False
        assert runtime.check_verification(request, code) is True
        again = runtime.start_verification("13812345678")
        for _ in range(5):  # five wrong tries use the request up
            runtime.check_verification(again, wrong)
        assert runtime.check_verification(again, sent_code(settings)) is False
    finally:
        runtime.stop()
