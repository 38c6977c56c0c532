#!/usr/bin/env bash
# Install what Lentera needs on a fresh Debian machine; safe to run again (each step checks first).
#   scripts/setup.sh          Python package + npm packages (enough to build and serve the demo)
#   scripts/setup.sh --test   also the test tools: Debian's chromium, pytest, hypothesis, playwright, ruff
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=${1:-}

py=python3
if ! $py -c "import lentera, jinja2, setuptools, wheel" 2>/dev/null || [ pyproject.toml -nt .setup-stamp-py ]; then
  $py -m pip install --quiet --disable-pip-version-check -e ".[test]"
  touch .setup-stamp-py
fi

if [ ! -d node_modules/pyodide ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$want_test" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
