#!/usr/bin/env bash
# How heavy the generated code is, for one revision or the current work tree:
#
#   (a) lines of `generated/src/<module>/` per module (every .rs file under the
#       module's directory);
#   (b) lines the CLI writes for ../shared/corpus/github-2020.yaml, every part
#       (`cargo run --release -p codegen -- <spec> --out <scratch>/src`), per
#       file and in total;
#   (c) `cargo check` time of that generated github-2020 crate alone, its
#       dependencies prebuilt: one untimed `cargo check`, then N times
#       `touch src/lib.rs && cargo check`, median (CARGO_INCREMENTAL=0, so
#       each check redoes the whole crate, as on a first check of freshly
#       generated code).
#
# The scratch crate (target/check-time/crate, with an empty [workspace] of its
# own) takes its [dependencies] from the measured tree's generated/Cargo.toml:
# `workspace = true` entries are replaced by the measured root Cargo.toml's
# [workspace.dependencies] entry (features merged, `optional` dropped), path
# dependencies are made absolute inside the measured tree; its edition is
# generated/'s; the measured tree's Cargo.lock is copied beside it so versions
# match.
#
#   bash bench/check-time.sh                  # the current work tree
#   bash bench/check-time.sh --rev a199c44    # a revision: `git worktree add` under target/check-time/, removed afterwards
#   options: --runs N (timed checks, default 3), --spec PATH (default ../shared/corpus/github-2020.yaml),
#            --out FILE (also write the markdown there)
#
# Builds go to target dirs of their own (target/check-time/codegen-target-<rev>,
# or -tree for the work tree, for the release codegen: one per tree, since a
# shared one let a tree whose build cargo deemed fresh run the binary another
# tree had just written; target/check-time/scratch-target for the scratch
# crate) so the main workspace's target/ is never locked. Progress goes to stderr, the
# markdown table to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

rev=""
runs=3
spec="$ROOT/../shared/corpus/github-2020.yaml"
out=""
args_text="$*"
while [ "$#" -gt 0 ]; do
  case "$1" in
    --rev) rev="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --spec) spec="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "check-time: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -f "$spec" ] || { echo "check-time: $spec is missing (keep shared/ beside the clone)" >&2; exit 1; }
spec=$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")
[ -n "$out" ] && out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

