"""Plugin loading: the :class:`Plugins` object, its registries and its hook calls.

Plugins are modules holding ``@runner.hookimpl`` functions, found through the ``runner``
entry-point group (:mod:`runner.plugins.discovery`), named with ``-p MODULE`` /
``RUNNER_PLUGINS`` (:mod:`runner.plugins.options`), or built into the core. Loading follows
pytest's rules, with one difference: a plugin that fails (import error, unknown hook, an
exception while registering) is *reported, not fatal*, so one broken third-party package never
takes the whole tool down. ``--strict-plugins`` restores fatality for CI.

Loading must stay cheap: plugin modules import no heavy libraries at import time, and the
registration hooks only hand over factories and classes.

Every hook is called through pluggy: registration hooks and ``register_commands`` one plugin at
a time (``subset_hook_caller``, so each name is attributed to its plugin), lifecycle hooks
once for all plugins that loaded.
"""

from __future__ import annotations

import functools
import importlib
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import pluggy

from runner.errors import PluginError, did_you_mean
from runner.plugins import hookspecs
from runner.plugins.discovery import (
    BUILTIN_MODULES,
    PluginInfo,
    core_version,
    describe_failure,
    dist_identity,
    hookimpl_names,
    installed_entry_points,
)
from runner.plugins.options import PluginOptions
from runner.plugins.registry import REGISTRY_LABELS, Registration, Registry, normalize, registrar


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
        self._spec_names = hookspecs.HOOK_NAMES
        self._blocked_used: set[str] = set()
        #: Plugin name -> its module, as registered with pluggy.
        self._modules: dict[str, Any] = {}

    # -- loading -------------------------------------------------------------------------
    def load(self) -> Plugins:
        for module in BUILTIN_MODULES:
            self._load_module(
                PluginInfo(
                    name="builtins",
                    module=module,
                    builtin=True,
                    distribution="runner-core",
                    version=core_version(),
                )
            )
        entry_points = (
            installed_entry_points() if self._entry_points is None else self._entry_points
        )
        for ep in entry_points:
            dist_name, dist_version = dist_identity(getattr(ep, "dist", None))
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
        names = info.match_names
        hits = {b for b in self.options.blocked if normalize(b) in names}
        self._blocked_used |= hits
        return bool(hits)

    def _allowed(self, info: PluginInfo) -> bool:
        if self.options.only is None:
            return True
        names = info.match_names
        return any(normalize(o) in names for o in self.options.only)

    def _load_module(self, info: PluginInfo, loader: Callable[[], Any] | None = None) -> None:
        self.infos.append(info)
        try:
            module = loader() if loader is not None else importlib.import_module(info.module)
        except BaseException as exc:  # noqa: BLE001 - a broken plugin must not stop the rest
            if isinstance(exc, KeyboardInterrupt):
                raise
            return self._fail(info, f"import failed: {describe_failure(exc)}")
        implemented = hookimpl_names(module)
        unknown = [n for n in implemented if n not in self._spec_names]
        if unknown:
            hints = "".join(did_you_mean(n, self._spec_names) for n in unknown)
            return self._fail(info, f"implements unknown hook(s) {', '.join(unknown)}.{hints}")
        try:
            self.pm.register(module, name=info.name)
        except Exception as exc:  # pluggy validation: wrong hook arguments, double registration
            return self._fail(info, f"invalid hook implementation: {describe_failure(exc)}")
        self._modules[info.name] = module
        info.hooks = sorted(implemented)
        _guard_observers(self.pm, module, strict=self.options.strict)
        self._collect(info, module)

    def _collect(self, info: PluginInfo, module: Any) -> None:
        """Call this plugin's registration hooks, attributing every name to it.

        All or nothing: when one hook raises, nothing this plugin registered is kept.
        """
        pending: list[Registration] = []
        for hook_name, kind in hookspecs.REGISTRATION_HOOKS.items():
            try:
                register = registrar(kind, info.name, info.distribution, pending)
                self._only(module, hook_name)(register=register)
            except Exception as exc:
                self.pm.unregister(module)
                del self._modules[info.name]
                return self._fail(info, f"{hook_name} raised: {describe_failure(exc)}")
        for reg in pending:
            self.registries[reg.kind].add(reg)
            info.provides.setdefault(reg.kind, []).append(reg.name)
        if "register_commands" in info.hooks:
            info.provides["commands"] = []  # filled by add_commands when the CLI is built

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
        """Every hook of the contract (:mod:`runner.plugins.hookspecs`)."""
        return self._spec_names

    @property
    def failed(self) -> list[PluginInfo]:
        return [i for i in self.infos if i.status == "failed"]

    def info(self, name: str) -> PluginInfo | None:
        """The plugin called ``name`` (plugin name, distribution or module), if loaded."""
        wanted = normalize(name)
        for i in self.infos:
            if wanted in i.match_names:
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
                self._only(impl.plugin, "register_commands")(cli=holder)
            except Exception as exc:
                if info is not None:
                    self._fail(info, f"register_commands raised: {describe_failure(exc)}")
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
        """Call a lifecycle hook of every plugin that loaded, through pluggy (an observer that
        raises is reported on stderr and the others still run, or is a :class:`PluginError`
        under ``--strict-plugins``: see :func:`_guard_observers`)."""
        failed = [self._modules[i.name] for i in self.failed if i.name in self._modules]
        caller = self.pm.subset_hook_caller(hook_name, remove_plugins=failed)
        caller(**kwargs)

    def _only(self, module: Any, hook_name: str) -> Any:
        """A pluggy caller of ``hook_name`` that calls ``module``'s implementation alone."""
        others = [p for p in self.pm.get_plugins() if p is not module]
        return self.pm.subset_hook_caller(hook_name, remove_plugins=others)


