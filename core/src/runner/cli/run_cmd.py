"""``runner run``: simulate a domain's tasks × trials and score them.

Options map one to one onto :class:`~runner.RunConfig` fields (the defaults live there, not
here). Exit codes: 0 done; 1 an error (printed as one paragraph); 3 finished, but some units
are still infrastructure errors after their retries (run the same command to retry them);
130 interrupted with Ctrl+C (the command that resumes is printed).
"""

from __future__ import annotations

import json
import shlex
import sys
from typing import Any

import click

from runner.cli.app import get_plugins

EXIT_INCOMPLETE = 3
EXIT_INTERRUPTED = 130


def parse_value(text: str) -> Any:
    """``k=v`` values: JSON when they parse (numbers, booleans, lists), else the plain string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


class KeyValue(click.ParamType):
    """``KEY=VALUE`` (repeatable); VALUE is parsed as JSON when it can be."""

    name = "KEY=VALUE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        key, eq, raw = str(value).partition("=")
        if not eq or not key.strip():
            self.fail(
                f"{value!r} is not KEY=VALUE (for example model_temperature=0.2). "
                "Repeat the option for several keys.",
                param,
                ctx,
            )
        return (key.strip(), parse_value(raw))


class JsonObject(click.ParamType):
    """A JSON object given inline, e.g. '{"temperature": 0}'."""

    name = "JSON"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dict):
            return value
        try:
            data = json.loads(value)
        except ValueError as exc:
            self.fail(
                f"{value!r} is not valid JSON ({exc}). Give an object in single quotes, "
                """for example '{"temperature": 0}'.""",
                param,
                ctx,
            )
        if not isinstance(data, dict):
            self.fail(
                f"{value!r} must be a JSON object ({{...}}), not {type(data).__name__}.", param, ctx
            )
        return data


KEY_VALUE = KeyValue()
JSON_OBJECT = JsonObject()

#: ``--llm-*`` options: the LLM gateway's setting each one overrides.
GATEWAY_SETTING = {
    "llm_max_retries": "max_retries",
    "llm_timeout": "timeout",
    "llm_transport": "transport",
}


def shown_default(name: str) -> str:
    """The default of option ``name`` as ``--help`` shows it: the :class:`~runner.RunConfig`
    field's default, or for a ``--llm-*`` option whose field is unset by default, the LLM
    gateway's own default (what a run then uses)."""
    import inspect

    from runner.models.config import RunConfig

    value = RunConfig.model_fields[name].get_default(call_default_factory=True)
    if value is None and name in GATEWAY_SETTING:
        from runner.llm.gateway import LLMGateway

        parameters = inspect.signature(LLMGateway.__init__).parameters
        value = parameters[GATEWAY_SETTING[name]].default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return name.replace("_", "-") if value else "no-" + name.replace("_", "-")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class ConfigDefault(click.Option):
    """An option whose help shows ``{default}`` as :func:`shown_default` of its field, read
    only when the help is printed (so ``runner run`` imports no model to start), and never
    written by hand, so the help cannot drift from :class:`~runner.RunConfig`. The option's own
    default stays ``None``: only options given on the command line reach the configuration."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        template = self.help or ""
        self.help = template.replace("{default}", shown_default(self.name or ""))
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = template


#: CLI flag of each RunConfig field (for rebuilding the command that resumes a run).
FLAG = {
    "domain": "--domain",
    "agent": "--agent",
    "user": "--user",
    "orchestrator": "--orchestrator",
    "executor": "--executor",
    "agent_llm": "--agent-llm",
    "user_llm": "--user-llm",
    "judge_llm": "--judge-llm",
    "agent_llm_args": "--agent-llm-args",
    "user_llm_args": "--user-llm-args",
    "judge_llm_args": "--judge-llm-args",
    "agent_options": "--agent-option",
    "user_options": "--user-option",
    "domain_options": "--domain-option",
    "orchestrator_options": "--orchestrator-option",
    "voice_provider": "--voice-provider",
    "voice_options": "--voice-option",
    "executor_options": "--executor-option",
    "task_split": "--task-split",
    "task_ids": "--task-ids",
    "num_tasks": "--num-tasks",
    "num_trials": "--num-trials",
    "max_steps": "--max-steps",
    "max_errors": "--max-errors",
    "timeout": "--timeout",
    "seed": "--seed",
    "max_concurrency": "--max-concurrency",
    "max_retries": "--max-retries",
    "retry_backoff": "--retry-backoff",
    "retry_backoff_max": "--retry-backoff-max",
    "llm_cache_dir": "--llm-cache-dir",
    "llm_max_retries": "--llm-max-retries",
    "llm_timeout": "--llm-timeout",
    "llm_transport": "--llm-transport",
    "output_dir": "--output-dir",
    "run_name": "--run-name",
}


def config_to_args(config: Any, plugin_modules: tuple[str, ...] = ()) -> list[str]:
    """The ``runner run`` command line that builds ``config`` (non-default fields only)."""
    from runner.models.config import RunConfig

    defaults = RunConfig(domain=config.domain).model_dump(mode="json")
    args = ["runner"]
    for module in plugin_modules:
        args += ["-p", module]
    args.append("run")
    data = config.model_dump(mode="json")
    for name, flag in FLAG.items():
        value = data.get(name)
        if value == defaults.get(name) and name != "domain":
            continue
        if name.endswith("_options"):
            for key, item in value.items():
                args += [flag, f"{key}={item if isinstance(item, str) else json.dumps(item)}"]
        elif isinstance(value, dict):
            args += [flag, json.dumps(value)]
        elif isinstance(value, list):
            args += [flag, ",".join(map(str, value))]
        else:
            args += [flag, str(value)]
    if not data.get("progress", True):
        args.append("--no-progress")
    if data.get("force_resume"):
        args.append("--force-resume")
    if data.get("strict_tasks"):
        args.append("--strict-tasks")
    return args


def resume_command(config: Any, plugin_modules: tuple[str, ...] = ()) -> str:
    """The shell command that resumes ``config``'s run. Secrets are masked, and when one was,
    a second line says how to supply it again (a key is never printed)."""
    from runner.models.config import RunConfig
    from runner.secrets import MASK, mask_argv, mask_secrets

    masked = RunConfig.model_validate(mask_secrets(config.model_dump(mode="json")))
    argv = mask_argv(config_to_args(masked, plugin_modules))
    command = shlex.join(argv)
    if any(MASK in arg for arg in argv) and MASK not in shlex.join(config_to_args(config)):
        command += (
            f"\n  ({MASK} stands for a secret, which is never printed: put it back, or drop it "
            "and set the provider's environment variable, e.g. OPENAI_API_KEY.)"
        )
    return command


def build_config(params: dict[str, Any]) -> Any:
    """A RunConfig from the command's parameters; a validation error becomes a ConfigError."""
    from pydantic import ValidationError

    from runner.errors import ConfigError
    from runner.models.config import RunConfig

    data: dict[str, Any] = {}
    if params.pop("realtime", None):
        params = {
            **params,
            "orchestrator_options": (
                *(params.get("orchestrator_options") or ()),
                ("realtime", True),
            ),
        }
    for name, value in params.items():
        if name.endswith("_options"):
            if value:
                data[name] = dict(value)
        elif name == "task_ids":
            ids = [i.strip() for chunk in value for i in chunk.split(",") if i.strip()]
            if ids:
                data[name] = ids
        elif value is not None:
            data[name] = value
    try:
        return RunConfig(**data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{FLAG.get(str(err['loc'][0]), err['loc'][0])}: {err['msg']} (got {err.get('input')!r})"
            for err in exc.errors()
        )
        raise ConfigError(f"Invalid run options: {problems}. See `runner run --help`.") from None


