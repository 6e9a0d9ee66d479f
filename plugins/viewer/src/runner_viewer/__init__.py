"""runner-viewer: ``runner report``, ``runner view`` and ``runner compare`` (docs/viewer.md)."""

from runner_viewer.compare import compare_runs
from runner_viewer.report import build_report

__all__ = ["build_report", "compare_runs"]
