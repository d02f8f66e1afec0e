#!/usr/bin/env bash
# Third-party conformance of parameter styles: openapi-core (pinned) reads the
# OpenAPI specification's "Style Examples" table through
# tests/fixtures/edge/parameter-styles.yaml, and tests/conformance/style_table.py
# compares what it reads with what our generated server reads. See that script
# for the verdicts (agree / differs / unsupported by openapi-core).
#
# Installs openapi-core into target/conformance-venv (git-ignored) only when
# missing or at other versions. No extra of openapi-core is needed: requests
# are built and parsed with Werkzeug, a dependency of openapi-core, pinned here
# too because its query and cookie parsing is part of what is compared.
set -euo pipefail
cd "$(dirname "$0")/../.."

OPENAPI_CORE_VERSION="0.23.1"
WERKZEUG_VERSION="3.1.9"
PINS="openapi-core==$OPENAPI_CORE_VERSION werkzeug==$WERKZEUG_VERSION"

VENV="target/conformance-venv"
PY="$VENV/bin/python"
mkdir -p target

if [ ! -x "$PY" ] || [ "$(cat "$VENV/.pins" 2>/dev/null || true)" != "$PINS" ]; then
  echo "style-table: installing $PINS into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  # shellcheck disable=SC2086 # PINS is a list of requirement specifiers
  "$PY" -m pip install --quiet --disable-pip-version-check $PINS
  echo "$PINS" >"$VENV/.pins"
fi

"$PY" tests/conformance/style_table.py
