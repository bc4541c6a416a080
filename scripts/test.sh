#!/usr/bin/env bash
# Set up and run the whole test suite (what README calls "test"; CI runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
NO_MKDOCS_2_WARNING=1 .venv/bin/python -m pytest -n 2 "$@"
