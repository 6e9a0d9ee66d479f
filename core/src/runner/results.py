"""Deprecated: reading results files is :mod:`runner.store` now (this path works for one
release)."""

from runner._moved import moved

__getattr__ = moved(
    __name__,
    {
        "RESULTS_JSONL": "runner.store:RESULTS_FILE",
        "RUN_JSON": "runner.store:RUN_FILE",
        "RUNNER_FORMAT": "runner.store.reader",
        "TAU2_FORMAT": "runner.store.reader",
        "TAU2_RESULTS": "runner.store.layout:TAU2_RESULTS_FILE",
        "TAU2_SIMULATIONS_DIR": "runner.store.layout",
        "ResultsFile": "runner.store",
        "field_path": "runner.models.taskfile",
        "line_of": "runner.store.locations",
        "read_results_file": "runner.store",
    },
)
