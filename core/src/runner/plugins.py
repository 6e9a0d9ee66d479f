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
    """How to load plugins; :meth:`from_env` reads the ``RUNNER_*`` variables."""

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
            strict=strict or env.get("RUNNER_STRICT_PLUGINS", "") not in ("", "0", "false"),
        )


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


class Plugins:
    """The loaded plugins and the registries they filled."""

    def __init__(self, options: PluginOptions | None = None) -> None:
        self.options = options or PluginOptions()
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.registries: dict[str, Registry] = {
            kind: Registry(kind, label) for kind, label in REGISTRY_LABELS.items()
        }
        self._spec_names = {
            n for n in dir(hookspecs) if hasattr(getattr(hookspecs, n), "runner_spec")
        }

    # -- loading -------------------------------------------------------------------------
    def load(self) -> Plugins:
        for module in BUILTIN_MODULES:
            self._load_module(PluginInfo(name="builtins", module=module, builtin=True,
                                         distribution="runner-core", version=_version("runner-core")))
        for ep in _entry_points():
            dist = ep.dist.name if ep.dist is not None else None
            version = ep.dist.version if ep.dist is not None else None
            info = PluginInfo(name=ep.name, module=ep.value, distribution=dist, version=version)
            if self._blocked(info) or not self._allowed(info):
                continue
            self._load_module(info, loader=ep.load)
        for module in self.options.modules:
            if module.startswith("no:"):
                continue
            info = PluginInfo(name=module, module=module)
            if self._blocked(info):
                continue
            self._load_module(info)
        self._finish()
        return self

    def _blocked(self, info: PluginInfo) -> bool:
        blocked = set(self.options.disabled)
        blocked |= {m[3:] for m in self.options.modules if m.startswith("no:")}
        return bool(blocked & {info.name, info.module, info.distribution or ""})

    def _allowed(self, info: PluginInfo) -> bool:
        if self.options.only is None:
            return True
        return bool(set(self.options.only) & {info.name, info.distribution or "", info.module})

    def _load_module(self, info: PluginInfo, loader: Callable[[], Any] | None = None) -> None:
        self.infos.append(info)
        try:
            module = loader() if loader is not None else importlib.import_module(info.module)
        except BaseException as exc:  # noqa: BLE001 - a broken plugin must not stop the rest
            if isinstance(exc, KeyboardInterrupt):
                raise
            return self._fail(info, f"import failed: {_describe(exc)}")
        unknown = [n for n in _hookimpl_names(module) if n not in self._spec_names]
        if unknown:
            hints = "".join(did_you_mean(n, self._spec_names) for n in unknown)
            return self._fail(info, f"implements unknown hook(s) {', '.join(unknown)}.{hints}")
        try:
            self.pm.register(module, name=info.name)
        except Exception as exc:  # pluggy validation: wrong hook arguments, double registration
            return self._fail(info, f"invalid hook implementation: {_describe(exc)}")
        info.hooks = sorted(_hookimpl_names(module))
        self._collect(info, module)

    def _collect(self, info: PluginInfo, module: Any) -> None:
        """Call this plugin's registration hooks, attributing every name to it."""
        pending: list[Registration] = []
        for hook_name, kind in hookspecs.REGISTRATION_HOOKS.items():
            impl = getattr(module, hook_name, None)
            if impl is None or hook_name not in info.hooks:
                continue
            try:
                impl(register=self._registrar(kind, info, pending))
            except Exception as exc:
                self.pm.unregister(module)
                return self._fail(info, f"{hook_name} raised: {_describe(exc)}")
        for reg in pending:
            self.registries[reg.kind].add(reg)
            info.provides.setdefault(reg.kind, []).append(reg.name)
        if "register_commands" in info.hooks:
            info.provides["commands"] = []  # filled by the CLI when it builds its command group

    def _registrar(self, kind: str, info: PluginInfo, pending: list[Registration]) -> Callable[..., None]:
        def register(name_or_obj: Any, obj: Any = None, description: str = "") -> None:
            if kind == "domains":
                domain = name_or_obj
                name = getattr(domain, "name", None)
                if not isinstance(name, str) or not name:
                    raise TypeError(f"register() expects a Domain instance with a name, got {domain!r}")
                pending.append(Registration(kind, name, domain, description or getattr(domain, "description", ""),
                                            info.name, info.distribution))
                return
            if not isinstance(name_or_obj, str) or obj is None:
                raise TypeError(f"register() expects (name: str, factory, description=''), got {name_or_obj!r}")
            pending.append(Registration(kind, name_or_obj, obj, description, info.name, info.distribution))

        return register

    def _fail(self, info: PluginInfo, error: str) -> None:
        info.status = "failed"
        info.error = error

    def _finish(self) -> None:
        failed = [(i.distribution or i.name, i.error or "") for i in self.infos if i.status == "failed"]
        for registry in self.registries.values():
            registry.failed_plugins = failed
            for name, regs in registry.duplicates().items():
                for reg in regs:
                    others = [r.qualified_name for r in regs if r is not reg]
                    for info in self.infos:
                        if info.name == reg.plugin:
                            info.duplicates.append(f"{registry.label} {name!r} also registered by {', '.join(others)}")
        if self.options.strict and failed:
            lines = "; ".join(f"{name}: {err}" for name, err in failed)
            raise PluginError(f"Plugins failed to load (strict mode): {lines}. "
                              "Fix or uninstall them, or block them with -p no:NAME.")

    # -- queries -------------------------------------------------------------------------
    @property
    def failed(self) -> list[PluginInfo]:
        return [i for i in self.infos if i.status == "failed"]

    def registry(self, kind: str) -> Registry:
        return self.registries[kind]

    def add_commands(self, cli: Any) -> None:
        """Let plugins add click commands; a failure marks that plugin failed, nothing else."""
        for impl in self.pm.hook.register_commands.get_hookimpls():
            info = next((i for i in self.infos if i.name == impl.plugin_name), None)
            before = set(cli.commands)
            try:
                impl.function(cli=cli)
            except Exception as exc:
                if info is not None:
                    self._fail(info, f"register_commands raised: {_describe(exc)}")
                continue
            if info is not None:
                info.provides["commands"] = sorted(set(cli.commands) - before)

    def notify(self, hook_name: str, **kwargs: Any) -> None:
        """Call a lifecycle hook; observers never break a run."""
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            try:
                impl.function(**kwargs)
            except Exception:
                print(f"warning: plugin {impl.plugin_name} hook {hook_name} raised:\n"
                      f"{traceback.format_exc()}", file=sys.stderr)


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
    return f"{type(exc).__name__}: {exc}"


def _version(dist: str) -> str | None:
    try:
        return importlib_metadata.version(dist)
    except importlib_metadata.PackageNotFoundError:
        return None


def load_plugins(options: PluginOptions | None = None) -> Plugins:
    """Load plugins with explicit options (``None``: from the environment)."""
    return Plugins(options or PluginOptions.from_env()).load()


@functools.cache
def default_plugins() -> Plugins:
    """The process-wide plugin set used by the Python API when none is passed."""
    return load_plugins()
