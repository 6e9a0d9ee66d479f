"""Which plugins to load: ``-p``, blocking, allow-lists and strictness, from the CLI and the
``RUNNER_*`` environment variables.

Kept apart from loading so the options can be built (and tested) without touching pluggy or the
installed entry points.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PluginOptions:
    """How to load plugins; :meth:`from_env` reads the ``RUNNER_*`` variables.

    ``modules``: extra modules to load (``-p MODULE``; ``no:NAME`` entries block instead).
    ``disabled``: plugin names, distributions or modules never to load.
    ``only``: when not ``None``, load only these entry-point plugins (the built-ins and ``-p``
    modules always load); an empty tuple loads none.
    ``strict``: raise :class:`PluginError` when any plugin fails.
    """

    modules: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    only: tuple[str, ...] | None = None
    strict: bool = False

    @classmethod
    def from_env(
        cls,
        modules: Sequence[str] = (),
        disabled: Sequence[str] = (),
        strict: bool = False,
        environ: dict[str, str] | None = None,
    ) -> PluginOptions:
        env = os.environ if environ is None else environ
        only_raw = env.get("RUNNER_LOAD_PLUGINS")
        return cls(
            modules=tuple(_split(env.get("RUNNER_PLUGINS", ""))) + tuple(modules),
            disabled=tuple(_split(env.get("RUNNER_DISABLE_PLUGINS", ""))) + tuple(disabled),
            only=None if only_raw is None else tuple(_split(only_raw)),
            strict=strict
            or env.get("RUNNER_STRICT_PLUGINS", "").lower() not in ("", "0", "false", "no"),
        )

    @property
    def blocked(self) -> tuple[str, ...]:
        """Everything to block: ``disabled`` plus the ``no:NAME`` entries of ``modules``."""
        return self.disabled + tuple(m[3:] for m in self.modules if m.startswith("no:"))


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]
