"""The Ray executor on a two-node cluster started on this machine (`ray start --head` and a
second `ray start --address` with its own resources): units run on both nodes, and the driver
joins and leaves the cluster without stopping it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from runner import PluginOptions, RunConfig, load_plugins, run_domain

pytestmark = pytest.mark.slow


def test_units_run_on_both_nodes_of_a_two_node_cluster(tmp_path, monkeypatch) -> None:
    import ray

    # a throwaway cluster on 127.0.0.1: no token to hand around between its nodes and the driver
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    assert not ray.is_initialized()
    ray_exe = str(Path(sys.executable).parent / "ray")
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    port = "6391"
    head = [
        ray_exe,
        "start",
        "--head",
        f"--port={port}",
        "--num-cpus=1",
        "--include-dashboard=false",
        "--disable-usage-stats",
    ]
    subprocess.run(head, env=env, check=True, capture_output=True, timeout=120)
    try:
        second = [
            ray_exe,
            "start",
            f"--address=127.0.0.1:{port}",
            "--num-cpus=1",
            "--resources",
            '{"second_node": 1}',
            "--disable-usage-stats",
        ]
        subprocess.run(second, env=env, check=True, capture_output=True, timeout=120)
        plugins = load_plugins(PluginOptions(only=("runner-mock", "runner-ray")))
        config = RunConfig(
            domain="mock",
            executor="ray",
            num_trials=4,
            output_dir=str(tmp_path),
            run_name="cluster",
            progress=False,
            executor_options={"address": f"127.0.0.1:{port}"},
        )
        result = run_domain(config, plugins=plugins)
        assert result.metrics.avg_reward == 1.0 and result.ran == 60
        lines = [json.loads(x) for x in (result.run_dir / "results.jsonl").read_text().splitlines()]
        assert len({r["node"] for r in lines}) == 2  # both nodes ran units
        assert not ray.is_initialized()  # the driver left the cluster, which keeps running
    finally:
        subprocess.run([ray_exe, "stop", "--force"], env=env, capture_output=True, timeout=120)
