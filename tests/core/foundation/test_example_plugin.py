"""docs/plugin-authoring.md's example package, installed from a wheel, works as documented:
``runner list-plugins`` sees it, its domain loads its tasks, its tools execute, its own tests
pass, and ``runner run`` scores it (skipped cleanly while ``runner run`` does not exist)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from foundation_helpers import EXAMPLE_PACKAGE, WheelVenv
from repo_paths import REPO

pytestmark = pytest.mark.slow  # shares the wheel virtualenv of test_plugin_wheels.py

QUIET = {"RUNNER_DISABLE_PLUGINS": "runner-fixture-broken"}


def test_list_plugins_sees_the_example(wheel_venv: WheelVenv) -> None:
    out = wheel_venv.runner("list-plugins", "--json", **QUIET)
    assert out.returncode == 0 and out.stderr == ""
    (row,) = [r for r in json.loads(out.stdout) if r["name"] == "example"]
    assert (
        row["distribution"] == "runner-example"
        and row["version"] == "0.1.0"
        and row["status"] == "ok"
    )
    assert row["provides"] == {"domains": ["library"], "agents": ["librarian"], "users": ["patron"]}


PROBE = """
import json
from runner import ToolCall
from runner.plugins import PluginOptions, load_plugins

plugins = load_plugins(PluginOptions(only=("runner-example",), strict=True))
domain = plugins.registry("domains").get("library").obj
env = domain.environment()
result = env.execute(ToolCall(id="1", name="find_book", arguments={"title": "Neuromancer"}))
lent = env.execute(ToolCall(id="2", name="borrow_book", arguments={"book_id": "b1", "patron": "zoe"}))
print(json.dumps({
    "tasks": [t.id for t in domain.tasks()],
    "tools": [t.name for t in env.tools()],
    "find": json.loads(result.content),
    "lent_due": json.loads(lent.content)["due"],
    "policy": domain.policy.splitlines()[0],
}))
"""


def test_domain_loads_tasks_and_tools_execute(wheel_venv: WheelVenv, tmp_path: Path) -> None:
    out = wheel_venv.python("-c", PROBE, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["tasks"] == ["borrow_dune", "ask_neuromancer"]
    assert report["tools"] == ["find_book", "borrow_book"]
    assert report["find"] == {
        "book_id": "b2",
        "title": "Neuromancer",
        "author": "William Gibson",
        "borrowed_by": "bob",
        "due": "2025-06-20",
    }
    assert report["lent_due"] == "2025-06-23" and report["policy"] == "# Library desk policy"


def test_the_example_packages_own_tests_pass(wheel_venv: WheelVenv, tmp_path: Path) -> None:
    out = wheel_venv.python(
        "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE_PACKAGE / "tests"), cwd=tmp_path
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "4 passed" in out.stdout


@pytest.fixture(scope="module")
def available(wheel_venv: WheelVenv) -> dict[str, set[str]]:
    """The commands, agents and users the installed core and plugins provide."""
    out = wheel_venv.runner("list-plugins", "--json", "--all", **QUIET)
    kinds: dict[str, set[str]] = {"agents": set(), "users": set()}
    for row in json.loads(out.stdout):
        for kind in kinds:
            kinds[kind] |= set(row["provides"].get(kind, []))
    help_text = wheel_venv.runner("--help", **QUIET).stdout
    kinds["commands"] = {
        line.split()[0] for line in help_text.split("Commands:")[-1].splitlines() if line.strip()
    }
    return kinds


@pytest.mark.parametrize(("agent", "user"), [("librarian", "patron"), ("replay", "scripted")])
def test_runner_run_scores_the_example(
    wheel_venv: WheelVenv, available: dict[str, set[str]], tmp_path: Path, agent: str, user: str
) -> None:
    assert "run" in available["commands"]
    assert agent in available["agents"] and user in available["users"], available
    out = wheel_venv.runner(
        "run",
        "--domain",
        "library",
        "--agent",
        agent,
        "--user",
        user,
        "--output-dir",
        str(tmp_path),
        "--run-name",
        "example",
        cwd=tmp_path,
        **QUIET,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    results = [
        json.loads(line)
        for line in (tmp_path / "example" / "results.jsonl").read_text().splitlines()
    ]
    assert sorted(r["task_id"] for r in results) == ["ask_neuromancer", "borrow_dune"]
    assert all(r["reward_info"]["reward"] == 1.0 for r in results), results


def test_the_guides_agent_example_is_the_whole_agent() -> None:
    """§3 shows the example agent complete (its state type and helpers too), as it ships."""
    guide = (REPO / "docs" / "plugin-authoring.md").read_text(encoding="utf-8")
    marker = "# src/runner_example/agent.py (complete, without its module docstring)\n"
    shown = guide.split(marker, 1)[1].split("```", 1)[0]
    source = (EXAMPLE_PACKAGE / "src" / "runner_example" / "agent.py").read_text(encoding="utf-8")
    assert shown == source[source.index("from __future__ import annotations") :]