WORK="$ROOT/target/check-time"
CRATE="$WORK/crate"
CODEGEN_TARGET="$WORK/codegen-target-${rev:-tree}"
SCRATCH_TARGET="$WORK/scratch-target"
mkdir -p "$WORK"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log() { echo "check-time: $*" >&2; }
num() { echo "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; } # 180288 -> 180,288

# --- the measured tree ---------------------------------------------------
wt=""
cleanup() {
  if [ -n "$wt" ] && [ -d "$wt" ]; then
    git -C "$ROOT" worktree remove --force "$wt" >/dev/null 2>&1 || log "could not remove worktree $wt"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$rev" ]; then
  sha=$(git -C "$ROOT" rev-parse --verify "$rev^{commit}")
  wt="$WORK/wt-${sha:0:12}"
  if [ -e "$wt" ]; then
    git -C "$ROOT" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
    git -C "$ROOT" worktree prune
  fi
  log "git worktree add --detach $wt $sha"
  git -C "$ROOT" worktree add -q --detach "$wt" "$sha"
  TREE="$wt"
  measured="revision \`$rev\` (commit ${sha:0:10} of $(git -C "$ROOT" log -1 --format=%cs "$sha"))"
else
  TREE="$ROOT"
  sha=$(git -C "$ROOT" rev-parse HEAD)
  dirty=""
  [ -n "$(git -C "$ROOT" --no-optional-locks status --porcelain -- codegen generated macros Cargo.toml Cargo.lock)" ] && dirty=" plus uncommitted changes"
  measured="the work tree (HEAD \`${sha:0:7}\`$dirty)"
fi

# --- (a) lines of generated/src/<module>/ ----------------------------------
rs_lines() { # total lines of every .rs file under $1
  find "$1" -name '*.rs' -type f -print0 | xargs -0 -r cat | wc -l
}
rs_files() {
  find "$1" -name '*.rs' -type f | wc -l
}
module_rows=""
module_total=0
for dir in "$TREE"/generated/src/*/; do
  [ -d "$dir" ] || continue
  m=$(basename "$dir")
  n=$(rs_lines "$dir")
  module_total=$((module_total + n))
  module_rows+="| \`$m\` | $(rs_files "$dir") | $(num "$n") |"$'\n'
done
top_lines=$(find "$TREE/generated/src" -maxdepth 1 -name '*.rs' -type f -print0 | xargs -0 -r cat | wc -l)
top_names=$(find "$TREE/generated/src" -maxdepth 1 -name '*.rs' -type f -printf '%f\n' | sort | paste -sd, - | sed 's/,/, /g')

# --- (b) the CLI on github-2020 -------------------------------------------
rm -rf "$CRATE"
mkdir -p "$CRATE/src"
log "building codegen (release) in $TREE and generating $(basename "$spec")"
# No lib.rs beforehand: the CLI creates it with its registry markers.
(cd "$TREE" && CARGO_TARGET_DIR="$CODEGEN_TARGET" cargo run -q --locked --release -p codegen -- \
  "$spec" --out "$CRATE/src" -q)
module_dir=$(find "$CRATE/src" -mindepth 1 -maxdepth 1 -type d | head -1)
[ -n "$module_dir" ] || { echo "check-time: the CLI wrote no module directory" >&2; exit 1; }
module=$(basename "$module_dir")
gen_total=$(rs_lines "$module_dir")
file_rows=""
while IFS= read -r f; do
  file_rows+="| \`${f#"$CRATE/src/"}\` | $(num "$(wc -l <"$f")") |"$'\n'
done < <(find "$module_dir" -name '*.rs' -type f | sort)

# --- (c) cargo check of the generated crate --------------------------------
python3 - "$TREE" "check_time_$module" >"$CRATE/Cargo.toml" <<'PY'
import json, sys, tomllib
from pathlib import Path

tree, name = Path(sys.argv[1]).resolve(), sys.argv[2]
root = tomllib.loads((tree / "Cargo.toml").read_text())
gen = tomllib.loads((tree / "generated" / "Cargo.toml").read_text())
wdeps = root.get("workspace", {}).get("dependencies", {})
wpkg = root.get("workspace", {}).get("package", {})

def value(v):
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
    return str(v)

def table(spec):
    return {"version": spec} if isinstance(spec, str) else dict(spec)

def resolve(dep, spec, base):
    spec = table(spec)
    if spec.pop("workspace", False):
        merged = table(wdeps[dep])
        if "path" in merged:
            merged["path"] = str((tree / merged["path"]).resolve())
        extra = spec.pop("features", [])
        feats = list(merged.get("features", [])) + [f for f in extra if f not in merged.get("features", [])]
        if feats:
            merged["features"] = feats
        merged.update(spec)
        spec = merged
    elif "path" in spec:
        spec["path"] = str((base / spec["path"]).resolve())
    spec.pop("optional", None)  # every dependency on: the generated code may use any
    return spec

edition = gen["package"].get("edition", "2021")
if isinstance(edition, dict):  # edition.workspace = true
    edition = wpkg.get("edition", "2021")
base = tree / "generated"
out = ["[package]", f"name = {value(name)}", 'version = "0.0.0"', f"edition = {value(edition)}", "publish = false", ""]
out.append("[dependencies]")
for dep, spec in gen.get("dependencies", {}).items():
    out.append(f"{dep} = {value(resolve(dep, spec, base))}")
for cfg, t in gen.get("target", {}).items():
    if "dependencies" in t:
        out += ["", f"[target.{value(cfg)}.dependencies]"]
        for dep, spec in t["dependencies"].items():
            out.append(f"{dep} = {value(resolve(dep, spec, base))}")
out += ["", "# Not part of any other workspace.", "[workspace]"]
print("\n".join(out))
PY
cp "$TREE/Cargo.lock" "$CRATE/Cargo.lock"

export CARGO_TARGET_DIR="$SCRATCH_TARGET" CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never
log "cargo check of the scratch crate: dependencies (not timed)"
(cd "$CRATE" && cargo check -q 2>"$WORK/check-deps.log") || {
  tail -40 "$WORK/check-deps.log" >&2
  echo "check-time: the generated crate does not check (see $WORK/check-deps.log)" >&2
  exit 1
}
times=()
for i in $(seq 1 "$runs"); do
  touch "$CRATE/src/lib.rs"
  start=$(date +%s%N)
  (cd "$CRATE" && cargo check -q --offline 2>"$WORK/check-run.log")
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  times+=("$ms")
  log "cargo check run $i: $ms ms"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
secs() { awk -v ms="$1" 'BEGIN {printf "%.1f s", ms / 1000}'; }
runs_text=$(for t in "${times[@]}"; do secs "$t"; echo; done | paste -sd, - | sed 's/,/, /g')
deps=$(sed -n '/^\[dependencies\]/,/^$/p' "$CRATE/Cargo.toml" | sed '1d;/^$/d' | cut -d' ' -f1 | paste -sd, - | sed 's/,/, /g')
edition=$(sed -n 's/^edition = "\(.*\)"/\1/p' "$CRATE/Cargo.toml")

# --- report -----------------------------------------------------------------
report() {
  echo "## Generated code weight: $measured"
  echo
  echo "Produced by \`bash bench/check-time.sh${args_text:+ $args_text}\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
    "$(rustc --version); load average \`$load_start\` at the start, \`$(cut -d' ' -f1-3 /proc/loadavg)\` at the end" \
    "(other work on the machine slows the check times)."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| lines of \`generated/src/<module>/\`, all modules | $(num "$module_total") |"
  echo "| lines the CLI writes for $(basename "$spec") (types, client, server) | $(num "$gen_total") |"
  echo "| \`cargo check\` of that crate alone, deps prebuilt (median of $runs) | $(secs "$median") |"
  echo
  echo "### (a) \`generated/src/<module>/\`"
  echo
  echo "| module | .rs files | lines |"
  echo "|---|---|---|"
  printf '%s' "$module_rows"
  echo "| **all modules** | | **$(num "$module_total")** |"
  echo
  echo "Top-level files of \`generated/src/\` (not counted above): $top_names, $(num "$top_lines") lines."
  echo
  echo "### (b) \`cargo run --release -p codegen -- $(basename "$spec") --out <scratch>/src\`"
  echo
  echo "| file | lines |"
  echo "|---|---|"
  printf '%s' "$file_rows"
  echo "| **total** | **$(num "$gen_total")** |"
  echo
  echo "### (c) \`cargo check\` of the generated crate"
  echo
  echo "Scratch crate \`target/check-time/crate\` (edition $edition; dependencies from the measured \`generated/Cargo.toml\`:" \
    "$deps; the measured \`Cargo.lock\`), dependencies checked once untimed, then $runs times" \
    "\`touch src/lib.rs && cargo check\` with \`CARGO_INCREMENTAL=0\` (the whole crate rechecked each time)."
  echo
  echo "| runs | median |"
  echo "|---|---|"
  echo "| $runs_text | $(secs "$median") |"
}
if [ -n "$out" ]; then
  report | tee "$out"
else
  report
fi
