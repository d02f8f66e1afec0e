"""Conformance of openapi-core with the OpenAPI "Style Examples" table.

Loads tests/fixtures/edge/parameter-styles.yaml with openapi-core, sends it,
for each (location, style, explode) row and each value the table defines, a
request built the way it arrives at a server (a WSGI environ with the raw path,
the raw query string, raw header and Cookie lines, parsed by Werkzeug, which
openapi-core depends on and integrates with), and compares what
`OpenAPI.unmarshal_request` reads with the values our generated server reads.

Each case prints `agree`, `differs (got ...)`, `known openapi-core bug` or
`unsupported by openapi-core (<its error>)`. Exits non-zero when a case
differs (other than KNOWN_BUGS), when a known bug stops differing, or when
fewer than MIN_AGREE cases agree (so losing a case is caught too).

Run from the repository root: python tests/conformance/style_table.py
"""

import sys
from pathlib import Path

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

FIXTURE = Path("tests/fixtures/edge/parameter-styles.yaml")

# The number of cases that agree with openapi-core 0.23.1; raise it when a
# newer openapi-core agrees on more, never lower it to make a run pass.
MIN_AGREE = 25

# Cases openapi-core 0.23.1 reads differently from the table, each checked by
# hand against the specification: its bugs, not ours. Printed apart; a run
# fails if one starts to agree (so the list stays current) or if any other
# case differs.
KNOWN_BUGS = {
    # Exploded form objects: it looks the properties up under the object's
    # own name (`o`), which a request never carries, and reads nothing.
    ("query", "form", True, "o"),
    ("cookie", "form", True, "o"),
    # spaceDelimited: it splits on the text `%20`, but its adapters hand it
    # the query already percent-decoded.
    ("query", "spaceDelimited", False, "a"),
    ("query", "spaceDelimited", False, "o"),
}

EXPECTED = {
    "s": "blue",
    "a": ["blue", "black", "brown"],
    "o": {"R": 100, "G": 200, "B": 150},
}

