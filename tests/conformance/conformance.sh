#!/usr/bin/env bash
# Issue 37: every operation of a spec called through the generated client,
# in three settings (tests/conformance/conformance.py): against the
# generated server on loopback; the same through Prism's validating proxy
# (the independent judge of every request and answer); and against Prism's
# mock of the spec. Prism is pinned and installed by tests/conformance/prism-tool.sh.
# Cases where Prism is wrong are listed, with the defect named, in
# tests/conformance/judge-defects.txt.
#
# Usage: tests/conformance/conformance.sh [--settings server,judge,mock] [SPEC...]
#   default specs: specs/tokens.yaml and every ../shared/corpus document
#   (each version folder's documents, each multi-file API's entry document).
# Writes each run's report and logs under target/conformance/runs/.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/../.."

settings="server,judge,mock"
if [ "${1:-}" = "--settings" ]; then
  settings="$2"
  shift 2
fi

source tests/conformance/prism-tool.sh
mkdir -p target/tools
prism_install

specs=("$@")
if [ "${#specs[@]}" -eq 0 ]; then
  corpus="../shared/corpus"
  specs=(specs/tokens.yaml)
  for f in "$corpus"/v2/* "$corpus"/v30/* "$corpus"/v31/* "$corpus"/v32/*; do
    [ -f "$f" ] && specs+=("$f")
  done
  specs+=("$corpus/multifile/lichess/lichess-api.yaml" "$corpus/multifile/lob/lob-api-public.yml"
    "$corpus/multifile/redocly-openapi-starter/openapi.yaml")
fi

cargo build -q --locked --release -p codegen
python3 tests/conformance/conformance.py --codegen target/release/codegen --prism "$PRISM" \
  --work target/conformance/runs --settings "$settings" \
  --defects tests/conformance/judge-defects.txt "${specs[@]}"
