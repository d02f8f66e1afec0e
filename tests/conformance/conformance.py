"""Drives `codegen --conformance` over specs in three settings and tabulates.

For every spec:
  server  the generated client against the generated server on loopback
          (its stub answering every documented variant in turn);
  judge   the same, through Prism's proxy (`prism proxy --errors`): every
          request and every answer is validated by Prism, which refuses
          what breaks the spec;
  mock    the generated client against Prism's mock of the spec
          (`prism mock --errors --dynamic --seed conformance`, through
          `--against`: answers made from the schemas, the same each run).

An operation counts in a setting only when every one of its calls passes.
Cases where Prism itself is wrong are listed in judge-defects.txt (spec file
name, setting, operation id, Prism's defect): they are printed with the
defect named and not counted as failures; a listed case that passes is
reported as stale so the list cannot rot.

Usage: conformance.py --codegen BIN --prism BIN --work DIR [--settings S,..] SPEC...
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time

SETTINGS = ("server", "judge", "mock")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_prism(prism, args, log_path):
    log = open(log_path, "w")
    proc = subprocess.Popen([prism] + args, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(240):
        time.sleep(0.25)
        with open(log_path) as f:
            text = f.read()
        if "Prism is listening" in text:
            return proc
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"prism did not start ({' '.join(args)}):\n{open(log_path).read()[-2000:]}")


def stop(proc):
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_codegen(codegen, spec, report, extra, log_path):
    cmd = [codegen, "-q", "--conformance", "--conformance-report", report] + extra + [spec]
    with open(log_path, "w") as log:
        code = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        with open(report) as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = []
    return code, data


def one_setting(args, spec, setting, stem):
    report = os.path.join(args.work, f"{stem}.{setting}.json")
    log = os.path.join(args.work, f"{stem}.{setting}.log")
    prism_log = os.path.join(args.work, f"{stem}.{setting}.prism.log")
    if os.path.exists(report):
        os.remove(report)
    prism = None
    try:
        if setting == "server":
            extra = []
        elif setting == "judge":
            server, proxy = free_port(), free_port()
            prism = start_prism(args.prism, ["proxy", spec, f"http://127.0.0.1:{server}",
                                             "--host", "127.0.0.1", "--port", str(proxy), "--errors"], prism_log)
            extra = ["--listen", f"127.0.0.1:{server}", "--against", f"http://127.0.0.1:{proxy}"]
        else:
            mock = free_port()
            # Dynamic answers, seeded: made from the schemas (every optional
            # property, formats and patterns kept) and the same each run. The
            # static mock serves the spec's own examples, which in several
            # corpus specs break their schemas (`--verify-examples` reports
            # those): the client refusing them proves nothing.
            prism = start_prism(args.prism, ["mock", spec, "--host", "127.0.0.1",
                                             "--port", str(mock), "--errors",
                                             "--dynamic", "--seed", "conformance"], prism_log)
            extra = ["--against", f"http://127.0.0.1:{mock}"]
        code, data = run_codegen(args.codegen, spec, report, extra, log)
        if prism is not None and prism.poll() is not None:
            # The judge died mid-run: what it did not answer is unjudged.
            with open(prism_log) as f:
                return None, "prism exited during the run:\n" + f.read()[-1500:]
    except RuntimeError as e:
        return None, str(e)
    finally:
        stop(prism)
    if not data:
        with open(log) as f:
            return None, f.read()[-3000:]
    return data[0], None


class WrongServer:
    """Answers every request `200 {"id": 5}`, which no documented answer of
    the token spec allows."""

    def __init__(self):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                body = b'{"id": 5}'
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def run_program(krate, target, extra):
    out = subprocess.run(["cargo", "run", "--quiet", "--manifest-path", os.path.join(krate, "Cargo.toml"), "--"] + extra,
                         env=dict(os.environ, CARGO_TARGET_DIR=target), capture_output=True, text=True)
    lines = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    return lines, out.stderr


def judge_self_test(args):
    """The judge catches a deliberately wrong client (a call whose input the
    spec forbids: `per_page=0` against its pattern) and a deliberately wrong
    server (every answer `{"id": 5}`), both through Prism's proxy."""
    problems = []
    krate, target = "target/conformance/crates/tokens", "target/conformance/target"
    calls_path = os.path.join(krate, "calls.json")
    with open(calls_path) as f:
        original = f.read()
    calls = json.loads(original)
    wrong = next(c for c in calls if c["operation"] == "personalAccessTokens.list" and "p:per_page" in c["inputs"])
    wrong["inputs"]["p:per_page"] = ["0"]
    server, proxy = free_port(), free_port()
    log = os.path.join(args.work, "self-test.client.prism.log")
    prism = start_prism(args.prism, ["proxy", "specs/tokens.yaml", f"http://127.0.0.1:{server}",
                                     "--host", "127.0.0.1", "--port", str(proxy), "--errors"], log)
    try:
        with open(calls_path, "w") as f:
            json.dump(calls, f)
        lines, err = run_program(krate, target, ["--listen", f"127.0.0.1:{server}", "--against", f"http://127.0.0.1:{proxy}"])
    finally:
        with open(calls_path, "w") as f:
            f.write(original)
        stop(prism)
    line = next((l for l in lines if l.get("call") == wrong["id"]), None)
    if not line or line["outcome"] != "judge-refused-request":
        problems.append(f"self-test: the judge did not catch the wrong client: {line} {err[-500:]}")
    else:
        print(f"self-test: a wrong client is caught: {line['message'][:160]}")
    upstream = WrongServer()
    proxy = free_port()
    log = os.path.join(args.work, "self-test.server.prism.log")
    prism = start_prism(args.prism, ["proxy", "specs/tokens.yaml", f"http://127.0.0.1:{upstream.port}",
                                     "--host", "127.0.0.1", "--port", str(proxy), "--errors"], log)
    try:
        lines, err = run_program(krate, target, ["--against", f"http://127.0.0.1:{proxy}"])
    finally:
        stop(prism)
        upstream.close()
    rejected = [l for l in lines if l.get("outcome") == "judge-rejected-answer"]
    if not rejected:
        problems.append(f"self-test: the judge did not catch the wrong server: {lines[:3]} {err[-500:]}")
    else:
        print(f"self-test: a wrong server is caught ({len(rejected)} answers rejected): {rejected[0]['message'][:160]}")
    return problems