# The table, with `color` written as `{n}` (the parameter's name); None where
# the table says n/a. Columns: string `s`, array `a`, object `o`.
TABLE = {
    ("matrix", False): (";{n}=blue", ";{n}=blue,black,brown", ";{n}=R,100,G,200,B,150"),
    ("matrix", True): (";{n}=blue", ";{n}=blue;{n}=black;{n}=brown", ";R=100;G=200;B=150"),
    ("label", False): (".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True): (".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("simple", False): ("blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True): ("blue", "blue,black,brown", "R=100,G=200,B=150"),
    ("form", False): ("{n}=blue", "{n}=blue,black,brown", "{n}=R,100,G,200,B,150"),
    ("form", True): ("{n}=blue", "{n}=blue&{n}=black&{n}=brown", "R=100&G=200&B=150"),
    ("spaceDelimited", False): (None, "{n}=blue%20black%20brown", "{n}=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False): (None, "{n}=blue%7Cblack%7Cbrown", "{n}=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject", True): (None, None, "{n}%5BR%5D=100&{n}%5BG%5D=200&{n}%5BB%5D=150"),
}

# Cookies are not in the table; the generated server's choice (form style,
# one `name=value` pair per exploded item, `; ` between pairs).
COOKIES = {
    False: ("s=blue", "a=blue,black,brown", "o=R,100,G,200,B,150"),
    True: ("s=blue", "a=blue; a=black; a=brown", "R=100; G=200; B=150"),
}

# (location, style, explode) of every operation in the fixture.
ROWS = [
    *[("path", st, ex) for st in ("matrix", "label", "simple") for ex in (False, True)],
    ("query", "form", False),
    ("query", "form", True),
    ("query", "spaceDelimited", False),
    ("query", "pipeDelimited", False),
    ("query", "deepObject", True),
    ("header", "simple", False),
    ("header", "simple", True),
    ("cookie", "form", False),
    ("cookie", "form", True),
]


def raw_values(location, style, explode):
    """The wire text of s, a, o for one row (None where undefined)."""
    if location == "cookie":
        return dict(zip("sao", COOKIES[explode]))
    cells = TABLE[(style, explode)]
    return {n: None if c is None else c.format(n=n) for n, c in zip("sao", cells)}


def build_request(location, style, explode, name, raw):
    """A Werkzeug request carrying only `name` (the path needs all three)."""
    flag = str(explode).lower()
    path, query, headers = f"/{location}/{style}/{flag}", "", {}
    if location == "path":
        # Every path segment is required: s, a and o all take the table's text.
        segments = raw_values(location, style, explode)
        path += "/" + "/".join(segments[n] for n in "sao")
    elif location == "query":
        query = raw
    elif location == "header":
        headers[name] = raw
    else:
        headers["Cookie"] = raw
    # EnvironBuilder puts `path` in PATH_INFO and `query` in QUERY_STRING as a
    # WSGI server would; Werkzeug then decodes them like any Flask app does.
    environ = EnvironBuilder(
        method="GET", base_url="http://localhost", path=path,
        query_string=query, headers=headers,
    ).get_environ()
    return Request(environ)


def describe(exc):
    """An error and its causes, as openapi-core raised them."""
    parts = []
    while exc is not None:
        text = str(exc)
        parts.append(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    return " <- ".join(parts)


def run_case(openapi, location, style, explode, name, raw):
    """Returns (verdict, detail) for one parameter of one row."""
    request = WerkzeugOpenAPIRequest(build_request(location, style, explode, name, raw))
    result = openapi.unmarshal_request(request)
    for error in result.errors:
        # Errors of other parameters (the path carries all three) do not count.
        if getattr(error, "name", name) == name:
            return "unsupported", describe(error)
    got = getattr(result.parameters, location) if result.parameters else {}
    if name not in got:
        # openapi-core takes a value it cannot find for an absent optional
        # parameter, with no error, though the request carried it.
        carried = sorted(set(request.parameters[location].keys()))
        return "differs", f"nothing: no {name!r} read from {location} keys {carried}"
    if got[name] != EXPECTED[name]:
        return "differs", repr(got[name])
    return "agree", ""


def main():
    openapi = OpenAPI.from_file_path(str(FIXTURE))
    counts = {"agree": 0, "differs": 0, "unsupported": 0, "known bug": 0}
    fixed = []
    for location, style, explode in ROWS:
        for name, raw in raw_values(location, style, explode).items():
            if raw is None:
                continue  # n/a in the table: the fixture has no such parameter
            verdict, detail = run_case(openapi, location, style, explode, name, raw)
            known = (location, style, explode, name) in KNOWN_BUGS
            if known and verdict == "differs":
                verdict = "known bug"
            elif known:
                fixed.append((location, style, explode, name))
            counts[verdict] += 1
            label = {
                "agree": "agree",
                "differs": f"differs (got {detail})",
                "known bug": f"known openapi-core bug (got {detail})",
                "unsupported": f"unsupported by openapi-core ({detail})",
            }[verdict]
            print(f"{location:6} {style:14} explode={str(explode).lower():5} "
                  f"{name} {raw!r}: {label}")
    print(f"style-table: {counts['agree']} agree, {counts['differs']} differ, "
          f"{counts['known bug']} known openapi-core bugs, "
          f"{counts['unsupported']} unsupported by openapi-core")
    failed = False
    if fixed:
        print(f"style-table: no longer differing, remove from KNOWN_BUGS: {fixed}",
              file=sys.stderr)
        failed = True
    if counts["differs"]:
        print("style-table: openapi-core reads some cases differently", file=sys.stderr)
        failed = True
    if counts["agree"] < MIN_AGREE:
        print(f"style-table: only {counts['agree']} cases agree, expected at least "
              f"{MIN_AGREE}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
