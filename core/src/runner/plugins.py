"""Plugin discovery and loading.

Plugins are modules holding ``@runner.hookimpl`` functions, found through the ``runner``
entry-point group (``importlib.metadata``), named with ``-p MODULE`` / ``RUNNER_PLUGINS``, or
built into the core. Loading follows pytest's rules, with one difference: a plugin that fails
(import error, unknown hook, an exception while registering) is *reported, not fatal*, so one
broken third-party package never takes the whole tool down. ``--strict-plugins`` restores
fatality for CI.

Loading must stay cheap: plugin modules import no heavy libraries at import time, and the
registration hooks only hand over factories and classes.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import importlib_metadata
import pluggy

from runner import hookspecs
from runner.errors import PluginError, did_you_mean
from runner.registry import Registration, Registry

ENTRY_POINT_GROUP = "runner"
BUILTIN_MODULES = ("runner.builtins.plugin",)

REGISTRY_LABELS = {
    "domains": "domain",
    "agents": "agent",
    "users": "user",
    "orchestrators": "orchestrator",
    "voice_providers": "voice provider",
    "executors": "executor",
}


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

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "module": self.module,
            "builtin": self.builtin,
            "hooks": self.hooks,
            "provides": self.provides,
            "status": self.status,
            "error": self.error,
            "duplicates": self.duplicates,
        }


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


def normalize(name: str) -> str:
    """A distribution or plugin name in comparable form (``Runner_Mock`` == ``runner-mock``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


class Plugins:
    """The loaded plugins and the registries they filled.

    ``entry_points`` replaces the installed ``runner`` entry points (tests pass their own:
    objects with ``name``, ``value``, ``dist`` and ``load()``).
    """

    def __init__(
        self,
        options: PluginOptions | None = None,
        entry_points: Iterable[Any] | None = None,
    ) -> None:
        self.options = options or PluginOptions()
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        #: Problems that are not a plugin's failure (a ``-p no:NAME`` matching nothing, duplicate
        #: names); the CLI prints them on stderr.
        self.warnings: list[str] = []
        self.registries: dict[str, Registry] = {
            kind: Registry(kind, label) for kind, label in REGISTRY_LABELS.items()
        }
        self._entry_points = entry_points
        self._spec_names = frozenset(
            n
            for n in dir(hookspecs)
            if hasattr(getattr(hookspecs, n), f"{hookspecs.PROJECT_NAME}_spec")
        )
        self._blocked_used: set[str] = set()

    # -- loading -------------------------------------------------------------------------
    def load(self) -> Plugins:
        for module in BUILTIN_MODULES:
            self._load_module(
                PluginInfo(
                    name="builtins",
                    module=module,
                    builtin=True,
                    distribution="runner-core",
                    version=_core_version(),
                )
            )
        entry_points = _entry_points() if self._entry_points is None else self._entry_points
        for ep in entry_points:
            dist_name, dist_version = _dist_identity(getattr(ep, "dist", None))
            info = PluginInfo(
                name=ep.name, module=ep.value, distribution=dist_name, version=dist_version
            )
            if self._blocked(info) or not self._allowed(info):
                continue
            self._load_module(info, loader=ep.load)
        loaded_modules = {i.module for i in self.infos}
        for module in self.options.modules:
            if module.startswith("no:") or module in loaded_modules:
                continue  # a -p naming an installed plugin's module loads it once
            loaded_modules.add(module)
            info = PluginInfo(name=module, module=module)
            if self._blocked(info):
                continue
            self._load_module(info)
        self._finish()
        return self

    def _blocked(self, info: PluginInfo) -> bool:
        names = {normalize(n) for n in (info.name, info.module, info.distribution or "") if n}
        hits = {b for b in self.options.blocked if normalize(b) in names}
        self._blocked_used |= hits
        return bool(hits)

    def _allowed(self, info: PluginInfo) -> bool:
        if self.options.only is None:
            return True
        names = {normalize(n) for n in (info.name, info.module, info.distribution or "") if n}
        return any(normalize(o) in names for o in self.options.only)

    def _load_module(self, info: PluginInfo, loader: Callable[[], Any] | None = None) -> None:
        self.infos.append(info)
        try:
            module = loader() if loader is not None else importlib.import_module(info.module)
        except BaseException as exc:  # noqa: BLE001 - a broken plugin must not stop the rest
            if isinstance(exc, KeyboardInterrupt):
                raise
            return self._fail(info, f"import failed: {_describe(exc)}")
        implemented = _hookimpl_names(module)
        unknown = [n for n in implemented if n not in self._spec_names]
        if unknown:
            hints = "".join(did_you_mean(n, self._spec_names) for n in unknown)
            return self._fail(info, f"implements unknown hook(s) {', '.join(unknown)}.{hints}")
        try:
            self.pm.register(module, name=info.name)
        except Exception as exc:  # pluggy validation: wrong hook arguments, double registration
            return self._fail(info, f"invalid hook implementation: {_describe(exc)}")
        info.hooks = sorted(implemented)
        self._collect(info, module)

    def _collect(self, info: PluginInfo, module: Any) -> None:
        """Call this plugin's registration hooks, attributing every name to it.

        All or nothing: when one hook raises, nothing this plugin registered is kept.
        """
        pending: list[Registration] = []
        for hook_name, kind in hookspecs.REGISTRATION_HOOKS.items():
            if hook_name not in info.hooks:
                continue
            try:
                getattr(module, hook_name)(register=self._registrar(kind, info, pending))
            except Exception as exc:
                self.pm.unregister(module)
                return self._fail(info, f"{hook_name} raised: {_describe(exc)}")
        for reg in pending:
            self.registries[reg.kind].add(reg)
            info.provides.setdefault(reg.kind, []).append(reg.name)
        if "register_commands" in info.hooks:
            info.provides["commands"] = []  # filled by add_commands when the CLI is built

    def _registrar(
        self, kind: str, info: PluginInfo, pending: list[Registration]
    ) -> Callable[..., None]:
        label = REGISTRY_LABELS[kind]

        def register(name_or_obj: Any, obj: Any = None, description: str = "") -> None:
            if kind == "domains":
                name, obj, description = _domain_registration(name_or_obj, obj, description)
            elif not isinstance(name_or_obj, str) or not name_or_obj or obj is None:
                raise TypeError(
                    f"register() for {kind} takes (name: str, factory, description=''); "
                    f"got {name_or_obj!r}, {obj!r}"
                )
            else:
                name = name_or_obj
                if not callable(obj):
                    raise TypeError(
                        f"the {label} {name!r} must be registered with a factory or "
                        f"class, got {type(obj).__name__}"
                    )
            if ":" in name:
                raise TypeError(
                    f"{label} name {name!r} contains ':', which is reserved for DIST:NAME"
                )
            if any(r.kind == kind and r.name == name for r in pending):
                raise TypeError(f"{label} {name!r} is registered twice by this plugin")
            pending.append(
                Registration(kind, name, obj, description or "", info.name, info.distribution)
            )

        return register

    def _fail(self, info: PluginInfo, error: str) -> None:
        info.status = "failed"
        info.error = error

    def _finish(self) -> None:
        failed = [(i.label, i.error or "") for i in self.failed]
        for registry in self.registries.values():
            registry.failed_plugins = failed
            for name, regs in registry.duplicates().items():
                owners = ", ".join(r.qualified_name for r in regs)
                self.warnings.append(
                    f"{registry.label} {name!r} is registered by more than one "
                    f"plugin ({owners}); choose one as DIST:NAME."
                )
                for reg in regs:
                    others = [r.qualified_name for r in regs if r is not reg]
                    for info in self.infos:
                        if info.name == reg.plugin:
                            info.duplicates.append(
                                f"{registry.label} {name!r} also registered by {', '.join(others)}"
                            )
        for blocked in self.options.blocked:
            if blocked not in self._blocked_used:
                self.warnings.append(
                    f"-p no:{blocked} / RUNNER_DISABLE_PLUGINS: no installed plugin "
                    f"is named {blocked!r}."
                )
        if self.options.strict and failed:
            self._raise_strict()

    def _raise_strict(self) -> None:
        lines = "; ".join(f"{i.label} ({i.module}): {i.error}" for i in self.failed)
        raise PluginError(
            f"Plugins failed to load and --strict-plugins (RUNNER_STRICT_PLUGINS) is on: {lines}. "
            "Fix or uninstall them, or block them with -p no:NAME or RUNNER_DISABLE_PLUGINS."
        )

    # -- queries -------------------------------------------------------------------------
    @property
    def hook_names(self) -> frozenset[str]:
        """Every hook of the contract (:mod:`runner.hookspecs`)."""
        return self._spec_names

    @property
    def failed(self) -> list[PluginInfo]:
        return [i for i in self.infos if i.status == "failed"]

    def info(self, name: str) -> PluginInfo | None:
        """The plugin called ``name`` (plugin name, distribution or module), if loaded."""
        wanted = normalize(name)
        for i in self.infos:
            if wanted in {normalize(n) for n in (i.name, i.module, i.distribution or "") if n}:
                return i
        return None

    def registry(self, kind: str) -> Registry:
        return self.registries[kind]

    def add_commands(self, cli: Any, reserved: Iterable[str] = ()) -> None:
        """Let plugins add click commands to ``cli``.

        A plugin whose hook raises is marked failed (an error in strict mode); a command name
        that is taken (by ``reserved`` built-in names, a command already in ``cli`` or an earlier
        plugin) is not added and is flagged on both plugins, first one wins.
        """
        import click

        taken = {name: "runner-core" for name in reserved} | {
            name: "runner-core" for name in cli.commands
        }
        for impl in self.pm.hook.register_commands.get_hookimpls():
            info = next((i for i in self.infos if i.name == impl.plugin_name), None)
            holder = click.Group("plugin")
            try:
                impl.function(cli=holder)
            except Exception as exc:
                if info is not None:
                    self._fail(info, f"register_commands raised: {_describe(exc)}")
                    if self.options.strict:
                        self._raise_strict()
                continue
            added: list[str] = []
            for name, command in holder.commands.items():
                owner = taken.get(name)
                if owner is not None:
                    mine = info.label if info is not None else impl.plugin_name
                    self.warnings.append(
                        f"command {name!r} of {mine} is not added: {owner} already provides it."
                    )
                    if info is not None:
                        info.duplicates.append(f"command {name!r} also provided by {owner}")
                    continue
                cli.add_command(command, name)
                taken[name] = info.label if info is not None else impl.plugin_name
                added.append(name)
            if info is not None:
                info.provides["commands"] = sorted(added)

    def notify(self, hook_name: str, **kwargs: Any) -> None:
        """Call a lifecycle hook; observers never break a run."""
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            try:
                impl.function(**kwargs)
            except Exception:
                print(
                    f"warning: plugin {impl.plugin_name} hook {hook_name} raised:\n"
                    f"{traceback.format_exc()}",
                    file=sys.stderr,
                )


def _domain_registration(domain: Any, extra: Any, description: str) -> tuple[str, Any, str]:
    if extra is not None or isinstance(domain, str):
        raise TypeError("register() for domains takes one Domain instance: register(MyDomain())")
    if isinstance(domain, type):
        raise TypeError(
            f"register() got the class {domain.__name__}; pass an instance: "
            f"register({domain.__name__}())"
        )
    name = getattr(domain, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(
            f"register() expects a Domain instance with a non-empty name, got {domain!r}"
        )
    return name, domain, description or getattr(domain, "description", "") or ""


def _entry_points() -> Iterable[importlib_metadata.EntryPoint]:
    seen: set[tuple[str, str]] = set()
    for ep in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
        key = (ep.name, ep.value)
        if key not in seen:  # a dist visible twice on sys.path must not load twice
            seen.add(key)
            yield ep


def _hookimpl_names(module: Any) -> list[str]:
    marker = f"{hookspecs.PROJECT_NAME}_impl"
    return [n for n in dir(module) if hasattr(getattr(module, n, None), marker)]


def _describe(exc: BaseException) -> str:
    """``Type: message`` on one line (a plugin error is shown inside one paragraph)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _dist_identity(dist: Any) -> tuple[str | None, str | None]:
    """A distribution's name and version, from its ``NAME-VERSION.dist-info`` folder when it has
    one: reading them from the metadata file parses it as e-mail, which costs more than the
    rest of plugin discovery. Other layouts (egg-info, test doubles) read the metadata."""
    if dist is None:
        return None, None
    folder = getattr(getattr(dist, "_path", None), "name", "")
    if folder.endswith(".dist-info"):
        name, sep, version = folder.removesuffix(".dist-info").partition("-")
        if sep and version and name:
            return normalize(name), version
    return getattr(dist, "name", None), getattr(dist, "version", None)


def _core_version() -> str:
    """runner-core's version, without a metadata search (``importlib.metadata.version`` scans
    every installed distribution: a third of ``runner --help``'s time). A test keeps the two equal."""
    from runner import __version__

    return __version__


def load_plugins(options: PluginOptions | None = None) -> Plugins:
    """Load plugins with explicit options (``None``: from the environment)."""
    return Plugins(options or PluginOptions.from_env()).load()


@functools.cache
def default_plugins() -> Plugins:
    """The process-wide plugin set used by the Python API when none is passed."""
    return load_plugins()
