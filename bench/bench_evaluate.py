"""Re-scoring and conformance: `runner evaluate` throughput and `runner check-plugin` time.

- rescore, oracle trajectories: a retail run of the replay oracle (24 tasks × 40 trials) read
  back with ``read_results_file`` and re-scored with ``rescore`` (their writes equal the
  expected ones, so nothing is replayed);
- rescore, replayed: the same trajectories without their last write call (every one is
  replayed on a fresh environment and hashed);
- check_domain on each shipped domain's own data (all seven checks, in this process).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

TRIALS = 40


def _drop_last_write(line: str) -> str:
    data = json.loads(line)
    messages = data["messages"]
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].get("tool_calls") and messages[i]["tool_calls"][0]["name"] not in (
            "get_user_details",
            "get_order_details",
            "find_user_id_by_name_zip",
        ):
            del messages[i : i + 2]
            break
    return json.dumps(data)


def main() -> dict[str, Any]:
    from runner import RunConfig, run_domain
    from runner.conformance import check_domain
    from runner.evaluation import clear_cache
    from runner.plugins import load_plugins
    from runner.rescore import rescore
    from runner.store import read_results_file

    plugins = load_plugins()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = RunConfig(
            domain="retail",
            num_trials=TRIALS,
            output_dir=tmp,
            run_name="oracle",
            progress=False,
            max_concurrency=20,
        )
        run_domain(config)
        run_dir = Path(tmp) / "oracle"
        domain = plugins.registry("domains").get("retail").obj

        start = time.perf_counter()
        results = read_results_file(run_dir)
        read_s = time.perf_counter() - start
        clear_cache()
        start = time.perf_counter()
        scored = rescore(results, domain)
        rescore_s = time.perf_counter() - start
        n = len(scored)
        figures.update(
            simulations=n,
            read_s=round(read_s, 3),
            rescore_oracle_s=round(rescore_s, 3),
            rescore_oracle_per_s=round(n / rescore_s),
        )

        edited = Path(tmp) / "edited"
        edited.mkdir()
        (edited / "run.json").write_text((run_dir / "run.json").read_text())
        lines = (run_dir / "results.jsonl").read_text().splitlines()
        (edited / "results.jsonl").write_text("\n".join(_drop_last_write(x) for x in lines) + "\n")
        results = read_results_file(edited)
        clear_cache()
        start = time.perf_counter()
        scored = rescore(results, domain)
        replay_s = time.perf_counter() - start
        figures.update(
            rescore_replayed_s=round(replay_s, 3),
            rescore_replayed_per_s=round(len(scored) / replay_s),
            replayed_avg_reward=round(
                sum(s.run.reward_info.reward for s in scored) / len(scored), 3
            ),
        )
    print(
        f"rescore: {n} retail simulations read in {read_s:.2f} s; re-scored in {rescore_s:.2f} s "
        f"({n / rescore_s:.0f}/s) as recorded, {replay_s:.2f} s ({n / replay_s:.0f}/s) replayed"
    )

    for name in ("mock", "retail", "telecom", "airline"):
        if name not in plugins.registry("domains"):
            continue
        start = time.perf_counter()
        report = check_domain(plugins.registry("domains").get(name).obj, name=name)
        seconds = time.perf_counter() - start
        figures[f"check_plugin_{name}_s"] = round(seconds, 2)
        print(
            f"check-plugin {name}: {seconds:.2f} s, ok={report.ok}, "
            + ", ".join(f"{c.name} {c.seconds:.2f}s" for c in report.checks)
        )
    return figures


if __name__ == "__main__":
    main()
