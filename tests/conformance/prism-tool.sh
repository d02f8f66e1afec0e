# Sourced (from the workspace root): Prism, pinned, installed with npm into
# target/tools/prism once. Then `$PRISM` runs it.
PRISM_VERSION="5.16.0"
PRISM_PREFIX="target/tools/prism"
PRISM="$PRISM_PREFIX/node_modules/.bin/prism"

prism_install() {
  if [ ! -x "$PRISM" ] || [ "$(cat "$PRISM_PREFIX/.version" 2>/dev/null || true)" != "$PRISM_VERSION" ]; then
    echo "prism: installing @stoplight/prism-cli@$PRISM_VERSION into $PRISM_PREFIX"
    rm -rf "$PRISM_PREFIX"
    mkdir -p "$PRISM_PREFIX"
    npm install --prefix "$PRISM_PREFIX" --no-audit --no-fund --loglevel=error --save-exact \
      "@stoplight/prism-cli@$PRISM_VERSION"
    echo "$PRISM_VERSION" >"$PRISM_PREFIX/.version"
  fi
}

# Waits until the Prism writing log $1 (pid $2) listens; fails if it exits.
prism_wait() {
  for _ in $(seq 1 120); do
    if grep -q "Prism is listening" "$1"; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then
      echo "prism: exited early" >&2
      cat "$1" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "prism: did not start" >&2
  cat "$1" >&2
  return 1
}
