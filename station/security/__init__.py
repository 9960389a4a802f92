"""Protection of personal data and accounts: field encryption, password hashing."""
