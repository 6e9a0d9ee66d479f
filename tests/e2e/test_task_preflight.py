"""Plugin mistakes caught where they are made: ``runner run`` and ``runner tasks`` replay the
selected tasks' expected actions first, and say when one names a tool that does not exist,
passes arguments its tool refuses, or calls a tool that writes without ``write=True``.

This module is also the plugin under test (``-p test_task_preflight``): a bike-rental domain.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from runner import DB, Domain, Environment, Task, ToolKit, hookimpl, tool

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MODULE = "test_task_preflight"


class Bikes(DB):
    free: dict[str, int] = {}
    rentals: list[str] = []


class BikeTools(ToolKit):
    db: Bikes

    @tool(write=True)
    def rent_bike(self, station: str) -> str:
        """Rent a bike at a station.

        Args:
            station: The station's name.
        """
        if self.db.free.get(station, 0) < 1:
            raise ValueError(f"No free bike at {station}")
        self.db.free[station] -= 1
        self.db.rentals.append(station)
        return "rented"

    @tool
    def count_bikes(self, station: str) -> int:
        """How many bikes are free at a station, which (wrongly) records the lookup.

        Args:
            station: The station's name.
        """
        self.db.rentals.append(f"looked at {station}")  # a write without write=True
        return self.db.free.get(station, 0)


def _task(task_id: str, actions: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return {
        "id": task_id,
        "user_scenario": {"instructions": "Rent a bike."},
        "evaluation_criteria": {
            "actions": [
                {"action_id": f"a{i}", "name": name, "arguments": args}
                for i, (name, args) in enumerate(actions)
            ],
            "reward_basis": ["DB"],
        },
    }


TASKS = [
    _task("good", [("rent_bike", {"station": "north"})]),
    _task("typo", [("rent_bicycle", {"station": "north"})]),
    _task("bad_arguments", [("rent_bike", {"stop": "north"})]),
    _task(
        "lookup_first", [("count_bikes", {"station": "north"}), ("rent_bike", {"station": "north"})]
    ),
]


class BikeDomain(Domain):
    name = "bikes"
    description = "Bike rental (the task pre-flight tests)"

    def __init__(self, tasks: list[dict[str, Any]] | None = None) -> None:
        self.task_data = TASKS if tasks is None else tasks

    def environment(self) -> Environment:
        return Environment("bikes", "Rent bikes.", BikeTools(Bikes(free={"north": 3})))

    def tasks(self, split: str | None = None) -> list[Task]:
        return [Task.model_validate(t) for t in self.task_data]


@hookimpl
def register_domains(register: Callable[..., None]) -> None:
    register(BikeDomain())


def runner_cli(*args: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNNER_")}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT / "tests")])
    exe = Path(sys.executable).parent / "runner"
    return subprocess.run(
        [str(exe), "-p", MODULE, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=out,
        timeout=120,
    )


def test_each_mistake_is_one_warning_with_the_names_in_it() -> None:
    from runner.run.preflight import check_tasks

    domain = BikeDomain()
    warnings = check_tasks(domain.tasks(), domain.environment)
    assert len(warnings) == 3, warnings
    typo, arguments, unmarked = warnings
    assert typo.startswith("task 'typo': expected action 1 rent_bicycle")
    assert "'rent_bicycle' is not an assistant tool. Did you mean 'rent_bike'?" in typo
    assert "The assistant tools are: rent_bike, count_bikes" in typo
    assert arguments.startswith("task 'bad_arguments': expected action 1 rent_bike")
    assert "refuses the arguments" in arguments and "station" in arguments
    assert "tool 'count_bikes'" in unmarked and "@tool(write=True)" in unmarked
    assert "'lookup_first'" in unmarked


def test_a_tool_that_fails_as_the_task_intends_is_not_a_mistake() -> None:
    """τ²-bench's tasks expect some calls to fail (a lookup by a wrong e-mail first)."""
    from runner.run.preflight import check_tasks

    domain = BikeDomain([_task("empty_station", [("rent_bike", {"station": "south"})])])
    assert check_tasks(domain.tasks(), domain.environment) == []


def test_runner_run_warns_and_runs(tmp_path: Path) -> None:
    proc = runner_cli("run", "--domain", "bikes", "--run-name", "r", "--no-progress", out=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("warning: task 'typo'") == 1
    assert "Did you mean 'rent_bike'?" in proc.stderr
    assert "warning: tool 'count_bikes'" in proc.stderr
    assert (tmp_path / "runs" / "r" / "results.jsonl").is_file()


def test_strict_tasks_stops_the_run_before_anything_is_written(tmp_path: Path) -> None:
    proc = runner_cli(
        "run",
        "--domain",
        "bikes",
        "--run-name",
        "r",
        "--strict-tasks",
        "--no-progress",
        out=tmp_path,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: --strict-tasks: 3 problem(s)"), proc.stderr
    assert "rent_bicycle" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "runs").exists()
    good = runner_cli(
        "run",
        "--domain",
        "bikes",
        "--task-ids",
        "good",
        "--run-name",
        "g",
        "--strict-tasks",
        "--no-progress",
        out=tmp_path,
    )
    assert good.returncode == 0, good.stderr
    assert "warning" not in good.stderr


def test_runner_tasks_warns_too(tmp_path: Path) -> None:
    proc = runner_cli("tasks", "--domain", "bikes", out=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "warning: task 'typo'" in proc.stderr and "good" in proc.stdout


@pytest.mark.parametrize("strict", [False, True])
def test_the_config_field_matches_the_flag(strict: bool) -> None:
    from runner import RunConfig
    from runner.cli.run_cmd import config_to_args

    args = config_to_args(RunConfig(domain="bikes", strict_tasks=strict))
    assert ("--strict-tasks" in args) is strict
