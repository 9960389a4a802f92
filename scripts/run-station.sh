#!/usr/bin/env bash
# Sets up (when needed) and starts the station. Without a config file this is demo mode:
# simulated devices and an embedded central service on SQLite. Extra arguments go to main.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--demo)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run-station: no display found; starting on a virtual X display (xvfb-run)" >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python main.py "${args[@]}"
fi
exec .venv/bin/python main.py "${args[@]}"
