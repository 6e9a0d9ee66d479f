"""A local stand-in for the OpenAI Realtime API: ``FakeRealtimeServer``.

Why: the ``realtime`` agent must be testable without a network, a key or a bill. The server
speaks the same WebSocket event protocol on 127.0.0.1 (an ephemeral port, its own thread and
event loop), checks the Bearer key, records every event it receives, and answers a turn
(``input_audio_buffer.commit`` then ``response.create``, or a ``function_call_output`` then
``response.create``) by asking a *script*: ``script(user_text, conversation)`` gets the text of
the user's last message (its audio decoded with the ``loopback`` voice at 24 kHz, so a test's
user speaks with ``LoopbackVoice``) and the conversation so far (a list of plain dicts), and
returns text to say (sent as ``loopback`` audio deltas with their transcript), a :class:`Call`
or a list of them (function calls), or ``None`` (an empty response).

Faults on demand: ``drop_after=N`` aborts a connection (no close frame) when it has received
N events (counting only ``drop_event`` events when given), for the first ``drops`` connections
(every one when ``None``); ``error_after``/``error_event``/``errors`` send an ``error`` event
in place of handling an event.

    with FakeRealtimeServer(script=lambda text, conversation: "Hello!") as server:
        server.url   # ws://127.0.0.1:PORT/v1/realtime
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from itertools import count
from typing import Any

from runner.voice import Audio, LoopbackVoice
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

RATE = 24000
DEFAULT_KEY = "sk-fake-realtime-key-0123456789"


@dataclass(frozen=True)
class Call:
    """A function call the script makes the model do."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


Reply = str | Call | list[Call] | None
Script = Callable[[str, list[dict[str, Any]]], Reply]


@dataclass
class _Connection:
    index: int
    ids: count[int] = field(default_factory=count)
    buffer: bytearray = field(default_factory=bytearray)
    conversation: list[dict[str, Any]] = field(default_factory=list)
    seen: int = 0  # events counted towards a drop
    erring: int = 0  # events counted towards an error

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{self.index}_{next(self.ids)}"


