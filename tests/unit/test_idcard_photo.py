"""Chip photo: WLT kept raw; decoding through a vendor-style library over ctypes.

No vendor decoder can ship with the tests, so the ctypes path is exercised with a small
library compiled here that follows the vendor ABIs (``unpack`` and ``GetBmp``). It paints a
known pattern, which proves the bytes go in and the image comes out the way we expect.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from station.identity.chip_photo import (
    PHOTO_HEIGHT,
    PHOTO_WIDTH,
    WLT_SIZE,
    PhotoStatus,
    decode_chip_photo,
)

UNPACK_SOURCE = r"""
int unpack(const unsigned char *src, unsigned char *dst, int save) {
    (void)save;
    if (src[0] == 0xFF) return -3;               /* 'corrupt' input */
    for (int y = 0; y < 126; y++)                /* bottom-up rows, 308 bytes each */
        for (int x = 0; x < 102; x++) {
            unsigned char *p = dst + y * 308 + x * 3;
            p[0] = src[1]; p[1] = (unsigned char)x; p[2] = (unsigned char)y;
        }
    return 1;
}
"""
GETBMP_SOURCE = r"""
#include <stdio.h>
#include <string.h>
int GetBmp(const char *path, int intf) {
    (void)intf;
    char out[4096];
    strncpy(out, path, sizeof out - 1); out[sizeof out - 1] = 0;
    char *dot = strrchr(out, '.'); if (!dot) return -1;
    strcpy(dot, ".bmp");
    FILE *f = fopen(out, "wb"); if (!f) return -2;
    unsigned char h[54] = {'B','M'};
    unsigned int size = 54 + 308 * 126, w = 102, hgt = 126, off = 54, ih = 40, img = 308 * 126;
    memcpy(h + 2, &size, 4); memcpy(h + 10, &off, 4); memcpy(h + 14, &ih, 4);
    memcpy(h + 18, &w, 4); memcpy(h + 22, &hgt, 4); h[26] = 1; h[28] = 24;
    memcpy(h + 34, &img, 4);
    fwrite(h, 1, 54, f);
    for (unsigned int i = 0; i < img; i++) fputc(0x80, f);
    fclose(f);
    return 1;
}
"""


def _compile(tmp_path: Path, name: str, source: str) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build the test decoder library")
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    out = tmp_path / f"lib{name}.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O1", str(src), "-o", str(out)], check=True)
    return out


def _wlt(first: int = 0x10, second: int = 0x42) -> bytes:
    return bytes((first, second)) + bytes(WLT_SIZE - 2)


def test_without_a_decoder_the_photo_is_kept_and_explained() -> None:
    photo = decode_chip_photo(_wlt(), None)
    assert photo.status is PhotoStatus.DECODER_NOT_CONFIGURED and not photo.decoded
    assert photo.wlt == _wlt()
    assert photo.reason["zh"].startswith("芯片照片不可用")
    info = photo.info()
    assert info == {"format": "wlt", "size": 1024, "decoded": False,
                    "status": "decoder_not_configured", "reason": photo.reason}


def test_short_photo_is_missing() -> None:
    photo = decode_chip_photo(b"\x00" * 10, None)
    assert photo.status is PhotoStatus.MISSING and "10" in photo.reason["en"]


def test_library_that_does_not_load(tmp_path: Path) -> None:
    photo = decode_chip_photo(_wlt(), tmp_path / "nope.so")
    assert photo.status is PhotoStatus.DECODER_UNAVAILABLE
    assert "nope.so" in photo.reason["zh"]


def test_library_without_a_decoder_function(tmp_path: Path) -> None:
    library = _compile(tmp_path, "other", "int something(void) { return 0; }\n")
    photo = decode_chip_photo(_wlt(), library)
    assert photo.status is PhotoStatus.DECODER_UNAVAILABLE


def test_unpack_abi_decodes_to_a_bitmap(tmp_path: Path) -> None:
    library = _compile(tmp_path, "wlt2bmp", UNPACK_SOURCE)
    photo = decode_chip_photo(_wlt(second=0x42), library)
    assert photo.status is PhotoStatus.DECODED and photo.bmp is not None
    image = Image.open(io.BytesIO(photo.bmp))
    assert image.size == (PHOTO_WIDTH, PHOTO_HEIGHT)
    # BMP rows are bottom-up: the library's row y is image row 125 - y; BGR -> RGB.
    assert image.convert("RGB").getpixel((7, 125 - 3)) == (3, 7, 0x42)
    assert photo.info()["decoded"] is True


def test_unpack_failure_is_reported(tmp_path: Path) -> None:
    library = _compile(tmp_path, "wlt2bmp_fail", UNPACK_SOURCE)
    photo = decode_chip_photo(_wlt(first=0xFF), library)
    assert photo.status is PhotoStatus.DECODE_FAILED and "-3" in photo.reason["en"]


def test_getbmp_abi(tmp_path: Path) -> None:
    library = _compile(tmp_path, "termb", GETBMP_SOURCE)
    photo = decode_chip_photo(_wlt(), library)
    assert photo.decoded
    image = Image.open(io.BytesIO(photo.bmp or b""))
    assert image.size == (PHOTO_WIDTH, PHOTO_HEIGHT)
    assert image.convert("RGB").getpixel((0, 0)) == (0x80, 0x80, 0x80)
