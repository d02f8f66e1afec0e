#!/usr/bin/env bash
# Builds the book (docs/) into target/book with a pinned mdBook, installed
# once under target/tools/ (a cargo install from crates.io, --locked).
# Its Rust examples are not run here: they are doctests of the `tests` crate
# (tests/src/lib.rs includes each chapter that holds Rust code).
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.4.52
root="target/tools/mdbook-$version"
mdbook="$root/bin/mdbook"

if [ ! -x "$mdbook" ]; then
  echo "installing mdbook $version under $root"
  # Without the default features: no `serve`/`watch` (axum, tokio, notify)
  # and no search index; `build` needs none of them.
  cargo install -q mdbook --version "=$version" --locked --no-default-features --root "$root"
fi
"$mdbook" --version

# mdBook reports a broken SUMMARY, a missing chapter or a failed {{#include}}
# as an error and exits non-zero; a warning fails the build too.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! "$mdbook" build docs 2>&1 | tee "$log"; then
  echo "docs/build.sh: mdbook build failed" >&2
  exit 1
fi
if grep -E '\b(WARN|ERROR)\b' "$log" >/dev/null; then
  echo "docs/build.sh: mdbook printed warnings or errors (above)" >&2
  exit 1
fi
test -f target/book/index.html
echo "book: target/book/index.html"
