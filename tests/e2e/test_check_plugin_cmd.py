"""`runner check-plugin`: the conformance suite, on a third-party domain and on every shipped one.

This module is also a plugin: ``runner -p test_check_plugin_cmd`` (with this folder on the
path) registers ``toy``, a small domain written only against runner's public API, and one
broken copy of it per defect the suite must catch. Each broken copy must fail exactly the check
that covers its defect, with the evidence that names it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from repo_paths import TAU2_DATA
from runner import DB, Domain, Environment, Task, ToolKit, hookimpl, tool

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MODULE = Path(__file__).stem


# -- the toy domain: counters ------------------------------------------------------------------
class Counters(DB):
    counts: dict[str, int] = {}


class ToyTools(ToolKit):
    """Counters that the agent reads and increments."""

    db: Counters

    @tool
    def get_count(self, name: str) -> int:
        """Read a counter.

        Args:
            name: The counter's name.
        """
        return self.db.counts.get(name, 0)

    @tool(write=True)
    def increment(self, name: str, by: int = 1) -> int:
        """Add to a counter and return its new value.

        Args:
            name: The counter's name.
            by: How much to add.
        """
        if name not in self.db.counts:
            raise ValueError(f"No counter {name!r}")
        self.db.counts[name] += by
        return self.db.counts[name]

    def assert_count(self, name: str, expected: int) -> bool:
        return self.db.counts.get(name) == expected


BASE = Counters(counts={"apples": 1, "pears": 5})
TASKS = [
    {
        "id": "add_two_apples",
        "user_scenario": {"instructions": "Add two apples."},
        "evaluation_criteria": {
            "actions": [
                {"action_id": "a0", "name": "get_count", "arguments": {"name": "apples"}},
                {"action_id": "a1", "name": "increment", "arguments": {"name": "apples", "by": 2}},
            ],
            "env_assertions": [
                {
                    "env_type": "assistant",
                    "func_name": "assert_count",
                    "arguments": {"name": "apples", "expected": 3},
                }
            ],
            "communicate_info": ["3"],
            "reward_basis": ["DB", "ENV_ASSERTION", "COMMUNICATE"],
        },
    },
    {
        "id": "one_more_pear",
        "user_scenario": {"instructions": "One more pear."},
        "initial_state": {"initialization_data": {"agent_data": {"counts": {"pears": 7}}}},
        "evaluation_criteria": {
            "actions": [{"action_id": "p0", "name": "increment", "arguments": {"name": "pears"}}],
            "reward_basis": ["DB"],
        },
    },
]


class ToyDomain(Domain):
    name = "toy"
    description = "Counters (a third-party domain for the check-plugin tests)"
    toolkit: type[ToolKit] = ToyTools
    task_data: list[dict[str, Any]] = TASKS

    def environment(self) -> Environment:
        return Environment("toy", "Count carefully.", self.toolkit(BASE.model_copy(deep=True)))

    def tasks(self, split: str | None = None) -> list[Task]:
        return [Task.model_validate(t) for t in self.task_data]


# -- one defect each -----------------------------------------------------------------------
SHARED = BASE.model_copy(deep=True)


class SharedState(ToyDomain):
    """Hands every environment the same database object."""

    name = "toy-shared-state"

    def environment(self) -> Environment:
        return Environment("toy", "", self.toolkit(SHARED))


class UnstableHashEnvironment(Environment):
    def state_hash(self) -> str:  # Python's str hash is salted per process
        return hashlib.sha256(str(hash(json.dumps(self.toolkit.db.counts))).encode()).hexdigest()


class UnstableHash(ToyDomain):
    name = "toy-unstable-hash"

    def environment(self) -> Environment:
        return UnstableHashEnvironment("toy", "", self.toolkit(BASE.model_copy(deep=True)))


class LeakyReadTools(ToyTools):
    @tool
    def get_count(self, name: str) -> int:
        """Read a counter (and, wrongly, count the reads).

        Args:
            name: The counter's name.
        """
        self.db.counts["reads"] = self.db.counts.get("reads", 0) + 1
        return self.db.counts.get(name, 0)


class LeakyRead(ToyDomain):
    name = "toy-leaky-read"
    toolkit = LeakyReadTools


class RaisingEnvironment(Environment):
    def execute(self, call: Any) -> Any:  # no error handling: bad arguments raise
        from runner import ToolMessage

        return ToolMessage(
            id=call.id, content=str(self.toolkit.get_tool(call.name).fn(**call.arguments))
        )


class Raising(ToyDomain):
    name = "toy-raising"

    def environment(self) -> Environment:
        return RaisingEnvironment("toy", "", self.toolkit(BASE.model_copy(deep=True)))


class BadSchemaTools(ToyTools):
    @tool(name="peek at counter")
    def peek(self, name: str) -> int:  # the name has spaces: no model can call it
        """Look at a counter.

        Args:
            name: The counter's name.
        """
        return self.db.counts.get(name, 0)


class BadSchema(ToyDomain):
    name = "toy-bad-schema"
    toolkit = BadSchemaTools


class RandomTools(ToyTools):
    @tool(write=True)
    def increment(self, name: str, by: int = 1) -> int:
        """Add to a counter, and (wrongly) log a random id in the database.

        Args:
            name: The counter's name.
            by: How much to add.
        """
        self.db.counts[name] = self.db.counts.get(name, 0) + by
        self.db.counts[f"log_{uuid.uuid4().hex[:8]}"] = 1
        return self.db.counts[name]


class Nondeterministic(ToyDomain):
    name = "toy-nondeterministic"
    toolkit = RandomTools


class BadTasks(ToyDomain):
    name = "toy-bad-tasks"
    task_data = [
        {
            **TASKS[1],
            "evaluation_criteria": {
                "actions": [
                    {"action_id": "x", "name": "decrement", "arguments": {"name": "pears"}}
                ],
                "env_assertions": [
                    {"env_type": "assistant", "func_name": "assert_nothing", "arguments": {}}
                ],
                "reward_basis": ["DB"],
            },
        }
    ]


BROKEN = {
    SharedState: "isolation",
    UnstableHash: "state_hash",
    LeakyRead: "state_hash",
    Raising: "bad_arguments",
    BadSchema: "schemas",
    Nondeterministic: "state_hash",
    BadTasks: "references",
}


@hookimpl
def register_domains(register: Callable[..., None]) -> None:
    register(ToyDomain())
    for cls in BROKEN:
        register(cls())


# -- helpers -------------------------------------------------------------------------------
def run_cli(
    *args: str, plugin: bool = True, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "runner"
    env = dict(os.environ)
    env.pop("RUNNER_PLUGINS", None)
    env.pop("RUNNER_DISABLE_PLUGINS", None)
    env.pop("RUNNER_LOAD_PLUGINS", None)
    # this module is the plugin; it imports repo_paths from tests/
    paths = [str(HERE), str(ROOT / "tests"), env.get("PYTHONPATH")]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    head = ["-p", MODULE] if plugin else []
    return subprocess.run(
        [str(exe), *head, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout
    )


def report_of(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout)


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["status"] for c in report["checks"]}


# -- the third-party domain through the CLI --------------------------------------------------
def test_a_third_party_domain_passes_every_check() -> None:
    proc = run_cli("check-plugin", "toy", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = report_of(proc)
    assert report["ok"] is True
    assert statuses(report) == {
        name: "pass"
        for name in (
            "tasks",
            "references",
            "schemas",
            "oracle",
            "state_hash",
            "isolation",
            "bad_arguments",
        )
    }
    by_name = {c["name"]: c for c in report["checks"]}
    assert "2 of 2 tasks score 1.0" in by_name["oracle"]["summary"]
    assert "5 states twice here and in a second process" in by_name["state_hash"]["summary"]


def test_the_table_and_a_failing_exit_code() -> None:
    good = run_cli("check-plugin", "toy")
    assert good.returncode == 0
    assert "all checks passed" in good.stdout and "bad_arguments" in good.stdout
    bad = run_cli("check-plugin", "toy-shared-state")
    assert bad.returncode == 1
    assert "some checks failed" in bad.stdout
    assert "a write in one environment changed another" in bad.stdout


@pytest.mark.parametrize("cls", list(BROKEN), ids=lambda c: c.name)
def test_each_defect_fails_its_check_with_evidence(cls: type[ToyDomain]) -> None:
    from runner.conformance import check_domain

    report = check_domain(cls(), name=cls.name, plugin_modules=(MODULE,))
    failed = {c.name for c in report.checks if c.status == "fail"}
    assert BROKEN[cls] in failed, report.describe_failures()
    evidence = json.dumps(report.check(BROKEN[cls]).failures, default=str)
    expected = {
        SharedState: "changed another",
        UnstableHash: "another process computes another hash",
        LeakyRead: "get_count",
        Raising: "raised",
        BadSchema: "does not match",
        Nondeterministic: "gold:add_two_apples",
        BadTasks: "decrement",
    }[cls]
    assert expected in evidence
    assert not report.ok


def test_only_the_selected_checks_run_and_unknown_ones_are_named() -> None:
    proc = run_cli("check-plugin", "toy", "--check", "schemas", "--check", "tasks", "--json")
    assert [c["name"] for c in report_of(proc)["checks"]] == ["schemas", "tasks"]
    proc = run_cli("check-plugin", "toy", "--check", "oracel")
    assert proc.returncode == 1
    assert "Unknown check 'oracel'" in proc.stderr and "oracle" in proc.stderr


def test_an_unknown_domain_is_a_one_paragraph_error() -> None:
    proc = run_cli("check-plugin", "toyy", plugin=True)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error:") and "toy" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- every shipped domain, on its own data and on τ²-bench's ----------------------------------
def _registered() -> set[str]:
    from runner.plugins import load_plugins

    return set(load_plugins().registry("domains").names())


MATRIX = [
    ("mock", None),
    ("mock", "mock"),
    ("retail", None),
    ("retail", "retail"),
    ("telecom", None),
    ("telecom", "telecom"),
    ("airline", None),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("domain", "tau2"), MATRIX, ids=[f"{d}-{'tau2' if t else 'own'}" for d, t in MATRIX]
)
def test_every_shipped_domain_passes(domain: str, tau2: str | None) -> None:
    assert domain in _registered(), f"the first-party {domain} plugin is not installed"
    args = ["check-plugin", domain, "--json"]
    if tau2:
        args += ["--domain-option", f"data_dir={TAU2_DATA / tau2}"]
        if domain == "telecom":  # τ²-bench's telecom_small task set
            args += ["--task-split", "small"]
    proc = run_cli(*args, plugin=False)
    report = report_of(proc)
    assert proc.returncode == 0 and report["ok"], json.dumps(report, indent=1)[:3000]
    got = statuses(report)
    assert set(got) == {
        "tasks",
        "references",
        "schemas",
        "oracle",
        "state_hash",
        "isolation",
        "bad_arguments",
    }
    assert got["tasks"] == got["references"] == got["schemas"] == "pass"
    assert got["state_hash"] == got["isolation"] == "pass"
    oracle = next(c for c in report["checks"] if c["name"] == "oracle")
    if tau2:
        expected = {"mock": 10, "retail": 114, "telecom": 20}[domain]
        assert f"{expected} of {expected} tasks" in oracle["summary"] or domain == "mock"
    if (domain, tau2) == ("mock", "mock"):  # the two self-contradicting τ²-bench tasks
        assert oracle["status"] == "warn"
        assert {f["task_id"] for f in oracle["failures"] if "failed_checks" in f} == {
            "update_task_with_history_and_env_assertions",
            "update_task_with_user_tools",
        }
    elif (domain, tau2) == ("retail", "retail"):  # τ²-bench expects 15 tasks' lookups to fail
        assert oracle["status"] == "warn"
        assert all("failing_expected_actions" in f for f in oracle["failures"])
    else:
        assert oracle["status"] == "pass", oracle


@pytest.mark.slow
def test_airline_on_tau2_data_checks_what_can_be_checked() -> None:
    """τ²-bench's airline db.json is not among the fixtures: the tasks load, and every check
    that needs an environment fails with the plugin's one-paragraph explanation. With the
    plugin's own database, τ²-bench's airline tasks are checked against its tools."""
    assert "airline" in _registered(), "the first-party airline plugin is not installed"
    proc = run_cli(
        "check-plugin",
        "airline",
        "--domain-option",
        f"data_dir={TAU2_DATA / 'airline'}",
        "--json",
        plugin=False,
    )
    report = report_of(proc)
    assert proc.returncode == 1
    got = statuses(report)
    assert got["tasks"] == "pass"
    assert {k for k, v in got.items() if v == "fail"} == set(got) - {"tasks"}
    assert all("db.json" in c["summary"] for c in report["checks"] if c["status"] == "fail")
    proc = run_cli(
        "check-plugin",
        "airline",
        "--domain-option",
        f"task_file={TAU2_DATA / 'airline' / 'tasks.json'}",
        "--check",
        "tasks",
        "--check",
        "references",
        "--check",
        "schemas",
        "--json",
        plugin=False,
    )
    assert proc.returncode == 0
    assert statuses(report_of(proc)) == {"tasks": "pass", "references": "pass", "schemas": "pass"}


def test_a_failing_check_says_how_to_fix_it_once() -> None:
    proc = run_cli("check-plugin", "toy-bad-tasks")
    assert proc.returncode == 1
    assert proc.stdout.count("How to fix:") == 1  # references fails; the oracle does not judge
    assert "Rename the task's actions" in " ".join(proc.stdout.split())
    assert proc.stdout.count("'decrement'") == 2  # in the one problem (name and did-you-mean)
    report = report_of(run_cli("check-plugin", "toy-bad-tasks", "--json"))
    fixes = {c["name"]: c["fix"] for c in report["checks"]}
    assert fixes["references"].startswith("Rename") and fixes["tasks"] is None
