#!/usr/bin/env bash
# Installs everything Counter Station needs on a fresh Debian machine (as root, or with sudo):
# Debian packages, the virtual environment at .venv, the pinned Python dependencies and the
# compiled translations. Idempotent: a second run only checks and returns in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Python for the virtual environment (Debian 12 ships 3.11)
  python3 python3-venv python3-dev gcc
  # Qt's runtime needs and a virtual display for running without a screen
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 xvfb xauth
  # Chinese fonts: Noto CJK for the UI, WenQuanYi Zen Hei (TrueType) for embedding in PDFs
  fonts-noto-cjk fonts-wqy-zenhei
  # Smart cards: the PC/SC daemon, headers and swig to build pyscard, virtual reader and card
  pcscd libpcsclite-dev swig vsmartcard-vpcd python3-virtualsmartcard
  # Looking at what we produce: PDFs to PNG, screenshots
  poppler-utils imagemagick
  # the applicant's status page is tested in a real headless browser
  chromium
)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update -q
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Prefer an explicit 3.11 (mediapipe 0.10.14 ships 3.11 wheels with its models bundled).
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi

lock_hash=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat .venv/.lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "setup: installing Python dependencies (requirements.lock)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip wheel
  # --no-deps: the lock is complete; see pyproject.toml for why mediapipe's opencv pin is skipped
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements.lock
  echo "$lock_hash" > .venv/.lock-hash
fi

# Compile translations (.ts sources -> .qm) when a source is newer than its output.
for ts in resources/translations/*.ts; do
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    .venv/bin/pyside6-lrelease -silent "$ts" -qm "$qm"
  fi
done
