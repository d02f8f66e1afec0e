#!/usr/bin/env bash
# Third-party conformance of the generated client: Prism (pinned) mocks
# specs/tokens.yaml on loopback and validates every request against the spec;
# tests/examples/conformance.rs calls every operation through the generated
# client. Fails if Prism reports any request violation or any call does not
# decode its documented success answer. Stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/../.."

source tests/conformance/prism-tool.sh
PORT="${PRISM_PORT:-4010}"
LOG="target/tools/prism.log"
mkdir -p target/tools
prism_install

# Build the driver first so Prism's start-up is not raced by compilation.
cargo build -q --locked -p tests --example conformance

# --errors: an invalid request gets an error response instead of a mock answer.
"$PRISM" mock specs/tokens.yaml --host 127.0.0.1 --port "$PORT" --errors >"$LOG" 2>&1 &
prism_pid=$!
trap 'kill "$prism_pid" 2>/dev/null || true; wait "$prism_pid" 2>/dev/null || true' EXIT

prism_wait "$LOG" "$prism_pid"

status=0
cargo run -q --locked -p tests --example conformance -- "http://127.0.0.1:$PORT" || status=1

# Prism logs each request; violations are logged as errors or warnings.
violations=$(grep -ciE "violation|\[(error|warning)\]|✖|⚠" "$LOG" || true)
requests=$(grep -c "Request received" "$LOG" || true)
echo "prism: $requests requests, $violations violation line(s)"
if [ "$violations" != "0" ]; then
  grep -iE "violation|\[(error|warning)\]|✖|⚠" "$LOG" >&2 || true
  status=1
fi
if [ "$requests" -lt 12 ]; then
  echo "prism: expected at least 12 requests" >&2
  status=1
fi
exit "$status"
