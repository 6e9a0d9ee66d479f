"""``runner domain NAME``: what a domain gives an agent: its policy, tools and task splits."""

from __future__ import annotations

import json
from typing import Any

import click

from runner.cli.run_cmd import KEY_VALUE


@click.command("domain")
@click.argument("name")
@click.option(
    "--domain-option",
    "domain_options",
    type=KEY_VALUE,
    multiple=True,
    help="Domain option, e.g. data_dir=PATH (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def domain(name: str, domain_options: tuple[tuple[str, Any], ...], as_json: bool) -> None:
    """A domain's policy, its tools (agent and user side, with their argument schemas) and its
    task splits."""
    from runner.cli.app import get_plugins
    from runner.models.config import RunConfig
    from runner.run.build import get_domain

    config = RunConfig(domain=name, domain_options=dict(domain_options))
    found = get_domain(config, get_plugins())
    env = found.environment()
    sides = {"agent": list(env.tools())}
    if env.user_toolkit is not None:
        sides["user"] = list(env.user_tools())
    splits = {split: len(found.tasks(split)) for split in found.splits()} if found.splits() else {}
    data: dict[str, Any] = {
        "name": name,
        "policy": env.policy,
        "tools": {
            side: [t.openai_schema()["function"] for t in tools] for side, tools in sides.items()
        },
        "splits": splits,
        "tasks": len(found.tasks()),
    }
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"# Domain {name}: {data['tasks']} tasks"
        + (f"; splits {', '.join(f'{k} ({v})' for k, v in splits.items())}" if splits else "")
    )
    for side, tools in data["tools"].items():
        click.echo(f"\n## {side.capitalize()} tools ({len(tools)})")
        for tool in tools:
            params = tool.get("parameters", {}).get("properties", {})
            required = set(tool.get("parameters", {}).get("required", []))
            args = ", ".join(
                f"{p}{'' if p in required else '?'}: {spec.get('type', 'any')}"
                for p, spec in params.items()
            )
            summary = (tool.get("description") or "").strip().split("\n", 1)[0]
            click.echo(f"- {tool['name']}({args}): {summary}")
    click.echo(f"\n## Policy\n\n{data['policy']}")
