"""An emulated ICAO 9303 passport chip (BAC, 3DES secure messaging, EF.SOD) for tests and demos.

``builder`` makes the LDS files (EF.COM, DG1, DG2, DG11, DG12, EF.SOD signed by a generated
document signer under a generated CSCA); ``card`` answers APDUs as a chip does; ``vpcd``
connects the card to pcscd's virtual reader (vsmartcard's vpcd), so the station's reader code
runs through the real PC/SC stack. Fault modes: card removed after N reads, 61xx answers,
6Cxx / 6282 at the end of a file, a tampered data group, no EF.SOD.
"""

from devices.emrtd.simulator.builder import PassportFiles, build_passport
from devices.emrtd.simulator.card import CardFaults, VirtualPassport

__all__ = ["CardFaults", "PassportFiles", "VirtualPassport", "build_passport"]
