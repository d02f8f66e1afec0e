#!/usr/bin/env bash
# Every example of the given specs through `codegen --verify-examples`
# (decoded with its generated type, re-encoded, compared), then the same
# examples through an independent JSON Schema validator (PyPI
# openapi-schema-validator, pinned in requirements.txt, installed into
# target/tools/venv-examples): an example the validator rejects is a spec
# bug (a located warning); one it accepts and our types reject fails.
#
# Usage: tests/examples-check/cross-check.sh [SPEC...]
#   (default: every corpus document the corpus check reads, then the
#   examples fixtures and specs/tokens.yaml)
# The verification crates (one per spec) share one build directory,
# target/verify-examples/target: the CLI's default, which the
# verify_examples test builds in too, so the runtime's dependencies
# (axum, reqwest) compile once for both.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV="target/tools/venv-examples"
REQ="tests/examples-check/requirements.txt"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.requirements"; then
  echo "examples: installing the pinned validator into $VENV"
  rm -rf "$VENV"
  mkdir -p target/tools
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/.requirements"
fi

if [ "$#" -eq 0 ]; then
  source tests/corpus/specs.sh
  set -- "${corpus_specs[@]}" tests/fixtures/examples/examples.yaml tests/fixtures/examples/examples-3-1.yaml specs/tokens.yaml
fi

cargo build -q --locked --release -p codegen
OUT="target/verify-examples"
mkdir -p "$OUT"
reports=()
for spec in "$@"; do
  [ -e "$spec" ] || continue
  name=$(basename "$spec")
  # Rejections are counted here and judged by the validator below.
  target/release/codegen -q --verify-examples --allow-example-failures \
    --runtime-path codegen/runtime --verify-dir "$OUT" \
    --examples-report "$OUT/$name.json" "$spec" 2>"$OUT/$name.log" || {
    cat "$OUT/$name.log" >&2
    echo "examples: $spec: verification did not run" >&2
    exit 1
  }
  reports+=("$OUT/$name.json")
done
"$VENV/bin/python" tests/examples-check/cross_check.py "${reports[@]}"
