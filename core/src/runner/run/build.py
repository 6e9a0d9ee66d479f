"""Names to instances: the second runner layer.

``build_environment(config)`` and ``build_agent / build_user / build_orchestrator(config, task,
seed)`` look the names of a :class:`~runner.RunConfig` up in the plugin registries and build one simulation's
parts. Factories receive a :class:`~runner.BuildContext`; the domain is configured with
``--domain-option`` once per plugin set and configuration and then reused, because a domain
loads its data once and hands out cheap copies.

Task selection (``--task-split``, ``--task-ids``, ``--num-tasks``) lives here too: it is the
same name-to-object step, for tasks.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.errors import ConfigError

if TYPE_CHECKING:
    from runner.environment.domain import Domain
    from runner.environment.environment import Environment
    from runner.llm.gateway import LLMGateway
    from runner.models.config import RunConfig
    from runner.models.context import BuildContext
    from runner.models.task import Task
    from runner.orchestrator.protocols import Orchestrator, Participant
    from runner.plugins import Plugins

_domains: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Domain]] = (
    weakref.WeakKeyDictionary()
)


def _plugins(plugins: Plugins | None) -> Plugins:
    if plugins is not None:
        return plugins
    from runner.plugins import default_plugins

    return default_plugins()


def get_domain(config: RunConfig, plugins: Plugins | None = None) -> Domain:
    """The registered domain named by ``config.domain``, configured with ``domain_options``."""
    plugins = _plugins(plugins)
    key = (config.domain, json.dumps(config.domain_options, sort_keys=True, default=str))
    cache = _domains.setdefault(plugins, {})
    if key not in cache:
        domain = plugins.registry("domains").get(config.domain).obj
        cache[key] = (
            domain.configure(dict(config.domain_options)) if config.domain_options else domain
        )
    return cache[key]


def select_tasks(config: RunConfig, plugins: Plugins | None = None) -> list[Task]:
    """The tasks of a run: the split, then ``task_ids`` (in the given order), then the first
    ``num_tasks``. Unknown task ids are an error naming the closest known ones."""
    domain = get_domain(config, plugins)
    tasks = domain.tasks(config.task_split)
    if config.task_ids:
        by_id = {t.id: t for t in tasks}
        missing = [i for i in config.task_ids if i not in by_id]
        if missing:
            from runner.errors import did_you_mean

            hints = "".join(did_you_mean(i, by_id) for i in missing[:3])
            split = f" split {config.task_split!r} of" if config.task_split else ""
            raise ConfigError(
                f"--task-ids: no task {', '.join(map(repr, missing[:10]))} in{split} domain "
                f"{config.domain!r}.{hints} List the tasks with `runner tasks --domain "
                f"{config.domain}`."
            )
        tasks = [by_id[i] for i in dict.fromkeys(config.task_ids)]
    if config.num_tasks is not None:
        tasks = tasks[: config.num_tasks]
    if not tasks:
        raise ConfigError(
            f"Domain {config.domain!r} has no tasks for this selection "
            f"(split {config.task_split!r}). See `runner tasks --domain {config.domain}`."
        )
    return tasks


def environment_factory(
    config: RunConfig, plugins: Plugins | None = None
) -> Callable[[], Environment]:
    """A callable giving fresh environments of the configured domain (for evaluation replays)."""
    return get_domain(config, plugins).environment


def build_environment(config: RunConfig, plugins: Plugins | None = None) -> Environment:
    """A fresh environment of the configured domain. The task's initial state is applied by the
    orchestrator, which also records it in the trajectory."""
    return get_domain(config, plugins).environment()


def _context(
    environment: Environment,
    task: Task,
    seed: int | None,
    *,
    llm: str | None,
    llm_args: dict[str, Any],
    options: dict[str, Any],
    user_side: bool,
    gateway: LLMGateway,
    voice: Any = None,
) -> BuildContext:
    from runner.models.context import BuildContext

    agent_tools = list(environment.tools())
    user_tools = list(environment.user_tools()) if environment.user_toolkit is not None else []
    return BuildContext(
        environment=environment,
        tools=user_tools if user_side else agent_tools,
        user_tools=user_tools,
        policy=environment.policy,
        task=task,
        llm=llm,
        llm_args=dict(llm_args),
        seed=seed,
        options=dict(options),
        gateway=gateway,
        voice=voice,
    )


def _call_factory(kind: str, name: str, factory: Any, ctx: BuildContext) -> Participant:
    participant = factory(ctx)
    if participant is None:
        raise ConfigError(f"The {kind} factory {name!r} returned None; it must return an instance.")
    return participant


def _build_participant(
    side: str,
    config: RunConfig,
    task: Task,
    seed: int | None,
    plugins: Plugins | None,
    environment: Environment | None,
) -> Participant:
    """Build the agent (``side="agent"``) or the user from the registry named by the config."""
    plugins = _plugins(plugins)
    environment = environment or build_environment(config, plugins)
    name = getattr(config, side)
    factory = plugins.registry(f"{side}s").get(name).obj
    ctx = _context(
        environment,
        task,
        seed,
        llm=getattr(config, f"{side}_llm"),
        llm_args=getattr(config, f"{side}_llm_args"),
        options=getattr(config, f"{side}_options"),
        user_side=side == "user",
        gateway=run_gateway(config),
        voice=run_voice(config, plugins),
    )
    return _call_factory(side, name, factory, ctx)


def build_agent(
    config: RunConfig,
    task: Task,
    seed: int | None,
    plugins: Plugins | None = None,
    environment: Environment | None = None,
) -> Participant:
    """The agent named by ``config.agent`` for this task (``--agent-llm``, ``--agent-option``)."""
    return _build_participant("agent", config, task, seed, plugins, environment)


def build_user(
    config: RunConfig,
    task: Task,
    seed: int | None,
    plugins: Plugins | None = None,
    environment: Environment | None = None,
) -> Participant:
    """The user named by ``config.user``: its ``tools`` are the domain's user-side tools."""
    return _build_participant("user", config, task, seed, plugins, environment)


