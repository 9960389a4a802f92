"""ICAO 9303 electronic passports and travel documents over PC/SC (pyscard).

- ``service.read_passport(mrz, reader=...)``: one blocking read (CLI, tests);
- ``driver.EmrtdReader``: the station device, one worker thread, events on the EventBus;
- ``reader.PassportReader``: PACE (ECDH generic mapping, 3DES/AES) when EF.CardAccess
  offers it, else BAC; 3DES/AES secure messaging; LDS; passive authentication; over any
  APDU transport;
- ``simulator``: an emulated chip on pcscd's virtual reader (vsmartcard vpcd).
"""
