#!/usr/bin/env bash
# The public specs in ../shared/corpus/ (SOURCES.md there) through the CLI:
# every spec generates types, client and server twice with identical bytes
# (determinism), and the result builds warning-free (`cargo clippy`, every
# warning denied) in a scratch crate outside the workspace. Prints, per spec:
# operations, types, lines of code, generation time, diagnostics.
#
# Usage: tests/corpus/check.sh [SPEC...]   (default: every corpus spec)
set -euo pipefail
cd "$(dirname "$0")/../.."

CORPUS="../shared/corpus"
WORK="target/corpus"
CRATE="$WORK/crate"
if [ "$#" -gt 0 ]; then
  specs=("$@")
else
  specs=("$CORPUS"/*.yaml "$CORPUS"/*.json)
fi

cargo build -q --locked --release -p codegen
CODEGEN="target/release/codegen"

rm -rf "$WORK"
mkdir -p "$CRATE/src" "$WORK/again"

# A crate of its own (empty [workspace]) depending on the runtime crate, as
# generated/ does: the workspace's Cargo.lock pins the versions.
cat >"$CRATE/Cargo.toml" <<TOML
[package]
name = "corpus"
version = "0.0.0"
edition = "2021"
publish = false

# Generated code needs the runtime crate alone.
[dependencies]
codegen-runtime = { path = "$PWD/codegen/runtime" }

[workspace]
TOML
cp Cargo.lock "$CRATE/Cargo.lock"
printf '%s\n' '//! Corpus check: generated modules, every warning denied.' '#![deny(warnings)]' \
  '// @generated modules: begin (maintained by `cargo run -p codegen`)' \
  '// @generated modules: end' >"$CRATE/src/lib.rs"
cp "$CRATE/src/lib.rs" "$WORK/again/lib.rs"

printf '%-28s %6s %6s %8s %8s %s\n' spec ops types lines ms diagnostics
for spec in "${specs[@]}"; do
  [ -e "$spec" ] || continue
  name=$(basename "$spec")
  start=$(date +%s%N)
  if ! "$CODEGEN" -q --out "$CRATE/src" "$spec" 2>"$WORK/$name.diag"; then
    echo "corpus: $name: generation failed" >&2
    cat "$WORK/$name.diag" >&2
    exit 1
  fi
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  "$CODEGEN" -q --out "$WORK/again" "$spec" 2>/dev/null
  module=$(ls -t --ignore=lib.rs "$CRATE/src" | head -1)
  diags=$(grep -cE '^(warning|error)' "$WORK/$name.diag" || true)
  ops=$(grep -cE '^async fn handle_' "$CRATE/src/$module/server.rs" || true)
  types=$(grep -cE '^pub (struct|enum|type) ' "$CRATE/src/$module/types.rs" || true)
  lines=$(cat "$CRATE/src/$module"/*.rs | wc -l)
  printf '%-28s %6s %6s %8s %8s %s\n' "$name" "$ops" "$types" "$lines" "$ms" "$diags"
done

echo "corpus: determinism (second run, byte for byte)"
diff -r "$CRATE/src" "$WORK/again"

echo "corpus: cargo clippy (every warning denied)"
CARGO_TARGET_DIR=target cargo clippy -q --manifest-path "$CRATE/Cargo.toml" -- -D warnings
echo "corpus: ok"