def _guard_observers(pm: pluggy.PluginManager, module: Any, strict: bool = False) -> None:
    """Make ``module``'s lifecycle hooks report their exceptions instead of raising them.

    Observers must never break a run, and one broken observer must not silence the others. The
    guard has to sit around each implementation: pluggy stops a hook call at the first
    exception, so a hook wrapper registered by the core would see the error only after the
    remaining implementations were skipped. Each plain implementation (hook wrappers are left
    alone: they see the others' results and errors as pluggy documents) has its ``function``
    replaced by a guard once pluggy has read its signature, so pluggy still decides the order and
    passes only the arguments the function names. With ``strict`` (``--strict-plugins``) the
    guard raises :class:`PluginError` naming the plugin instead, as a plugin that fails to load
    does.
    """
    for hook_name in hookspecs.LIFECYCLE_HOOKS:
        for impl in getattr(pm.hook, hook_name).get_hookimpls():
            if impl.plugin is module and not (impl.hookwrapper or impl.wrapper):
                impl.function = _reporting(impl.function, impl.plugin_name, hook_name, strict)


def _reporting(
    function: Callable[..., Any], plugin: str, hook_name: str, strict: bool
) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except Exception as exc:
            if strict:
                raise PluginError(
                    f"plugin {plugin} hook {hook_name} raised {describe_failure(exc)} and "
                    "--strict-plugins (RUNNER_STRICT_PLUGINS) is on."
                ) from exc
            print(
                f"warning: plugin {plugin} hook {hook_name} raised:\n{traceback.format_exc()}",
                file=sys.stderr,
            )
            return None

    return guarded


def load_plugins(options: PluginOptions | None = None) -> Plugins:
    """Load plugins with explicit options (``None``: from the environment)."""
    return Plugins(options or PluginOptions.from_env()).load()


@functools.cache
def default_plugins() -> Plugins:
    """The process-wide plugin set used by the Python API when none is passed."""
    return load_plugins()
