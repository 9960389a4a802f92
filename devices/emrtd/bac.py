"""Basic Access Control, reader side (ICAO 9303-11 section 4.3)."""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from devices.emrtd.crypto import (
    ENC_COUNTER,
    MAC_COUNTER,
    derive_key,
    key_seed_from_mrz,
    pad,
    retail_mac,
    tdes_decrypt,
    tdes_encrypt,
)
from devices.emrtd.sm import SecureMessaging


class BacError(ValueError):
    """The chip's answer to MUTUAL AUTHENTICATE did not authenticate."""


@dataclass(frozen=True)
class BacKeys:
    k_enc: bytes
    k_mac: bytes

    @classmethod
    def from_mrz_information(cls, mrz_information: str) -> BacKeys:
        seed = key_seed_from_mrz(mrz_information)
        return cls(derive_key(seed, ENC_COUNTER), derive_key(seed, MAC_COUNTER))


@dataclass(frozen=True)
class BacChallenge:
    """The terminal's half of one BAC run."""

    keys: BacKeys
    rnd_ic: bytes
    rnd_ifd: bytes
    k_ifd: bytes

    @classmethod
    def new(cls, keys: BacKeys, rnd_ic: bytes) -> BacChallenge:
        return cls(keys, rnd_ic, os.urandom(8), os.urandom(16))

    def command_data(self) -> bytes:
        """E.IFD || M.IFD, the 40 bytes of MUTUAL AUTHENTICATE."""
        encrypted = tdes_encrypt(self.keys.k_enc, self.rnd_ifd + self.rnd_ic + self.k_ifd)
        return encrypted + retail_mac(self.keys.k_mac, pad(encrypted))

    def finish(self, response: bytes) -> SecureMessaging:
        """Check the chip's E.IC || M.IC and derive the session keys and SSC."""
        if len(response) != 40:
            raise BacError(f"MUTUAL AUTHENTICATE answered {len(response)} bytes, expected 40")
        encrypted, mac = response[:32], response[32:]
        if not hmac.compare_digest(retail_mac(self.keys.k_mac, pad(encrypted)), mac):
            raise BacError("the chip's authentication MAC does not verify")
        plain = tdes_decrypt(self.keys.k_enc, encrypted)
        rnd_ic, rnd_ifd, k_ic = plain[:8], plain[8:16], plain[16:32]
        if rnd_ic != self.rnd_ic or rnd_ifd != self.rnd_ifd:
            raise BacError("the chip answered with other nonces than ours")
        seed = bytes(a ^ b for a, b in zip(self.k_ifd, k_ic, strict=True))
        ssc = int.from_bytes(self.rnd_ic[4:] + self.rnd_ifd[4:], "big")
        return SecureMessaging(derive_key(seed, ENC_COUNTER), derive_key(seed, MAC_COUNTER), ssc)
