"""GA 467 ("SAMV") identity-card reader: frame codec, reader session, worker device,
simulator on a pseudo-terminal, port discovery and diagnostics CLI (python -m devices.idcard)."""
