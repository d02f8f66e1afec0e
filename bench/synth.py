#!/usr/bin/env python3
"""Writes a synthetic OpenAPI 3.0 document with N operations.

    python3 bench/synth.py 100 > target/bench/specs/synth_100.yaml

Operations come in resources of five (list, create, get, replace, delete),
each resource with its own component schemas, bearer auth, path and query
parameters, JSON bodies and a shared error schema: the plain CRUD shape that
every generator in the benchmark supports, so that cost can be compared as it
grows. The output is deterministic (same N, same bytes).
"""

import json
import re
import sys

VERBS = ("list", "create", "get", "replace", "delete")


def item_schema(k):
    return {
        "type": "object",
        "description": f"A thing of kind {k}.",
        "required": ["id", "name", "status"],
        "properties": {
            "id": {"type": "string", "description": "Identifier."},
            "name": {"type": "string", "maxLength": 100},
            "count": {"type": "integer", "format": "int32", "minimum": 0},
            "ratio": {"type": "number", "format": "double"},
            "enabled": {"type": "boolean"},
            "status": {"type": "string", "enum": ["active", "inactive", "archived"]},
            "labels": {"type": "array", "items": {"type": "string"}},
            "created": {"type": "string", "format": "date-time"},
            "meta": {"$ref": "#/components/schemas/Meta"},
        },
    }


def input_schema(k):
    return {
        "type": "object",
        "description": f"Fields of a new thing of kind {k}.",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "maxLength": 100},
            "count": {"type": "integer", "format": "int32", "minimum": 0},
            "enabled": {"type": "boolean"},
            "labels": {"type": "array", "items": {"type": "string"}},
        },
    }


def json_content(ref):
    return {"application/json": {"schema": {"$ref": ref}}}


def error_response():
    return {"description": "Not found", "content": json_content("#/components/schemas/Error")}


def operation(k, verb):
    tag = f"things{k}"
    item = f"#/components/schemas/Thing{k}"
    new = f"#/components/schemas/NewThing{k}"
    op = {"tags": [tag], "operationId": f"{verb}Thing{k}", "summary": f"{verb} things of kind {k}"}
    if verb == "list":
        op["parameters"] = [
            {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100}},
            {"name": "offset", "in": "query", "schema": {"type": "integer", "format": "int32", "minimum": 0}},
            {"name": "q", "in": "query", "schema": {"type": "string"}},
        ]
        op["responses"] = {
            "200": {"description": "A page", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": item}}}}},
        }
    elif verb == "create":
        op["requestBody"] = {"required": True, "content": json_content(new)}
        op["responses"] = {"201": {"description": "Created", "content": json_content(item)}}
    elif verb == "get":
        op["responses"] = {"200": {"description": "The thing", "content": json_content(item)}, "404": error_response()}
    elif verb == "replace":
        op["requestBody"] = {"required": True, "content": json_content(new)}
        op["responses"] = {"200": {"description": "Replaced", "content": json_content(item)}, "404": error_response()}
    else:
        op["responses"] = {"204": {"description": "Deleted"}, "404": error_response()}
    return op


def document(n):
    paths = {}
    schemas = {
        "Meta": {
            "type": "object",
            "properties": {"owner": {"type": "string"}, "version": {"type": "integer", "format": "int64"}},
        },
        "Error": {
            "type": "object",
            "required": ["message"],
            "properties": {"code": {"type": "integer", "format": "int32"}, "message": {"type": "string"}},
        },
    }
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    for i in range(n):
        k, verb = divmod(i, len(VERBS))
        verb = VERBS[verb]
        if verb in ("list", "create"):
            path = paths.setdefault(f"/things{k}", {})
        else:
            path = paths.setdefault(f"/things{k}/{{id}}", {"parameters": [id_param]})
        method = {"list": "get", "create": "post", "get": "get", "replace": "put", "delete": "delete"}[verb]
        path[method] = operation(k, verb)
        schemas.setdefault(f"Thing{k}", item_schema(k))
        schemas.setdefault(f"NewThing{k}", input_schema(k))
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic API with {n} operations", "version": "1.0.0"},
        "servers": [{"url": "http://localhost:8080"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
    }


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return json.dumps(v)  # a JSON string is a valid YAML double-quoted scalar


PLAIN_KEY = re.compile(r"^[A-Za-z_$/][A-Za-z0-9_./{}$-]*$")


def key(k):
    return k if PLAIN_KEY.match(k) else json.dumps(k)


def emit(value, indent, out):
    pad = "  " * indent
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{key(k)}:")
                emit(v, indent + 1, out)
            else:
                out.append(f"{pad}{key(k)}: {scalar(v) if not isinstance(v, (dict, list)) else ('{}' if isinstance(v, dict) else '[]')}")
    else:
        for v in value:
            if isinstance(v, (dict, list)) and v:
                inner = []
                emit(v, indent + 1, inner)
                first = inner[0].lstrip()
                out.append(f"{pad}- {first}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {scalar(v) if not isinstance(v, (dict, list)) else ('{}' if isinstance(v, dict) else '[]')}")


def to_yaml(doc):
    out = []
    emit(doc, 0, out)
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: synth.py N  (N operations, written to stdout as YAML)")
    sys.stdout.write(to_yaml(document(int(sys.argv[1]))))


if __name__ == "__main__":
    main()
