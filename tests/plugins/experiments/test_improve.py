"""`runner improve`: past mock runs with known failures (and the same conversations as an OTLP
trace file) are the baseline; a scripted optimizer's fix is validated on the same units and
adopted; a change that is not better is not written out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from experiment_helpers import (
    AGENT,
    FAILING,
    FIX,
    OPTIMIZER,
    USER,
    ExperimentModels,
    policy_reply,
    write_experiment,
)
from runner import RunConfig, run_domain
from runner.cli.app import cli
from runner.testing import LLMTestServer

ENV = {
    "RUNNER_LOAD_PLUGINS": "runner-mock,runner-agents,runner-users,runner-experiments",
    "RUNNER_PLUGINS": "",
    "RUNNER_DISABLE_PLUGINS": "",
}
KEY = "sk-improve-test-77"
FIXED = {(1, 1): lambda policy: policy_reply(policy + "\n\n" + FIX)}
SAME = {(1, 1): lambda policy: policy_reply(policy + "\n\nBe polite.")}


def llm_args(url: str) -> str:
    return json.dumps({"api_base": url, "api_key": KEY})


def past_run(folder: Path, url: str, name: str) -> Path:
    args = json.loads(llm_args(url))
    config = RunConfig(
        domain="mock",
        agent="llm_agent",
        agent_llm=f"openai/{AGENT}",
        agent_llm_args=args,
        user="user_simulator",
        user_llm=f"openai/{USER}",
        user_llm_args=args,
        output_dir=str(folder),
        run_name=name,
        progress=False,
        seed=11,
    )
    result = run_domain(config)
    assert result.metrics.avg_reward == pytest.approx(10 / 15)  # FAILING's 5 tasks failed
    return result.run_dir


def improve(*args: str) -> Any:
    return CliRunner().invoke(cli, ["improve", *args], env=ENV, catch_exceptions=False)


def common(url: str, tmp_path: Path) -> list[str]:
    return [
        "--optimizer-llm",
        f"openai/{OPTIMIZER}",
        "--optimizer-llm-args",
        llm_args(url),
        "--agent-llm-args",
        llm_args(url),
        "--user-llm-args",
        llm_args(url),
        "--db",
        str(tmp_path / "improve.sqlite"),
        "--output-dir",
        str(tmp_path / "out"),
        "--no-progress",
        "--json",
    ]


def test_improve_from_past_runs_adopts_a_validated_fix(tmp_path) -> None:
    with LLMTestServer(responder=ExperimentModels(FIXED), record_bodies=False) as server:
        run_dir = past_run(tmp_path / "runs", server.url, "monday")
        output = tmp_path / "policy.md"
        result = improve(
            "--runs", str(run_dir), "--output", str(output), *common(server.url, tmp_path)
        )
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert outcome["baseline"] == 15 and outcome["failures"] == len(FAILING)
    assert outcome["adopted"] is True and outcome["decision"]["n"] == 15
    assert outcome["decision"]["mean_delta"] == pytest.approx(5 / 15)
    assert FIX in output.read_text()
    # the audit trail of the improvement is an experiment's
    audit = CliRunner().invoke(
        cli,
        [
            "experiment",
            "replay",
            outcome["experiment_id"],
            "--audit",
            "--db",
            str(tmp_path / "improve.sqlite"),
        ],
        env=ENV,
    )
    assert "Iteration 1, attempt 1" in audit.output and "decision: accepted" in audit.output
    assert KEY not in audit.output


def test_a_change_that_is_not_better_is_not_written(tmp_path) -> None:
    with LLMTestServer(responder=ExperimentModels(SAME), record_bodies=False) as server:
        run_dir = past_run(tmp_path / "runs", server.url, "tuesday")
        output = tmp_path / "policy.md"
        result = improve(
            "--runs",
            str(run_dir),
            "--output",
            str(output),
            "--evaluators",
            "DB,COMMUNICATE",
            *common(server.url, tmp_path),
        )
        future = improve(
            "--runs", str(run_dir), "--since", "2999-01-01T00:00", *common(server.url, tmp_path)
        )
    outcome = json.loads(result.stdout)
    assert outcome["adopted"] is False and not output.exists()
    assert outcome["decision"]["mean_delta"] == 0.0
    assert future.exit_code == 1 and "No results in" in future.output


def otlp_trace_file(run_dir: Path, path: Path) -> None:
    """The past run's conversations as OTLP JSON with OpenInference attributes."""

    def attr(key: str, value: Any) -> dict[str, Any]:
        kind = "doubleValue" if isinstance(value, float) else "stringValue"
        return {"key": key, "value": {kind: value if kind == "doubleValue" else str(value)}}

    spans = []
    for number, line in enumerate((run_dir / "results.jsonl").read_text().splitlines()):
        result = json.loads(line)
        trace = f"{number:032x}"
        scores = [
            attr(f"eval.{k}.score", float(v))
            for k, v in result["reward_info"]["reward_breakdown"].items()
        ]
        spans.append(
            {
                "traceId": trace,
                "spanId": "a" * 16,
                "name": "conversation",
                "attributes": [
                    attr("runner.task_id", result["task_id"]),
                    attr("eval.reward.score", float(result["reward_info"]["reward"])),
                    *scores,
                ],
            }
        )
        messages = [m for m in result["messages"] if m.get("content")]
        llm = [attr("openinference.span.kind", "LLM")]
        for i, m in enumerate(messages):
            llm += [
                attr(f"llm.input_messages.{i}.message.role", m["role"]),
                attr(f"llm.input_messages.{i}.message.content", m["content"]),
            ]
        spans.append(
            {
                "traceId": trace,
                "spanId": "b" * 16,
                "parentSpanId": "a" * 16,
                "name": "llm",
                "endTimeUnixNano": "1",
                "attributes": llm,
            }
        )
    document = {
        "resourceSpans": [
            {
                "resource": {"attributes": []},
                "scopeSpans": [{"scope": {"name": "test"}, "spans": spans}],
            }
        ]
    }
    path.write_text(json.dumps(document))


def test_improve_from_an_otlp_trace_file(tmp_path) -> None:
    from runner_experiments.otlp import read_traces

    with LLMTestServer(responder=ExperimentModels(FIXED), record_bodies=False) as server:
        run_dir = past_run(tmp_path / "runs", server.url, "traced")
        traces = tmp_path / "traces.json"
        otlp_trace_file(run_dir, traces)
        runs = read_traces([traces])
        assert len(runs) == 15 and sum(r.reward < 1 for r in runs) == len(FAILING)
        assert runs[0].messages and runs[0].reward_info.reward_breakdown
        experiment = write_experiment(tmp_path, server.url)
        output = tmp_path / "traced-policy.md"
        result = improve(
            "--traces",
            str(traces),
            "--experiment",
            str(experiment),
            "--output",
            str(output),
            "--db",
            str(tmp_path / "t.sqlite"),
            "--no-progress",
            "--json",
        )
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert outcome["adopted"] is True and outcome["failures"] == len(FAILING)
    assert FIX in output.read_text()
    missing = improve("--traces", str(traces), "--optimizer-llm", "openai/x")
    assert missing.exit_code == 1 and "--traces needs --experiment FILE" in missing.output
