#!/usr/bin/env bash
# The public specs in ../shared/corpus/ (SOURCES.md there) through the CLI:
# every spec generates types, client and server twice with identical bytes
# (determinism), and the result builds warning-free (`cargo clippy`, every
# warning denied) in scratch crates outside the workspace. Prints, per spec:
# version, operations, types, lines of code, generation time, its crate's
# check time (cargo's --timings report), repairs (R00xx warnings) and all
# diagnostics.
#
# Specs listed in INVALID must be refused with a located error (E0019);
# the check asserts that they are.
#
# Usage: tests/corpus/check.sh [SPEC...]   (default: every corpus spec)
set -euo pipefail
cd "$(dirname "$0")/../.."

source tests/corpus/specs.sh
WORK="target/corpus"
CRATE="$WORK/crate"
if [ "$#" -gt 0 ]; then
  specs=("$@")
else
  specs=("${corpus_specs[@]}")
fi

cargo build -q --locked --release -p codegen
CODEGEN="target/release/codegen"

rm -rf "$WORK"
mkdir -p "$CRATE/src" "$WORK/again" "$WORK/refused"

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

# None today: ory-kratos, which requires a scheme it never defines, now
# generates with that scheme fail closed (401) and a warning.
INVALID=()

printf '%-28s %5s %6s %6s %8s %8s %7s %s\n' spec ver ops types lines ms repairs diagnostics
: >"$WORK/rows.tsv"
for spec in "${specs[@]}"; do
  [ -e "$spec" ] || continue
  name=$(basename "$spec")
  if [[ " ${INVALID[*]:-} " == *" $name "* ]]; then
    if "$CODEGEN" -q --out "$WORK/refused" "$spec" 2>"$WORK/$name.diag"; then
      echo "corpus: $name: expected a located refusal, but it generated" >&2
      exit 1
    fi
    grep -qE '^error\[E0019\]' "$WORK/$name.diag" || { cat "$WORK/$name.diag" >&2; exit 1; }
    printf '%-28s refused as expected: %s\n' "$name" "$(grep -m1 -E '^error' "$WORK/$name.diag")"
    continue
  fi
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
  repairs=$(grep -cE '^warning\[R[0-9]+\]' "$WORK/$name.diag" || true)
  version=$(grep -m1 -oE '"?(openapi|swagger)"?[[:space:]]*:[[:space:]]*["'"'"']?[0-9]+\.[0-9]+' "$spec" | grep -oE '[0-9]+\.[0-9]+$' || echo '?')
  ops=$(grep -cE '^async fn handle_' "$CRATE/src/$module/server.rs" || true)
  types=$(grep -cE '^pub (struct|enum|type) ' "$CRATE/src/$module/types.rs" || true)
  lines=$(cat "$CRATE/src/$module"/*.rs | wc -l)
  printf '%-28s %5s %6s %6s %8s %8s %7s %s\n' "$name" "$version" "$ops" "$types" "$lines" "$ms" "$repairs" "$diags"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$module" "$version" "$ops" "$types" "$lines" "$ms" "$repairs" "$diags" >>"$WORK/rows.tsv"
done

echo "corpus: determinism (second run, byte for byte)"
diff -r "$CRATE/src" "$WORK/again"

# One crate per module, in one workspace: cargo checks two at a time on two
# cores, and memory stays bounded by the largest module (one crate holding
# every module needs ~20 GB).
echo "corpus: cargo clippy (one crate per module, every warning denied)"
WS="$WORK/ws"
mkdir -p "$WS/m"
printf '[workspace]\nmembers = ["m/*"]\nresolver = "2"\n' >"$WS/Cargo.toml"
cp Cargo.lock "$WS/Cargo.lock"
# The dependencies exactly as `--print-deps` tells users (the runtime at its
# path here instead of its version), so they are proven to suffice.
DEPS=$("$CODEGEN" --print-deps | sed "s|version = \"[^\"]*\"|path = \"$PWD/codegen/runtime\"|")
grep -q "path = \"$PWD/codegen/runtime\", default-features = false" <<<"$DEPS" \
  || { echo "corpus: --print-deps printed no runtime dependency: $DEPS" >&2; exit 1; }
for dir in "$CRATE"/src/*/; do
  module=$(basename "$dir")
  mkdir -p "$WS/m/$module/src"
  cat >"$WS/m/$module/Cargo.toml" <<TOML
[package]
name = "corpus-$module"
version = "0.0.0"
edition = "2021"
publish = false

$DEPS
TOML
  printf '%s\n' '//! Corpus check: one generated module, every warning denied.' '#![deny(warnings)]' \
    "#[path = \"$PWD/$CRATE/src/$module/mod.rs\"]" "pub mod $module;" >"$WS/m/$module/src/lib.rs"
done
rm -f target/cargo-timings/cargo-timing.html
start=$(date +%s)
CARGO_TARGET_DIR=target cargo clippy -q --keep-going --timings --manifest-path "$WS/Cargo.toml" --workspace -- -D warnings
echo "corpus: clippy over every module in $(( $(date +%s) - start )) s (two crates at a time)"

# Per spec, with each crate's own check time from cargo's timing report.
python3 - "$WORK/rows.tsv" target/cargo-timings/cargo-timing.html <<'PY'
import json, sys
rows, report = sys.argv[1], sys.argv[2]
text = open(report).read()
units, _ = json.JSONDecoder().raw_decode(text[text.index("UNIT_DATA = ") + len("UNIT_DATA = "):])
seconds = {u["name"]: u["duration"] for u in units}
print("%-28s %5s %6s %6s %8s %8s %8s %7s %s" % ("spec", "ver", "ops", "types", "lines", "gen ms", "check s", "repairs", "diagnostics"))
for line in open(rows):
    name, module, ver, ops, types, lines, ms, repairs, diags = line.rstrip("\n").split("\t")
    check = seconds.get("corpus-" + module.replace("_", "-"), seconds.get("corpus-" + module))
    shown = "%.1f" % check if check is not None else "?"
    print("%-28s %5s %6s %6s %8s %8s %8s %7s %s" % (name, ver, ops, types, lines, ms, shown, repairs, diags))
PY
echo "corpus: ok"
