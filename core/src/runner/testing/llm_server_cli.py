"""The test LLM server as a process of its own: ``python -m runner.testing.llm_server``.

Benchmarks run the server this way so its CPU does not compete with the client's event loop
(:func:`runner.testing.llm_server_process` starts it). It prints its URL on the first line of
stdout, answers every request with the same text, and stops when its stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from runner.testing import replies
from runner.testing.llm_server import FaultPlan, LLMTestServer


def main(argv: list[str] | None = None) -> None:
    """Serve until stdin closes or the process is terminated (benchmarks run it this way so
    the server's CPU does not compete with the client's event loop)."""
    parser = argparse.ArgumentParser(description="Local OpenAI-compatible test LLM server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--text", default="ok", help="the text every request is answered with")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    args = parser.parse_args(argv)
    server = LLMTestServer(
        default=replies.text(args.text),
        latency=args.latency,
        faults=FaultPlan(rate=args.fault_rate),
        record_bodies=False,
        port=args.port,
    )

    async def serve() -> None:
        await server.start_async()
        print(server.url, flush=True)
        loop = asyncio.get_running_loop()
        try:  # stdin closing (the parent died or closed the pipe) ends the server
            await loop.run_in_executor(None, sys.stdin.read)
        finally:
            await server.stop_async()

    try:
        with asyncio.Runner(loop_factory=_fastest_loop()) as runner:
            runner.run(serve())
    except KeyboardInterrupt:
        pass


def _fastest_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop when it is installed (the dev dependencies have it): the server then
    spends less CPU per request (``docs/performance.md``), so a benchmark measures its client,
    not this server, on a machine with few cores. ``None`` (asyncio's own) otherwise."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


if __name__ == "__main__":
    main()
