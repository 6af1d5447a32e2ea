#!/usr/bin/env bash
# Serves a built dist/ folder on 127.0.0.1 and prints its URL: `tools/serve.sh <dir> <port>`.
set -euo pipefail
exec node "$(dirname "$0")/serve.mjs" "${1:-dist}" "${2:-8080}"
