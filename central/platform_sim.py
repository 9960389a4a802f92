"""A simulator of the 交管12123 platform's intake client, for demos, tests and the benchmark.

It builds what the app really sends: a phone photo of the ID card's front (the card with the
holder's portrait on it) and back, a selfie of the same person (or, for an impostor, of
someone else), and e-licence portraits from photo files, and posts them to
``/v1/intake/...`` with the platform's credential.

    python -m central.platform_sim --url http://127.0.0.1:8600 --token CREDENTIAL \\
        --faces ../shared/data/faces --count 20
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from PIL import Image, ImageDraw, ImageOps

from station.identity.checks import citizen_id_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
AREA_CODES = ("110101", "310104", "440106", "510107", "330106", "420102")


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str


def random_person(rng: random.Random) -> Person:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    first17 = (rng.choice(AREA_CODES) + f"{rng.randint(1960, 2004)}"
               f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")
    phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
    return Person(name, first17 + citizen_id_check_char(first17), phone)


def jpeg(image: Image.Image, quality: int = 88) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def id_card_front(portrait: Image.Image, rng: random.Random) -> bytes:
    """A phone photo of a card front: the card (85.6 x 54 mm at ~10 px/mm) with the holder's
    portrait at the right, lying slightly rotated on a desk."""
    card = Image.new("RGB", (856, 540), (232, 238, 242))
    draw = ImageDraw.Draw(card)
    for row in range(6):  # the printed field lines (text is not needed for the match)
        draw.rectangle((60, 90 + row * 62, 60 + rng.randint(220, 380), 108 + row * 62),
                       fill=(120, 128, 140))
    face = ImageOps.fit(portrait.convert("RGB"), (260, 320), centering=(0.5, 0.4))
    card.paste(face, (560, 110))
    desk = Image.new("RGB", (1280, 960), (96, 84, 70))
    tilted = card.rotate(rng.uniform(-4, 4), expand=True, fillcolor=(96, 84, 70))
    desk.paste(tilted, ((1280 - tilted.width) // 2, (960 - tilted.height) // 2))
    return jpeg(desk)


def id_card_back(rng: random.Random) -> bytes:
    card = Image.new("RGB", (856, 540), (226, 232, 238))
    draw = ImageDraw.Draw(card)
    draw.ellipse((60, 60, 220, 220), outline=(200, 40, 40), width=8)  # the national emblem
    for row in range(2):
        draw.rectangle((300, 380 + row * 60, 300 + rng.randint(300, 480), 400 + row * 60),
                       fill=(120, 128, 140))
    desk = Image.new("RGB", (1280, 960), (96, 84, 70))
    desk.paste(card, (212, 210))
    return jpeg(desk)


def selfie(portrait: Image.Image, rng: random.Random) -> bytes:
    """The front camera's picture: the face a little off centre, slightly darker."""
    image = portrait.convert("RGB")
    scale = rng.uniform(0.9, 1.1)
    image = image.resize((max(64, int(image.width * scale)), max(64, int(image.height * scale))))
    return jpeg(image.point(lambda v: int(v * rng.uniform(0.85, 1.0))), quality=85)


def manual_review_body(reference: str, person: Person, card_portrait: Image.Image,
                       live_portrait: Image.Image, rng: random.Random) -> dict[str, Any]:
    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    return {
        "reference": reference,
        "applicant": {"name": person.name, "id_number": person.id_number,
                      "phone": person.phone},
        "id_front": b64(id_card_front(card_portrait, rng)),
        "id_back": b64(id_card_back(rng)),
        "selfie": b64(selfie(live_portrait, rng)),
        "failed_attempts": rng.randint(3, 6),
    }


def elicence_body(reference: str, person: Person, photo: bytes, source: str) -> dict[str, Any]:
    return {
        "reference": reference,
        "applicant": {"name": person.name, "id_number": person.id_number,
                      "phone": person.phone},
        "photo": base64.b64encode(photo).decode(), "photo_source": source,
    }


@dataclass(frozen=True)
class Faces:
    """People with two photos each (genuine pairs) and e-licence portraits."""

    pairs: list[tuple[Path, Path]]
    portraits: list[Path]

    @classmethod
    def from_folder(cls, faces: Path) -> Faces:
        pairs = []
        for person in sorted((faces / "verification").iterdir()):
            photos = sorted(person.glob("*.jp*g"))
            if len(photos) >= 2 and not person.name.startswith("John_"):
                pairs.append((photos[0], photos[1]))
        portraits = [faces / "portraits" / name for name in
                     ("ppp_frontal_white_bg.jpg", "ppp_beige_bg.png", "fr_obama_smile.jpg")]
        return cls(pairs, [p for p in portraits if p.exists()])


def submissions(faces: Faces, count: int, seed: int = 12123) -> list[tuple[str, dict[str, Any]]]:
    """A realistic mix: 60 % manual review (one in five an impostor), 40 % e-licence photos."""
    rng = random.Random(seed)
    out: list[tuple[str, dict[str, Any]]] = []
    for index in range(count):
        person = random_person(rng)
        reference = f"SIM{seed}-{index:06d}"
        if rng.random() < 0.6 and len(faces.pairs) >= 2:
            card_photo, live_photo = rng.choice(faces.pairs)
            if rng.random() < 0.2:  # someone else's selfie
                live_photo = rng.choice([p for p in faces.pairs if p[0] != card_photo])[1]
            with Image.open(card_photo) as card, Image.open(live_photo) as live:
                body = manual_review_body(reference, person, card, live, rng)
            out.append(("manual-review", body))
        else:
            path = rng.choice(faces.portraits)
            out.append(("elicence-photo", elicence_body(
                reference, person, path.read_bytes(), rng.choice(("on_file", "album", "camera")))))
    return out


def send(client: httpx.Client, token: str, route: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(f"/v1/intake/{route}", json=body,
                       headers={"Authorization": f"Bearer {token}"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m central.platform_sim")
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True, help="the platform client's credential")
    parser.add_argument("--faces", type=Path, default=Path("../shared/data/faces"))
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=12123)
    args = parser.parse_args(argv)
    faces = Faces.from_folder(args.faces)
    results = []
    with httpx.Client(base_url=args.url, timeout=120) as client:
        for route, body in submissions(faces, args.count, args.seed):
            response = send(client, args.token, route, body)
            answer = response.json()
            results.append({"route": route, "status": response.status_code,
                            "number": answer.get("number"), "flags": answer.get("flags"),
                            "error": answer.get("error", {}).get("code")})
    json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0 if all(r["status"] in (200, 201) for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
