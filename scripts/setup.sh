#!/usr/bin/env bash
# Create .venv and install zhibu with its test tools. Safe to run again: it reinstalls only when pyproject.toml or
# the Python changed, and shows pip's output only when the install fails (setuptools prints a warning box on every
# editable install, which says nothing to someone starting the demo).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.zhibu-installed
wanted="$(.venv/bin/python -c 'import sys; print(sys.version)' | head -n 1) $(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -x .venv/bin/zhibu ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  log=$(mktemp)
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true  # an old pip still installs
  if ! .venv/bin/python -m pip install --quiet -e '.[test]' >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "error: installing zhibu into .venv failed (pip's output above)" >&2
    exit 1
  fi
  rm -f "$log"
  printf '%s\n' "$wanted" >"$stamp"
fi
# Charts draw Chinese labels with a CJK font; install one where we can (root, apt). Without it they still render.
if ! fc-list 2>/dev/null | grep -qi -e "wqy" -e "noto.*cjk" && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null) \
    || echo "note: could not install fonts-wqy-microhei; chart labels in Chinese will show as boxes" >&2
fi
