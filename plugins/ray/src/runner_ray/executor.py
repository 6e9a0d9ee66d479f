"""The ``ray`` executor: units run in long-lived Ray actors, results stream back to the driver.

Why actors and not one Ray task per simulation: a simulation of LLM participants spends its time
waiting on the network, and a task per simulation would tie a whole worker process (and its CPU
slot) to each waiting conversation; an actor with its own event loop keeps
``max_in_flight_per_worker`` conversations in flight at once, loads the plugins and the domain's
data once, and still spreads CPU-bound work over ``num_cpus`` processes (one actor per CPU).
See ``docs/scale.md`` for the measurements.

The driver stays the single writer: it hands units out (at most ``max_concurrency`` in flight
over the cluster), awaits each result and calls ``on_result`` with it, so resume, progress,
metrics and the lifecycle hooks work as with the ``local`` executor. A unit whose actor died is
run again on a fresh actor, at most ``max_retries`` times (an infrastructure retry), then scored
as an ``infrastructure_error``; every unit gets exactly one result. Cancelling the run cancels
the units in flight and kills the actors.

Secrets: the configuration shipped with each unit has its API keys masked; the keys travel once,
to each actor, through its runtime environment (``RUNNER_RAY_SECRETS``), and are put back into
the configuration on the worker.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Sequence
from typing import Any

from runner import ConfigError, RunConfig, SimulationRun, WorkUnit, failed_run, mask_secrets

SECRETS_ENV = "RUNNER_RAY_SECRETS"
OPTIONS = {
    "address": "a cluster to join (auto, ray://host:port); none: a local Ray instance",
    "num_cpus": "CPUs of the local instance, and actors to start (default: all)",
    "max_in_flight_per_worker": "simulations one actor runs at once (default: max_concurrency / actors)",
}


class RayExecutor:
    """Runs units on Ray actors (see the module docstring)."""

    def __init__(self, config: RunConfig) -> None:
        options = dict(config.executor_options)
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            known = "; ".join(f"{k}: {v}" for k, v in OPTIONS.items())
            raise ConfigError(
                f"--executor-option {', '.join(unknown)}: the ray executor has no such option. "
                f"Its options: {known}."
            )
        self.address = options.get("address")
        self.num_cpus = _positive(options, "num_cpus")
        self.per_worker = _positive(options, "max_in_flight_per_worker")
        self.max_concurrency = config.max_concurrency
        self.max_retries = config.max_retries
        self.secrets = _secrets(config)

    async def run(self, units: Sequence[WorkUnit], plugins: Any, on_result: Any) -> None:
        if not units:
            return
        import ray

        started_here = not ray.is_initialized()
        if started_here:
            _start(self.address, self.num_cpus)
        try:
            pool = _Pool(self, plugins, len(units))
            try:
                await pool.run(units, on_result)
            finally:
                pool.close()
        finally:
            if started_here:
                ray.shutdown()


class _Pool:
    """The actors of one run and the units handed to them."""

    def __init__(self, executor: RayExecutor, plugins: Any, units: int) -> None:
        import ray

        from runner_ray.worker import UnitWorker

        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.size = max(1, min(executor.num_cpus or cpus, cpus, units))
        self.per_worker = executor.per_worker or max(1, -(-executor.max_concurrency // self.size))
        self.limit = min(executor.max_concurrency, self.size * self.per_worker)
        self.executor = executor
        self.plugin_options = _plugin_options(plugins)
        env = {SECRETS_ENV: json.dumps(executor.secrets)} if executor.secrets else {}
        self.actor_class = ray.remote(num_cpus=1, max_restarts=0)(UnitWorker).options(
            max_concurrency=self.per_worker, runtime_env={"env_vars": env} if env else None
        )
        self.actors = [self._new_actor() for _ in range(self.size)]
        self.load = [0] * self.size

    def _new_actor(self) -> Any:
        return self.actor_class.remote(self.plugin_options)

    async def run(self, units: Sequence[WorkUnit], on_result: Any) -> None:
        queue = list(units)
        queue.reverse()
        attempts: dict[int, int] = {}
        running: dict[asyncio.Task[Any], tuple[WorkUnit, int, Any]] = {}
        try:
            while queue or running:
                while queue and len(running) < self.limit:
                    unit = queue.pop()
                    slot = min(range(self.size), key=self.load.__getitem__)
                    self.load[slot] += 1
                    payload = mask_secrets(unit.to_json())
                    actor = self.actors[slot]
                    ref = actor.run_unit.remote(payload)
                    running[asyncio.ensure_future(_await(ref))] = (unit, slot, actor)
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    unit, slot, actor = running.pop(task)
                    self.load[slot] -= 1
                    error = task.exception()
                    if error is None:
                        on_result(_result(task.result()))
                        continue
                    if not _actor_died(error):
                        raise _cause(error)
                    self._replace(slot, actor)
                    tries = attempts.get(id(unit), 0) + 1
                    attempts[id(unit)] = tries
                    if tries > self.executor.max_retries:
                        on_result(_lost(unit, tries, error))
                    else:
                        queue.append(unit)
        finally:
            for task in running:
                task.cancel()

    def _replace(self, slot: int, dead: Any) -> None:
        """A fresh actor in place of one that died (its other units fail and are retried);
        once per death: the units that were on it all report the same dead actor."""
        import ray

        if self.actors[slot] is not dead:
            return
        try:
            ray.kill(self.actors[slot], no_restart=True)
        except Exception:
            pass
        self.actors[slot] = self._new_actor()

    def close(self) -> None:
        import ray

        for actor in self.actors:
            try:
                ray.kill(actor, no_restart=True)
            except Exception:
                pass


def _result(data: dict[str, Any]) -> SimulationRun:
    """A worker's result; a voice run's audio tracks come back as bytes beside it."""
    from runner.voice import Audio

    from runner_ray.worker import TRACKS

    tracks = data.pop(TRACKS, None) or {}
    run = SimulationRun.model_validate(data)
    run.audio_tracks = {side: Audio(pcm, rate) for side, (pcm, rate) in tracks.items()}
    return run


def _cause(error: BaseException) -> BaseException:
    """A worker's RunnerError as itself (one paragraph, not Ray's remote traceback)."""
    from runner import RunnerError

    cause = getattr(error, "cause", None)
    if isinstance(cause, RunnerError):
        return type(cause)(str(cause))
    return error


async def _await(ref: Any) -> Any:
    return await ref


def _actor_died(error: BaseException) -> bool:
    from ray.exceptions import RayActorError, WorkerCrashedError

    return isinstance(error, (RayActorError, WorkerCrashedError))


def _lost(unit: WorkUnit, tries: int, error: BaseException) -> SimulationRun:
    run = failed_run(
        unit,
        "infrastructure_error",
        f"ray: the worker running this simulation died {tries} times "
        f"({type(error).__name__}); rerun the command to retry it",
    )
    return run.model_copy(update={"attempts": tries})


def _start(address: str | None, num_cpus: int | None) -> None:
    import ray

    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": "ERROR"}
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=num_cpus, include_dashboard=False, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise ConfigError(
            f"Cannot start or join {where}: {exc}. Start a cluster with `ray start --head` and "
            "pass --executor-option address=auto (or ray://HOST:10001), or drop the address "
            "to start a local instance (docs/scale.md)."
        ) from None


def _positive(options: dict[str, Any], name: str) -> int | None:
    if name not in options:
        return None
    try:
        value = int(options[name])
    except (TypeError, ValueError):
        value = 0
    if value < 1:
        raise ConfigError(
            f"--executor-option {name}={options[name]!r}: expected a whole number >= 1."
        )
    return value


def _secrets(config: RunConfig) -> dict[str, dict[str, Any]]:
    """The masked values of the configuration's LLM arguments, by field (put back on workers)."""
    data = config.model_dump(mode="json")
    masked = mask_secrets(data)
    found: dict[str, dict[str, Any]] = {}
    for field in ("agent_llm_args", "user_llm_args", "judge_llm_args", "voice_options"):
        for key, value in (data.get(field) or {}).items():
            if masked[field][key] != value:
                found.setdefault(field, {})[key] = value
    return found


def restore_secrets(config: dict[str, Any]) -> dict[str, Any]:
    """On a worker: the unit's configuration with the keys from the runtime environment."""
    raw = os.environ.get(SECRETS_ENV)
    if not raw:
        return config
    for field, values in json.loads(raw).items():
        config[field] = {**(config.get(field) or {}), **values}
    return config


def _plugin_options(plugins: Any) -> dict[str, Any]:
    """How the driver loaded its plugins, for the workers to load the same."""
    options = getattr(plugins, "options", None)
    if options is None:
        return {}
    return {
        "modules": list(getattr(options, "modules", ()) or ()),
        "only": None if options.only is None else list(options.only),
        "disabled": list(getattr(options, "disabled", ()) or ()),
    }
