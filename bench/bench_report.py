"""``runner report`` at scale: the size of a 1,000-simulation retail report, how long writing it
takes, and how long Chromium takes to open it (targets: < 10 MB, < 2 s to open).

A retail run of replay + scripted over the plugin's tasks, with enough trials for at least 1,000
simulations, is written to a temporary folder; its report is built three times and opened three
times in headless Debian chromium (driven by Playwright) in one browser, a fresh page each time;
"opened" is the load event with every task row present. Medians are reported. Needs chromium
(`make bench` installs it) and Playwright (a dev dependency).
"""

from __future__ import annotations

import math
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

SIMULATIONS = 1000
ROUNDS = 3


def main() -> dict[str, Any]:
    import runner
    from playwright import sync_api
    from runner_viewer.report import build_report

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise SystemExit("Debian's chromium is missing: `apt-get install chromium` (make bench).")
    with tempfile.TemporaryDirectory() as tmp:
        base = {"domain": "retail", "agent": "replay", "user": "scripted", "output_dir": tmp}
        runner.run_domain(runner.RunConfig(**base, run_name="probe", progress=False))
        tasks = len(runner.read_results(Path(tmp) / "probe"))
        trials = math.ceil(SIMULATIONS / tasks)
        runner.run_domain(
            runner.RunConfig(**base, run_name="big", progress=False, num_trials=trials)
        )
        run_dir = Path(tmp) / "big"
        sims = len(runner.read_results(run_dir))
        report = Path(tmp) / "report.html"
        build_seconds = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            report.write_text(build_report(run_dir), encoding="utf-8")
            build_seconds.append(time.perf_counter() - started)
        size = report.stat().st_size
        open_seconds = []
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for _ in range(ROUNDS):
                page = browser.new_page()
                started = time.perf_counter()
                page.goto(report.as_uri(), wait_until="load")
                rows = page.locator("#tasks tbody tr").count()
                open_seconds.append(time.perf_counter() - started)
                assert rows == sims, (rows, sims)
                page.close()
            browser.close()
    figures: dict[str, Any] = {
        "simulations": sims,
        "report_mb": round(size / 1e6, 2),
        "build_seconds": round(statistics.median(build_seconds), 2),
        "open_seconds": round(statistics.median(open_seconds), 3),
        "open_seconds_all": [round(s, 3) for s in open_seconds],
    }
    figures["targets_met"] = size < 10_000_000 and figures["open_seconds"] < 2.0
    print(
        f"{sims} simulations: report {figures['report_mb']} MB, built in "
        f"{figures['build_seconds']} s, opened in Chromium in {figures['open_seconds']} s "
        f"(rounds {figures['open_seconds_all']}); targets < 10 MB, < 2 s"
    )
    return figures


if __name__ == "__main__":
    main()
