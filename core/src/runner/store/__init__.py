"""The run store: everything about a run directory, ``<output_dir>/<run_name>/``.

``run.json`` (the configuration, written once), ``results.jsonl`` (one simulation per line,
appended as each finishes) and ``summary.json`` (metrics), plus τ²-bench's ``results.json`` read
for re-scoring. The store sits below the layers that run and score simulations: it imports the
data model (:mod:`runner.models`) and :mod:`runner.secrets`, never ``runner.run.batch``,
``runner.run.build`` or ``runner.evaluation``, so data flows one way into it.

- :class:`RunDirectory` (``directory``): open or resume (naming, configuration check,
  ``run.json``), append, scan and repair, read back, summary.
- ``jsonl``: appending durably, scanning fast, repairing a torn tail.
- ``line``: the layout of one line and its fast parse.
- ``reader``: the one results reader (``strict`` or lenient), both formats.
- ``layout``: the file names and "the newest line of a unit wins".
"""

from runner.store.directory import (
    RunDirectory,
    config_diff,
    default_run_name,
    run_json,
    summary_json,
    with_run_name,
)
from runner.store.jsonl import ResultsWriter, ScanResult, scan_results
from runner.store.layout import RESULTS_FILE, RUN_FILE, SUMMARY_FILE, newest_wins
from runner.store.line import parse_record, result_line
from runner.store.reader import ResultsFile, read_results, read_results_file

__all__ = [
    "RESULTS_FILE",
    "RUN_FILE",
    "SUMMARY_FILE",
    "ResultsFile",
    "ResultsWriter",
    "RunDirectory",
    "ScanResult",
    "config_diff",
    "default_run_name",
    "newest_wins",
    "parse_record",
    "read_results",
    "read_results_file",
    "result_line",
    "run_json",
    "scan_results",
    "summary_json",
    "with_run_name",
]
