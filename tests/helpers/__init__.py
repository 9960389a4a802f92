"""Helpers shared by the tests (import them; do not copy them into a test module)."""
