"""Benchmarks (not tests): ``python -m bench.<name> --json`` prints one JSON object."""
