"""Plugin loading: discovery, options, the registries and the hook contract.

:class:`Plugins` (:mod:`runner.plugins.manager`) loads plugins and calls their hooks through
pluggy; :mod:`~runner.plugins.hookspecs` is the contract, :mod:`~runner.plugins.discovery` the
entry points and :class:`PluginInfo`, :mod:`~runner.plugins.options` ``-p``/``RUNNER_*``, and
:mod:`~runner.plugins.registry` the named registries with the checked ``register`` callable.
"""

from runner.plugins.discovery import BUILTIN_MODULES, ENTRY_POINT_GROUP, PluginInfo
from runner.plugins.manager import Plugins, default_plugins, load_plugins
from runner.plugins.options import PluginOptions
from runner.plugins.registry import REGISTRY_LABELS, normalize

__all__ = [
    "BUILTIN_MODULES",
    "ENTRY_POINT_GROUP",
    "REGISTRY_LABELS",
    "PluginInfo",
    "PluginOptions",
    "Plugins",
    "default_plugins",
    "load_plugins",
    "normalize",
]
