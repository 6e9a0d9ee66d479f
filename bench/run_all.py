"""Run every benchmark: ``make bench`` (or ``python bench/run_all.py [NAME ...]``).

Discovers ``bench/bench_*.py``; each has a ``main()`` that prints its figures and returns them
as a dict. Every benchmark runs in its own fresh interpreter (so one cannot warm or slow down
another, and a crash stops only itself), then this script prints a summary and writes all
figures, with the machine and the commit, to ``bench/results/latest.json``.

Options: ``NAME ...`` runs only those benchmarks (``startup`` or ``bench_startup``);
``--list`` lists them; ``--timeout SECONDS`` limits each one (default 900).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results" / "latest.json"

#: Runs one benchmark's main() in a fresh interpreter and writes its figures as JSON.
_CHILD = """
import importlib.util, json, sys
path, out = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("bench_under_test", path)
module = importlib.util.module_from_spec(spec)
sys.modules["bench_under_test"] = module
spec.loader.exec_module(module)
figures = module.main()
with open(out, "w", encoding="utf-8") as f:
    json.dump(figures if isinstance(figures, dict) else {"result": figures}, f, default=str)
"""


def discover(names: list[str]) -> list[Path]:
    """The benchmark scripts, sorted; only those named when names are given."""
    found = sorted(BENCH_DIR.glob("bench_*.py"))
    if not names:
        return found
    wanted = {n.removeprefix("bench_").removesuffix(".py") for n in names}
    chosen = [p for p in found if p.stem.removeprefix("bench_") in wanted]
    missing = wanted - {p.stem.removeprefix("bench_") for p in chosen}
    if missing:
        known = ", ".join(p.stem.removeprefix("bench_") for p in found)
        raise SystemExit(f"Unknown benchmark(s): {', '.join(sorted(missing))}. Known: {known}.")
    return chosen


def run_one(path: Path, timeout: float) -> dict[str, Any]:
    """Run one benchmark; its output streams through, its figures come back."""
    print(f"\n=== {path.stem} ===", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path), str(out)],
                cwd=BENCH_DIR.parent,
                timeout=timeout,
            )
            error = None if proc.returncode == 0 else f"exited with status {proc.returncode}"
        except subprocess.TimeoutExpired:
            error = f"timed out after {timeout:.0f} s"
        seconds = round(time.perf_counter() - start, 2)
        figures = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return {"figures": figures, "seconds": seconds, "error": error}


def machine() -> dict[str, Any]:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count()
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cores": cores,
        "python": platform.python_version(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
    }


def _git(*args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=BENCH_DIR, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip()


def summary(results: dict[str, dict[str, Any]]) -> str:
    lines = ["", "=== summary ===", f"{'benchmark':24s} {'time':>8s}  {'targets':9s} figures"]
    for name, res in results.items():
        figures = res["figures"]
        met = figures.get("targets_met")
        status = "error" if res["error"] else ("-" if met is None else ("met" if met else "MISSED"))
        shown = ", ".join(
            f"{k}={v}" for k, v in figures.items() if k != "targets_met" and not isinstance(v, dict)
        )
        if len(shown) > 110:
            shown = shown[:107] + "..."
        lines.append(f"{name:24s} {res['seconds']:7.1f}s  {status:9s} {res['error'] or shown}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per benchmark")
    args = parser.parse_args(argv)
    scripts = discover(args.names)
    if args.list:
        print("\n".join(p.stem for p in scripts))
        return 0
    started = datetime.now(UTC).isoformat(timespec="seconds")
    results = {p.stem: run_one(p, args.timeout) for p in scripts}
    print(summary(results))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {"started": started, "machine": machine(), "benchmarks": results}
    RESULTS.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nwritten: {RESULTS.relative_to(BENCH_DIR.parent)}")
    return 1 if any(r["error"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
