#!/usr/bin/env python3
"""Random *valid* OpenAPI documents (3.0 and 3.1) built to stress naming and
the combinations generated code must handle: every name is drawn from the
generated module's reserved names, the runtime's exports, generated locals,
Rust keywords, prelude names and case/punctuation variants of each other;
parameters cover location x required x nullable x type x format x style;
bodies mix media types; schemas nest inline objects and oneOf/anyOf/allOf.

A document is a list of *parts* (operations, component schemas, security
schemes) so the shrinker can drop them one at a time: `build(parts)`
assembles a document from any subset that keeps the references it needs.

Usage (the driver, valid-specs.sh, calls it):
  valid_specs.py generate SEED COUNT OUTDIR   write COUNT cases, case_NNN.json
  valid_specs.py parts CASE.json              print the case's part count
  valid_specs.py without CASE.json I OUT.json the case without part I
"""

import json
import random
import re
import sys

# Names that collide with what generated code declares, imports or uses.
RESERVED = [
    "Client", "ClientBuilder", "Error", "Credentials", "Service", "router",
    "router_with", "router_layered", "retry", "layer", "pages", "items", "prepare", "transport", "serve", "Limits", "types", "client", "server", "rt", "Method", "State",
    "Request", "Response", "IntoResponse", "Arc", "Future", "Outcome", "Problem",
    "Violation", "ApiKey", "BasicCredentials", "BearerToken", "RequestEncoding",
    "DEFAULT_BODY_LIMIT", "codegen_runtime", "serde", "serde_json", "chrono",
    "axum", "reqwest", "ParseEnumError", "builder", "base_url", "request", "send",
    "body", "encoding", "content_type", "credentials", "input", "query", "path",
    "headers", "header", "url", "http", "service", "outcome", "response", "state",
    "req", "res", "value", "values", "map", "f", "s", "v", "e", "error", "result",
    "Input", "Output", "Item", "Items", "Value", "Unknown", "Other",
]
KEYWORDS = [
    "type", "match", "fn", "struct", "enum", "async", "await", "dyn", "ref",
    "move", "try", "gen", "union", "self", "Self", "super", "crate", "mod", "use",
    "impl", "trait", "where", "loop", "static", "const", "box", "yield", "macro",
    "abstract", "final", "override", "priv", "typeof", "unsized", "virtual",
    "do", "become", "in", "as", "break", "continue", "else", "extern", "false",
    "true", "for", "if", "let", "mut", "pub", "return", "unsafe", "while",
]
PRELUDE = [
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box",
    "Into", "From", "Send", "Sync", "Default", "Clone", "Copy", "Debug", "Drop",
    "Fn", "Iterator", "ToString", "PartialEq", "Eq", "Sized", "str", "bool",
    "u8", "i32", "i64", "f64", "usize", "char",
]
PLAIN = ["id", "name", "thing", "list", "items", "data", "next", "page", "user"]


