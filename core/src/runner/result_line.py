"""Deprecated: one line's layout is :mod:`runner.store.line` now (this path works for one
release)."""

from runner._moved import moved

__getattr__ = moved(
    __name__,
    {
        "HEAD_KEYS": "runner.store.line",
        "parse_lines": "runner.store.line",
        "parse_record": "runner.store",
        "result_line": "runner.store",
    },
)
