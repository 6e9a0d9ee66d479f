"""Entry point of runner-ray (``[project.entry-points.runner] ray``): registers the ``ray``
executor. Ray itself is imported only when a run uses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner import hookimpl


def _ray_executor(config: Any) -> Any:
    from runner_ray.executor import RayExecutor

    return RayExecutor(config)


@hookimpl
def register_executors(register: Callable[..., None]) -> None:
    register(
        "ray",
        _ray_executor,
        "Simulations on a Ray cluster (--executor-option address=auto|ray://host:port, "
        "num_cpus=N, max_in_flight_per_worker=K); a local Ray instance without an address",
    )