def _options(f: Any) -> Any:
    opts = [
        click.option("--domain", required=True, help="Domain to run (see `runner list-plugins`)."),
        click.option("--agent", cls=ConfigDefault, help="Agent name [default: {default}]."),
        click.option("--user", cls=ConfigDefault, help="User simulator name [default: {default}]."),
        click.option(
            "--orchestrator", cls=ConfigDefault, help="Orchestrator name [default: {default}]."
        ),
        click.option("--executor", cls=ConfigDefault, help="Executor name [default: {default}]."),
        click.option("--agent-llm", help="Model of the agent (litellm model string)."),
        click.option("--user-llm", help="Model of the user simulator."),
        click.option(
            "--judge-llm", help="Model of the NL-assertion judge (none: NL checks skipped)."
        ),
        click.option(
            "--agent-llm-args", type=JSON_OBJECT, help="JSON object of agent LLM arguments."
        ),
        click.option(
            "--user-llm-args", type=JSON_OBJECT, help="JSON object of user LLM arguments."
        ),
        click.option(
            "--judge-llm-args", type=JSON_OBJECT, help="JSON object of judge LLM arguments."
        ),
        click.option(
            "--agent-option",
            "agent_options",
            type=KEY_VALUE,
            multiple=True,
            help="Option for the agent factory, KEY=VALUE (repeatable).",
        ),
        click.option(
            "--user-option",
            "user_options",
            type=KEY_VALUE,
            multiple=True,
            help="Option for the user factory, KEY=VALUE (repeatable).",
        ),
        click.option(
            "--domain-option",
            "domain_options",
            type=KEY_VALUE,
            multiple=True,
            help="Domain option, e.g. data_dir=PATH (repeatable).",
        ),
        click.option(
            "--orchestrator-option",
            "orchestrator_options",
            type=KEY_VALUE,
            multiple=True,
            help="Extra orchestrator argument, KEY=VALUE (repeatable).",
        ),
        click.option(
            "--voice-provider",
            help="A voice run (with --orchestrator full_duplex): participants speak and listen "
            "through this registered voice provider (see `runner list-plugins`).",
        ),
        click.option(
            "--voice-option",
            "voice_options",
            type=KEY_VALUE,
            multiple=True,
            help="Voice provider option, KEY=VALUE (repeatable).",
        ),
        click.option(
            "--executor-option",
            "executor_options",
            type=KEY_VALUE,
            multiple=True,
            help="Executor option, KEY=VALUE (repeatable).",
        ),
        click.option("--task-split", help="Task split [default: the domain's base split]."),
        click.option("--task-ids", multiple=True, help="Comma-separated task ids (repeatable)."),
        click.option("--num-tasks", type=click.IntRange(min=1), help="Only the first N tasks."),
        click.option(
            "--num-trials",
            cls=ConfigDefault,
            type=click.IntRange(min=1),
            help="Trials per task [default: {default}].",
        ),
        click.option(
            "--max-steps",
            cls=ConfigDefault,
            type=click.IntRange(min=1),
            help="Steps per simulation [default: {default}].",
        ),
        click.option(
            "--max-errors",
            cls=ConfigDefault,
            type=click.IntRange(min=1),
            help="Tool errors before a simulation stops [default: {default}].",
        ),
        click.option(
            "--timeout",
            cls=ConfigDefault,
            type=click.FloatRange(min=0, min_open=True),
            help="Wall-clock seconds per simulation [default: {default}].",
        ),
        click.option(
            "--seed",
            cls=ConfigDefault,
            type=int,
            help="Base seed; each unit's seed derives from it [default: {default}].",
        ),
        click.option(
            "--max-concurrency",
            cls=ConfigDefault,
            type=click.IntRange(min=1),
            help="Simulations in flight at once [default: {default}].",
        ),
        click.option(
            "--max-retries",
            cls=ConfigDefault,
            type=click.IntRange(min=0),
            help="Retries of an infrastructure error [default: {default}].",
        ),
        click.option(
            "--retry-backoff",
            cls=ConfigDefault,
            type=click.FloatRange(min=0),
            help="First wait before a retry, seconds; doubles per retry [default: {default}].",
        ),
        click.option(
            "--retry-backoff-max",
            cls=ConfigDefault,
            type=click.FloatRange(min=0),
            help="Longest wait between retries, seconds [default: {default}].",
        ),
        click.option(
            "--llm-cache-dir",
            envvar="RUNNER_LLM_CACHE_DIR",
            help="Cache LLM responses on disk: a re-run with the same folder makes no LLM calls.",
        ),
        click.option(
            "--llm-max-retries",
            cls=ConfigDefault,
            type=click.IntRange(min=0),
            help="Retries of one LLM call on rate limits, 5xx and timeouts [default: {default}].",
        ),
        click.option(
            "--llm-timeout",
            cls=ConfigDefault,
            type=click.FloatRange(min=0, min_open=True),
            help="Timeout of one LLM call, seconds [default: {default}].",
        ),
        click.option(
            "--llm-transport",
            cls=ConfigDefault,
            type=click.Choice(["auto", "litellm", "direct"]),
            help="How LLM calls are sent [default: {default}]: auto sends hosted_vllm/... "
            "models and openai/... models with a non-OpenAI api_base straight to the endpoint "
            "and everything else through litellm; litellm or direct force one (see docs/llm.md).",
        ),
        click.option(
            "--output-dir",
            cls=ConfigDefault,
            help="Folder of run directories [default: {default}].",
        ),
        click.option(
            "--run-name", help="Run directory name [default: DOMAIN_AGENT_USER_TIMESTAMP]."
        ),
        click.option(
            "--resume/--no-resume",
            cls=ConfigDefault,
            default=None,
            help="Continue an existing run directory [default: {default}].",
        ),
        click.option(
            "--force-resume",
            is_flag=True,
            default=None,
            help="Resume even if the configuration changed.",
        ),
        click.option(
            "--strict-tasks",
            is_flag=True,
            default=None,
            help="Stop before running when a selected task's expected actions fail (or a tool "
            "writes without write=True); without it these are warnings.",
        ),
        click.option(
            "--realtime",
            is_flag=True,
            default=None,
            help="Full duplex: pace the ticks to the wall clock (tick_duration_seconds of real "
            "time each) instead of running them as fast as the participants answer. Same as "
            "--orchestrator-option realtime=true.",
        ),
        click.option("--progress/--no-progress", default=None, help="Show progress on stderr."),
        click.option(
            "--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout."
        ),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


@click.command("run")
@_options
def run(as_json: bool, **params: Any) -> None:
    """Run a domain's tasks × trials with an agent and a user; score and summarise them.

    Results go to OUTPUT_DIR/RUN_NAME/results.jsonl as each simulation finishes. Running the
    same command again resumes: finished simulations are skipped.
    """
    from runner.run.batch import run_domain
    from runner.store import RunDirectory, with_run_name

    plugins = get_plugins()
    modules = tuple(click.get_current_context().find_root().params.get("plugin") or ())
    config = with_run_name(build_config(params))
    run_dir = RunDirectory.of(config).path
    try:
        result = run_domain(config, plugins=plugins)
    except KeyboardInterrupt:
        _interrupted(config, run_dir, modules)
        sys.exit(EXIT_INTERRUPTED)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "run_dir": str(run_dir),
                    "complete": result.complete,
                    "resumed": result.resumed,
                    "ran": result.ran,
                    "num_units": result.num_units,
                    "metrics": result.metrics.to_json(),
                },
                indent=2,
            )
        )
    else:
        from runner.cli.metrics_view import print_metrics

        print_metrics(result.metrics, title=f"Run {config.run_name}")
        click.echo(f"Results: {run_dir / 'results.jsonl'}")
        click.echo(f"Summary: {run_dir / 'summary.json'}  (see also: runner show {run_dir})")
    for warning in result.warnings:
        click.echo(warning, err=True)
    if not result.complete:
        click.echo(
            f"{result.metrics.infrastructure_errors} simulation(s) ended with infrastructure "
            "errors after their retries. Run the same command again to retry them:\n  "
            + resume_command(config, modules),
            err=True,
        )
        sys.exit(EXIT_INCOMPLETE)


def _interrupted(config: Any, run_dir: Any, modules: tuple[str, ...]) -> None:
    from runner.store import RunDirectory

    summary = RunDirectory(run_dir).read_summary()
    if summary is None:
        saved = "Interrupted before any simulation finished."
    else:
        done = (summary.get("metrics") or {}).get("num_results", 0)
        saved = (
            f"Interrupted. {done} of {summary.get('num_units', '?')} simulations are "
            f"finished and saved in {run_dir}."
        )
    click.echo(f"\n{saved}\nResume with:\n  {resume_command(config, modules)}", err=True)
