#!/usr/bin/env bash
# Lint every OpenAPI document in specs/ with two independent tools:
#   - openapi-spec-validator (Python): schema-level validation of OpenAPI 3.0
#   - Spectral (Node): the default `spectral:oas` ruleset; any warning fails
# The tools are pinned and installed into target/tools/ (git-ignored) only
# when missing or at another version. Needs python3 (with venv) and npm.
# Exits non-zero on any error or warning.
set -euo pipefail
cd "$(dirname "$0")/../.."

SPECTRAL_VERSION="6.15.0"

TOOLS="target/tools"
NODE_PREFIX="$TOOLS/node"
RULESET="$TOOLS/spectral-ruleset.yaml"
mkdir -p "$TOOLS"

shopt -s nullglob
specs=(specs/*.yaml)
shopt -u nullglob
if [ "${#specs[@]}" -eq 0 ]; then
  echo "spec-lint: no specs/*.yaml found" >&2
  exit 1
fi

# --- openapi-spec-validator (Python venv; pinned in osv.sh) -----------------
source tests/conformance/osv.sh

# --- Spectral (npm, local prefix) -------------------------------------------
SPECTRAL="$NODE_PREFIX/node_modules/.bin/spectral"
if [ ! -x "$SPECTRAL" ] ||
  [ "$(cat "$NODE_PREFIX/.spectral-version" 2>/dev/null || true)" != "$SPECTRAL_VERSION" ]; then
  echo "spec-lint: installing @stoplight/spectral-cli@$SPECTRAL_VERSION into $NODE_PREFIX"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error \
    --save-exact "@stoplight/spectral-cli@$SPECTRAL_VERSION"
  echo "$SPECTRAL_VERSION" >"$NODE_PREFIX/.spectral-version"
fi

# The ruleset (the equivalent of a .spectral.yaml), written at run time so the
# repository holds no extra file: the default OpenAPI ruleset, nothing disabled.
cat >"$RULESET" <<'YAML'
extends:
  - "spectral:oas"
YAML

status=0

echo "== openapi-spec-validator $OSV_VERSION"
"$OSV" "${specs[@]}" || status=1

echo "== spectral $SPECTRAL_VERSION (spectral:oas, --fail-severity=warn)"
"$SPECTRAL" lint --ruleset "$RULESET" --fail-severity=warn "${specs[@]}" || status=1

if [ "$status" -ne 0 ]; then
  echo "spec-lint: FAILED" >&2
else
  echo "spec-lint: ok"
fi
exit "$status"
