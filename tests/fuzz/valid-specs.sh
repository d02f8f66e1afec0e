#!/usr/bin/env bash
# Fuzzed valid specs: random valid OpenAPI 3.0/3.1 documents
# (tests/fuzz/valid_specs.py: hostile names, every parameter location x
# required x nullable x type x format x style, nested inline objects,
# oneOf/anyOf/allOf mixes, several media types) must generate, and the
# generated modules must build warning-free under clippy. Cases are batched
# several modules per scratch crate so one `cargo clippy` covers many specs.
#
# A failing case is shrunk (its operations, schemas and security schemes
# dropped one at a time while it still fails) and the minimal spec is saved
# under target/fuzz/found/ to become a fixture.
#
# Usage: tests/fuzz/valid-specs.sh [--seed N] [--count N] [--batch N]
#   CI runs the defaults (seed 1, 96 specs); a longer run: --seed 7 --count 400
set -euo pipefail
cd "$(dirname "$0")/../.."

SEED=1
COUNT=96
BATCH=32
while [ "$#" -gt 0 ]; do
  case "$1" in
    --seed) SEED=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    *) echo "usage: $0 [--seed N] [--count N] [--batch N]" >&2; exit 2 ;;
  esac
done

GEN="python3 tests/fuzz/valid_specs.py"
WORK="target/fuzz"
CASES="$WORK/cases"
WS="$WORK/ws"
cargo build -q --locked --release -p codegen
CODEGEN="$PWD/target/release/codegen"

rm -rf "$CASES" "$WS"
mkdir -p "$CASES" "$WS/m" "$WORK/found"
printf '[workspace]\nmembers = ["m/*"]\nresolver = "2"\n' >"$WS/Cargo.toml"
cp Cargo.lock "$WS/Cargo.lock"

# A scratch crate depending on the runtime, as generated/ does.
new_crate() {
  local dir=$1
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "fuzz-$(basename "$dir")"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
codegen-runtime = { path = "$PWD/codegen/runtime" }
TOML
  printf '%s\n' '//! Fuzzed valid specs, every warning denied.' '#![deny(warnings)]' \
    '// @generated modules: begin (maintained by `cargo run -p codegen`)' \
    '// @generated modules: end' >"$dir/src/lib.rs"
}

$GEN generate "$SEED" "$COUNT" "$CASES"
echo "fuzz: seed $SEED, $COUNT specs, $BATCH per crate"

# The premise: every case is a valid document, by an independent validator
# (pinned in tests/conformance/osv.sh, shared with the spec lint).
source tests/conformance/osv.sh
if ! "$OSV" "$CASES"/case_*.json >"$WORK/validator.log" 2>&1; then
  grep -v ': OK$' "$WORK/validator.log" | head -20 >&2
  echo "fuzz: the generator wrote an invalid document (fix tests/fuzz/valid_specs.py)" >&2
  exit 1
fi
echo "fuzz: all $COUNT documents valid (openapi-spec-validator $OSV_VERSION)"

failed=()
start=$(date +%s)
for ((i = 0; i < COUNT; i++)); do
  case_name=$(printf 'case_%03d' "$i")
  crate="$WS/m/b$((i / BATCH))"
  [ -d "$crate" ] || new_crate "$crate"
  if ! "$CODEGEN" -q --out "$crate/src" "$CASES/$case_name.json" 2>"$CASES/$case_name.diag"; then
    echo "fuzz: $case_name: generation failed" >&2
    tail -5 "$CASES/$case_name.diag" >&2
    failed+=("$case_name")
  fi
done
echo "fuzz: generated in $(( $(date +%s) - start )) s"

start=$(date +%s)
if ! CARGO_TARGET_DIR=target cargo clippy -q --keep-going --message-format=short \
  --manifest-path "$WS/Cargo.toml" --workspace -- -D warnings 2>"$WORK/clippy.log"; then
  # Errors name the module's files: m/bN/src/case_NNN/...
  while read -r c; do
    [[ " ${failed[*]:-} " == *" $c "* ]] || failed+=("$c")
  done < <(grep -oE 'src/case_[0-9]{3}/' "$WORK/clippy.log" | sort -u | grep -oE 'case_[0-9]{3}')
  if [ "${#failed[@]}" -eq 0 ]; then
    cat "$WORK/clippy.log" >&2
    echo "fuzz: clippy failed outside any generated module" >&2
    exit 1
  fi
fi
lines=$(cat "$WS"/m/*/src/*/*.rs | wc -l)
echo "fuzz: clippy over $lines generated lines in $(( $(date +%s) - start )) s"

[ "${#failed[@]}" -eq 0 ] && { echo "fuzz: ok, all $COUNT specs generate and build clippy-clean"; exit 0; }

# Whether a case (CASE.json) fails: generation, or clippy on its module alone.
still_fails() {
  local spec=$1 crate="$WS/m/shrink"
  rm -rf "$crate"
  new_crate "$crate"
  "$CODEGEN" -q --out "$crate/src" "$spec" 2>"$WORK/shrink.log" || return 0
  ! CARGO_TARGET_DIR=target cargo clippy -q --message-format=short \
    --manifest-path "$WS/Cargo.toml" -p "fuzz-shrink" -- -D warnings 2>"$WORK/shrink.log"
}

rm -rf "$WS"/m/b*
for c in "${failed[@]:0:3}"; do
  echo "fuzz: $c fails; shrinking"
  min="$WORK/found/seed${SEED}_$c"
  cp "$CASES/$c.json" "$min.json"
  cp "$CASES/$c.parts" "$min.parts"
  changed=1
  while [ "$changed" = 1 ]; do
    changed=0
    n=$($GEN parts "$min.parts")
    for ((k = n - 1; k >= 0; k--)); do
      $GEN without "$min.parts" "$k" "$WORK/try.json"
      if still_fails "$WORK/try.json"; then
        mv "$WORK/try.json" "$min.json"
        mv "$WORK/try.parts" "$min.parts"
        changed=1
        break
      fi
    done
  done
  still_fails "$min.json" || true
  echo "fuzz: minimal failing spec: $min.json ($($GEN parts "$min.parts") parts)" >&2
  grep -m5 -E '^(error|warning)|overflow|panicked' "$WORK/shrink.log" >&2 || true
done
echo "fuzz: ${#failed[@]} of $COUNT specs fail: ${failed[*]}" >&2
exit 1
