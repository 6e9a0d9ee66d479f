"""Deprecated: :mod:`runner.run.executor` now (this path works for one release)."""

from runner._moved import moved_module

__getattr__ = moved_module(__name__, "runner.run.executor")
