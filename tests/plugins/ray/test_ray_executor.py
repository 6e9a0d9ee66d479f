"""The Ray executor against a local Ray instance (2 CPUs) and a two-node cluster on this machine:
the same results as the local executor, units on both nodes, a worker dying mid-simulation."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from runner import PluginOptions, RunConfig, load_plugins, run_domain

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A local Ray instance; workers inherit the environment as it is here (the test plugin on
    PYTHONPATH, the death marker's path), so it is set before Ray starts."""
    import ray

    marker = tmp_path_factory.mktemp("ray") / "died"
    os.environ["RUNNER_TEST_DEATH_MARKER"] = str(marker)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(HERE), os.environ.get("PYTHONPATH")])
    )
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    try:
        yield marker
    finally:
        ray.shutdown()
        os.environ.pop("RUNNER_TEST_DEATH_MARKER", None)


def comparable(run_dir: Path) -> list[dict[str, Any]]:
    """The results without what differs from run to run (ids, times, durations, the node)."""
    volatile = {"id", "start_time", "end_time", "duration", "timestamp", "node", "turn_idx"}

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in volatile}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    lines = (run_dir / "results.jsonl").read_text().splitlines()
    return sorted(
        (strip(json.loads(line)) for line in lines), key=lambda r: (r["task_id"], r["trial"])
    )


def test_ray_gives_the_local_executors_results(tmp_path, local_ray) -> None:
    plugins = load_plugins(PluginOptions(only=("runner-mock", "runner-ray")))
    results = {}
    for executor in ("local", "ray"):
        config = RunConfig(
            domain="mock",
            executor=executor,
            num_trials=2,
            output_dir=str(tmp_path),
            run_name=executor,
            progress=False,
        )
        result = run_domain(config, plugins=plugins)
        assert result.metrics.avg_reward == 1.0 and result.ran == 30
        results[executor] = comparable(result.run_dir)
    assert results["ray"] == results["local"]
    again = run_domain(
        RunConfig(
            domain="mock",
            executor="ray",
            num_trials=2,
            output_dir=str(tmp_path),
            run_name="ray",
            progress=False,
        ),
        plugins=plugins,
    )
    assert again.resumed == 30 and again.ran == 0  # resume as with the local executor


def test_a_worker_dying_mid_simulation_is_retried_and_every_unit_runs_once(
    tmp_path, local_ray
) -> None:
    marker = local_ray
    plugins = load_plugins(
        PluginOptions(modules=("ray_test_agents",), only=("runner-mock", "runner-ray"))
    )
    config = RunConfig(
        domain="mock",
        agent="dying_replay",
        executor="ray",
        output_dir=str(tmp_path),
        run_name="dying",
        progress=False,
    )
    result = run_domain(config, plugins=plugins)
    assert marker.exists()  # a worker process did exit mid-simulation
    lines = [json.loads(x) for x in (result.run_dir / "results.jsonl").read_text().splitlines()]
    keys = [(r["task_id"], r["trial"]) for r in lines]
    assert len(keys) == len(set(keys)) == 15  # every unit exactly once
    assert all(r["termination_reason"] == "user_stop" for r in lines), [
        (r["task_id"], r["termination_reason"], r.get("error")) for r in lines
    ]
    assert result.metrics.avg_reward == 1.0


def test_a_plugin_missing_on_a_worker_is_one_error_naming_it_and_the_node(
    tmp_path, local_ray
) -> None:
    from runner.errors import ConfigError

    (tmp_path / "only_on_driver.py").write_text(
        "from runner import hookimpl\n"
        "@hookimpl\n"
        "def register_agents(register):\n"
        "    from runner.builtins.replay import build_replay_agent\n"
        "    register('driver_only', build_replay_agent)\n"
    )
    sys.path.insert(0, str(tmp_path))  # the driver can import it; the workers cannot
    try:
        plugins = load_plugins(
            PluginOptions(modules=("only_on_driver",), only=("runner-mock", "runner-ray"))
        )
        config = RunConfig(
            domain="mock",
            agent="driver_only",
            executor="ray",
            output_dir=str(tmp_path),
            run_name="missing",
            progress=False,
        )
        with pytest.raises(ConfigError, match=r"On Ray node .*driver_only.*every node"):
            run_domain(config, plugins=plugins)
    finally:
        sys.path.remove(str(tmp_path))


def test_a_voice_run_on_ray_keeps_its_audio(tmp_path, local_ray) -> None:
    import wave

    plugins = load_plugins(PluginOptions(only=("runner-mock", "runner-ray")))
    config = RunConfig(
        domain="mock",
        executor="ray",
        orchestrator="full_duplex",
        voice_provider="loopback",
        num_tasks=3,
        output_dir=str(tmp_path),
        run_name="voice",
        progress=False,
    )
    result = run_domain(config, plugins=plugins)
    assert result.metrics.avg_reward == 1.0
    for line in map(json.loads, (result.run_dir / "results.jsonl").read_text().splitlines()):
        with wave.open(str(result.run_dir / line["audio"]["user"])) as track:
            assert track.getnframes() == round(len(line["ticks"]) * 0.2 * track.getframerate())
