#!/usr/bin/env bash
# Set up and start zhibu: the real bot when ZHIBU_TOKEN is set (env or .env), else the demo on the built-in emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
token=${ZHIBU_TOKEN:-}
if [ -z "$token" ] && [ -f .env ]; then
  token=$(sed -n 's/^ZHIBU_TOKEN=//p' .env | tail -n 1)
fi
if [ -n "$token" ]; then
  exec .venv/bin/zhibu run "$@"
else
  exec .venv/bin/zhibu demo "$@"
fi
