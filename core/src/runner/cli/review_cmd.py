"""``runner review RESULTS --review-llm MODEL [--mode full|user]``: who failed, agent or user."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import click

REVIEW_FILE = "review.jsonl"


def review_path(results: Path) -> Path:
    """Where a results file's reviews go: ``review.jsonl`` in a run directory, else beside the
    file (``<name>.review.jsonl``)."""
    if results.is_dir():
        return results / REVIEW_FILE
    return results.with_name(results.stem + ".review.jsonl")


def read_reviews(path: Path) -> dict[str, dict[str, Any]]:
    """The reviews already written, by simulation id (a torn last line is ignored)."""
    reviews: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return reviews
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict) and item.get("simulation_id") and not item.get("error"):
            reviews[item["simulation_id"]] = item
    return reviews


def summarize(reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts for ``runner show`` and the command's own output."""
    return {
        "reviewed": len(reviews),
        "agent_errors": sum(len(r.get("agent_errors") or []) for r in reviews),
        "user_errors": sum(len(r.get("user_errors") or []) for r in reviews),
        "simulations_with_user_errors": sum(1 for r in reviews if r.get("user_errors")),
        "simulations_with_agent_errors": sum(1 for r in reviews if r.get("agent_errors")),
    }


@click.command("review")
@click.argument("results", type=click.Path(exists=True, path_type=Path))
@click.option("--review-llm", required=True, help="The reviewer model (a litellm model string).")
@click.option("--review-llm-args", default="{}", help="JSON object of its arguments.")
@click.option(
    "--mode",
    type=click.Choice(["full", "user"]),
    default="full",
    show_default=True,
    help="full: agent and user errors; user: only the simulated user's.",
)
@click.option("--max-concurrency", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def review(
    results: Path,
    review_llm: str,
    review_llm_args: str,
    mode: str,
    max_concurrency: int,
    as_json: bool,
) -> None:
    """Have an LLM review each trajectory for agent errors and user-simulator errors (the
    simulated user broke or leaked its instructions, or ended early), with the turn and a
    reason. Resumable: reviews are appended to review.jsonl beside the results and simulations
    already reviewed are skipped; `runner show` reports them."""
    from runner.cli.app import get_plugins
    from runner.errors import ConfigError
    from runner.store import read_results_file

    try:
        llm_args = json.loads(review_llm_args)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"--review-llm-args: not valid JSON ({exc.msg}).") from None
    if not isinstance(llm_args, dict):
        raise ConfigError("--review-llm-args must be a JSON object.")
    loaded = read_results_file(results, strict=False)
    if not loaded.runs:
        raise ConfigError(
            f"{results} holds no simulation results to review (no line could be read as one). "
            "Pass a run directory, its results.jsonl, or τ²-bench's results.json."
        )
    tasks = {t.id: t for t in (loaded.tasks or [])}
    if not tasks and loaded.domain:
        from runner.models.config import RunConfig
        from runner.run.build import get_domain

        config = RunConfig(domain=loaded.domain, domain_options=loaded.domain_options or {})
        domain = get_domain(config, get_plugins())
        tasks = {t.id: t for t in domain.tasks(loaded.task_split)}
    out = review_path(results)
    done = read_reviews(out)
    todo = [r for r in loaded.runs if r.id not in done]
    fresh = asyncio.run(_review_all(todo, tasks, review_llm, llm_args, mode, max_concurrency, out))
    every = [*done.values(), *fresh]
    summary = summarize(every)
    failed = sum(1 for r in fresh if r.get("error"))
    if as_json:
        click.echo(json.dumps({**summary, "new": len(fresh), "failed": failed, "file": str(out)}))
        return
    click.echo(
        f"Reviewed {summary['reviewed']} simulations ({len(fresh)} now): {summary['agent_errors']} "
        f"agent errors in {summary['simulations_with_agent_errors']} simulations, "
        f"{summary['user_errors']} user-simulator errors in "
        f"{summary['simulations_with_user_errors']}. Written to {out}."
        + (f" {failed} reviews failed; run again to retry them." if failed else "")
    )


async def _review_all(
    runs: list[Any],
    tasks: dict[str, Any],
    model: str,
    llm_args: dict[str, Any],
    mode: str,
    limit: int,
    out: Path,
) -> list[dict[str, Any]]:
    from runner.evaluation.review import Review, review_simulation
    from runner.llm.gateway import get_gateway
    from runner.orchestrator.failures import access_refused, describe_error

    gateway = get_gateway()
    semaphore = asyncio.Semaphore(limit)
    written: list[dict[str, Any]] = []
    out.parent.mkdir(parents=True, exist_ok=True)

    async def one(run: Any) -> None:
        async with semaphore:
            try:
                result = await review_simulation(
                    tasks.get(run.task_id), run, model, llm_args, gateway, mode
                )
            except Exception as exc:
                refused = access_refused("judge", exc)
                if refused is not None:
                    raise refused from None
                result = Review(run.id, run.task_id, run.trial, error=describe_error(exc))
            item = result.to_json()
            with out.open("a", encoding="utf-8") as file:  # one line per review, as it finishes
                file.write(json.dumps(item, ensure_ascii=False) + "\n")
            written.append(item)

    await asyncio.gather(*(one(r) for r in runs))
    return written
