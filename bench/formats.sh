#!/usr/bin/env bash
# What reading another format costs: load + lower of Swagger 2.0, OpenAPI
# 3.1 and multi-file corpus documents against the same API as one OpenAPI
# 3.0 file in the same syntax (the document as the generator reads it,
# written out by `codegen --emit-openapi`, as YAML when the original is
# YAML: PyYAML, already on the machine for the other scripts), timed in
# A/B rounds (codegen/benches/formats_ab.rs).
#
#   bash bench/formats.sh           # measure, print the table for BENCHMARKS.md
#   bash bench/formats.sh --smoke   # each benchmark once (CI: the script cannot rot)
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1
CORPUS="../shared/corpus"
WORK="target/bench-formats"
rm -rf "$WORK"
mkdir -p "$WORK"
cargo build -q --locked --release -p codegen

docs=(v2/gitea.json v2/docker-engine.yaml v31/adyen-checkout-v71.json v31/readme-api.yaml
  multifile/lichess/lichess-api.yaml multifile/lob/lob-api-public.yml)
[ "$SMOKE" = 1 ] && docs=(v2/petstore-v2.json v31/scalar-galaxy.yaml multifile/redocly-openapi-starter/openapi.yaml)
specs=()
for doc in "${docs[@]}"; do
  src="$CORPUS/$doc"
  stem=$(basename "${doc%.*}")
  target/release/codegen --emit-openapi "$WORK/$stem-as-3-0.json" "$src"
  twin="$WORK/$stem-as-3-0.json"
  # Same syntax on both sides: YAML parses several times slower than JSON.
  case "$src" in
  *.json) ;;
  *)
    twin="$WORK/$stem-as-3-0.yaml"
    python3 -c 'import json, sys, yaml; yaml.safe_dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), sort_keys=False)' \
      "$WORK/$stem-as-3-0.json" "$twin"
    ;;
  esac
  specs+=("$PWD/$src" "$PWD/$twin")
done
list=$(IFS=,; echo "${specs[*]}")
# original:twin pairs for the A/B timing.
pairs=""
for ((i = 0; i < ${#specs[@]}; i += 2)); do
  pairs="$pairs${pairs:+,}${specs[i]}:${specs[i+1]}"
done

if [ "$SMOKE" = 1 ]; then
  CODEGEN_BENCH_SPECS="$list" cargo test -q --locked -p codegen --bench stages
  CODEGEN_AB_PAIRS="$pairs" CODEGEN_AB_ROUNDS=1 cargo test -q --locked -p codegen --bench formats_ab >/dev/null
  echo "bench formats: smoke ok"
  exit 0
fi
# Interleaved rounds (codegen/benches/formats_ab.rs): original and twin
# alternating, so drift weighs on both alike; the median of the per-round
# ratios. Twice: with the CLI's allocator (mimalloc, the default `cli`
# feature) and with the system's, as the library runs in the macro and
# build scripts.
echo "### As the CLI runs (mimalloc)"
CODEGEN_AB_PAIRS="$pairs" cargo bench -q --locked -p codegen --bench formats_ab
echo
echo "### As the library runs in the macro and build scripts (the system allocator)"
CODEGEN_AB_PAIRS="$pairs" cargo bench -q --locked -p codegen --no-default-features --bench formats_ab
