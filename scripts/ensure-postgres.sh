#!/usr/bin/env bash
# Makes a PostgreSQL server answer on 127.0.0.1:5432 for the integration tests: uses the one
# running, starts an installed cluster, or installs Debian's postgresql with trust auth.
set -euo pipefail
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
ready() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }
ready && exit 0
if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "ensure-postgres: installing PostgreSQL (Debian package)"
  sudo_if_needed apt-get update -q
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  conf_dir=$(ls -d /etc/postgresql/*/main | head -1)
  # Local test server only: trust connections from this machine.
  sudo_if_needed sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$conf_dir/pg_hba.conf"
fi
version=$(ls /etc/postgresql | head -1)
sudo_if_needed pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "ensure-postgres: PostgreSQL did not come up on 127.0.0.1:5432" >&2
exit 1
