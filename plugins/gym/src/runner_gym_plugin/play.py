"""``runner play``: a person plays one side of a conversation in the terminal.

The other side is any registered agent or user; the conversation is the gym environment's
(:mod:`runner_gym.env`), so it is routed, limited and scored like any simulation, and the
finished conversation is saved as a one-result run directory (``runner show`` reads it).
Type a message, or a tool call as ``name {json arguments}``; ``/tools`` lists the tools with
their arguments, ``/help`` the commands, ``/quit`` ends without scoring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

HELP = (
    'Type a message and press Enter, or a tool call: NAME {"arg": value, ...}.\n'
    "/tools  the tools you may call, with their arguments\n"
    "/help   this text\n"
    "/quit   stop without scoring"
)


@click.command("play")
@click.option("--domain", required=True, help="The domain to play in.")
@click.option("--task-id", default=None, help="The task [default: the first].")
@click.option(
    "--as",
    "side",
    type=click.Choice(["agent", "user"]),
    default="agent",
    show_default=True,
    help="The side you play.",
)
@click.option("--agent", default=None, help="The agent you talk to when you play the user.")
@click.option("--user", default=None, help="The user you talk to when you play the agent.")
@click.option("--agent-llm", default=None)
@click.option("--user-llm", default=None)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--output-dir", default="runs", show_default=True)
@click.option("--run-name", default=None, help="[default: play_DOMAIN_TASK_SIDE]")
def play(
    domain: str,
    task_id: str | None,
    side: str,
    agent: str | None,
    user: str | None,
    agent_llm: str | None,
    user_llm: str | None,
    seed: int,
    output_dir: str,
    run_name: str | None,
) -> None:
    """Play one side of a conversation in the terminal; it is scored and saved like a run."""
    from runner_gym.env import AgentGymEnv, UserGymEnv

    env_class = AgentGymEnv if side == "agent" else UserGymEnv
    env = env_class(
        domain=domain,
        task_id=task_id,
        agent=agent,
        user=user,
        agent_llm=agent_llm,
        user_llm=user_llm,
    )
    try:
        observation, info = env.reset(seed=seed)
        click.echo(f"You play the {side} on task {env.task_id} of {domain}. /help for help.\n")
        if side == "agent":
            click.echo("(The policy you follow: /policy.)\n")
        reward, done = 0.0, False
        while not done:
            click.echo(observation)
            action = _ask(info)
            if action is None:
                click.echo("Stopped without scoring.")
                return
            observation, reward, terminated, truncated, info = env.step(action)
            done = terminated or truncated
        click.echo(observation)
        click.echo(
            f"\nThe conversation ended ({info.get('termination_reason')}). "
            f"Reward: {reward:.3f} {json.dumps(info.get('reward_breakdown'))}"
        )
        saved = _save(env, Path(output_dir), run_name or f"play_{domain}_{env.task_id}_{side}")
        click.echo(f"Saved: {saved}")
    finally:
        env.close()


def _ask(info: dict[str, Any]) -> Any:
    """The player's next action (None: quit)."""
    while True:
        line = click.prompt("you", prompt_suffix="> ", default="", show_default=False).strip()
        if not line:
            continue
        if line == "/quit":
            return None
        if line == "/help":
            click.echo(HELP)
            continue
        if line == "/policy":
            click.echo(info.get("policy") or "(no policy)")
            continue
        if line == "/tools":
            for tool in info.get("tools") or []:
                function = tool["function"]
                params = function.get("parameters", {}).get("properties", {})
                args = ", ".join(f"{k}: {v.get('type', 'any')}" for k, v in params.items())
                click.echo(f"  {function['name']}({args}): {function.get('description', '')}")
            continue
        names = {t["function"]["name"] for t in info.get("tools") or []}
        name, _, rest = line.partition(" ")
        if name in names and (not rest.strip() or rest.strip().startswith("{")):
            try:
                arguments = json.loads(rest) if rest.strip() else {}
            except json.JSONDecodeError as exc:
                click.echo(f"The arguments are not valid JSON ({exc.msg}); try again.")
                continue
            return {"name": name, "arguments": arguments}
        return line


def _save(env: Any, output_dir: Path, name: str) -> Path:
    """The finished conversation as a run directory with one result."""
    from runner import RunDirectory

    run = env.last_run
    directory = RunDirectory(output_dir / name)
    config = env.config.model_copy(update={"output_dir": str(output_dir), "run_name": name})
    directory.write_run(
        {"config": config.model_dump(mode="json"), "run_name": name, "num_units": 1}
    )
    writer = directory.writer(background_sync=False)
    writer.append(run)
    writer.close()
    return directory.path
