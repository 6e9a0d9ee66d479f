"""Deprecated: :mod:`runner.plugins.discovery` now (this path works for one release)."""

from runner._moved import moved

__getattr__ = moved(
    __name__,
    {
        name: "runner.plugins.discovery"
        for name in (
            "BUILTIN_MODULES",
            "ENTRY_POINT_GROUP",
            "JSON_KEYS",
            "PluginInfo",
            "core_version",
            "describe_failure",
            "dist_identity",
            "hookimpl_names",
            "installed_entry_points",
        )
    },
)
