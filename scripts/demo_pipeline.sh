#!/usr/bin/env bash
# The pipeline stages of `make demo`: ingest + build, weekly scorecards, then serve the dashboard.
set -euo pipefail
UV=${UV:-uv}
complaints() { $UV run --frozen complaints "$@"; }

echo "== Ingest the exports in data/landing and build the marts (one atomic publish)"
# A rejected file exits 1 after the rest was loaded and built; the demo goes on and shows it.
complaints run || echo "(some files were rejected: see the Data quality page)"

echo "== Weekly merchant scorecards (data/reports/scorecards/)"
complaints scorecards --no-send

# PORT and HOST (from `make demo PORT=… HOST=…`) override complaints.yml's dashboard settings.
serve=()
[ -n "${PORT:-}" ] && serve+=(--port "$PORT")
[ -n "${HOST:-}" ] && serve+=(--host "$HOST")
echo "== Dashboard (Ctrl-C to stop)"
exec $UV run --frozen complaints dashboard "${serve[@]}"
