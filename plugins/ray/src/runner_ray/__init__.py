"""runner-ray: the ``ray`` executor (simulations on a Ray cluster; see ``docs/scale.md``)."""

from runner_ray.executor import RayExecutor

__all__ = ["RayExecutor"]
