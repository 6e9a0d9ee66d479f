"""`runner evaluate`: re-score runner's run directories and τ²-bench results files, no LLM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from repo_paths import TAU2_DATA

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "tau2-generated"
ROW_KEYS = {
    "id",
    "task_id",
    "trial",
    "reward",
    "reward_breakdown",
    "db_match",
    "action_checks",
    "communicate_checks",
    "env_assertion_checks",
}


def runner(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["RUNNER_LOAD_PLUGINS"] = "runner-mock,runner-retail"
    env.pop("RUNNER_PLUGINS", None)
    exe = Path(sys.executable).parent / "runner"
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


def rows(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished `runner run` of the mock domain (replay agent, scripted user)."""
    base = tmp_path_factory.mktemp("evaluate")
    proc = runner(
        "run",
        "--domain",
        "mock",
        "--agent",
        "replay",
        "--user",
        "scripted",
        "--run-name",
        "oracle",
        "--no-progress",
        cwd=base,
    )
    assert proc.returncode == 0, proc.stderr
    return base / "runs" / "oracle"


def test_a_run_directory_is_rescored_like_the_run_scored_it(run_dir: Path) -> None:
    got = rows(runner("evaluate", str(run_dir), "--json"))
    assert len(got) == 15
    assert all(ROW_KEYS <= set(r) for r in got)
    assert all(r["reward"] == r["recorded_reward"] == 1.0 for r in got)
    assert all(r["db_match"] is True for r in got)
    nl = [r for r in got if r["not_evaluated"]]
    assert [r["task_id"] for r in nl] == ["compliment_after_create"]
    assert nl[0]["nl_assertion_checks"][0]["met"] is None
    # results.jsonl directly gives the same (run.json next to it names the domain)
    again = rows(runner("evaluate", str(run_dir / "results.jsonl"), "--json"))
    assert [(r["id"], r["reward"]) for r in again] == [(r["id"], r["reward"]) for r in got]


def test_an_edited_trajectory_is_scored_on_what_it_now_says(run_dir: Path, tmp_path: Path) -> None:
    lines = (run_dir / "results.jsonl").read_text().splitlines()
    edited = []
    changed = None
    for line in lines:
        data = json.loads(line)
        calls = [c for m in data["messages"] for c in m.get("tool_calls") or []]
        if changed is None and any(c["name"] == "update_task_status" for c in calls):
            for m in data["messages"]:
                for c in m.get("tool_calls") or []:
                    if c["name"] == "update_task_status":
                        c["arguments"]["status"] = (
                            "pending" if c["arguments"]["status"] != "pending" else "completed"
                        )
            changed = data["task_id"]
        edited.append(json.dumps(data))
    assert changed is not None
    (tmp_path / "results.jsonl").write_text("\n".join(edited) + "\n")
    (tmp_path / "run.json").write_text((run_dir / "run.json").read_text())
    got = {r["task_id"]: r for r in rows(runner("evaluate", str(tmp_path), "--json"))}
    assert got[changed]["reward"] == 0.0 and got[changed]["recorded_reward"] == 1.0
    assert got[changed]["db_match"] is False
    action = [c for c in got[changed]["action_checks"] if not c["action_match"]]
    assert action and action[0]["closest_call"]["differing_arguments"] == ["status"]
    assert sum(r["reward"] for r in got.values()) == 14.0
    table = runner("evaluate", str(tmp_path))
    assert table.returncode == 0
    assert "Same reward as recorded in the file: 14 of 15" in table.stdout
    assert "Average reward: 0.933 over 15 scored simulations" in table.stdout


def test_tau2_results_agree_with_the_rewards_tau2_recorded() -> None:
    proc = runner(
        "evaluate",
        str(FIXTURES / "mock.json"),
        "--domain-option",
        f"data_dir={TAU2_DATA / 'mock'}",
        "--json",
    )
    got = rows(proc)
    assert len(got) == 50
    recorded = [r for r in got if r["recorded_reward"] is not None]
    assert len(recorded) == 49  # one trajectory τ²-bench's evaluator could not score
    assert all(r["reward"] == r["recorded_reward"] for r in recorded)
    assert {r["reward"] for r in recorded} == {0.0, 1.0}
    assert "warning" not in proc.stderr  # the embedded tasks are the configured domain's


def test_tau2_results_on_the_wrong_data_warn_and_nl_is_not_evaluated() -> None:
    proc = runner("evaluate", str(FIXTURES / "retail.json"), "--json")
    got = rows(proc)
    assert "not tasks of domain 'retail' as configured" in proc.stderr
    assert "data_dir=<τ²-bench>/data/tau2/domains/retail" in proc.stderr
    assert "need an NL judge" in proc.stderr
    assert any(r["not_evaluated"] == ["NL_ASSERTION"] for r in got)