def load_known(path):
    """Operations known to fail in a setting, each with the open defect of
    ours (or the spec's) that makes it fail: (spec file name, setting,
    operation id) -> why."""
    return load_defects(path)


def load_defects(path):
    """(spec file name, setting, operation id) -> why. A class of failures
    is one line with `*` for the operation (and for the spec, if any spec)
    and a quoted text: `* judge * "PROXY_UNSUPPORTED_REQUEST_BODY" why`
    excuses an operation when every failure of it says that text."""
    defects = {}
    if not path or not os.path.exists(path):
        return defects
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            spec, setting, op, why = line.split(None, 3)
            if op == "*":
                text, _, why = why[1:].partition('"')
                op = "*" + text
            defects[(spec, setting, op)] = why.strip()
    return defects


# Negative outcomes that pass (codegen/src/conformance.rs NegativeResult::passed).
PASSING_NEGATIVES = ("refused", "both-accept", "unjudged", "judge-blind")


def failure_messages(op):
    """What went wrong with an operation that did not pass, one per failure."""
    messages = [c["message"] for c in op["calls"] if c["outcome"] != "pass"]
    messages += [n["message"] for n in op["negatives"] if n.get("outcome") not in PASSING_NEGATIVES]
    return messages or [op["summary"]]


def excused_by(defects, name, setting, op):
    """The listed key that excuses a failed operation: its own line, else
    the class lines (of its spec or of any) that explain every failure."""
    key = (name, setting, op["operation"])
    if key in defects:
        return [key]
    classes = [k for k in defects if k[1] == setting and k[0] in (name, "*") and k[2].startswith("*")]
    used = []
    for message in failure_messages(op):
        match = next((k for k in classes if k[2][1:] in message), None)
        if match is None:
            return []
        if match not in used:
            used.append(match)
    return used


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--codegen", required=True)
    p.add_argument("--prism", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--settings", default=",".join(SETTINGS))
    p.add_argument("--defects")
    p.add_argument("--known")
    p.add_argument("specs", nargs="+")
    args = p.parse_args()
    settings = [s for s in args.settings.split(",") if s]
    os.makedirs(args.work, exist_ok=True)
    defects = load_defects(args.defects)
    for key, why in load_known(args.known).items():
        defects[key] = "known failure: " + why
    used = set()
    rows, failures, status = [], [], 0
    for spec in args.specs:
        name = os.path.basename(spec)
        # Unique per spec: public documents share file names across providers.
        stem = re.sub(r"[^A-Za-z0-9]+", "_", spec).strip("_")[-90:]
        row = {"spec": spec, "operations": None}
        rows.append(row)
        for setting in settings:
            started = time.time()
            result, error = one_setting(args, spec, setting, stem)
            took = time.time() - started
            if result is None and "No operations found in the current file" in (error or ""):
                # Only webhooks or only schemas: no path for a judge to route.
                row[setting] = "n/a"
                print(f"{spec} [{setting}]: no paths, so nothing for Prism to judge or mock", flush=True)
                continue
            if result is None:
                row[setting] = "error"
                failures.append(f"{spec} [{setting}]: the run failed:\n{error}")
                status = 1
                continue
            row["operations"] = result["operations_total"]
            passed, excused = 0, 0
            for op in result["operations"]:
                key = (name, setting, op["operation"])
                excuses = [] if op["passed"] else excused_by(defects, name, setting, op)
                if op["passed"]:
                    passed += 1
                    if key in defects:
                        used.add(key)
                        failures.append(f"{spec} [{setting}] `{op['operation']}`: listed as failing but passes: remove it from the list")
                        status = 1
                elif excuses:
                    used.update(excuses)
                    excused += 1
                    why = "; ".join(defects[k] for k in excuses)
                    print(f"listed: {spec} [{setting}] `{op['operation']}`: {why}")
                else:
                    failures.append(f"{spec} [{setting}] {op['location']}: {op['summary']}")
                    status = 1
            row[setting] = f"{passed}" + (f" (+{excused} listed)" if excused else "")
            print(f"{spec} [{setting}]: {passed}/{result['operations_total']} operations pass"
                  + (f", {excused} listed (judge-defects.txt, known-failures.txt)" if excused else "") + f" ({took:.0f} s)", flush=True)
    # A class line that excused nothing has rotted (only judged where its
    # spec and setting ran).
    ran = {(os.path.basename(sp), st) for sp in args.specs for st in settings}
    for key, why in defects.items():
        if key[2].startswith("*") and key not in used and any(
                (key[0] in (n, "*")) and key[1] == st for n, st in ran):
            if key[0] != "*":
                failures.append(f"{key[0]} [{key[1]}] class \"{key[2][1:]}\": listed but no failure says it: remove it from the list")
                status = 1
    if "judge" in settings and any(os.path.basename(s) == "tokens.yaml" for s in args.specs):
        for problem in judge_self_test(args):
            failures.append(problem)
            status = 1
    print()
    header = ["spec", "operations"] + list(settings)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        cells = [r["spec"], str(r["operations"] if r["operations"] is not None else "?")]
        cells += [str(r.get(s, "-")) for s in settings]
        print("| " + " | ".join(cells) + " |")
    if failures:
        print("\nfailures:")
        for f in failures:
            print("  " + f)
    print(f"\nconformance: {'ok' if status == 0 else 'FAILED'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