def build_orchestrator(
    config: RunConfig,
    task: Task,
    seed: int | None,
    plugins: Plugins | None = None,
    *,
    environment: Environment | None = None,
    agent: Participant | None = None,
    user: Participant | None = None,
) -> Orchestrator:
    """The orchestrator named by ``config.orchestrator`` with every part built (or given)."""
    plugins = _plugins(plugins)
    voice = run_voice(config, plugins)
    environment = environment or build_environment(config, plugins)
    agent = agent if agent is not None else build_agent(config, task, seed, plugins, environment)
    user = user if user is not None else build_user(config, task, seed, plugins, environment)
    cls = plugins.registry("orchestrators").get(config.orchestrator).obj
    extra = {"voice": voice} if voice is not None else {}
    return cls(
        environment=environment,
        agent=agent,
        user=user,
        task=task,
        seed=seed,
        max_steps=config.max_steps,
        max_errors=config.max_errors,
        timeout=config.timeout,
        **config.orchestrator_options,
        **extra,
    )


def build_judge(config: RunConfig) -> Any:
    """The NL judge for ``--judge-llm`` (``None`` without one: NL checks are then skipped)."""
    if not config.judge_llm:
        return None
    from runner.evaluation.judge import make_judge

    return make_judge(config.judge_llm, dict(config.judge_llm_args), gateway=run_gateway(config))


def check_names(config: RunConfig, plugins: Plugins | None = None) -> None:
    """Resolve every name of ``config`` now, so a typo fails before anything runs."""
    plugins = _plugins(plugins)
    get_domain(config, plugins)
    plugins.registry("agents").get(config.agent)
    plugins.registry("users").get(config.user)
    plugins.registry("orchestrators").get(config.orchestrator)
    plugins.registry("executors").get(config.executor)
    if config.voice_provider is not None:
        plugins.registry("voice_providers").get(config.voice_provider)
        if config.orchestrator == "half_duplex":
            raise ConfigError(
                f"--voice-provider {config.voice_provider}: a voice run streams audio tick by "
                "tick, which only the full-duplex orchestrator does. Add --orchestrator "
                "full_duplex."
            )
    elif config.voice_options:
        raise ConfigError("--voice-option needs --voice-provider NAME (the provider it is for).")


def llm_routes(config: RunConfig) -> dict[str, dict[str, str]]:
    """The model and the transport (``litellm`` or ``direct``) each LLM role of the run uses,
    for ``run.json`` and ``runner show``: the choice :mod:`runner.llm.routing` makes per call."""
    from runner.llm.routing import choose_transport

    requested = run_gateway(config).transport
    routes: dict[str, dict[str, str]] = {}
    for role in ("agent", "user", "judge"):
        model = getattr(config, f"{role}_llm")
        if model:
            args = getattr(config, f"{role}_llm_args")
            transport = choose_transport(model, args, args.get("transport") or requested)
            routes[role] = {"model": model, "transport": transport}
    return routes


#: Voice providers of runs, by plugin set and configuration (built once per run setting).
_voices: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def run_voice(config: RunConfig, plugins: Plugins | None = None) -> Any:
    """The run's voice provider (``--voice-provider``, configured with ``--voice-option``), built
    once and shared by every simulation of the run; None in a text run."""
    if config.voice_provider is None:
        return None
    plugins = _plugins(plugins)
    key = json.dumps([config.voice_provider, config.voice_options], sort_keys=True, default=str)
    cache = _voices.setdefault(plugins, {})
    if key not in cache:
        factory = plugins.registry("voice_providers").get(config.voice_provider).obj
        provider = factory(dict(config.voice_options))
        if provider is None:
            raise ConfigError(
                f"The voice provider factory {config.voice_provider!r} returned None; it must "
                "return a runner.voice.VoiceProvider."
            )
        cache[key] = provider
    return cache[key]


#: Gateways of runs that set LLM options, by those options (see :func:`run_gateway`).
_gateways: dict[tuple[Any, ...], LLMGateway] = {}


def run_gateway(config: RunConfig) -> LLMGateway:
    """The LLM gateway of a run: the process-wide one when the run sets no ``--llm-*`` option
    (so a gateway configured from Python applies), else one with those options on top of the
    process-wide one's settings. Nothing global changes: two runs with different settings in one
    process (an experiment, a notebook) never see each other's; runs with the same settings
    share one gateway, its connections and its cache."""
    from runner.llm.gateway import get_gateway

    options: dict[str, Any] = {}
    if config.llm_cache_dir is not None:
        options["cache_dir"] = _cache_folder(config.llm_cache_dir)
    if config.llm_max_retries is not None:
        options["max_retries"] = config.llm_max_retries
    if config.llm_timeout is not None:
        options["timeout"] = config.llm_timeout
    if config.llm_transport is not None:
        options["transport"] = config.llm_transport
    default = get_gateway()
    if not options:
        return default
    key = (id(default), *sorted(options.items(), key=lambda item: item[0]))
    if key not in _gateways:
        _gateways[key] = default.with_options(**options)
    return _gateways[key]


def _cache_folder(path: str) -> Path:
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"--llm-cache-dir {folder}: the cache folder cannot be created "
            f"({exc.strerror or exc}). Pass a writable folder (it is created if missing)."
        ) from None
    return folder