@pytest.mark.slow
def test_judge_llm_judges_the_nl_assertions(run_dir: Path) -> None:
    """With --judge-llm the NL assertions are judged (here by the local test server), and only
    for the tasks whose reward basis has NL_ASSERTION."""
    from runner.testing import LLMTestServer

    verdict = json.dumps({"results": [{"index": 1, "reasoning": "No compliment.", "met": False}]})
    with LLMTestServer(default=verdict) as server:
        args = json.dumps({"api_base": server.url, "api_key": "sk-evaluate-secret-0123456789"})
        proc = runner(
            "evaluate",
            str(run_dir),
            "--judge-llm",
            "openai/gpt-4.1-nano",
            "--judge-llm-args",
            args,
            "--json",
        )
        got = {r["task_id"]: r for r in rows(proc)}
        assert server.stats.count == 1
    judged = got["compliment_after_create"]
    assert judged["not_evaluated"] == [] and judged["reward"] == 0.0
    assert judged["nl_assertion_checks"][0]["met"] is False
    assert judged["reward_breakdown"] == {"DB": 1.0, "NL_ASSERTION": 0.0}
    assert sum(r["reward"] for r in got.values()) == 14.0
    assert "sk-evaluate-secret" not in proc.stdout + proc.stderr
    assert "need an NL judge" not in proc.stderr


def _bad(tmp_path: Path, name: str, text: str, *extra: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    proc = runner("evaluate", str(path), *extra)
    assert proc.returncode == 1, proc.stdout
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error: ")
    return proc.stderr


def test_bad_files_get_one_paragraph_errors_with_file_line_and_field(
    run_dir: Path, tmp_path: Path
) -> None:
    good = (run_dir / "results.jsonl").read_text().splitlines()
    err = _bad(tmp_path, "a.jsonl", good[0] + "\n{not json\n" + good[1] + "\n", "--domain", "mock")
    assert "a.jsonl, line 2, column 2: invalid JSON" in err
    broken = json.loads(good[1])
    broken["messages"][1]["role"] = "robot"
    err = _bad(tmp_path, "b.jsonl", good[0] + "\n" + json.dumps(broken) + "\n", "--domain", "mock")
    assert "b.jsonl, line 2, field messages[1]: the message role must be" in err
    err = _bad(tmp_path, "c.jsonl", good[0] + "\n")
    assert "does not say which domain" in err and "--domain" in err
    data = json.loads((FIXTURES / "mock.json").read_text())
    data["simulations"][2]["termination_reason"] = "bored"
    text = json.dumps(data, indent=1)
    err = _bad(tmp_path, "results.json", text)
    sim_id = data["simulations"][2]["id"]
    id_line = next(i for i, t in enumerate(text.splitlines(), 1) if f'"id": "{sim_id}"' in t)
    assert f"results.json, line {id_line - 1}, simulation {sim_id!r}" in err  # where it starts
    assert "field termination_reason" in err
    err = _bad(
        tmp_path,
        "d.json",
        '{"info": {"environment_info": {"domain_name": "mock"}}, "simulations": [}',
    )
    assert "d.json, line 1, column" in err and "invalid JSON" in err
    err = _bad(tmp_path, "e.jsonl", good[0] + "\n", "--domain", "mokc")
    assert "mokc" in err and "mock" in err
    proc = runner("evaluate", str(tmp_path / "missing.json"))
    assert proc.returncode == 1 and "does not exist" in proc.stderr


def test_a_torn_last_line_is_skipped_with_a_warning(run_dir: Path, tmp_path: Path) -> None:
    good = (run_dir / "results.jsonl").read_text().splitlines()
    (tmp_path / "results.jsonl").write_text("\n".join(good[:3]) + "\n" + good[3][:50])
    proc = runner("evaluate", str(tmp_path / "results.jsonl"), "--domain", "mock", "--json")
    assert len(rows(proc)) == 3
    assert "line 4 is incomplete" in proc.stderr


def test_tau2_dir_format_is_read(tmp_path: Path) -> None:
    from runner.store import read_results_file

    data = json.loads((FIXTURES / "mock.json").read_text())
    sims = data.pop("simulations")
    (tmp_path / "simulations").mkdir()
    for sim in sims[:3]:
        (tmp_path / "simulations" / f"{sim['id'].replace('/', '_')}.json").write_text(
            json.dumps(sim)
        )
    (tmp_path / "results.json").write_text(json.dumps(data))
    results = read_results_file(tmp_path)
    assert results.format == "tau2" and results.domain == "mock"
    assert sorted(r.id for r in results.runs) == sorted(s["id"] for s in sims[:3])
    assert len(results.tasks) == len(data["tasks"])


def test_line_of_points_at_the_value() -> None:
    from runner.store.locations import line_of

    text = '{\n "a": [\n  {"x": 1},\n  {"x": {"y": [1,\n 2]}}\n ],\n "b": "[,{"\n}'
    assert line_of(text, ["a", 1]) == 4
    assert line_of(text, ["a", 1, "x", "y"]) == 4
    assert line_of(text, ["b"]) == 7
    assert line_of(text, ["c"]) is None
