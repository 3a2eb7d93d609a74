#!/usr/bin/env bash
# The pipeline stages of `make demo`, run through the locked environment.
set -euo pipefail
run() { uv run --frozen "$@"; }
echo "Sample exports: data/landing/  (planted patterns: data/ground_truth.json)"
