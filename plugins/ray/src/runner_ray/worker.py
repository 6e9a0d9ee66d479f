"""The Ray actor that runs simulations on a worker: plugins loaded once, many units at a time.

Each unit arrives as JSON with its API keys masked (:mod:`runner_ray.executor`); the actor puts
the keys back from its runtime environment, runs the unit with :func:`runner.run_unit` (build,
converse, score, retry infrastructure errors) and returns the result as JSON. A plugin the
configuration names but this node cannot load is a :class:`runner.ConfigError` naming the node.
"""

from __future__ import annotations

import os
import socket
from typing import Any

#: The key under which a voice run's audio tracks travel back to the driver.
TRACKS = "__audio_tracks__"


class UnitWorker:
    """Runs units on this node's event loop (Ray calls its async methods concurrently)."""

    def __init__(self, plugin_options: dict[str, Any]) -> None:
        from runner import PluginOptions, load_plugins

        options = PluginOptions(
            modules=tuple(plugin_options.get("modules") or ()),
            disabled=tuple(plugin_options.get("disabled") or ()),
            only=None if plugin_options.get("only") is None else tuple(plugin_options["only"]),
        )
        self.plugins = load_plugins(options)

    def node(self) -> dict[str, Any]:
        """Where this actor runs (tests and diagnostics)."""
        import ray

        return {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "node_id": ray.get_runtime_context().get_node_id(),
        }

    async def run_unit(self, payload: dict[str, Any]) -> dict[str, Any]:
        from runner import ConfigError, UnknownNameError, WorkUnit, run_unit

        from runner_ray.executor import restore_secrets

        payload["config"] = restore_secrets(payload["config"])
        unit = WorkUnit.from_json(payload)
        try:
            result = await run_unit(unit, self.plugins)
        except UnknownNameError as exc:
            raise ConfigError(
                f"On Ray node {socket.gethostname()} ({self.node()['node_id'][:12]}): {exc} "
                "Install the same plugins on every node of the cluster (docs/scale.md)."
            ) from None
        data = result.model_dump(mode="json", exclude_unset=True)
        data["node"] = self.node()["node_id"]
        if result.audio_tracks:  # a voice run: the driver writes the WAVs (bytes, not JSON)
            data[TRACKS] = {
                side: (track.pcm, track.sample_rate) for side, track in result.audio_tracks.items()
            }
        return data
