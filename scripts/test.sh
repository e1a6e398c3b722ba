#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The browser test drives the demo page in Debian's Chromium; install it where we can (root, apt).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei fonts-noto-color-emoji >/dev/null) \
    || echo "note: could not install chromium; the browser test will be skipped" >&2
fi
# The record-book test renders every book to PDF with LibreOffice (headless) and a CJK font; install where we can.
if ! command -v soffice >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer libreoffice-calc \
    fonts-wqy-microhei >/dev/null) || echo "note: could not install LibreOffice; the record-book render test will be skipped" >&2
fi
# The storage and services layers, `zhibu run` and some end-to-end modules run on PostgreSQL too, against a private
# server the tests start (bot/bench/pg_server.py: initdb in a temporary folder, a free port); install Debian's server
# where we can. Once it is installed the PostgreSQL tests must run: a server that does not start fails them.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null) \
    || echo "note: could not install PostgreSQL; the PostgreSQL tests will be skipped" >&2
fi
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export ZHIBU_TEST_POSTGRESQL="${ZHIBU_TEST_POSTGRESQL:-required}"
fi
# Lint and types first (pyproject.toml says what each checks); they print only findings, and a finding fails the run.
.venv/bin/ruff check --quiet
.venv/bin/mypy --no-error-summary
# Compiled modules are kept between runs (in .venv/pycache, not beside the sources), even where the environment says
# not to write them: otherwise every process of the run (each test worker, each `zhibu` process a test starts)
# compiles the whole project again, seconds of processor time each.
export PYTHONPYCACHEPREFIX="$PWD/.venv/pycache"
unset PYTHONDONTWRITEBYTECODE
# -n auto: one test worker per processor (pytest-xdist); the end-to-end tests mostly wait on sockets and processes,
# so two workers on two cores finish them in about half the time. --maxschedchunk 8: the workers take the tests
# eight at a time in collection order, so they go through the layers together, one layer after another (xdist's
# first hand-out would otherwise give each worker a quarter of the suite at once). --layer-times: each layer's wall
# and processor time after the run (tests/support.py, LayerTimes), against the goals.
exec .venv/bin/python -m pytest -q -n auto --maxschedchunk 8 --layer-times "$@"
