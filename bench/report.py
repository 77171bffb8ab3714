"""Turn the measurements into results.md, results.csv and results.png."""

import ast
import csv
import datetime
import math
import os
import platform
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPILED_ORDER = ["pyaot", "numba-aot", "pythran", "cython"]
SHORT_STATUS = {"missing": "missing", "build failed": "build failed", "wrong": "WRONG",
                "error": "error", "n/a": "—"}


def plain_cython(module):
    """True when Cython compiled the untyped .py (no typed .pyx beside it)."""
    folder = HERE / ("overhead" if module == "calls" else "kernels")
    return not (folder / f"{module}.pyx").exists()


def engine_cell(module, engine, text):
    return text + " †" if engine == "cython" and plain_cython(module) else text


def kernel_size(kernel, mode):
    tree = ast.parse((HERE / "kernels" / f"{kernel}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "SIZES" for t in node.targets):
            return ast.literal_eval(node.value)[mode]
    return "?"


def format_size(size):
    if isinstance(size, tuple):
        return "×".join(f"{s:,}" if isinstance(s, int) else str(s) for s in size)
    return f"{size:,}" if isinstance(size, int) else str(size)


def format_time(seconds):
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def geometric_mean(values):
    values = [v for v in values if v and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine_description():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def time_ratio(results, kernel, engine, baseline):
    mine, base = results.get((kernel, engine), {}), results.get((kernel, baseline), {})
    if mine.get("status") == "ok" and base.get("status") == "ok":
        return mine["seconds"] / base["seconds"]
    return None


def timing_section(kernels, engine_names, results, baseline, mode):
    header = ["kernel", "size"] + engine_names
    rows = []
    for kernel in kernels:
        row = [kernel, format_size(kernel_size(kernel, mode))]
        for engine in engine_names:
            record = results.get((kernel, engine), {})
            if record.get("status") != "ok":
                row.append(SHORT_STATUS.get(record.get("status"), record.get("status", "")))
                continue
            cell = format_time(record["seconds"])
            ratio = time_ratio(results, kernel, engine, baseline)
            if ratio is not None and engine != baseline:
                cell += f" ({ratio:.2f}×)"
            row.append(engine_cell(kernel, engine, cell))
        rows.append(row)
    geo = ["**geometric mean ×" + baseline + "**", ""]
    for engine in engine_names:
        ratios = [time_ratio(results, k, engine, baseline) for k in kernels]
        ratios = [r for r in ratios if r is not None]
        if engine == baseline:
            geo.append("1.00×" if ratios else "n/a")
        else:
            mean = geometric_mean(ratios)
            geo.append(f"**{mean:.2f}×** ({len(ratios)})" if mean else "n/a")
    rows.append(geo)
    return table(header, rows)


def overhead_section(engine_names, results):
    rows = []
    for engine in engine_names:
        record = results.get(("calls", engine))
        if record is None:
            continue
        if record.get("status") != "ok":
            rows.append([engine, SHORT_STATUS.get(record["status"], record["status"]), ""])
            continue
        calls = record["calls"]
        rows.append([engine, f"{calls['add'] * 1e9:.0f}", f"{calls['first_sum'] * 1e9:.0f}"])
    cpython = results.get(("calls", "cpython"), {})
    for label, seconds in cpython.get("calls", {}).items():
        if label.startswith("builtin"):
            rows.append([label.replace("builtin ", "CPython builtin `") + "`",
                         f"{seconds * 1e9:.0f}", ""])
    return table(["engine", "add(3, 4) ns", "first_sum(a, b) ns (two 1-element arrays)"], rows)


def build_section(modules, engine_names, results):
    compiled = [e for e in COMPILED_ORDER if e in engine_names]
    jit = [e for e in ("numba", "numba-pypi") if e in engine_names]
    header = ["module"] + [f"{e} s" for e in compiled] + [f"{e} JIT compile s" for e in jit]
    if "pyaot" in compiled:
        header += [f"pyaot / {e}" for e in ("numba-aot", "pythran") if e in compiled]
    rows = []
    for module in modules:
        row = [module]
        for engine in compiled + jit:
            record = results.get((module, engine), {})
            seconds = record.get("build_seconds") if record.get("status") in (
                "ok", "wrong") else None
            if seconds is None and engine in compiled and record.get("status") == "build failed":
                row.append("failed")
            elif seconds is not None:
                row.append(engine_cell(module, engine, f"{seconds:.2f}"))
            else:
                row.append(SHORT_STATUS.get(record.get("status"), "—"))
        if "pyaot" in compiled:
            mine = results.get((module, "pyaot"), {})
            for other in ("numba-aot", "pythran"):
                if other not in compiled:
                    continue
                theirs = results.get((module, other), {})
                ok = all(r.get("status") in ("ok", "wrong") for r in (mine, theirs))
                row.append(f"{mine['build_seconds'] / theirs['build_seconds']:.2f}×" if ok
                           else "—")
        rows.append(row)
    return table(header, rows)


def size_section(modules, engine_names, results):
    compiled = [e for e in COMPILED_ORDER if e in engine_names]
    rows = []
    totals = {e: [] for e in compiled}
    for module in modules:
        row = [module]
        for engine in compiled:
            record = results.get((module, engine), {})
            if record.get("so_bytes"):
                row.append(engine_cell(module, engine, f"{record['so_bytes'] / 1024:.0f}"))
                totals[engine].append(record["so_bytes"])
            else:
                row.append(SHORT_STATUS.get(record.get("status"), "—"))
        rows.append(row)
    rows.append(["**median**"] + [
        f"**{sorted(v)[len(v) // 2] / 1024:.0f}**" if v else "—" for v in totals.values()])
    return table(["module"] + [f"{e} KiB" for e in compiled], rows)


def problems_section(results):
    lines = []
    for (module, engine), record in results.items():
        if record.get("status") in ("ok", "n/a", "missing"):
            continue
        lines.append(f"- `{module}` — {record.get('message') or record.get('status')}")
    return "\n".join(lines) if lines else "none"


def write_csv(path, results, mode):
    fields = ["module", "engine", "mode", "status", "seconds", "repeats", "loops",
              "build_seconds", "so_bytes", "message"]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        for (module, engine), record in results.items():
            base = [module, engine, mode, record.get("status"), record.get("seconds", ""),
                    record.get("repeats", ""), record.get("number", ""),
                    record.get("build_seconds", ""), record.get("so_bytes", ""),
                    record.get("message", "")]
            writer.writerow(base)
            for label, seconds in record.get("calls", {}).items():
                writer.writerow([f"calls:{label}", engine, mode, "ok", seconds, "", "",
                                 "", "", ""])


def write_chart(path, kernels, engine_names, results):
    """Speed-up over CPython per kernel and engine, log scale.  None if no matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "chart skipped: matplotlib is not installed (apt-get install python3-matplotlib)"
    shown = [e for e in engine_names if e != "cpython"]
    fig, axis = plt.subplots(figsize=(max(8, len(kernels) * 0.9), 5))
    width = 0.8 / max(1, len(shown))
    for index, engine in enumerate(shown):
        xs, ys = [], []
        for position, kernel in enumerate(kernels):
            ratio = time_ratio(results, kernel, "cpython", engine)
            if ratio is not None:
                xs.append(position + (index - (len(shown) - 1) / 2) * width)
                ys.append(ratio)
        axis.bar(xs, ys, width, label=engine)
    axis.set_yscale("log")
    axis.set_xticks(range(len(kernels)))
    axis.set_xticklabels(kernels, rotation=45, ha="right")
    axis.set_ylabel("speed-up over CPython (log scale)")
    axis.axhline(1.0, color="grey", linewidth=0.8)
    axis.legend(fontsize="small", ncol=len(shown), loc="lower center",
                bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return None


def write_all(out, *, mode, kernels, engine_names, found, results, baseline, wall_seconds,
              settings):
    modules = kernels + (["calls"] if any(m == "calls" for m, _ in results) else [])
    chart = out / "results.png"
    if chart.exists():
        chart.unlink()
    chart_note = write_chart(chart, kernels, engine_names, results)
    write_csv(out / "results.csv", results, mode)

    engine_rows = [[name, "found" if found[name].available else "**MISSING**",
                    found[name].detail] for name in engine_names]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"# pyaot benchmarks ({mode} run)",
        f"{now}; {machine_description()}; run took {wall_seconds:.0f} s wall.",
        "## Engines", table(["engine", "status", "version / reason"], engine_rows),
        "## Time per call",
        f"Median of up to {settings['repeats']} timed loops (a loop lasts at least "
        f"{settings['min_seconds']} s; slow engines stop after {settings['budget']} s). "
        f"In brackets: time / {baseline} time, so above 1× means {baseline} is faster. "
        "Every result was checked against CPython on small inputs before timing "
        "(WRONG = mismatch, not timed).",
        timing_section(kernels, engine_names, results, baseline, mode),
    ]
    if "cython" in engine_names:
        parts.append("† Cython compiled the plain, untyped `.py` kernel; the others have a "
                     "typed `.pyx` (memoryviews, boundscheck/wraparound off).")
    if not any(time_ratio(results, k, baseline, baseline) for k in kernels):
        parts.append(f"No {baseline} timings in this run, so there are no ratios; "
                     "`bench/run --baseline numba` compares the peers with each other.")
    if "calls" in modules:
        parts += ["## Call overhead",
                  "Nanoseconds per call from Python, function doing almost nothing.",
                  overhead_section(engine_names, results)]
    parts += ["## Build time per module",
              f"Wall seconds for one module (builds run {os.cpu_count()} at a time, one per "
              "core, so they share memory bandwidth). "
              "Numba JIT: compile time at decoration with the explicit signature.",
              build_section(modules, engine_names, results),
              "## Extension module size",
              size_section(modules, engine_names, results),
              "## Problems", problems_section(results),
              "## Chart", chart_note or "![speed-up over CPython](results.png)"]
    markdown = "\n\n".join(parts) + "\n"
    (out / "results.md").write_text(markdown)
    return markdown
