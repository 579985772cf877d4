#!/usr/bin/env bash
# Runs a fuzz target on the stable toolchain: cargo-fuzz passes nightly-only
# compiler flags, which RUSTC_BOOTSTRAP=1 lets stable accept.
#
#   fuzz/run.sh [TARGET] [SECONDS]     (TARGET: lint or parse_bytes; default lint, 600 s)
#
# The corpus starts from the test fixtures; crashes land in fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-lint}
seconds=${2:-600}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
corpus=fuzz/corpus/$target
mkdir -p "$corpus"
for f in tests/fixtures/values/*/*.yaml tests/fixtures/lint/*/*.yaml; do
  name=$(echo "$f" | tr '/' '_')
  # The lint target reads its first byte as a selector.
  if [ "$target" = lint ]; then { printf '\002'; cat "$f"; } > "$corpus/$name"; else cp "$f" "$corpus/$name"; fi
done
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz "$target" "$corpus" -- \
  -dict=fuzz/yaml.dict -max_total_time="$seconds" -max_len=8192 -timeout=10 -print_final_stats=1
