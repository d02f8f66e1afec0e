# Sourced by scripts that validate OpenAPI documents: installs the pinned
# openapi-spec-validator into target/tools/venv (git-ignored) when missing
# or at another version, and sets OSV_VERSION and OSV (the executable).
# Needs python3 with venv; run from the workspace root.
OSV_VERSION="0.7.2"
OSV_VENV="target/tools/venv"
if [ ! -x "$OSV_VENV/bin/openapi-spec-validator" ] ||
  [ "$(cat "$OSV_VENV/.osv-version" 2>/dev/null || true)" != "$OSV_VERSION" ]; then
  echo "installing openapi-spec-validator==$OSV_VERSION into $OSV_VENV"
  rm -rf "$OSV_VENV"
  mkdir -p target/tools
  python3 -m venv "$OSV_VENV"
  "$OSV_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "openapi-spec-validator==$OSV_VERSION"
  echo "$OSV_VERSION" >"$OSV_VENV/.osv-version"
fi
OSV="$OSV_VENV/bin/openapi-spec-validator"
