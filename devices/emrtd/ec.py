"""Elliptic-curve point arithmetic for PACE generic mapping (G' = s*G + H).

``cryptography`` does ECDH but exposes neither points nor custom generators, which the
mapping needs; this is plain affine arithmetic over the standardized PACE curves. The base
points come from ``cryptography`` (the public key of private scalar 1), ``b`` from the curve
equation, and tests check every curve against ``cryptography``'s own scalar multiplication.
Not constant-time: the scalars are one-use ephemeral keys of a session with a chip.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import cache

from cryptography.hazmat.primitives.asymmetric import ec

Point = tuple[int, int] | None  # None is the point at infinity


class EcError(ValueError):
    """A point is malformed or not on the curve."""


@dataclass(frozen=True)
class Curve:
    name: str
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int
    native: ec.EllipticCurve | None = field(default=None, compare=False)

    @property
    def g(self) -> Point:
        return (self.gx, self.gy)

    @property
    def size(self) -> int:
        return (self.p.bit_length() + 7) // 8

    def on_curve(self, point: Point) -> bool:
        if point is None:
            return False
        x, y = point
        return 0 <= x < self.p and 0 <= y < self.p and (
            y * y - (x * x * x + self.a * x + self.b)) % self.p == 0

    def add(self, p1: Point, p2: Point) -> Point:
        if p1 is None:
            return p2
        if p2 is None:
            return p1
        (x1, y1), (x2, y2) = p1, p2
        if x1 == x2 and (y1 + y2) % self.p == 0:
            return None
        if p1 == p2:
            slope = (3 * x1 * x1 + self.a) * pow(2 * y1, -1, self.p)
        else:
            slope = (y2 - y1) * pow(x2 - x1, -1, self.p)
        x3 = (slope * slope - x1 - x2) % self.p
        return (x3, (slope * (x1 - x3) - y1) % self.p)

    def mul(self, k: int, point: Point) -> Point:
        """k*point: double-and-add in Jacobian coordinates (one inversion at the end)."""
        if point is None or k % self.n == 0:
            return None
        p = self.p
        x1, y1 = point
        result: tuple[int, int, int] | None = None
        for bit in bin(k)[2:]:
            if result is not None:
                result = self._double(result)
            if bit == "1":
                result = (x1, y1, 1) if result is None else self._add_affine(result, x1, y1)
        if result is None or result[2] == 0:
            return None
        x, y, z = result
        z_inv = pow(z, -1, p)
        z_inv2 = z_inv * z_inv % p
        return (x * z_inv2 % p, y * z_inv2 * z_inv % p)

    def _double(self, q: tuple[int, int, int]) -> tuple[int, int, int]:
        x, y, z = q
        p = self.p
        if y == 0 or z == 0:
            return (1, 1, 0)
        ysq = y * y % p
        s = 4 * x * ysq % p
        z2 = z * z % p
        m = (3 * x * x + self.a * z2 * z2) % p
        nx = (m * m - 2 * s) % p
        ny = (m * (s - nx) - 8 * ysq * ysq) % p
        return (nx, ny, 2 * y * z % p)

    def _add_affine(self, q: tuple[int, int, int], x2: int, y2: int) -> tuple[int, int, int]:
        x1, y1, z1 = q
        p = self.p
        if z1 == 0:
            return (x2, y2, 1)
        z1sq = z1 * z1 % p
        u2 = x2 * z1sq % p
        s2 = y2 * z1sq * z1 % p
        h = (u2 - x1) % p
        r = (s2 - y1) % p
        if h == 0:
            return self._double(q) if r == 0 else (1, 1, 0)
        h2 = h * h % p
        h3 = h2 * h % p
        u1h2 = x1 * h2 % p
        nx = (r * r - h3 - 2 * u1h2) % p
        ny = (r * (u1h2 - nx) - y1 * h3) % p
        return (nx, ny, z1 * h % p)

    def mul_g(self, k: int) -> tuple[int, int]:
        """k*G, by ``cryptography`` when it knows the curve (much faster)."""
        if self.native is not None and 0 < k < self.n:
            numbers = ec.derive_private_key(k, self.native).public_key().public_numbers()
            return (numbers.x, numbers.y)
        point = self.mul(k, self.g)
        if point is None:
            raise EcError("k*G is the point at infinity")
        return point

    def shared_x(self, k: int, point: tuple[int, int]) -> int:
        """The x coordinate of k*point (ECDH), natively when possible."""
        if self.native is not None and 0 < k < self.n:
            peer = ec.EllipticCurvePublicNumbers(point[0], point[1], self.native).public_key()
            secret = ec.derive_private_key(k, self.native).exchange(ec.ECDH(), peer)
            return int.from_bytes(secret, "big")
        shared = self.mul(k, point)
        if shared is None:
            raise EcError("the shared secret is the point at infinity")
        return shared[0]

    def random_scalar(self) -> int:
        return secrets.randbelow(self.n - 1) + 1

    def encode(self, point: Point) -> bytes:
        if point is None:
            raise EcError("cannot encode the point at infinity")
        return b"\x04" + point[0].to_bytes(self.size, "big") + point[1].to_bytes(self.size, "big")

    def decode(self, data: bytes) -> tuple[int, int]:
        if len(data) != 1 + 2 * self.size or data[0] != 0x04:
            raise EcError("expected an uncompressed point")
        point = (int.from_bytes(data[1 : 1 + self.size], "big"),
                 int.from_bytes(data[1 + self.size :], "big"))
        if not self.on_curve(point):
            raise EcError("the point is not on the curve")
        return point


def _curve(name: str, crypto_curve: ec.EllipticCurve, p: int, a: int, n: int) -> Curve:
    g = ec.derive_private_key(1, crypto_curve).public_key().public_numbers()
    b = (g.y * g.y - g.x ** 3 - a * g.x) % p
    return Curve(name, p, a % p, b, g.x, g.y, n, crypto_curve)


@cache
def standard_curve(parameter_id: int) -> Curve:
    """ICAO 9303-11 standardized domain parameters (the ECDH ones we support)."""
    h = int
    if parameter_id == 12:
        return _curve("secp256r1", ec.SECP256R1(), 2**256 - 2**224 + 2**192 + 2**96 - 1, -3,
                      h("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16))
    if parameter_id == 13:
        return _curve(
            "brainpoolP256r1", ec.BrainpoolP256R1(),
            h("A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377", 16),
            h("7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9", 16),
            h("A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7", 16))
    if parameter_id == 15:
        return _curve(
            "secp384r1", ec.SECP384R1(), 2**384 - 2**128 - 2**96 + 2**32 - 1, -3,
            h("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
              "581a0db248b0a77aecec196accc52973", 16))
    if parameter_id == 18:
        return _curve(
            "secp521r1", ec.SECP521R1(), 2**521 - 1, -3,
            h("01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
              "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409", 16))
    raise EcError(f"standardized domain parameters {parameter_id} are not supported")


SUPPORTED_PARAMETER_IDS = (12, 13, 15, 18)
