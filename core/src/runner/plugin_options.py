"""Deprecated: :mod:`runner.plugins.options` now (this path works for one release)."""

from runner._moved import moved

__getattr__ = moved(__name__, {"PluginOptions": "runner.plugins.options"})
