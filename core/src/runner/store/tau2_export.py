"""A run directory as τ²-bench's ``results.json``: what τ²-bench's ``Results`` model parses.

``runner export RUN_DIR --format tau2`` writes it, so runs can go to τ²-bench's leaderboard
tooling; ``runner evaluate`` reads it back. The shape: ``timestamp``, ``info`` (the run's
trials, limits, seed, the agent's and the user's implementation and model with their arguments,
secrets masked, and the domain with its policy), ``tasks`` (the tasks the results ran) and
``simulations`` (each result as τ²-bench's ``SimulationRun``). Results that never measured the
agent (``infrastructure_error``) have no τ²-bench equivalent and are left out, and counted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from runner.secrets import mask_secrets

#: τ²-bench ``SimulationRun`` fields a runner result carries under the same names.
_SIMULATION_FIELDS = (
    "id",
    "task_id",
    "start_time",
    "end_time",
    "duration",
    "termination_reason",
    "agent_cost",
    "user_cost",
    "reward_info",
    "messages",
    "trial",
    "seed",
)


def tau2_results(
    config: dict[str, Any], runs: list[Any], tasks: list[Any], policy: str
) -> tuple[dict[str, Any], int]:
    """(the ``results.json`` object, how many results were left out)."""
    simulations = []
    left_out = 0
    for run in runs:
        data = run.model_dump(mode="json", exclude_unset=True)
        if data.get("termination_reason") == "infrastructure_error":
            left_out += 1
            continue
        simulation = {k: data[k] for k in _SIMULATION_FIELDS if data.get(k) is not None}
        simulation["timestamp"] = data.get("end_time") or data.get("start_time")
        simulation.setdefault("messages", [])
        simulation["messages"] = [_message(m) for m in simulation["messages"]]
        db_check = (simulation.get("reward_info") or {}).get("db_check")
        if isinstance(db_check, dict):  # runner's own evidence, not a τ²-bench field
            db_check.pop("differences", None)
        simulations.append(simulation)
    used = {s["task_id"] for s in simulations}
    masked = mask_secrets(config)
    info = {
        "git_commit": "",
        "num_trials": masked.get("num_trials", 1),
        "max_steps": masked.get("max_steps", 100),
        "max_errors": masked.get("max_errors", 10),
        "user_info": {
            "implementation": f"runner:{masked.get('user')}",
            "llm": masked.get("user_llm"),
            "llm_args": masked.get("user_llm_args") or None,
        },
        "agent_info": {
            "implementation": f"runner:{masked.get('agent')}",
            "llm": masked.get("agent_llm"),
            "llm_args": masked.get("agent_llm_args") or None,
        },
        "environment_info": {"domain_name": masked.get("domain"), "policy": policy},
        "seed": masked.get("seed"),
    }
    results = {
        "timestamp": datetime.now().isoformat(),
        "info": info,
        "tasks": [t.to_json() for t in tasks if t.id in used],
        "simulations": simulations,
    }
    return results, left_out


def _message(message: dict[str, Any]) -> dict[str, Any]:
    """A message as τ²-bench knows it: runner's voice and streaming extras dropped."""
    extra = ("intended_content", "backchannel", "interrupted", "unspoken")
    return {k: v for k, v in message.items() if k not in extra}
