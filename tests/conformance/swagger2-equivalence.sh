#!/usr/bin/env bash
# Swagger 2.0 equivalence: every document in ../shared/corpus/v2 is
# generated twice, once as written (our converter) and once after
# swagger2openapi (npm, pinned) converted it to OpenAPI 3.0. Both must
# generate; the operations (server handlers) and the client's request
# builders must be the same set; the remaining differences in the generated
# code are counted per part (as sets of lines: order is not compared) and
# the full diffs written to target/swagger2-equivalence/ for review.
# Installs swagger2openapi into target/tools/ when missing or at another version.
set -euo pipefail
cd "$(dirname "$0")/../.."

S2O_VERSION="7.0.8"
TOOLS="target/tools"
NODE_PREFIX="$TOOLS/s2o"
S2O="$NODE_PREFIX/node_modules/.bin/swagger2openapi"
WORK="target/swagger2-equivalence"

if [ ! -x "$S2O" ] || [ "$(cat "$NODE_PREFIX/.version" 2>/dev/null || true)" != "$S2O_VERSION" ]; then
  echo "swagger2-equivalence: installing swagger2openapi@$S2O_VERSION into $NODE_PREFIX"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  npm install --silent --no-audit --no-fund --prefix "$NODE_PREFIX" "swagger2openapi@$S2O_VERSION" >/dev/null
  echo "$S2O_VERSION" >"$NODE_PREFIX/.version"
fi

cargo build -q --locked --release -p codegen
CODEGEN="target/release/codegen"

rm -rf "$WORK"
mkdir -p "$WORK"
specs=(../shared/corpus/v2/*)
if [ "${#specs[@]}" -eq 0 ]; then
  echo "swagger2-equivalence: no documents in ../shared/corpus/v2" >&2
  exit 1
fi

# The operations a module has: server handlers and client request builders.
surface() {
  grep -hoE '^async fn handle_[a-z0-9_]+|^pub struct [A-Za-z0-9_]+Request\b' "$1"/server.rs "$1"/client.rs | sort
}

printf '%-30s %5s %8s %8s %8s\n' spec ops types± client± server±
status=0
for spec in "${specs[@]}"; do
  name=$(basename "$spec")
  ext="${name##*.}"
  dir="$WORK/${name%.*}"
  mkdir -p "$dir/ours/src" "$dir/theirs/src"
  # One file name for both, so module names and headers agree.
  cp "$spec" "$dir/api.$ext"
  yaml_flag=(--yaml)
  [ "$ext" = json ] && yaml_flag=()
  "$S2O" --patch "${yaml_flag[@]}" --outfile "$dir/api.converted" "$spec" 2>"$dir/s2o.log" || {
    echo "swagger2-equivalence: swagger2openapi failed on $name" >&2
    cat "$dir/s2o.log" >&2
    exit 1
  }
  mkdir -p "$dir/converted"
  mv "$dir/api.converted" "$dir/converted/api.$ext"
  "$CODEGEN" -q --out "$dir/ours/src" "$dir/api.$ext" 2>"$dir/ours.diag" || {
    echo "swagger2-equivalence: $name does not generate as 2.0" >&2; cat "$dir/ours.diag" >&2; exit 1; }
  "$CODEGEN" -q --out "$dir/theirs/src" "$dir/converted/api.$ext" 2>"$dir/theirs.diag" || {
    echo "swagger2-equivalence: $name does not generate after swagger2openapi" >&2; cat "$dir/theirs.diag" >&2; exit 1; }
  ours="$dir/ours/src/api"
  theirs="$dir/theirs/src/api"
  if ! diff <(surface "$ours") <(surface "$theirs") >"$dir/surface.diff"; then
    echo "swagger2-equivalence: $name: operations differ (see $dir/surface.diff)" >&2
    status=1
  fi
  ops=$(surface "$ours" | grep -c '^async fn' || true)
  # Lines that differ, ignoring order: swagger2openapi runs on JavaScript
  # objects, which put integer-like keys (status codes) first and in
  # numeric order; we keep the document's order.
  count() { diff <(sort "$ours/$1.rs") <(sort "$theirs/$1.rs") | grep -cE '^[<>]' || true; }
  diff -u "$ours" "$theirs" >"$dir/code.diff" || true
  printf '%-30s %5s %8s %8s %8s\n' "$name" "$ops" "$(count types)" "$(count client)" "$(count server)"
done
echo "swagger2-equivalence: line differences per part are in $WORK/*/code.diff"
exit $status