def variants(word, rng):
    """Case and punctuation variants of a word (that map to one Rust name)."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", word).lower()
    parts = [p for p in snake.split("_") if p] or [word]
    camel = parts[0] + "".join(p.title() for p in parts[1:])
    return rng.choice([
        word, snake, camel, camel[:1].upper() + camel[1:], snake.upper(),
        "-".join(parts), ".".join(parts), " ".join(parts), snake + "_",
        "_" + snake, "1" + snake, snake + "2", "$" + snake, "@" + camel,
    ])


def pool_name(rng):
    kind = rng.random()
    if kind < 0.3:
        word = rng.choice(RESERVED)
    elif kind < 0.5:
        word = rng.choice(KEYWORDS)
    elif kind < 0.65:
        word = rng.choice(PRELUDE)
    elif kind < 0.75:
        return rng.choice(["", "_", "__", "-", "ñame", "名前", "a b", "0", "x" * 40])
    else:
        word = rng.choice(PLAIN)
    return variants(word, rng) if rng.random() < 0.6 else word


def component_name(rng, taken):
    """A component key (`^[a-zA-Z0-9.\\-_]+$`), distinct as a string."""
    for _ in range(50):
        n = pool_name(rng)
        if re.fullmatch(r"[A-Za-z0-9.\-_]+", n) and n not in taken:
            taken.add(n)
            return n
    n = "Schema%d" % len(taken)
    taken.add(n)
    return n


def header_name(rng):
    """Header names are HTTP tokens."""
    for _ in range(20):
        n = pool_name(rng)
        if re.fullmatch(r"[A-Za-z0-9\-_.]+", n) and n.lower() not in (
            "accept", "content-type", "authorization"
        ):
            return n
    return "X-Fuzz"


class Gen:
    def __init__(self, rng, v31):
        self.rng = rng
        self.v31 = v31

    def nullable(self, schema):
        if self.rng.random() >= 0.25 or "$ref" in schema:
            return schema
        if self.v31 and "type" in schema:
            return dict(schema, type=[schema["type"], "null"])
        if self.v31:
            return {"oneOf": [schema, {"type": "null"}]}
        return dict(schema, nullable=True)

    def primitive(self):
        r = self.rng
        t = r.choice(["string", "string", "integer", "number", "boolean", "enum"])
        if t == "string":
            s = {"type": "string"}
            fmt = r.choice([None, None, "date-time", "date", "byte", "binary",
                            "uuid", "email", "password", "uri"])
            if fmt:
                s["format"] = fmt
            if r.random() < 0.2:
                s["maxLength"] = r.randint(1, 64)
                s["minLength"] = r.randint(0, 1)
            if r.random() < 0.1 and not fmt:
                s["pattern"] = r.choice(["^[a-z]+$", "^\\d{3}$", "[\"'\\\\]"])
            return s
        if t == "integer":
            s = {"type": "integer"}
            fmt = r.choice([None, "int32", "int64"])
            if fmt:
                s["format"] = fmt
            if r.random() < 0.3:
                s["minimum"] = r.randint(-5, 5)
                s["maximum"] = s["minimum"] + r.randint(0, 100)
            return s
        if t == "number":
            s = {"type": "number"}
            fmt = r.choice([None, "float", "double"])
            if fmt:
                s["format"] = fmt
            if r.random() < 0.2:
                s["minimum"] = 0
            return s
        if t == "boolean":
            return {"type": "boolean"}
        values = []
        for _ in range(r.randint(1, 5)):
            v = pool_name(r)
            if v not in values:
                values.append(v)
        return {"type": "string", "enum": values}

    def schema(self, refs, depth=0):
        r = self.rng
        roll = r.random()
        if refs and roll < 0.25:
            ref = {"$ref": "#/components/schemas/" + r.choice(refs)}
            if self.v31 and r.random() < 0.3:
                ref["description"] = "A use with a description of its own."
            return ref
        if depth < 2 and roll < 0.45:
            return self.nullable(self.obj(refs, depth + 1))
        if depth < 2 and roll < 0.55:
            return {"type": "array", "items": self.schema(refs, depth + 1)}
        if depth < 2 and roll < 0.6:
            return {"type": "object", "additionalProperties": self.schema(refs, depth + 1)}
        if depth < 2 and roll < 0.7:
            kind = r.choice(["oneOf", "anyOf", "allOf"])
            if kind == "allOf":
                members = [self.obj(refs, depth + 1) for _ in range(r.randint(1, 3))]
                if refs and r.random() < 0.5:
                    members.insert(0, {"$ref": "#/components/schemas/" + r.choice(refs)})
            else:
                members = [self.schema(refs, depth + 1) for _ in range(r.randint(1, 3))]
            return {kind: members}
        return self.nullable(self.primitive())

    def obj(self, refs, depth):
        r = self.rng
        props = {}
        for _ in range(r.randint(0, 5)):
            props[pool_name(r)] = self.schema(refs, depth)
        s = {"type": "object", "properties": props}
        required = [p for p in props if r.random() < 0.4]
        if required:
            s["required"] = required
        if r.random() < 0.15:
            s["additionalProperties"] = False
        for p in props.values():
            if r.random() < 0.1 and "$ref" not in p:
                p[r.choice(["readOnly", "writeOnly", "deprecated"])] = True
        return s

    def parameter(self, location, name, refs):
        r = self.rng
        param = {"name": name, "in": location}
        if location == "path":
            param["required"] = True
        elif r.random() < 0.5:
            param["required"] = True
        shape = r.random()
        if shape < 0.6:
            param["schema"] = self.primitive()
            styles = {"path": ["simple", "label", "matrix"], "query": ["form"],
                      "header": ["simple"]}[location]
        elif shape < 0.85:
            param["schema"] = {"type": "array", "items": self.primitive()}
            styles = {"path": ["simple", "label", "matrix"],
                      "query": ["form", "spaceDelimited", "pipeDelimited"],
                      "header": ["simple"]}[location]
        else:
            param["schema"] = self.obj([], 2)
            styles = {"path": ["simple"], "query": ["form", "deepObject"],
                      "header": ["simple"]}[location]
        if r.random() < 0.3:
            param["style"] = r.choice(styles)
            if param["style"] == "deepObject":
                param["explode"] = True
            elif r.random() < 0.5:
                param["explode"] = r.random() < 0.5
        if r.random() < 0.2:
            param["description"] = "A `" + name + "` */ parameter."
        if r.random() < 0.1:
            param["deprecated"] = True
        return param

    def media(self, refs):
        r = self.rng
        content = {}
        for _ in range(r.randint(1, 2)):
            mt = r.choice(["application/json", "application/json", "text/plain",
                           "application/octet-stream", "application/x-www-form-urlencoded",
                           "multipart/form-data", "application/vnd.api+json"])
            if mt in content:
                continue
            if mt == "text/plain":
                content[mt] = {"schema": {"type": "string"}}
            elif mt == "application/octet-stream":
                content[mt] = {"schema": {"type": "string", "format": "binary"}}
            elif mt in ("application/x-www-form-urlencoded", "multipart/form-data"):
                content[mt] = {"schema": self.obj([], 2)}
            else:
                content[mt] = {"schema": self.schema(refs)}
        return content

    def operation(self, index, refs, schemes):
        r = self.rng
        op = {"operationId": pool_name(r) + ("" if r.random() < 0.5 else str(index)),
              "responses": {}}
        if r.random() < 0.8:
            op["tags"] = [pool_name(r)]
        if r.random() < 0.3:
            op["summary"] = "Does */ things with `{braces}` and \\ backslashes."
        params = []
        segments = ["r%d" % index]
        seen = set()
        for _ in range(r.randint(0, 2)):
            n = pool_name(r)
            if ("path", n) in seen or not n or "/" in n or "{" in n or "}" in n:
                continue
            seen.add(("path", n))
            segments.append("{" + n + "}")
            params.append(self.parameter("path", n, refs))
        for _ in range(r.randint(0, 4)):
            location = r.choice(["query", "query", "header"])
            n = header_name(r) if location == "header" else pool_name(r)
            if (location, n) in seen:
                continue
            seen.add((location, n))
            params.append(self.parameter(location, n, refs))
        if params:
            op["parameters"] = params
        method = r.choice(["get", "put", "post", "delete", "patch", "head", "options"])
        if method in ("put", "post", "patch") and r.random() < 0.8:
            op["requestBody"] = {"content": self.media(refs)}
            if r.random() < 0.5:
                op["requestBody"]["required"] = True
        for status in r.sample(["200", "201", "204", "400", "404", "default", "2XX"],
                               r.randint(1, 3)):
            resp = {"description": "Status " + status}
            if status != "204" and r.random() < 0.7:
                resp["content"] = self.media(refs)
            if r.random() < 0.2:
                resp["headers"] = {header_name(r): {"schema": self.primitive()}}
            op["responses"][status] = resp
        if schemes and r.random() < 0.5:
            op["security"] = [{r.choice(schemes): []}]
        return {"kind": "operation", "path": "/" + "/".join(segments),
                "method": method, "value": op}


def generate(seed):
    rng = random.Random(seed)
    v31 = rng.random() < 0.4
    g = Gen(rng, v31)
    taken = set()
    parts = []
    names = [component_name(rng, taken) for _ in range(rng.randint(0, 6))]
    for i, name in enumerate(names):
        # Earlier components only, and sometimes itself (recursion).
        if rng.random() < 0.2:
            # Recursion through a property (a bare self-reference is an
            # alias cycle, which is invalid).
            value = g.obj(names[: i + 1], 1)
        else:
            value = g.schema(names[:i])
        parts.append({"kind": "schema", "name": name, "value": value})
    schemes = []
    for _ in range(rng.randint(0, 2)):
        name = component_name(rng, taken)
        scheme = rng.choice([
            {"type": "http", "scheme": "bearer"},
            {"type": "http", "scheme": "basic"},
            {"type": "apiKey", "in": "header", "name": header_name(rng)},
            {"type": "apiKey", "in": "query", "name": pool_name(rng) or "key"},
        ])
        schemes.append(name)
        parts.append({"kind": "scheme", "name": name, "value": scheme})
    ids = set()
    for i in range(rng.randint(1, 6)):
        op = g.operation(i, names, schemes)
        while op["value"]["operationId"] in ids:
            op["value"]["operationId"] += "_"
        ids.add(op["value"]["operationId"])
        parts.append(op)
    return {"version": "3.1.0" if v31 else "3.0.3", "parts": parts}


def build(case):
    """The document for a case: only references to parts still present."""
    present = {p["name"] for p in case["parts"] if p["kind"] == "schema"}
    schemes = {p["name"] for p in case["parts"] if p["kind"] == "scheme"}

    def prune(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.rsplit("/", 1)[-1] not in present:
                return {"type": "string"}
            out = {k: prune(v) for k, v in node.items()}
            if "security" in out:
                out["security"] = [s for s in out["security"] if set(s) <= schemes]
            return out
        if isinstance(node, list):
            return [prune(v) for v in node]
        return node

    doc = {"openapi": case["version"], "info": {"title": "fuzz", "version": "1"},
           "paths": {}, "components": {"schemas": {}, "securitySchemes": {}}}
    for p in case["parts"]:
        if p["kind"] == "schema":
            doc["components"]["schemas"][p["name"]] = prune(p["value"])
        elif p["kind"] == "scheme":
            doc["components"]["securitySchemes"][p["name"]] = p["value"]
        else:
            doc["paths"].setdefault(p["path"], {})[p["method"]] = prune(p["value"])
    return doc


def main(argv):
    if argv[1] == "generate":
        seed, count, out = int(argv[2]), int(argv[3]), argv[4]
        for i in range(count):
            case = generate(seed * 100000 + i)
            with open("%s/case_%03d.json" % (out, i), "w") as f:
                json.dump(build(case), f, indent=1, ensure_ascii=False)
            with open("%s/case_%03d.parts" % (out, i), "w") as f:
                json.dump(case, f, ensure_ascii=False)
    elif argv[1] == "parts":
        with open(argv[2]) as f:
            print(len(json.load(f)["parts"]))
    elif argv[1] == "without":
        with open(argv[2]) as f:
            case = json.load(f)
        del case["parts"][int(argv[3])]
        stem = argv[4][: -len(".json")]
        with open(argv[4], "w") as f:
            json.dump(build(case), f, indent=1, ensure_ascii=False)
        with open(stem + ".parts", "w") as f:
            json.dump(case, f, ensure_ascii=False)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
