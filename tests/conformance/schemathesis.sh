#!/usr/bin/env bash
# Third-party conformance of the generated server: Schemathesis (pinned)
# generates requests from specs/tokens.yaml, valid and invalid, sends them to
# the token server (tests/token-server, binary `token-server`) on loopback,
# and checks every answer against the spec (`--checks all`: no 5xx, documented
# status codes, content types and schemas, invalid input rejected, valid input
# accepted, missing auth or required headers rejected, 405 with Allow...).
#
# Each operation is sent the credentials of its own security scheme through
# Schemathesis' OpenAPI-aware auth ([auth.openapi.<scheme>] in a generated
# config file), so one run covers Losant, Foreman and Mindbody alike.
#
# Installs Schemathesis into target/tools/schemathesis (git-ignored) only when
# missing or at another version. Prints how many requests were sent. Exits
# non-zero on any failure. Stops the server it started, whatever happens.
#
# Environment: SCHEMATHESIS_PORT (8089), SCHEMATHESIS_MAX_EXAMPLES (20),
# SCHEMATHESIS_SEED (1; "random" for a fresh one), SCHEMATHESIS_TIMEOUT
# (seconds for the whole run, 600).
set -euo pipefail
cd "$(dirname "$0")/../.."

ST_VERSION="4.32.5"
PORT="${SCHEMATHESIS_PORT:-8089}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-20}"
SEED="${SCHEMATHESIS_SEED:-1}"
RUN_TIMEOUT="${SCHEMATHESIS_TIMEOUT:-600}"
BASE_URL="http://127.0.0.1:$PORT"

TOOLS="target/tools"
VENV="$TOOLS/schemathesis"
ST="$VENV/bin/st"
OUT="$TOOLS/schemathesis-out"
CONFIG="$OUT/schemathesis.toml"
SERVER_LOG="$OUT/server.log"
HAR="$OUT/requests.har"
mkdir -p "$TOOLS"

if [ ! -x "$ST" ] || [ "$(cat "$VENV/.version" 2>/dev/null || true)" != "$ST_VERSION" ]; then
  echo "schemathesis: installing schemathesis==$ST_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "schemathesis==$ST_VERSION"
  echo "$ST_VERSION" >"$VENV/.version"
fi
rm -rf "$OUT"
mkdir -p "$OUT"

answers() {
  curl -s -o /dev/null --max-time 2 "$BASE_URL/" 2>/dev/null
}

if answers; then
  echo "schemathesis: something already answers on $BASE_URL; set SCHEMATHESIS_PORT" >&2
  exit 1
fi

# Build first so that the wait below does not race compilation.
cargo build -q --locked -p token-server

# The demo credentials of the token server.
cat >"$CONFIG" <<'EOF'
[auth.openapi.losantBearer]
bearer = "demo-losant-token"

[auth.openapi.foremanBasic]
username = "admin"
password = "changeme"

[auth.openapi.mindbodyApiKey]
api_key = "demo-api-key"

# Foreman answers 422 (documented, with its error body) to a schema-valid
# create it refuses on the merits: an `expires_at` in the past, a name the
# user already uses. Everywhere else the default expectations hold.
[[operations]]
include-operation-id = "personalAccessTokens.create"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]

# `search` and `order` have a grammar (scoped_search, `field ASC|DESC`) that no
# schema states; Foreman answers 400 to a query it cannot parse.
[[operations]]
include-operation-id = "personalAccessTokens.list"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
EOF

cargo run -q --locked -p token-server -- --addr "127.0.0.1:$PORT" \
  >"$SERVER_LOG" 2>&1 &
server_pid=$!
stop_server() {
  # `cargo run` execs the server on Unix; its children too, just in case.
  pkill -P "$server_pid" 2>/dev/null || true
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

for _ in $(seq 1 120); do
  if answers; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "schemathesis: the token server exited early" >&2
    cat "$SERVER_LOG" >&2
    exit 1
  fi
  sleep 0.5
done
if ! answers; then
  echo "schemathesis: the token server did not answer on $BASE_URL" >&2
  cat "$SERVER_LOG" >&2
  exit 1
fi

seed_args=()
if [ "$SEED" != "random" ]; then
  seed_args=(--seed "$SEED")
fi

cmd=(
  "$ST" --config-file "$CONFIG" --no-color run specs/tokens.yaml
  --url "$BASE_URL"
  --checks all
  --max-examples "$MAX_EXAMPLES"
  "${seed_args[@]}"
  --workers 1
  --request-timeout 10
  --generation-database none
  --report har --report-har-path "$HAR"
)
echo "schemathesis: ${cmd[*]}"
status=0
timeout "$RUN_TIMEOUT" "${cmd[@]}" || status=$?
if [ "$status" -eq 124 ]; then
  echo "schemathesis: did not finish within ${RUN_TIMEOUT}s" >&2
fi

requests=$("$VENV/bin/python" -c '
import json, sys
try:
    print(len(json.load(open(sys.argv[1]))["log"]["entries"]))
except (OSError, ValueError, KeyError):
    print(0)
' "$HAR")
echo "schemathesis: $requests requests sent to $BASE_URL (log: $HAR)"
if [ "$requests" -eq 0 ]; then
  echo "schemathesis: no request was sent" >&2
  status=1
fi
exit "$status"
