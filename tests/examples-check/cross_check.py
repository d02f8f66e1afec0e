"""Cross-checks `codegen --verify-examples` reports with an independent
JSON Schema validator (openapi-schema-validator's OAS 3.0 dialect, formats
asserted: a `date-time` must be RFC 3339).

For every example: the validator's verdict against its schema (a pointer
into the document as the generator read it) beside ours. An example the
validator rejects is a spec bug, printed as a located warning. One the
validator accepts while our types reject it, or the generated server
refuses it (a request body that does not reach its operation), is a
generator bug: the script exits 1 if there is any. Prints one row per
spec, with the server check's counts: body examples taken as documented
(a request reaching its operation, a response answered unchanged),
answered differently, refused, and not checked.

Usage: cross_check.py REPORT.json...
"""

import json
import sys

from jsonschema import FormatChecker
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30Validator


SHOWN = 5


def verdicts(report):
    doc = report["document"]
    checker = FormatChecker()
    cache = {}
    for e in report["examples"]:
        pointer = e["schema"]
        validator = cache.get(pointer)
        if validator is None:
            # The document is the root, so its `#/components/...` refs
            # resolve; the `$ref` makes the example's schema the one applied.
            root = dict(doc)
            root["$ref"] = "#" + pointer
            validator = OAS30Validator(root, format_checker=checker)
            cache[pointer] = validator
        try:
            error = best_match(validator.iter_errors(e["value"]))
        except Exception as failure:  # a schema the validator cannot read
            yield e, "unreadable: %s" % failure
            continue
        if error is None:
            yield e, None
        else:
            where = "/".join(str(p) for p in error.absolute_path)
            yield e, "%s%s" % ("at /%s: " % where if where else "", error.message[:300])


def main(paths):
    header = "%-34s %8s %8s %8s %8s %9s %9s %8s | %6s %6s %7s %7s" % (
        "spec", "examples", "ok", "differ", "rejected", "spec bugs", "our bugs", "skipped",
        "served", "differ", "refused", "unsent")
    rows, ours_total = [], 0
    for path in paths:
        for report in json.load(open(path)):
            counts = {"round-tripped": 0, "differences": 0, "rejected": 0}
            served = {"accepted": 0, "answered": 0, "differences": 0, "refused": 0, "not-checked": 0}
            spec_bugs = ours = 0
            for e, problem in verdicts(report):
                counts[e["outcome"]] += 1
                server = e.get("server")
                if server is not None:
                    served[server["outcome"]] += 1
                if problem is not None:
                    spec_bugs += 1
                    # The first few per spec; the row counts them all.
                    if spec_bugs <= SHOWN:
                        print("warning: example does not match its schema: %s: %s (%s)" % (e["location"], problem, e["of"]))
                elif e["outcome"] == "rejected":
                    ours += 1
                    print("error: the validator accepts an example our types reject: %s: at `%s`: %s (%s)"
                          % (e["location"], e["path"], e["message"], e["of"]))
                elif server is not None and server["outcome"] == "refused":
                    ours += 1
                    print("error: the validator accepts an example the generated server refuses: %s: %s (%s)"
                          % (e["location"], server["message"], e["of"]))
            ours_total += ours
            name = report["spec"].rsplit("/", 1)[-1]
            if spec_bugs > SHOWN:
                print("warning: %s: %d more examples do not match their schemas" % (name, spec_bugs - SHOWN))
            rows.append("%-34s %8d %8d %8d %8d %9d %9d %8d | %6d %6d %7d %7d" % (
                name, len(report["examples"]), counts["round-tripped"], counts["differences"],
                counts["rejected"], spec_bugs, ours, report["skipped"],
                served["accepted"] + served["answered"], served["differences"],
                served["refused"], served["not-checked"]))
    print(header)
    for row in rows:
        print(row)
    if ours_total:
        print("cross-check: %d example(s) the validator accepts do not decode with our types or are refused by the generated server" % ours_total)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
