#!/usr/bin/env bash
# Benchmarks (issue 7): generation speed and memory against cargo-progenitor,
# openapi-to-rust and openapi-generator, per-stage criterion timings, generated-crate size and
# build time, and the runtime cost of the generated server and client.
#
#   bash bench/run.sh            # full run (release builds; about 20-30 minutes on 2 cores)
#   bash bench/run.sh --write    # the same, and rewrite the results section of BENCHMARKS.md
#   bash bench/run.sh --smoke    # every benchmark once on small inputs, debug builds (CI)
#   bash bench/run.sh --only generation,stages,build,runtime   # a subset
#
# Installs its pinned tools under target/tools/ (cargo-progenitor and
# openapi-to-rust from crates.io; openapi-generator-cli from PyPI, which ships
# the jar, run with the machine's Java 17). The smoke run installs
# openapi-generator but uses cargo-progenitor and openapi-to-rust only if they
# are already installed (a first install compiles for minutes), unless
# BENCH_INSTALL_PROGENITOR=1 / BENCH_INSTALL_OPENAPI_TO_RUST=1.
# Results: target/bench/results.{md,json} (smoke: results-smoke.*), logs in
# target/bench/logs/. `python3 bench/bench.py --report-only --write` redoes the
# markdown of BENCHMARKS.md from the last full results.json without measuring.
# Every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PROGENITOR_VERSION="0.15.1"
OPENAPI_GENERATOR_VERSION="7.26.0"
TOOLS="target/tools"
PROGENITOR_ROOT="$TOOLS/progenitor-$PROGENITOR_VERSION"
PROGENITOR="$PROGENITOR_ROOT/bin/cargo-progenitor"
OPENAPI_TO_RUST_VERSION="0.23.0"
OPENAPI_TO_RUST_ROOT="$TOOLS/openapi-to-rust-$OPENAPI_TO_RUST_VERSION"
OPENAPI_TO_RUST="$OPENAPI_TO_RUST_ROOT/bin/openapi-to-rust"
OAG_VENV="$TOOLS/openapi-generator-$OPENAPI_GENERATOR_VERSION"

smoke=0
for arg in "$@"; do
  [ "$arg" = "--smoke" ] && smoke=1
done

driver_pid=""
cleanup() {
  if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$TOOLS" target/bench
started=$(date +%s)

# --- tools --------------------------------------------------------------
if [ "$smoke" = 0 ] || [ "${BENCH_INSTALL_PROGENITOR:-0}" = 1 ]; then
  if [ ! -x "$PROGENITOR" ]; then
    echo "bench: installing cargo-progenitor $PROGENITOR_VERSION into $PROGENITOR_ROOT"
    cargo install -q --locked --root "$PROGENITOR_ROOT" cargo-progenitor --version "$PROGENITOR_VERSION"
  fi
fi
if [ ! -x "$PROGENITOR" ]; then
  echo "bench: cargo-progenitor not installed (smoke run): left out"
fi
if [ "$smoke" = 0 ] || [ "${BENCH_INSTALL_OPENAPI_TO_RUST:-0}" = 1 ]; then
  if [ ! -x "$OPENAPI_TO_RUST" ]; then
    echo "bench: installing openapi-to-rust $OPENAPI_TO_RUST_VERSION into $OPENAPI_TO_RUST_ROOT"
    cargo install -q --locked --root "$OPENAPI_TO_RUST_ROOT" openapi-to-rust --version "$OPENAPI_TO_RUST_VERSION"
  fi
fi
if [ ! -x "$OPENAPI_TO_RUST" ]; then
  echo "bench: openapi-to-rust not installed (smoke run): left out"
fi

oag_jar=""
if command -v java >/dev/null 2>&1; then
  if [ ! -x "$OAG_VENV/bin/openapi-generator-cli" ]; then
    echo "bench: installing openapi-generator-cli $OPENAPI_GENERATOR_VERSION into $OAG_VENV"
    rm -rf "$OAG_VENV"
    python3 -m venv "$OAG_VENV"
    "$OAG_VENV/bin/pip" install -q --disable-pip-version-check "openapi-generator-cli==$OPENAPI_GENERATOR_VERSION"
  fi
  oag_jar=$(find "$OAG_VENV" -name openapi-generator.jar -print -quit)
else
  echo "bench: no java: openapi-generator left out"
fi

# --- binaries -----------------------------------------------------------
if [ "$smoke" = 1 ]; then
  profile=debug
  build_flags=(--locked)
else
  profile=release
  build_flags=(--locked --release)
fi
echo "bench: building codegen, bench-runtime and the token-server example ($profile)"
cargo build -q "${build_flags[@]}" -p codegen --bin codegen
cargo build -q "${build_flags[@]}" -p bench-runtime
cargo build -q "${build_flags[@]}" -p token-server

# --- measure ------------------------------------------------------------
cmd="bash bench/run.sh${*:+ $*}"
python3 bench/bench.py "$@" --profile "$profile" \
  --progenitor "$PROGENITOR" --openapi-to-rust "$OPENAPI_TO_RUST" --openapi-generator-jar "$oag_jar" --command "$cmd" &
driver_pid=$!
status=0
wait "$driver_pid" || status=$?
driver_pid=""
echo "bench: done in $(($(date +%s) - started)) s (exit $status)"
exit "$status"
