#!/usr/bin/env bash
# Set up and build the site into site/ (what README calls "build").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict "$@"
