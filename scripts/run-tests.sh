#!/usr/bin/env bash
# Sets up (when needed) and runs the whole test suite: lint, the layer contracts, the type check and
# pytest (unit, integration with real PostgreSQL / pcscd / pseudo-terminals, UI offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ensure-postgres.sh
export QT_QPA_PLATFORM=offscreen
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}
.venv/bin/ruff check .
.venv/bin/lint-imports pyproject.toml
.venv/bin/mypy  # station, devices, central, app (pyproject [tool.mypy])
# a hung run fails in 40 minutes (the whole suite takes about 5) instead of hanging CI
exec timeout --kill-after=30 40m .venv/bin/python -m pytest "$@"