class FakeRealtimeServer:
    """A fake OpenAI Realtime server (see the module docstring)."""

    def __init__(
        self,
        script: Script | None = None,
        *,
        api_key: str = DEFAULT_KEY,
        words_per_second: float = 2.5,
        delta_seconds: float = 0.2,
        drop_after: int | None = None,
        drop_event: str | None = None,
        drops: int | None = 1,
        error_after: int | None = None,
        error_event: str | None = None,
        errors: int | None = 1,
        error: dict[str, Any] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.script: Script = script or (lambda text, conversation: f"You said: {text}")
        self.api_key = api_key
        self.voice = LoopbackVoice(sample_rate=RATE, words_per_second=words_per_second)
        self.delta_seconds = delta_seconds
        self.drop_after, self.drop_event, self.drops = drop_after, drop_event, drops
        self.error_after, self.error_event, self.errors = error_after, error_event, errors
        self.error = error or {"type": "invalid_request_error", "code": "injected_error"}
        self.timeout = timeout
        self.port = 0
        #: Connections accepted (after the key check), and those refused for a bad key.
        self.connections = 0
        self.refused = 0
        #: The paths asked for (with their ``?model=``), one per connection.
        self.paths: list[str] = []
        self._received: list[dict[str, Any]] = []
        self._heard: list[str] = []
        self._dropped = 0
        self._errored = 0
        self.ended = 0  # connections over (closed by either side)
        self._lock = threading.Condition()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._failure: BaseException | None = None

    # -- the public surface ------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/realtime"

    def received(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The client events received so far (of type ``kind`` when given), in order."""
        with self._lock:
            return [e for e in self._received if kind is None or e.get("type") == kind]

    def heard(self) -> list[str]:
        """The user's committed turns, as the server decoded them."""
        with self._lock:
            return list(self._heard)

    def wait_ended(self, connections: int, timeout: float = 5.0) -> bool:
        """Wait until ``connections`` connections are over (how a test sees a client close)."""
        with self._lock:
            return self._lock.wait_for(lambda: self.ended >= connections, timeout)

    def start(self) -> FakeRealtimeServer:
        self._thread = threading.Thread(target=self._run, name="fake-realtime", daemon=True)
        self._thread.start()
        if not self._ready.wait(self.timeout):
            raise RuntimeError("The fake Realtime server did not start in time.")
        if self._failure is not None:
            raise RuntimeError(f"The fake Realtime server failed to start: {self._failure}")
        return self

    def stop(self) -> None:
        loop, stopping, thread = self._loop, self._stopping, self._thread
        if loop is not None and stopping is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(stopping.set)
            except RuntimeError:  # the loop closed meanwhile
                pass
        if thread is not None:
            thread.join(self.timeout)
            if thread.is_alive():
                raise RuntimeError("The fake Realtime server did not stop in time.")

    def __enter__(self) -> FakeRealtimeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the server thread -------------------------------------------------------------------
    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported by start()
            self._failure = exc
        finally:
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        async with serve(
            self._handle, "127.0.0.1", 0, process_request=self._check_key, max_size=32 * 2**20
        ) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stopping.wait()

    def _check_key(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            with self._lock:
                self.refused += 1
            return connection.respond(HTTPStatus.UNAUTHORIZED, "Incorrect API key provided.\n")
        with self._lock:
            self.paths.append(request.path)
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        with self._lock:
            self.connections += 1
            conn = _Connection(self.connections)
        send = _Sender(ws, conn)
        try:
            await send({"type": "session.created", "session": {"id": conn.new_id("sess")}})
            async for raw in ws:
                event = json.loads(raw)
                with self._lock:
                    self._received.append(event)
                if self._drop_now(conn, event):
                    ws.transport.abort()
                    return
                if self._error_now(conn, event):
                    await send(
                        {
                            "type": "error",
                            "error": {**self.error, "event_id": event.get("event_id")},
                        }
                    )
                    continue
                await self._dispatch(send, conn, event)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self.ended += 1
                self._lock.notify_all()

    def _drop_now(self, conn: _Connection, event: dict[str, Any]) -> bool:
        if self.drop_after is None or self.drop_event not in (None, event.get("type")):
            return False
        conn.seen += 1
        with self._lock:
            if conn.seen != self.drop_after or (
                self.drops is not None and self._dropped >= self.drops
            ):
                return False
            self._dropped += 1
        return True

    def _error_now(self, conn: _Connection, event: dict[str, Any]) -> bool:
        if self.error_after is None or self.error_event not in (None, event.get("type")):
            return False
        conn.erring += 1
        with self._lock:
            if conn.erring != self.error_after or (
                self.errors is not None and self._errored >= self.errors
            ):
                return False
            self._errored += 1
        return True

    # -- the protocol ------------------------------------------------------------------------
    async def _dispatch(self, send: _Sender, conn: _Connection, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "session.update":
            await send({"type": "session.updated", "session": event.get("session") or {}})
        elif kind == "input_audio_buffer.append":
            conn.buffer += base64.b64decode(event.get("audio", ""))
        elif kind == "input_audio_buffer.clear":
            conn.buffer.clear()
            await send({"type": "input_audio_buffer.cleared"})
        elif kind == "input_audio_buffer.commit":
            await self._commit(send, conn)
        elif kind == "conversation.item.create":
            await self._create_item(send, conn, event.get("item") or {})
        elif kind == "conversation.item.truncate":
            await self._truncate(send, conn, event)
        elif kind == "response.cancel":  # every response is sent whole: none is ever active
            await send.error("response_cancel_not_active", "There is no active response.")
        elif kind == "response.create":
            await self._respond(send, conn)
        else:
            await send.error("unknown_event", f"Unknown event type {kind!r}.")

    async def _commit(self, send: _Sender, conn: _Connection) -> None:
        if not conn.buffer:
            await send.error("input_audio_buffer_commit_empty", "The audio buffer is empty.")
            return
        text = self._decode(bytes(conn.buffer))
        conn.buffer.clear()
        item_id = conn.new_id("item")
        conn.conversation.append({"type": "message", "role": "user", "text": text, "id": item_id})
        with self._lock:
            self._heard.append(text)
        await send({"type": "input_audio_buffer.committed", "item_id": item_id})
        await send(
            {"type": "conversation.item.created", "item": {"id": item_id, "type": "message"}}
        )

    async def _create_item(self, send: _Sender, conn: _Connection, item: dict[str, Any]) -> None:
        kind, item_id = item.get("type"), conn.new_id("item")
        if kind == "message":
            parts = [self._part_text(p) for p in item.get("content") or []]
            entry: dict[str, Any] = {"role": item.get("role", "user"), "text": " ".join(parts)}
        elif kind == "function_call":
            entry = {
                "call_id": item.get("call_id"),
                "name": item.get("name"),
                "arguments": json.loads(item.get("arguments") or "{}"),
            }
        elif kind == "function_call_output":
            entry = {"call_id": item.get("call_id"), "output": item.get("output", "")}
        else:
            await send.error("invalid_item", f"Unknown item type {kind!r}.")
            return
        conn.conversation.append({"type": kind, **entry, "id": item_id})
        await send({"type": "conversation.item.created", "item": {"id": item_id, "type": kind}})

    def _part_text(self, part: dict[str, Any]) -> str:
        if part.get("type") == "input_audio":
            return self._decode(base64.b64decode(part.get("audio", "")))
        return str(part.get("text") or part.get("transcript") or "")

    async def _truncate(self, send: _Sender, conn: _Connection, event: dict[str, Any]) -> None:
        item_id = event.get("item_id")
        found = [i for i in conn.conversation if i.get("id") == item_id and "audio_ms" in i]
        if not found:
            await send.error("item_not_found", f"No audio item {item_id!r}.")
            return
        item, end = found[0], int(event.get("audio_end_ms") or 0)
        words = item["text"].split()
        item["text"] = " ".join(words[: round(len(words) * min(1.0, end / item["audio_ms"]))])
        item["truncated_ms"] = end
        await send({"type": "conversation.item.truncated", "item_id": item_id, "audio_end_ms": end})

    async def _respond(self, send: _Sender, conn: _Connection) -> None:
        users = [i for i in conn.conversation if i["type"] == "message" and i["role"] == "user"]
        try:
            reply = self.script(
                users[-1]["text"] if users else "", [dict(i) for i in conn.conversation]
            )
        except Exception as exc:  # a broken script: tell the client, as a service would
            await send.error("script_failed", f"{type(exc).__name__}: {exc}", kind="server_error")
            return
        response_id = conn.new_id("resp")
        await send(
            {"type": "response.created", "response": {"id": response_id, "status": "in_progress"}}
        )
        output: list[dict[str, Any]] = []
        if isinstance(reply, str):
            output.append(await self._say(send, conn, response_id, reply))
        elif reply is not None:
            for call in [reply] if isinstance(reply, Call) else list(reply):
                output.append(await self._call(send, conn, response_id, call, len(output)))
        said = sum(len(str(i.get("text", i.get("arguments", ""))).split()) for i in output)
        heard = sum(len(str(i.get("text", "")).split()) for i in conn.conversation)
        usage = {"total_tokens": heard + said, "input_tokens": heard, "output_tokens": said}
        response = {"id": response_id, "status": "completed", "output": output, "usage": usage}
        await send({"type": "response.done", "response": response})

    async def _say(
        self, send: _Sender, conn: _Connection, response_id: str, text: str
    ) -> dict[str, Any]:
        item_id = conn.new_id("item")
        where = {"response_id": response_id, "item_id": item_id, "output_index": 0}
        item = {"id": item_id, "type": "message", "role": "assistant", "status": "in_progress"}
        await send({"type": "response.output_item.added", "response_id": response_id, "item": item})
        audio = self.voice.synthesize(text)
        frames = audio.frames(self.delta_seconds)
        words = text.split(" ")
        for k, frame in enumerate(frames):
            await send(
                {
                    "type": "response.audio.delta",
                    **where,
                    "content_index": 0,
                    "delta": _b64(frame.pcm),
                }
            )
            piece = words[k * len(words) // len(frames) : (k + 1) * len(words) // len(frames)]
            if piece:
                last = (k + 1) * len(words) // len(frames) >= len(words)
                delta = " ".join(piece) + ("" if last else " ")
                await send({"type": "response.audio_transcript.delta", **where, "delta": delta})
        await send({"type": "response.audio.done", **where})
        await send({"type": "response.audio_transcript.done", **where, "transcript": text})
        await send({"type": "response.output_item.done", "response_id": response_id, "item": item})
        seconds = len(frames) * self.delta_seconds
        entry = {"type": "message", "role": "assistant", "text": text, "id": item_id}
        conn.conversation.append({**entry, "audio_ms": int(seconds * 1000)})
        return entry

    async def _call(
        self, send: _Sender, conn: _Connection, response_id: str, call: Call, index: int
    ) -> dict[str, Any]:
        item_id, call_id = conn.new_id("item"), conn.new_id("call")
        item = {"id": item_id, "type": "function_call", "call_id": call_id, "name": call.name}
        await send({"type": "response.output_item.added", "response_id": response_id, "item": item})
        arguments = json.dumps(call.arguments)
        done = {"response_id": response_id, "item_id": item_id, "output_index": index}
        await send(
            {
                "type": "response.function_call_arguments.done",
                **done,
                "call_id": call_id,
                "name": call.name,
                "arguments": arguments,
            }
        )
        await send({"type": "response.output_item.done", "response_id": response_id, "item": item})
        entry = {"type": "function_call", "call_id": call_id, "name": call.name, "id": item_id}
        conn.conversation.append({**entry, "arguments": dict(call.arguments)})
        return {**entry, "arguments": arguments}

    def _decode(self, pcm: bytes) -> str:
        return self.voice.transcribe(Audio(pcm, RATE)).text


class _Sender:
    """Sends server events on one connection, each with its ``event_id``."""

    def __init__(self, ws: ServerConnection, conn: _Connection) -> None:
        self.ws, self.conn = ws, conn

    async def __call__(self, event: dict[str, Any]) -> None:
        await self.ws.send(json.dumps({"event_id": self.conn.new_id("event"), **event}))

    async def error(self, code: str, message: str, kind: str = "invalid_request_error") -> None:
        await self({"type": "error", "error": {"type": kind, "code": code, "message": message}})


def _b64(pcm: bytes) -> str:
    return base64.b64encode(pcm).decode("ascii")
