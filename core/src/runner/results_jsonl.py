"""Deprecated: ``results.jsonl`` is handled by :mod:`runner.store` now (this path works for one
release)."""

from runner._moved import moved

__getattr__ = moved(
    __name__,
    {
        "RESULTS_FILE": "runner.store",
        "ResultsWriter": "runner.store",
        "ScanResult": "runner.store",
        "UnitKey": "runner.store.jsonl",
        "read_results": "runner.store",
        "scan_results": "runner.store",
    },
)
