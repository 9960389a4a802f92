"""Signature pad drivers: Wacom ISDV4 serial (and Topaz-style 5-byte pads), a wire-level
simulator on a pseudo-terminal, and a diagnostic CLI (``python -m devices.sigpad``)."""
