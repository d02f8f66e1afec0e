#!/usr/bin/env python3
"""Benchmark driver behind bench/run.sh (which installs the tools and builds
the binaries first; run that, not this).

Measures, in one run, on this machine:
  generation   whole-process wall time (median of N runs after a warm-up) and
               peak RSS (getrusage of the reaped child) of codegen, cargo-progenitor,
               openapi-to-rust and openapi-generator (rust, rust-axum) on the same inputs,
               and the lines of Rust each one writes;
  stages       criterion per-stage medians (load, lower, emit, format, expand);
  build        `cargo build` (debug) of each generated crate alone, deps prebuilt;
  runtime      generated server vs hand-written Axum handler (requests/s, p99),
               generated client vs plain reqwest (per call).

Writes target/bench/results.{json,md} (a smoke run: results-smoke.{json,md}),
prints the markdown, and with --write replaces the results section of
BENCHMARKS.md; --report-only redoes the markdown from the last results.json.
Every process it starts is stopped before it exits (also on SIGINT/SIGTERM).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench"
SPECS_DIR = OUT / "specs"
BEGIN = "<!-- bench:begin (written by bench/run.sh --write; do not edit by hand) -->"
END = "<!-- bench:end -->"

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

# Started processes, stopped on any exit.
CHILDREN = []


def stop_children():
    for p in CHILDREN:
        if p.poll() is None:
            p.terminate()
    deadline = time.time() + 5
    for p in CHILDREN:
        try:
            p.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    CHILDREN.clear()


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def module_name(path):
    return re.sub(r"[^a-z0-9]+", "_", Path(path).stem.lower()).strip("_")


# ---------------------------------------------------------------------------
# Timing a whole process


def run_timed(cmd, logfile, timeout, cwd=None, env=None):
    """Runs cmd; returns (exit code, wall seconds, peak RSS in MB)."""
    with open(logfile, "w") as out:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        CHILDREN.append(p)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        CHILDREN.remove(p)
    return p.returncode, wall, usage.ru_maxrss / 1024.0


FAILURE_PATTERNS = [
    r"panicked at",
    r"not yet implemented",
    r"gen fail",
    r"^Error",
    r"error(\[E\d+\])?:",
    r"Exception",
    r"\[error\]",
]


def failure_reason(logfile, code):
    lines = Path(logfile).read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if "panicked at" in line and i + 1 < len(lines):
            return lines[i + 1].strip()[:160]
    for pattern in FAILURE_PATTERNS:
        for line in lines:
            if re.search(pattern, line):
                return line.strip()[:160]
    tail = [l for l in lines if l.strip()][-1:] or [f"exit {code}"]
    return tail[0].strip()[:160]


def count_rust_lines(directory):
    total = 0
    for f in Path(directory).rglob("*.rs"):
        with open(f, "rb") as fh:
            total += sum(1 for _ in fh)
    return total


# ---------------------------------------------------------------------------
# Generators


def generators(args):
    """name -> function(spec, outdir) -> argv; None where the tool is missing."""
    gens = {}
    codegen = ROOT / "target" / args.profile / "codegen"
    gens["codegen"] = lambda spec, out: [str(codegen), str(spec), "--out", str(out), "-q"]
    gens["codegen (types+client)"] = lambda spec, out: [
        str(codegen), str(spec), "--out", str(out), "-q", "--parts", "types,client"]
    if args.progenitor and Path(args.progenitor).exists():
        gens["progenitor"] = lambda spec, out: [
            args.progenitor, "progenitor", "-i", str(spec), "-o", str(out),
            "-n", module_name(spec), "-v", "0.1.0"]
    else:
        gens["progenitor"] = None
    if args.openapi_to_rust and Path(args.openapi_to_rust).exists():
        # Direct mode: types and client (its default), written as mod.rs,
        # types.rs, client.rs and REQUIRED_DEPS.toml into the output directory.
        gens["openapi-to-rust"] = lambda spec, out: [
            args.openapi_to_rust, "generate", str(spec), "--output-dir", str(out),
            "--module-name", module_name(spec), "--quiet"]
    else:
        gens["openapi-to-rust"] = None
    if args.openapi_generator_jar and Path(args.openapi_generator_jar).exists() and shutil.which("java"):
        for g in ("rust", "rust-axum"):
            gens[f"openapi-generator {g}"] = (lambda g: lambda spec, out: [
                "java", "-jar", args.openapi_generator_jar, "generate", "-i", str(spec),
                "-g", g, "-o", str(out)])(g)
    else:
        gens["openapi-generator rust"] = None
        gens["openapi-generator rust-axum"] = None
    return gens


def bench_generation(args, specs, results):
    gens = generators(args)
    out_root = OUT / "gen"
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    rows = []
    for spec in specs:
        for name, make in gens.items():
            if name == "codegen (types+client)" and spec.name not in args.client_only_specs:
                continue
            row = {"spec": spec.name, "tool": name, "ok": False}
            rows.append(row)
            if make is None:
                row["reason"] = "not installed"
                continue
            slug = re.sub(r"[^a-z0-9]+", "-", f"{name}-{spec.stem}".lower())
            outdir = out_root / slug
            logfile = logs / f"gen-{slug}.log"
            times, peaks = [], []
            runs = args.warmup + args.runs
            for i in range(runs):
                shutil.rmtree(outdir, ignore_errors=True)
                outdir.mkdir(parents=True)
                code, wall, peak = run_timed(make(spec, outdir), logfile, args.gen_timeout, cwd=out_root)
                if code != 0:
                    row["reason"] = failure_reason(logfile, code)
                    break
                if i >= args.warmup:
                    times.append(wall)
                    peaks.append(peak)
            else:
                row.update(
                    ok=True,
                    median_s=statistics.median(times),
                    min_s=min(times),
                    runs=len(times),
                    peak_mb=max(peaks),
                    lines=count_rust_lines(outdir),
                    out=str(outdir.relative_to(ROOT)),
                )
            status = f"{row['median_s']*1000:.0f} ms, {row['peak_mb']:.0f} MB" if row["ok"] else f"FAILED: {row.get('reason')}"
            log(f"generate {spec.name} with {name}: {status}")
    results["generation"] = rows


# ---------------------------------------------------------------------------
# Criterion stages


def bench_stages(args, specs, results):
    env = dict(os.environ, CODEGEN_BENCH_SPECS=",".join(str(s) for s in specs))
    if args.smoke:
        cmd = ["cargo", "test", "-q", "--locked", "-p", "codegen", "--bench", "stages"]
    else:
        cmd = ["cargo", "bench", "--locked", "-p", "codegen", "--bench", "stages", "--",
               "--warm-up-time", "1", "--measurement-time", str(args.stage_seconds), "--noplot"]
    log("stages: " + " ".join(cmd))
    logfile = OUT / "logs" / "stages.log"
    code, wall, _ = run_timed(cmd, logfile, 3600, cwd=ROOT, env=env)
    if code != 0:
        sys.stderr.write(Path(logfile).read_text(errors="replace")[-4000:])
        raise SystemExit(f"bench: criterion failed (see {logfile})")
    stages = []
    for spec in specs:
        row = {"spec": spec.name}
        for stage in ("load", "lower", "emit", "render", "expand"):
            est = ROOT / "target" / "criterion" / module_name(spec) / stage / "new" / "estimates.json"
            if not args.smoke and est.exists():
                row[stage] = json.loads(est.read_text())["median"]["point_estimate"] / 1e6  # ms
        stages.append(row)
    results["stages"] = {"command": " ".join(cmd), "seconds": wall, "rows": stages}
    log(f"stages: done in {wall:.0f} s")


# ---------------------------------------------------------------------------
# Generated crates: lines and debug build time


def workspace_deps():
    root = tomllib.loads((ROOT / "Cargo.toml").read_text())
    return root["workspace"]["dependencies"]


def toml_value(v):
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    return str(v)


# Dependencies of generated/ that only its hand-written demo uses.
DEMO_ONLY_DEPS = {"sha2", "getrandom"}


def ours_manifest(name):
    generated = tomllib.loads((ROOT / "generated" / "Cargo.toml").read_text())
    wdeps = workspace_deps()
    lines = [
        "[package]", f'name = "{name}"', 'version = "0.1.0"', 'edition = "2021"', "publish = false",
        "", "[dependencies]",
    ]
    for dep in generated["dependencies"]:
        if dep in DEMO_ONLY_DEPS:
            continue
        spec = wdeps[dep]
        if isinstance(spec, dict) and "path" in spec:
            # A path dependency (the runtime crate): absolute, the scratch crate lives elsewhere.
            spec = dict(spec, path=str((ROOT / spec["path"]).resolve()))
        lines.append(f"{dep} = {toml_value(spec)}")
    return "\n".join(lines) + "\n"


def openapi_to_rust_manifest(name, required_deps):
    """openapi-to-rust writes the dependencies its output needs as a
    REQUIRED_DEPS.toml fragment ([dependencies] ...); its code needs edition 2024."""
    return "\n".join([
        "[package]", f'name = "{name}"', 'version = "0.1.0"', 'edition = "2024"', "publish = false", "",
    ]) + "\n" + required_deps


# Tools whose generated crate is built, and the prefix of its scratch crate.
BUILD_TOOLS = (("codegen", "ours"), ("codegen (types+client)", "ours_tc"), ("progenitor", "prog"),
               ("openapi-to-rust", "o2r"))
# Peers' crates that fail to build are recorded as failures; ours failing stops the run.
PEERS = {"progenitor", "openapi-to-rust"}


def first_error(logfile):
    lines = Path(logfile).read_text(errors="replace").splitlines()
    for line in lines:
        if re.match(r"error(\[E\d+\])?:", line):
            return line.strip()[:160]
    return failure_reason(logfile, "?")


def bench_build(args, results):
    """Scratch workspace target/bench/build: our crate (all parts, and types+client)
    and progenitor's and openapi-to-rust's crates for each spec they generate; deps
    built first, then each crate rebuilt alone after touching its lib.rs."""
    gen = {(r["spec"], r["tool"]): r for r in results["generation"] if r["ok"]}
    ws = OUT / "build"
    shutil.rmtree(ws / "crates", ignore_errors=True)
    (ws / "crates").mkdir(parents=True)
    crates = []
    for spec in args.build_specs:
        for tool, prefix in BUILD_TOOLS:
            r = gen.get((spec, tool))
            if not r:
                continue
            name = f"{prefix}_{module_name(spec)}"
            crate = ws / "crates" / name
            src = ROOT / r["out"]
            if tool == "progenitor":
                shutil.copytree(src, crate)
                manifest = (crate / "Cargo.toml").read_text()
                manifest = re.sub(r'(?m)^name = ".*"$', f'name = "{name}"', manifest, count=1)
                (crate / "Cargo.toml").write_text(manifest)
            elif tool == "openapi-to-rust":
                # Its output is a module (mod.rs, types.rs, client.rs): src/api/ under a one-line lib.rs.
                shutil.copytree(src, crate / "src" / "api")
                required = crate / "src" / "api" / "REQUIRED_DEPS.toml"
                (crate / "Cargo.toml").write_text(openapi_to_rust_manifest(name, required.read_text()))
                required.unlink()
                (crate / "src" / "lib.rs").write_text("pub mod api;\n")
            else:
                shutil.copytree(src, crate / "src")
                (crate / "Cargo.toml").write_text(ours_manifest(name))
            crates.append({"spec": spec, "tool": tool, "crate": name, "lines": count_rust_lines(crate / "src")})
    if not crates:
        results["build"] = []
        return
    members = ", ".join(f'"crates/{c["crate"]}"' for c in crates)
    (ws / "Cargo.toml").write_text(f'[workspace]\nresolver = "2"\nmembers = [{members}]\n')
    # Same versions as the main workspace wherever they overlap.
    shutil.copy(ROOT / "Cargo.lock", ws / "Cargo.lock")
    # No incremental cache: each timed build compiles the crate from scratch,
    # as a first build of a freshly generated crate would.
    env = dict(os.environ, CARGO_TARGET_DIR=str(ws / "target"), CARGO_TERM_COLOR="never", CARGO_INCREMENTAL="0")
    logfile = OUT / "logs" / "build.log"
    if args.smoke:
        # Deps for these crates are not built in CI: check the manifests only.
        code, _, _ = run_timed(["cargo", "metadata", "-q", "--format-version", "1"], logfile, 600, cwd=ws, env=env)
        if code != 0:
            raise SystemExit(f"bench: scratch crates do not resolve (see {logfile})")
        results["build"] = crates
        log(f"build: {len(crates)} scratch crate(s) resolve (smoke: not compiled)")
        return
    log("build: dependencies of the scratch crates (not timed)")
    # Each crate alone (-p), not the whole workspace: features are unified over
    # the packages selected, so a workspace build would leave the dependencies
    # of `-p <crate>` (other features of reqwest, hyper, ...) to the first timed
    # build. A peer's crate that does not compile is recorded and skipped.
    for c in crates:
        crate_log = OUT / "logs" / f"build-{c['crate']}.log"
        code, _, _ = run_timed(["cargo", "build", "-q", "-p", c["crate"]], crate_log, 3600, cwd=ws, env=env)
        if code != 0:
            if c["tool"] not in PEERS:
                sys.stderr.write(Path(crate_log).read_text(errors="replace")[-4000:])
                raise SystemExit(f"bench: {c['crate']} does not build (see {crate_log})")
            c["build_error"] = first_error(crate_log)
            log(f"build: {c['crate']} FAILED: {c['build_error']}")
    for c in crates:
        if "build_error" in c:
            continue
        times = []
        crate_log = OUT / "logs" / f"build-{c['crate']}.log"
        for _ in range(args.build_runs):
            lib = ws / "crates" / c["crate"] / "src" / "lib.rs"
            os.utime(lib)
            code, wall, _ = run_timed(["cargo", "build", "-q", "--offline", "-p", c["crate"]], crate_log, 1800, cwd=ws, env=env)
            if code != 0:
                raise SystemExit(f"bench: {c['crate']} built once but not again (see {crate_log})")
            times.append(wall)
        c["build_s"] = statistics.median(times)
        log(f"build: {c['crate']} {c['build_s']:.1f} s")
    results["build"] = crates


# ---------------------------------------------------------------------------
# Runtime


def pinned(cmd, cpu):
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", str(cpu)] + cmd
    return cmd


def start_server(cmd, name, logfile):
    err = open(logfile, "w")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
    CHILDREN.append(p)
    line = [None]

    def read():
        line[0] = p.stdout.readline()

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(30)
    m = re.search(r"http://[\d.]+:\d+", line[0] or "")
    if not m:
        raise SystemExit(f"bench: {name} did not start (see {logfile})")
    return m.group(0)


def fetch_json(url):
    req = urllib.request.Request(url, headers={"Authorization": "Bearer demo-losant-token"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def bench_runtime(args, results):
    binary = str(ROOT / "target" / args.profile / "bench-runtime")
    example = str(ROOT / "target" / args.profile / "token-server")
    query = "/me/tokens?sortField=name&sortDirection=asc&page=0&perPage=10"
    logs = OUT / "logs"
    servers = {
        "generated": start_server(pinned([binary, "serve", "--kind", "generated", "--threads", "1"], 0),
                                  "generated server", logs / "server-generated.log"),
        "hand-written": start_server(pinned([binary, "serve", "--kind", "handwritten", "--threads", "1"], 0),
                                     "hand-written server", logs / "server-handwritten.log"),
        # The same handler copying its strings into the answer, as the generated
        # traits' owned response types make the demo service do.
        "hand-written, owned answer": start_server(
            pinned([binary, "serve", "--kind", "handwritten-owned", "--threads", "1"], 0),
            "hand-written server (owned)", logs / "server-handwritten-owned.log"),
    }
    if Path(example).exists():
        # As shipped: logs a line per request (to a file here) and uses tokio's default workers.
        servers["token-server example"] = start_server(
            pinned([example, "--addr", "127.0.0.1:0"], 0), "token-server example", logs / "server-example.log")
    answers = {k: fetch_json(u + query) for k, u in servers.items()}
    for k, a in answers.items():
        if a != answers["hand-written"]:
            raise SystemExit(f"bench: {k} and the hand-written server answer differently:\n{a}\n{answers['hand-written']}")
    log(f"runtime: {len(servers)} servers answer the same JSON for GET {query}")

    samples = {k: [] for k in servers}
    kinds = list(servers)
    for rnd in range(args.rounds):
        order = kinds[rnd % len(kinds):] + kinds[:rnd % len(kinds)]
        for kind in order:
            cmd = pinned([binary, "load", "--url", servers[kind] + query, "-H", "Authorization: Bearer demo-losant-token",
                          "--concurrency", str(args.concurrency), "--duration", str(args.duration),
                          "--warmup", str(args.load_warmup)], 1)
            out = subprocess.run(cmd, check=True, text=True, capture_output=True, timeout=args.duration + args.load_warmup + 60).stdout
            r = json.loads(out)
            if r["errors"]:
                raise SystemExit(f"bench: {kind} answered {r['errors']} non-2xx responses under load")
            samples[kind].append(r)
            log(f"runtime: round {rnd + 1} {kind}: {r['rps']:.0f} req/s, p99 {r['p99_us']} us")
    load = []
    for kind, rs in samples.items():
        load.append({
            "server": kind,
            "rps": statistics.median(r["rps"] for r in rs),
            "p50_us": statistics.median(r["p50_us"] for r in rs),
            "p99_us": statistics.median(r["p99_us"] for r in rs),
            "requests": sum(r["requests"] for r in rs),
            "rounds": len(rs),
        })
    client_cmd = pinned([binary, "client", "--base-url", servers["hand-written"],
                         "--calls", str(args.client_calls), "--rounds", str(args.client_rounds)], 1)
    out = subprocess.run(client_cmd, check=True, text=True, capture_output=True, timeout=600).stdout
    client = json.loads(out)
    log(f"runtime: generated client {client['generated']['median_us']:.0f} us vs reqwest "
        f"{client['reqwest']['median_us']:.0f} us per call ({client['overhead_pct']:+.1f}%); "
        f"with retries and tracing {client['retry_tracing']['median_us']:.0f} us "
        f"({client['retry_tracing_overhead_pct']:+.1f}%)")
    stop_children()
    results["runtime"] = {
        "route": "GET " + query,
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "warmup_s": args.load_warmup,
        "rounds": args.rounds,
        "pinned": bool(shutil.which("taskset")) and (os.cpu_count() or 1) >= 2,
        "load": load,
        "client": client,
        "client_calls": args.client_calls * args.client_rounds,
    }


# ---------------------------------------------------------------------------
# Report


def machine():
    def first(cmd):
        try:
            return sh(cmd).strip()
        except Exception:  # noqa: BLE001
            return "?"

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = first(["free", "-h"]).splitlines()
    mem_total = mem[1].split()[1] if len(mem) > 1 else "?"
    java = "?"
    try:
        java = subprocess.run(["java", "-version"], text=True, capture_output=True).stderr.splitlines()[0]
    except Exception:  # noqa: BLE001
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": first(["nproc"]),
        "cpu": cpu,
        "memory": mem_total,
        "uname": " ".join(platform.uname()[i] for i in (0, 2, 4)),
        "rustc": first(["rustc", "--version"]),
        "java": java,
        "load_start": first(["uptime"]),
    }


def fmt_ms(s):
    return f"{s * 1000:,.0f} ms" if s >= 0.0995 else f"{s * 1000:.1f} ms"


def ops_of(spec_name):
    m = re.match(r"synth_(\d+)\.yaml$", spec_name)
    return int(m.group(1)) if m else {"tokens.yaml": 11, "github-2020.yaml": 623}.get(spec_name)


def verdict(ok):
    return "met" if ok else "**missed**"


def report(args, results):
    m = results["machine"]
    out = []
    w = out.append
    w(f"Measured {m['date']} by `{results['command']}` on {m['nproc']} cores ({m['cpu']}), "
      f"{m['memory']} RAM, {m['uname']}; {m['rustc']}; {m['java']}.")
    w("")
    w(f"Load: `{m['load_start']}` at the start, `{m.get('load_end', '?')}` at the end "
      "(other work on the machine makes every figure noisier and slower).")
    w("")
    if args.smoke:
        w("**Smoke run**: one run per input, debug builds, tiny load; the figures only show that the benchmarks work.")
        w("")

    # Generation
    gen = results["generation"]
    specs = list(dict.fromkeys(r["spec"] for r in gen))
    tools = list(dict.fromkeys(r["tool"] for r in gen))
    w(f"### Generation, whole process (median of {args.runs} after {args.warmup} warm-up; peak RSS)")
    w("")
    w("| spec (operations) | " + " | ".join(tools) + " |")
    w("|---|" + "---|" * len(tools))
    by = {(r["spec"], r["tool"]): r for r in gen}
    for spec in specs:
        cells = []
        for tool in tools:
            r = by.get((spec, tool))
            if r is None:
                cells.append("")
            elif r["ok"]:
                cells.append(f"{fmt_ms(r['median_s'])}, {r['peak_mb']:.0f} MB")
            else:
                cells.append("fails" if r.get("reason") != "not installed" else "not installed")
        w(f"| {spec} ({ops_of(spec)}) | " + " | ".join(cells) + " |")
    w("")
    fails = [r for r in gen if not r["ok"] and r.get("reason") != "not installed"]
    if fails:
        w("Failures:")
        w("")
        for r in fails:
            w(f"- {r['tool']} on {r['spec']}: `{r['reason']}`")
        w("")
    w("Lines of Rust written (all `.rs` files of the output):")
    w("")
    w("| spec | " + " | ".join(tools) + " |")
    w("|---|" + "---|" * len(tools))
    for spec in specs:
        cells = []
        for tool in tools:
            r = by.get((spec, tool))
            cells.append(f"{r['lines']:,}" if r and r["ok"] else "")
        w(f"| {spec} | " + " | ".join(cells) + " |")
    w("")

    # Growth
    synth_rows = sorted((ops_of(r["spec"]), r) for r in gen if r["tool"] == "codegen" and r["ok"] and r["spec"].startswith("synth_"))
    if len(synth_rows) >= 2:
        w("Growth of codegen with operations (synthetic specs):")
        w("")
        w("| operations | wall | per operation | peak RSS |")
        w("|---|---|---|---|")
        for n, r in synth_rows:
            w(f"| {n} | {fmt_ms(r['median_s'])} | {r['median_s'] * 1000 / n:.2f} ms | {r['peak_mb']:.0f} MB |")
        w("")

    # Stages
    st = results.get("stages")
    if st and any(len(r) > 1 for r in st["rows"]):
        w(f"### Per stage (criterion medians, `{st['command']}`)")
        w("")
        w("| spec | load | lower | emit | render (parallel emit+format) | expand (macro) |")
        w("|---|---|---|---|---|---|")
        for r in st["rows"]:
            cells = [f"{r[s]:.2f} ms" if r.get(s) is not None and r[s] < 100 else (f"{r[s]:,.0f} ms" if r.get(s) is not None else "") for s in ("load", "lower", "emit", "render", "expand")]
            w(f"| {r['spec']} | " + " | ".join(cells) + " |")
        w("")
        w("`emit` plans the names and builds every part's tokens; "
          "`render` is emit, `syn` parsing and prettyplease with one thread per part (what the CLI runs after lowering); "
          "`expand` is `codegen::generate_file` + `GeneratedModule::to_tokens`, the library call the "
          "`#[token_api]` macro makes (its expansion cost, without rustc's own work on the tokens).")
        w("")

    # Build
    b = results.get("build") or []
    if b:
        w("### Generated crate: debug `cargo build` of the crate alone, dependencies prebuilt"
          + (" (median of %d)" % args.build_runs if not args.smoke else ""))
        w("")
        w("| spec | crate | parts | lines | build |")
        w("|---|---|---|---|---|")
        parts = {"codegen": "types, client, server", "codegen (types+client)": "types, client", "progenitor": "client",
                 "openapi-to-rust": "types, client"}
        for c in b:
            build = f"{c['build_s']:.1f} s" if "build_s" in c else ("fails" if "build_error" in c else "not run (smoke)")
            w(f"| {c['spec']} | {c['tool']} | {parts[c['tool']]} | {c['lines']:,} | {build} |")
        w("")
        broken = [c for c in b if "build_error" in c]
        if broken:
            w("Build failures:")
            w("")
            for c in broken:
                w(f"- {c['tool']} on {c['spec']}: `{c['build_error']}`")
            w("")

    # Runtime
    rt = results.get("runtime")
    if rt:
        w(f"### Runtime on loopback: `{rt['route']}`")
        w("")
        w(f"Closed loop, {rt['concurrency']} keep-alive connections, {rt['duration_s']} s measured after "
          f"{rt['warmup_s']} s warm-up, median of {rt['rounds']} interleaved round(s); "
          + ("server on CPU 0 (one tokio worker), load generator on CPU 1 (`taskset`)." if rt["pinned"] else "not pinned to CPUs."))
        w("")
        w("| server | requests/s | p50 | p99 |")
        w("|---|---|---|---|")
        for r in rt["load"]:
            w(f"| {r['server']} | {r['rps']:,.0f} | {r['p50_us'] / 1000:.2f} ms | {r['p99_us'] / 1000:.2f} ms |")
        w("")
        c = rt["client"]
        w(f"Client, one call at a time against the hand-written server, {rt['client_calls']:,} calls each, interleaved blocks:")
        w("")
        w("| client | median per call | mean | p99 |")
        w("|---|---|---|---|")
        for k, label in (("generated", "generated `Client`"), ("retry_tracing", "generated, `Retry::new()` + tracing spans"),
                         ("reqwest", "plain `reqwest`")):
            if k not in c:
                continue
            s = c[k]
            w(f"| {label} | {s['median_us']:.0f} µs | {s['mean_us']:.0f} µs | {s['p99_us']:.0f} µs |")
        w("")

    # Targets
    w("### Targets" + (" (a smoke run's figures say nothing about them)" if args.smoke else ""))
    w("")
    w("| target | measured | |")
    w("|---|---|---|")
    for line in targets(results):
        w(line)
    w("")
    return "\n".join(out)


def targets(results):
    gen = results["generation"]
    by = {(r["spec"], r["tool"]): r for r in gen if r["ok"]}
    rows = []
    # vs progenitor
    any_progenitor = False
    for ours, label in (("codegen", "all parts"), ("codegen (types+client)", "types+client, progenitor's scope")):
        ratios = [(spec, r["median_s"] / by[(spec, ours)]["median_s"]) for (spec, tool), r in by.items()
                  if tool == "progenitor" and (spec, ours) in by]
        if ratios:
            any_progenitor = True
            s = ", ".join(f"{spec} {x:.2f}x" for spec, x in ratios)
            rows.append(f"| generation >= 5x faster than progenitor where it succeeds (ours: {label}) | {s} | {verdict(all(x >= 5 for _, x in ratios))} |")
    if not any_progenitor:
        rows.append("| generation >= 5x faster than progenitor | progenitor not run or failed on every input | n/a |")
    for g in ("openapi-generator rust", "openapi-generator rust-axum"):
        ratios = [(spec, r["median_s"] / by[(spec, "codegen")]["median_s"]) for (spec, tool), r in by.items()
                  if tool == g and (spec, "codegen") in by]
        if ratios:
            s = ", ".join(f"{spec} {x:.1f}x" for spec, x in ratios)
            rows.append(f"| generation >= 20x faster than {g} | {s} | {verdict(all(x >= 20 for _, x in ratios))} |")
    gh = by.get(("github-2020.yaml", "codegen"))
    if gh:
        rows.append(f"| github-2020.yaml end to end < 1 s | {fmt_ms(gh['median_s'])} | {verdict(gh['median_s'] < 1)} |")
        rows.append(f"| github-2020.yaml peak memory < 300 MB | {gh['peak_mb']:.0f} MB | {verdict(gh['peak_mb'] < 300)} |")
    synth_rows = sorted((ops_of(r["spec"]), r) for r in gen if r["tool"] == "codegen" and r["ok"] and r["spec"].startswith("synth_"))
    if len(synth_rows) >= 2:
        per = [r["median_s"] / n for n, r in synth_rows]
        (n0, r0), (n1, r1) = synth_rows[-2], synth_rows[-1]
        growth = r1["median_s"] / r0["median_s"]
        # Linear: time grows by at most ~1.5x the operation ratio between the two largest sizes.
        ok = growth <= 1.5 * (n1 / n0)
        mem = r1["peak_mb"] / r0["peak_mb"]
        rows.append(f"| cost linear in operations (within 1.5x of linear) | {n0} -> {n1} operations (x{n1 / n0:.0f}): time x{growth:.1f}, "
                    f"peak memory x{mem:.1f}; per operation {', '.join(f'{p * 1000:.2f}' for p in per)} ms | {verdict(ok)} |")
    b = results.get("build") or []
    built = {(c["spec"], c["tool"]): c for c in b if "build_s" in c}
    pairs = [(spec, c, built.get((spec, "progenitor"))) for (spec, tool), c in built.items() if tool == "codegen"]
    pairs = [(s, c, p) for s, c, p in pairs if p]
    if pairs:
        s = ", ".join(f"{spec}: {c['build_s']:.1f} s vs {p['build_s']:.1f} s" for spec, c, p in pairs)
        rows.append(f"| generated crate (all parts) builds no slower than progenitor's | {s} | {verdict(all(c['build_s'] <= p['build_s'] * 1.05 for _, c, p in pairs))} |")
    pairs = [(spec, c, built.get((spec, "progenitor"))) for (spec, tool), c in built.items() if tool == "codegen (types+client)"]
    pairs = [(s, c, p) for s, c, p in pairs if p]
    if pairs:
        s = ", ".join(f"{spec}: {c['build_s']:.1f} s vs {p['build_s']:.1f} s" for spec, c, p in pairs)
        rows.append(f"| (same, ours without the server: progenitor's scope) | {s} | {verdict(all(c['build_s'] <= p['build_s'] * 1.05 for _, c, p in pairs))} |")
    rt = results.get("runtime")
    if rt:
        load = {r["server"]: r for r in rt["load"]}
        ratio = load["generated"]["rps"] / load["hand-written"]["rps"]
        rows.append(f"| generated server >= 0.9x hand-written throughput | {ratio:.2f}x ({load['generated']['rps']:,.0f} vs {load['hand-written']['rps']:,.0f} req/s) | {verdict(ratio >= 0.9)} |")
        owned = load.get("hand-written, owned answer")
        if owned:
            r2 = load["generated"]["rps"] / owned["rps"]
            rows.append(f"| (same, against the hand-written handler with an owned answer) | {r2:.2f}x ({owned['rps']:,.0f} req/s) | {verdict(r2 >= 0.9)} |")
        o = rt["client"]["overhead_pct"]
        rows.append(f"| generated client within 5% of plain reqwest | {o:+.1f}% per call (median) | {verdict(o <= 5)} |")
        rt_o = rt["client"].get("retry_tracing_overhead_pct")
        if rt_o is not None:
            rows.append(f"| (same, with a retry policy and tracing spans, nothing retried) | {rt_o:+.1f}% per call (median) | {verdict(rt_o <= 5)} |")
    return rows


def write_benchmarks_md(md):
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit("bench: BENCHMARKS.md has no results markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n\n{md}\n{END}{tail}")
    log("rewrote the results section of BENCHMARKS.md")


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--write", action="store_true", help="rewrite the results section of BENCHMARKS.md")
    ap.add_argument("--only", default="generation,stages,build,runtime")
    ap.add_argument("--profile", default="release")
    ap.add_argument("--progenitor")
    ap.add_argument("--openapi-to-rust")
    ap.add_argument("--openapi-generator-jar")
    ap.add_argument("--command", default="bash bench/run.sh")
    ap.add_argument("--report-only", action="store_true",
                    help="only turn target/bench/results.json into markdown (with --write: into BENCHMARKS.md)")
    args = ap.parse_args()
    for attr in ("progenitor", "openapi_to_rust", "openapi_generator_jar"):
        if getattr(args, attr):
            setattr(args, attr, str((ROOT / getattr(args, attr)).resolve()))
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if args.report_only:
        results = json.loads((OUT / f"{results_name(args)}.json").read_text())
        for k, v in results["settings"].items():
            setattr(args, k, v)
        finish(args, results)
        return

    # Sizes of each benchmark.
    if args.smoke:
        sizes = [10, 100]
        args.warmup, args.runs = 0, 1
        args.gen_timeout = 300
        args.stage_seconds = 0
        args.build_runs = 0
        args.rounds, args.duration, args.load_warmup, args.concurrency = 1, 1.0, 0.2, 4
        args.client_calls, args.client_rounds = 100, 1
    else:
        sizes = [10, 100, 1000]
        args.warmup, args.runs = 1, 5
        args.gen_timeout = 900
        args.stage_seconds = 3
        args.build_runs = 3
        args.rounds, args.duration, args.load_warmup, args.concurrency = 3, 10.0, 2.0, 16
        args.client_calls, args.client_rounds = 2000, 5
    only = set(args.only.split(","))

    SPECS_DIR.mkdir(parents=True, exist_ok=True)
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    specs = [ROOT / "specs" / "tokens.yaml"]
    github = (ROOT / ".." / "shared" / "corpus" / "github-2020.yaml").resolve()
    if not args.smoke:
        if github.exists():
            specs.append(github)
        else:
            log(f"{github} is missing: keep shared/ beside the clone; github-2020 left out")
    for n in sizes:
        path = SPECS_DIR / f"synth_{n}.yaml"
        text = synth.to_yaml(synth.document(n))
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        specs.append(path)
    # Ours without the server too (progenitor writes a client only).
    args.client_only_specs = {s.name for s in specs}
    args.build_specs = ["synth_10.yaml"] if args.smoke else ["synth_100.yaml", "synth_1000.yaml"]

    results = {
        "machine": machine(),
        "command": args.command,
        "settings": {k: getattr(args, k) for k in ("smoke", "warmup", "runs", "build_runs")},
    }
    try:
        if "generation" in only:
            bench_generation(args, specs, results)
        else:
            results["generation"] = []
        if "stages" in only:
            bench_stages(args, [s for s in specs if s.name in ("tokens.yaml", "github-2020.yaml") or s.name.startswith("synth_")], results)
        if "build" in only:
            bench_build(args, results)
        if "runtime" in only:
            bench_runtime(args, results)
    finally:
        stop_children()
    results["machine"]["load_end"] = machine()["load_start"]
    (OUT / f"{results_name(args)}.json").write_text(json.dumps(results, indent=2) + "\n")
    finish(args, results)


def results_name(args):
    # A smoke run never replaces the last full run's results.
    return "results-smoke" if args.smoke else "results"


def finish(args, results):
    md = report(args, results)
    (OUT / f"{results_name(args)}.md").write_text(md + "\n")
    print(md)
    if args.write:
        if args.smoke:
            raise SystemExit("bench: a smoke run's figures do not go into BENCHMARKS.md (drop --write or --smoke)")
        write_benchmarks_md(md)


if __name__ == "__main__":
    main()
