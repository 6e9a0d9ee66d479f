"""``runner improve``: one improvement round from past runs or OTLP traces (propose,
validate on the same tasks, adopt only when the paired comparison says it is better)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import click

from runner_experiments.store import Store


def _iso(value: str | None, flag: str) -> Any:
    from datetime import datetime

    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date such as 2026-12-01T09:00", param_hint=flag
        ) from None


@click.command("improve")
@click.option(
    "--runs",
    "runs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Run directories whose results are the baseline (repeatable).",
)
@click.option(
    "--traces",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="OTLP JSON trace files whose conversations are the baseline (repeatable).",
)
@click.option(
    "--experiment",
    "experiment_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An experiment file for the optimizer, constraints and acceptance rule "
    "(required with --traces: it also says how to run the tasks).",
)
@click.option("--since", help="Only results started at or after this ISO time.")
@click.option("--until", help="Only results started at or before this ISO time.")
@click.option(
    "--evaluators",
    default="",
    help="What counts as a failure: reward components "
    "(DB, ACTION, COMMUNICATE, ENV_ASSERTION, NL_ASSERTION) and/or judge, "
    "comma-separated [default: reward below 1].",
)
@click.option("--optimizer-llm", help="The optimizer model (else the experiment file's).")
@click.option("--optimizer-llm-args", default=None, help="JSON object of its arguments.")
@click.option(
    "--agent-llm-args",
    default=None,
    help="JSON object replacing the runs' agent "
    "LLM arguments (their API keys are masked in run.json).",
)
@click.option("--user-llm-args", default=None, help="The same for the user simulator.")
@click.option(
    "--policy-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The policy the baseline ran with [default: the runs' policy option, else "
    "the domain's policy].",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the adopted policy [default: output dir/ID/policy.md].",
)
@click.option(
    "--output-dir",
    default=None,
    help="Folder of the validation runs and the database [default: the experiment file's "
    "output.dir, else experiments].",
)
@click.option(
    "--db", default=None, help="Experiments database [default: OUTPUT_DIR/experiments.sqlite]."
)
@click.option("--progress/--no-progress", default=True, help="Progress while validating.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def improve_cmd(
    runs: tuple[Path, ...],
    traces: tuple[Path, ...],
    experiment_file: Path | None,
    since: str | None,
    until: str | None,
    evaluators: str,
    optimizer_llm: str | None,
    optimizer_llm_args: str | None,
    agent_llm_args: str | None,
    user_llm_args: str | None,
    policy_file: Path | None,
    output: Path | None,
    output_dir: str | None,
    db: str | None,
    progress: bool,
    as_json: bool,
) -> None:
    """Improve an agent's policy from what already happened: propose a fix from the
    baseline's failures, validate it by running those tasks again, adopt it only when the
    paired comparison says it is better."""
    from runner import ConfigError

    from runner_experiments.config import load_experiment
    from runner_experiments.improve import experiment_for_runs, improve, runs_baseline
    from runner_experiments.otlp import read_traces

    if bool(runs) == bool(traces):
        raise ConfigError(
            "Give the baseline with --runs DIR... or with --traces FILE..., not both."
        )
    base = load_experiment(experiment_file) if experiment_file else None
    overrides: dict[str, Any] = {
        "optimizer_llm": optimizer_llm,
        "optimizer_llm_args": _json_object(optimizer_llm_args, "--optimizer-llm-args"),
        "agent_llm_args": _json_object(agent_llm_args, "--agent-llm-args"),
        "user_llm_args": _json_object(user_llm_args, "--user-llm-args"),
    }
    if base is None and optimizer_llm is None:
        raise ConfigError("Name the optimizer model: --optimizer-llm MODEL (or --experiment FILE).")
    policy = policy_file.read_text(encoding="utf-8") if policy_file else None
    if runs:
        config, baseline = runs_baseline(list(runs), _iso(since, "--since"), _iso(until, "--until"))
        option = base.optimize.option if base else "policy"
        policy = policy or (config.get("agent_options") or {}).get(option)
    else:
        if base is None:
            raise ConfigError(
                "--traces needs --experiment FILE: traces do not say how to run "
                "the tasks again (domain, agent, user, models)."
            )
        config, baseline = {}, read_traces(list(traces))
        if not baseline:
            raise ConfigError(
                f"No scored conversation in {', '.join(map(str, traces))}: see "
                "docs/experiments.md ('Traces') for the attributes read."
            )
    if output_dir is not None:
        overrides["output"] = {"dir": str(Path(output_dir).resolve())}
    exp = experiment_for_runs(config, baseline, base, overrides)
    store = Store(db or (exp.path(exp.output.dir) / "experiments.sqlite"))
    outcome = asyncio.run(
        improve(
            baseline,
            exp,
            policy=policy,
            evaluators=[e for e in evaluators.split(",") if e],
            store=store,
            output=output,
            progress=progress,
        )
    )
    decision = outcome.decision
    if as_json:
        click.echo(
            json.dumps(
                {
                    "experiment_id": outcome.experiment_id,
                    "adopted": outcome.adopted,
                    "baseline": outcome.baseline,
                    "failures": outcome.failures,
                    "decision": decision.to_json() if decision else None,
                    "output": str(outcome.output) if outcome.output else None,
                },
                indent=2,
            )
        )
        return
    click.echo(
        f"{outcome.experiment_id}: baseline {outcome.baseline} results, {outcome.failures} failures"
    )
    if decision is not None:
        click.echo(f"paired comparison over {decision.n} units: {decision.reason}")
    click.echo(
        f"adopted: policy written to {outcome.output}"
        if outcome.adopted
        else "not adopted: the policy stays as it was"
    )


def _json_object(text: str | None, flag: str) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not valid JSON ({exc.msg})", param_hint=flag) from None
    if not isinstance(value, dict):
        raise click.BadParameter("must be a JSON object", param_hint=flag)
    return value
