#!/usr/bin/env bash
# Reliability of the example token server (issue 19): hostile HTTP, a
# handler slower than its timeout, graceful shutdown under load, 1,100
# connections dripping request bodies (R.U.D.Y., issue 34), 1,000
# keep-alive connections for 30 s and 500 slow-loris connections beside
# normal traffic. Loopback only; every server it starts is stopped.
#
#   bash bench/reliability.sh           # full run, release builds (about 3 minutes after the build)
#   bash bench/reliability.sh --quick   # hostile HTTP, timeout, shutdown, 100 drippers; debug builds (CI)
#
# The report (Markdown) is printed and written to target/bench/reliability.md
# (quick: reliability-quick.md); the command fails if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

mkdir -p target/bench
if [ "$quick" = 1 ]; then
  cargo build -q --locked -p token-server -p bench-runtime
  target/debug/bench-runtime reliability --server target/debug/token-server --quick \
    | tee target/bench/reliability-quick.md
else
  # Client and server share the machine's cores; the file-descriptor limit
  # must cover both ends of 1,500 connections (1,150 for the drippers).
  ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  cargo build -q --locked --release -p token-server -p bench-runtime
  target/release/bench-runtime reliability --server target/release/token-server \
    | tee target/bench/reliability.md
fi
