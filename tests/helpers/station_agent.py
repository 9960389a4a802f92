"""A real station without its windows, in a process of its own, for the deployment test:

    python -m tests.helpers.station_agent --config station.toml --user clerk-a --password P
        [--register NAME] [--wait-decision SECONDS]

It opens the station runtime (database, sync with the central service), signs the operator
in as the login screen does, optionally registers one individual case that needs review
(committed as the counter's last step does) and waits until the supervisor's decision comes
back through sync. One JSON line per event on stdout: signed_in, committed, decided; a
refused sign-in prints {"event": "refused", "message": ...} and exits 3.

Each station has its own process because a process holds one station's data key.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from app.runtime import StationRuntime
from station.config import load_settings
from station.db.models import Case, CaseKind, CaseState
from station.identity.samples import sample_card
from station.identity.validation import validate_card
from station.operators import AccountError
from station.workflows import cases
from station.workflows.documents import from_identity_card

JPEG = b"\xff\xd8\xff\xe0" + b"live-photo" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"signature" * 40


def say(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, **fields}, ensure_ascii=False), flush=True)


def register(runtime: StationRuntime, operator_id: str, username: str) -> str:
    """An individual registration whose card carries no chip photo: routed to review."""
    db, code = runtime.db, runtime.settings.station.code
    card = sample_card("resident")
    document = from_identity_card(card, None, list(validate_card(card)))
    ref = db.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, code, operator_id,
                                              username))
    db.write(lambda s: cases.save_document(s, ref.id, document, username))
    db.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, username, compliant=True))
    db.write(lambda s: cases.save_phone(s, ref.id, "13812345678", True, username))
    db.write(lambda s: cases.save_signature(s, ref.id, b"record", PNG, "ab" * 32, "2026.1",
                                            username))
    result = db.write(lambda s: cases.commit_case(s, ref.id, username))
    say("committed", case_id=ref.id, number=result.number,
        flags=[flag.code for flag in result.flags], config_version=ref.config_version)
    return ref.id


def wait_for_decision(runtime: StationRuntime, case_id: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with runtime.db.session() as session:
            case = session.get(Case, case_id)
            if case is not None and case.state == CaseState.DECIDED:
                decision = max(case.decisions, key=lambda d: d.decided_at)
                say("decided", number=case.number, review_status=str(case.review_status),
                    reviewer=decision.reviewer, reason_code=decision.reason_code)
                return True
        time.sleep(0.2)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.helpers.station_agent")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--register", action="store_true")
    parser.add_argument("--wait-decision", type=float, default=0.0)
    args = parser.parse_args(argv)
    runtime = StationRuntime.open(load_settings(args.config), start_devices=False)
    try:
        runtime.extras["sync_started"].result(timeout=60)
        try:
            signed = runtime.accounts.sign_in(args.user, args.password)
        except AccountError as refused:
            say("refused", message=str(refused))
            return 3
        say("signed_in", username=signed.operator.username, role=str(signed.operator.role),
            offline=signed.offline, token=bool(signed.token))
        if not args.register:
            return 0
        case_id = register(runtime, signed.operator.id, signed.operator.username)
        if args.wait_decision and not wait_for_decision(runtime, case_id, args.wait_decision):
            say("timeout")
            return 4
        return 0
    finally:
        runtime.close()


if __name__ == "__main__":
    sys.exit(main())
