"""Deprecated: the hook specifications are :mod:`runner.plugins.hookspecs` now (this path works
for one release). Plugins import ``hookimpl`` from :mod:`runner`."""

from runner._moved import moved
from runner.plugins.hookspecs import HOOK_NAMES as _SPECIFIED

__getattr__ = moved(
    __name__,
    {
        name: "runner.plugins.hookspecs"
        for name in (
            "PROJECT_NAME",
            "REGISTRATION_HOOKS",
            "hookimpl",
            "hookspec",
            *_SPECIFIED,  # the specifications themselves
        )
    },
)
