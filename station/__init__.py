"""Counter Station core: domain, storage, workflows, photo, biometrics, sync, receipts, audit.

Qt-free by rule (enforced by tests/unit/test_architecture.py and import-linter).
"""
