"""A local OpenAI-compatible chat-completions server for tests and benchmarks.

Tests of anything that calls an LLM run the real client path (``litellm`` → HTTP) against this
server instead of a provider: scripted replies, configurable latency, injected faults, and a
record of every request. It binds 127.0.0.1 only and never talks to the outside world.

Two ways to run it::

    with LLMTestServer([reply.text("hi")]) as server:        # own thread + event loop
        litellm.completion("openai/test", messages, api_base=server.url, api_key="sk-test")

    async with LLMTestServer(responder=answer) as server:     # inside a running event loop
        ...

and a third for benchmarks, in its own process (on uvloop when it is installed): ``python -m
runner.testing.llm_server --latency 2`` prints its URL on the first line of stdout; ``GET
/stats`` reports the counters (the command line is in :mod:`runner.testing.llm_server_cli`).

Which reply answers a request, first match wins: a fault scheduled for that request number, a
fault drawn at the plan's rate, the next scripted reply (FIFO), ``responder(body)``, ``default``.
With none of these the server answers 400 saying so, so a test missing a reply fails loudly
rather than hanging or retrying.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

try:
    from aiohttp import web
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "runner.testing's local LLM server needs aiohttp, which the core does not install by "
        "default: it is the 'testing' extra of runner-core. Install it with "
        "`pip install 'runner-core[testing]'` (the development workspace, `make sync`, "
        "already includes it)."
    ) from error

from runner.testing import replies
from runner.testing.completions import completion_body, stream_chunks
from runner.testing.replies import FaultKind, Reply

Responder = Callable[[dict[str, Any]], Any]
MAX_HANG_SECONDS = 120.0


@dataclass(frozen=True)
class FaultPlan:
    """Faults injected regardless of the script.

    Kinds: ``rate_limit`` (429 + Retry-After), ``server_error`` (500), ``timeout`` (hang for
    ``hang`` seconds), ``malformed`` (a 200 that is not JSON), ``invalid_tool_arguments`` (a
    call of the request's first tool with broken JSON), ``unknown_tool`` (a call of a tool
    the request never offered).

    ``schedule`` maps a 0-based request number to a reply (or fault kind) for that request;
    otherwise each request fails with probability ``rate``, with a kind drawn from ``kinds``
    (seeded, so a run is reproducible). A faulted request does not consume a scripted reply: the
    client's retry gets it.
    """

    rate: float = 0.0
    kinds: tuple[FaultKind, ...] = ("rate_limit", "server_error")
    seed: int = 0
    schedule: Mapping[int, Reply | FaultKind] = field(default_factory=dict)
    retry_after: float = 0.05
    hang: float = 30.0


@dataclass
class RecordedRequest:
    """One request as the server saw it (the Authorization header is never kept)."""

    index: int
    body: dict[str, Any] | None
    received_at: float
    answered_at: float | None = None
    status: int | None = None
    fault: bool = False

    @property
    def last_message(self) -> dict[str, Any] | None:
        messages = (self.body or {}).get("messages") or []
        return messages[-1] if messages else None


@dataclass
class ServerStats:
    """Counters since the start (or the last :meth:`LLMTestServer.reset_stats`)."""

    count: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    faults: int = 0
    first_received_at: float | None = None
    last_received_at: float | None = None
    requests: list[RecordedRequest] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "count": self.count,
            "in_flight": self.in_flight,
            "peak_in_flight": self.peak_in_flight,
            "faults": self.faults,
            "first_received_at": self.first_received_at,
            "last_received_at": self.last_received_at,
        }


class LLMTestServer:
    """An OpenAI-compatible ``POST /v1/chat/completions`` endpoint on 127.0.0.1.

    ``script``: replies (or plain strings) answered in order. ``responder(body)``: a function
    (sync or async) returning a reply, a string, or ``None`` to fall through, for scripts that
    depend on the request (e.g. on the last message). ``latency``: seconds before answering,
    a number or a function of the request body. ``faults``: a :class:`FaultPlan`.
    ``record_bodies=False`` keeps only counters (benchmarks with many requests).
    """

    def __init__(
        self,
        script: Iterable[Reply | str] = (),
        *,
        responder: Responder | None = None,
        default: Reply | str | None = None,
        latency: float | Callable[[dict[str, Any]], float] = 0.0,
        faults: FaultPlan | None = None,
        record_bodies: bool = True,
        port: int = 0,
    ) -> None:
        self._script: deque[Reply] = deque(_as_reply(r) for r in script)
        self.responder = responder
        self.default = _as_reply(default) if default is not None else None
        self.latency = latency
        self.faults = faults or FaultPlan()
        self.record_bodies = record_bodies
        self.stats = ServerStats()
        self._random = random.Random(self.faults.seed)
        self._port = port
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- public helpers
    @property
    def url(self) -> str:
        """The base URL to give a client as ``api_base`` (ends with ``/v1``)."""
        if not self._port:
            raise RuntimeError("LLMTestServer is not started")
        return f"http://127.0.0.1:{self._port}/v1"

    @property
    def port(self) -> int:
        return self._port

    def litellm_kwargs(self, api_key: str = "sk-test") -> dict[str, str]:
        """``api_base``/``api_key`` arguments pointing ``litellm`` at this server."""
        return {"api_base": self.url, "api_key": api_key}

    def add(self, *script: Reply | str) -> None:
        """Append replies to the script (thread-safe)."""
        with self._lock:
            self._script.extend(_as_reply(r) for r in script)

    @property
    def pending(self) -> int:
        """Scripted replies not yet sent."""
        return len(self._script)

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.stats.requests

    def reset_stats(self) -> None:
        self.stats = ServerStats()

    # ----------------------------------------------------------------- lifecycle
    async def start_async(self) -> LLMTestServer:
        """Start serving on the running event loop."""
        app = web.Application(client_max_size=64 * 1024**2)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_post("/chat/completions", self._chat)
        app.router.add_get("/stats", self._get_stats)
        app.router.add_post("/stats/reset", self._reset_stats)
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self._port, backlog=4096)
        await site.start()
        self._runner = runner
        self._port = runner.addresses[0][1]
        return self

    async def stop_async(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> LLMTestServer:
        return await self.start_async()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_async()

    def start(self, timeout: float = 10.0) -> LLMTestServer:
        """Start serving in a background thread with its own event loop."""
        ready = threading.Event()
        failure: list[BaseException] = []

        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            try:
                await self.start_async()
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                return
            ready.set()
            try:
                await self._stop.wait()
            finally:
                await self.stop_async()

        self._thread = threading.Thread(
            target=asyncio.run, args=(serve(),), daemon=True, name="llm-test-server"
        )
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError(f"LLMTestServer did not start within {timeout} s")
        if failure:
            raise failure[0]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> LLMTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----------------------------------------------------------------- request handling
    async def _chat(self, request: web.Request) -> web.StreamResponse:
        stats = self.stats
        index = stats.count
        stats.count += 1
        stats.in_flight += 1
        stats.peak_in_flight = max(stats.peak_in_flight, stats.in_flight)
        record = RecordedRequest(index=index, body=None, received_at=time.time())
        stats.first_received_at = stats.first_received_at or record.received_at
        stats.last_received_at = record.received_at
        if self.record_bodies:
            stats.requests.append(record)
        try:
            try:
                body = json.loads(await request.read())
            except ValueError:
                return _error_response(replies.bad_request("Request body is not valid JSON."), "")
            if self.record_bodies:
                record.body = body
            reply = await self._choose(index, body)
            record.fault = reply.is_fault
            if reply.is_fault:
                stats.faults += 1
            delay = reply.latency if reply.latency is not None else self._latency_for(body)
            if reply.hang is not None:
                delay = min(reply.hang, MAX_HANG_SECONDS)
            if delay > 0:
                await asyncio.sleep(delay)
            response = await self._answer(request, body, reply, index)
            record.status = response.status
            return response
        finally:
            stats.in_flight -= 1
            record.answered_at = time.time()

    def _latency_for(self, body: dict[str, Any]) -> float:
        latency = self.latency
        return float(latency(body)) if callable(latency) else float(latency)

    async def _choose(self, index: int, body: dict[str, Any]) -> Reply:
        plan = self.faults
        if index in plan.schedule:
            scheduled = plan.schedule[index]
            return scheduled if isinstance(scheduled, Reply) else self._fault(scheduled, body)
        if plan.rate > 0 and self._random.random() < plan.rate:
            return self._fault(self._random.choice(plan.kinds), body)
        with self._lock:
            if self._script:
                return self._script.popleft()
        if self.responder is not None:
            answer = self.responder(body)
            if inspect.isawaitable(answer):
                answer = await answer
            if answer is not None:
                return _as_reply(answer)
        if self.default is not None:
            return self.default
        return replies.bad_request(
            f"LLMTestServer has no reply for request #{index}: the script is used up and "
            "there is no responder or default."
        )

    def _fault(self, kind: FaultKind, body: dict[str, Any]) -> Reply:
        tools = body.get("tools") or [{}]
        tool = (tools[0].get("function") or {}).get("name") or "lookup"
        return replies.fault(
            kind, retry_after=self.faults.retry_after, hang=self.faults.hang, tool=tool
        )

    async def _answer(
        self, request: web.Request, body: dict[str, Any], reply: Reply, index: int
    ) -> web.StreamResponse:
        if reply.raw is not None:
            return web.json_response(dict(reply.raw), status=reply.status)
        if reply.status != 200:
            return _error_response(reply, _bearer(request))
        if reply.malformed:
            return web.Response(
                status=200,
                text='{"id": "chatcmpl-broken", "choices": [',
                content_type="application/json",
            )
        completion = completion_body(body, reply, index)
        if not body.get("stream"):
            return web.json_response(completion)
        return await _stream(request, body, completion)

    async def _get_stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats.as_dict())

    async def _reset_stats(self, request: web.Request) -> web.Response:
        self.reset_stats()
        return web.json_response({"ok": True})


# --------------------------------------------------------------------- response bodies
def _as_reply(value: Reply | str) -> Reply:
    return value if isinstance(value, Reply) else replies.text(str(value))


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip()


def _error_response(reply: Reply, api_key: str) -> web.Response:
    error = dict(reply.error or {"message": "error", "type": "server_error"})
    error["message"] = str(error.get("message", "")).replace("{api_key}", api_key)
    return web.json_response({"error": error}, status=reply.status, headers=dict(reply.headers))


async def _stream(
    request: web.Request, body: dict[str, Any], completion: dict[str, Any]
) -> web.StreamResponse:
    response = web.StreamResponse(
        status=200, headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    for chunk in stream_chunks(body, completion):
        await response.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


if __name__ == "__main__":  # ``python -m runner.testing.llm_server``: see llm_server_cli
    from runner.testing.llm_server_cli import main

    main()
