#!/usr/bin/env bash
# Pre-release only: rebuild the single initial revision from the models.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f "$here"/versions/0001_*.py
WEGWEISER_DATABASE_URL="sqlite:///$tmp/empty.db" "$here/../.venv/bin/alembic" -c "$here/alembic.ini" \
  revision --autogenerate --rev-id 0001 -m "initial" >/dev/null
"$here/../.venv/bin/ruff" format --quiet "$here"/versions/0001_*.py
echo "migrations/versions/0001_initial.py rebuilt"
