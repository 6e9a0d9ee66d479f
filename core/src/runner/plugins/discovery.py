"""Finding plugins and recording what became of each: the ``runner`` entry points, the core's
built-in plugin modules, and :class:`PluginInfo`, the record (identity, hooks, what it
provides, failure) that ``runner list-plugins`` shows.

Discovery must stay cheap: a distribution's name and version come from its ``.dist-info``
folder name and the core's version from a constant, never from a metadata search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import importlib_metadata

from runner.plugins import hookspecs
from runner.plugins.registry import normalize

ENTRY_POINT_GROUP = "runner"
BUILTIN_MODULES = ("runner.builtins.plugin",)
#: The keys of a ``runner list-plugins --json`` row, in the order they are written.
JSON_KEYS = (
    "name",
    "distribution",
    "version",
    "module",
    "builtin",
    "hooks",
    "provides",
    "status",
    "error",
    "duplicates",
)


@dataclass
class PluginInfo:
    """What ``runner list-plugins`` shows for one plugin."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    hooks: list[str] = field(default_factory=list)
    provides: dict[str, list[str]] = field(default_factory=dict)
    status: str = "ok"
    error: str | None = None
    duplicates: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How messages name this plugin: its distribution, else its name."""
        return self.distribution or self.name

    @property
    def match_names(self) -> set[str]:
        """Every name a user may call this plugin by (name, module, distribution), normalized:
        what ``-p no:NAME``, ``RUNNER_LOAD_PLUGINS`` and :meth:`Plugins.info` compare against."""
        return {normalize(n) for n in (self.name, self.module, self.distribution or "") if n}

    def to_json(self) -> dict[str, Any]:
        """The ``list-plugins --json`` row, keys in :data:`JSON_KEYS` order."""
        return {key: getattr(self, key) for key in JSON_KEYS}


def installed_entry_points() -> Iterable[importlib_metadata.EntryPoint]:
    """The installed ``runner`` entry points, each once."""
    seen: set[tuple[str, str]] = set()
    for ep in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
        key = (ep.name, ep.value)
        if key not in seen:  # a dist visible twice on sys.path must not load twice
            seen.add(key)
            yield ep


def hookimpl_names(module: Any) -> list[str]:
    """The hooks a plugin module implements: its ``@runner.hookimpl`` functions' names, or the
    ``specname`` one names."""
    marker = f"{hookspecs.PROJECT_NAME}_impl"
    names = []
    for attribute in dir(module):
        options = getattr(getattr(module, attribute, None), marker, None)
        if options is not None:
            names.append(
                (options.get("specname") if isinstance(options, dict) else None) or attribute
            )
    return sorted(set(names))


def describe_failure(exc: BaseException) -> str:
    """``Type: message`` on one line (a plugin error is shown inside one paragraph)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def dist_identity(dist: Any) -> tuple[str | None, str | None]:
    """A distribution's name and version, read from the head of its ``METADATA`` file through
    the public ``read_text``: ``dist.name`` parses the whole file as e-mail, and importing the
    e-mail parser costs more than the rest of plugin discovery. Distributions without that
    file (test doubles, unusual layouts) give their ``name`` and ``version``."""
    if dist is None:
        return None, None
    try:
        text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    except Exception:
        text = None
    if isinstance(text, str):
        fields = _header_fields(text, ("Name", "Version"))
        if fields.get("Name") and fields.get("Version"):
            return normalize(fields["Name"]), fields["Version"]
    return getattr(dist, "name", None), getattr(dist, "version", None)


def _header_fields(text: str, wanted: tuple[str, ...]) -> dict[str, str]:
    """The first values of ``wanted`` headers of a core-metadata file (its header block ends at
    the first empty line)."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line:
            break
        key, sep, value = line.partition(":")
        if sep and key in wanted and key not in fields:
            fields[key] = value.strip()
            if len(fields) == len(wanted):
                break
    return fields


def core_version() -> str:
    """runner-core's version, without a metadata search (``importlib.metadata.version`` scans
    every installed distribution: a large share of ``runner --help``'s time, see
    ``docs/performance.md``). A test keeps the two equal."""
    from runner import __version__

    return __version__
