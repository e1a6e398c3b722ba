#!/usr/bin/env bash
# Create .venv and install zhibu with its test tools. Safe to run again: it only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e '.[test]'
# Charts draw Chinese labels with a CJK font; install one where we can (root, apt). Without it they still render.
if ! fc-list 2>/dev/null | grep -qi -e "wqy" -e "noto.*cjk" && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null) \
    || echo "note: could not install fonts-wqy-microhei; chart labels in Chinese will show as boxes" >&2
fi
