"""Deprecated: :mod:`runner.plugins.registry` now (this path works for one release)."""

from runner._moved import moved

__getattr__ = moved(
    __name__,
    {
        name: "runner.plugins.registry"
        for name in ("REGISTRY_LABELS", "Registration", "Registry", "normalize", "registrar")
    },
)
