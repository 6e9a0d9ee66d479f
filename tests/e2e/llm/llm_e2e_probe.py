"""Loaded with ``-p llm_e2e_probe``: at the end of a run, says on stderr whether litellm was
imported (a run on the direct transport must not need it)."""

from __future__ import annotations

import sys

from runner import hookimpl


@hookimpl
def runner_run_end(config, results, metrics) -> None:
    print(f"litellm imported: {'litellm' in sys.modules}", file=sys.stderr)
