"""The demo's traffic-management system: the simulator of central.upstream on a local port,
holding each demo person's photo on file under every card number they have, so a
supervisor sees "the photo in the traffic system" beside the case's photos and approved
cases are handed over to it for real (signed HTTP, outbox, retries)."""

from __future__ import annotations

import secrets
from typing import Any

import cv2

from central.upstream.simulator import TrafficSystemSimulator
from station.demo import CARD_KINDS, demo_people

CLIENT_ID = "demo-central"


def start_demo_traffic_system() -> tuple[TrafficSystemSimulator, dict[str, Any]]:
    """The running simulator and the central service's settings to reach it."""
    secret = secrets.token_urlsafe(24)
    simulator = TrafficSystemSimulator(CLIENT_ID, secret)
    for person in demo_people().values():
        ok, encoded = cv2.imencode(".jpg", person.photo_on_file,
                                   [cv2.IMWRITE_JPEG_QUALITY, 90])
        if not ok:
            continue
        taken = person.resident.valid_from.isoformat()  # taken when the card was issued
        for kind in CARD_KINDS:
            simulator.add_photo(person.card(kind).id_number, encoded.tobytes(), taken)
    simulator.start()
    return simulator, {"upstream_url": simulator.url, "upstream_client_id": CLIENT_ID,
                       "upstream_secret": secret}
