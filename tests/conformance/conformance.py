"""Drives `codegen --conformance` over specs in three settings and tabulates.

For every spec:
  server  the generated client against the generated server on loopback
          (its stub answering every documented variant in turn);
  judge   the same, through Prism's proxy (`prism proxy --errors`): every
          request and every answer is validated by Prism, which refuses
          what breaks the spec;
  mock    the generated client against Prism's mock of the spec
          (`prism mock --errors`, through `--against`).

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
            prism = start_prism(args.prism, ["mock", spec, "--host", "127.0.0.1",
                                             "--port", str(mock), "--errors"], prism_log)
            extra = ["--against", f"http://127.0.0.1:{mock}"]
        code, data = run_codegen(args.codegen, spec, report, extra, log)
    except RuntimeError as e:
        return None, str(e)
    finally:
        stop(prism)
    if not data:
        with open(log) as f:
            return None, f.read()[-3000:]
    return data[0], None


def load_defects(path):
    defects = {}
    if not path or not os.path.exists(path):
        return defects
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            spec, setting, op, why = line.split(None, 3)
            defects[(spec, setting, op)] = why
    return defects


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--codegen", required=True)
    p.add_argument("--prism", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--settings", default=",".join(SETTINGS))
    p.add_argument("--defects")
    p.add_argument("specs", nargs="+")
    args = p.parse_args()
    settings = [s for s in args.settings.split(",") if s]
    os.makedirs(args.work, exist_ok=True)
    defects = load_defects(args.defects)
    used = set()
    rows, failures, status = [], [], 0
    for spec in args.specs:
        name = os.path.basename(spec)
        stem = name.rsplit(".", 1)[0]
        row = {"spec": spec, "operations": None}
        rows.append(row)
        for setting in settings:
            started = time.time()
            result, error = one_setting(args, spec, setting, stem)
            took = time.time() - started
            if result is None:
                row[setting] = "error"
                failures.append(f"{spec} [{setting}]: the run failed:\n{error}")
                status = 1
                continue
            row["operations"] = result["operations_total"]
            passed, excused = 0, 0
            for op in result["operations"]:
                key = (name, setting, op["operation"])
                if op["passed"]:
                    passed += 1
                    if key in defects:
                        used.add(key)
                        failures.append(f"{spec} [{setting}] `{op['operation']}`: listed in judge-defects.txt but passes: remove it")
                        status = 1
                elif key in defects:
                    used.add(key)
                    excused += 1
                    print(f"known judge defect: {spec} [{setting}] `{op['operation']}`: {defects[key]}")
                else:
                    failures.append(f"{spec} [{setting}] {op['location']}: {op['summary']}")
                    status = 1
            row[setting] = f"{passed}" + (f" (+{excused} judge defects)" if excused else "")
            print(f"{spec} [{setting}]: {passed}/{result['operations_total']} operations pass"
                  + (f", {excused} known judge defects" if excused else "") + f" ({took:.0f} s)", flush=True)
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
