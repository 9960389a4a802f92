"""Pictures of an ID card lying on a desk, as a clerk's camera or scanner delivers them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


def card_on_desk(angle: float = 6.0) -> np.ndarray:
    """An ID-1 card (85.6 x 54 mm at 10 px/mm) with printed lines and a portrait box, turned
    by ``angle`` degrees on a dark desk."""
    card = np.full((540, 856, 3), (236, 240, 244), np.uint8)
    cv2.rectangle(card, (560, 90), (800, 400), (180, 190, 200), -1)
    for row in range(110, 470, 60):
        cv2.putText(card, "XINGMING 11010519491231002X", (40, row), cv2.FONT_HERSHEY_SIMPLEX,
                    0.8, (30, 30, 30), 2)
    desk = np.full((900, 1400, 3), (45, 60, 75), np.uint8)
    matrix = cv2.getRotationMatrix2D((428, 270), angle, 1.0)
    matrix[:, 2] += (272, 180)
    turned = cv2.warpAffine(card, matrix, (1400, 900))
    mask = cv2.warpAffine(np.full(card.shape[:2], 255, np.uint8), matrix, (1400, 900))
    desk[mask > 0] = turned[mask > 0]
    return desk


def write(path: Path, image: np.ndarray) -> Path:
    cv2.imwrite(str(path), image)
    return path
