"""The local test server in a child process, for benchmarks and load tests.

In the same process the server's CPU competes with the client's event loop, which skews any
measurement of the client; in a child process it runs on the other core. The child prints its
URL on its first line and stops when its standard input closes.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServerProcess:
    """A running test server: its base ``url`` (ends with ``/v1``) and process id."""

    url: str
    pid: int

    def stats(self, reset: bool = False) -> dict[str, Any]:
        return server_stats(self.url, reset)

    def cpu_seconds(self) -> float | None:
        """CPU seconds the server used so far (Linux ``/proc``; None elsewhere)."""
        try:
            with open(f"/proc/{self.pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None


def server_stats(url: str, reset: bool = False) -> dict[str, Any]:
    """A test server's counters (``count``, ``peak_in_flight``, ...) read over HTTP from its
    ``/stats`` endpoint; ``reset`` zeroes them."""
    base = url.removesuffix("/v1")
    request = urllib.request.Request(
        base + ("/stats/reset" if reset else "/stats"), method="POST" if reset else "GET"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@contextmanager
def llm_server_process(
    *args: str, latency: float = 0.0, command: Sequence[str] | None = None
) -> Iterator[ServerProcess]:
    """Start ``python -m runner.testing.llm_server --latency L ARGS...`` (or ``command``, which
    must print the URL first and stop at end of input) and stop it on exit."""
    argv = (
        list(command)
        if command is not None
        else [sys.executable, "-m", "runner.testing.llm_server", "--latency", str(latency), *args]
    )
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()  # type: ignore[union-attr]
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the test server did not start (it printed {url!r})")
        yield ServerProcess(url=url, pid=process.pid)
    finally:
        process.stdin.close()  # type: ignore[union-attr]
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def raise_open_file_limit(needed: int) -> None:
    """Raise this process's open-file limit towards ``needed`` (one socket per request in
    flight), up to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
