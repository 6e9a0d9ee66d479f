"""Deprecated: the run directory is :mod:`runner.store` now (this path works for one release)."""

from runner._moved import moved

__getattr__ = moved(
    __name__,
    {
        "RunDirectory": "runner.store",
        "config_diff": "runner.store",
        "RUN_FILE": "runner.store",
        "SUMMARY_FILE": "runner.store",
        "RESULTS_FILE": "runner.store",
        "write_json_atomic": "runner.store.layout",
        "ResultsWriter": "runner.store",
        "ScanResult": "runner.store",
        "scan_results": "runner.store",
    },
)
