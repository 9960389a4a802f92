"""Photo compliance: analysis, profiles, export, guidance, auto-capture (Qt-free)."""
