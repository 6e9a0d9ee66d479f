"""A live conversation with the OpenAI Realtime API over a WebSocket: ``OpenAIRealtimeSession``.

It implements ``runner.voice.RealtimeSession``: the agent appends the user's audio, commits a
turn, polls the model's events (audio, transcript, function calls, the end of a response),
answers function calls and cuts an answer the user talked over. A background task reads the
server's events into the small ``runner.voice`` dataclasses.

Why it keeps a local copy of the conversation: a dropped WebSocket loses the server's side of
it, so the session remembers every item (the user's committed audio, the model's transcripts,
function calls and their outputs), the audio not yet committed and whether a response was
requested; on reconnecting it sends the session setup and all of that again. Reconnecting is
bounded: ``max_retries`` connection attempts (tenacity waits between them) and ``max_retries``
drops in a row without a finished response; then :class:`runner.InfrastructureError`. The API
key is sent in a header only and is masked in every error text.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from runner import ConfigError, InfrastructureError
from runner.llm import scrub
from runner.voice import (
    Audio,
    AudioDelta,
    FunctionCall,
    RealtimeEvent,
    ResponseDone,
    TranscriptDelta,
)
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

#: The Realtime API's pcm16 audio: 16-bit mono little-endian at 24 kHz.
RATE = 24000
DEFAULT_URL = "wss://api.openai.com/v1/realtime"
#: HTTP statuses every attempt would repeat (bad key, no access, unknown model).
REFUSED = frozenset({401, 403, 404})
#: Error codes that need no action: cancelling a response that had already finished.
BENIGN_ERRORS = frozenset({"response_cancel_not_active"})
#: Audio appended per event when restoring a conversation (bytes of pcm16, 10 s).
_APPEND_BYTES = RATE * 2 * 10
_HAS_PROXY_OPTION = "proxy" in inspect.signature(connect).parameters
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class RealtimeError(Exception):
    """An ``error`` event of the service (its text has any credential masked)."""


@dataclass
class SessionConfig:
    """Where and how to connect; ``history``: conversation items to open with (the greeting);
    ``extra``: more ``session.update`` fields (``voice``, ``temperature``, ...)."""

    model: str
    api_key: str = field(repr=False)
    url: str = DEFAULT_URL
    instructions: str = ""
    tools: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    timeout: float = 10.0
    max_retries: int = 3
    retry_wait: float = 0.5
    input_cost_per_token: float = 0.0
    output_cost_per_token: float = 0.0

    def endpoint(self) -> str:
        """The WebSocket URL with ``?model=`` (the model name without its ``openai/`` prefix)."""
        model = self.model.removeprefix("openai/")
        parts = urlsplit(self.url)
        query = [*parse_qsl(parts.query), ("model", model)]
        return urlunsplit(parts._replace(query=urlencode(query)))


class OpenAIRealtimeSession:
    """A ``runner.voice.RealtimeSession`` on the OpenAI Realtime API (see the module docstring)."""

    def __init__(self, config: SessionConfig) -> None:
        self.config = config
        #: Connections made after the first one (reconnects that succeeded).
        self.reconnects = 0
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._events: list[RealtimeEvent] = []
        self._error: BaseException | None = None
        self._arrived = asyncio.Event()
        self._dropped = False
        self._closed = False
        self._drops_left = config.max_retries
        # The local copy of the conversation (restored after a drop).
        self._items: list[dict[str, Any]] = list(config.history)
        self._pending_audio = bytearray()
        self._awaiting = False
        self._open_calls: set[str] = set()
        self._live_items: set[str] = set()  # item ids the current connection knows
        self._names: dict[str, str] = {}  # call_id or item_id -> function name
        self._transcripts: dict[str, str] = {}  # this response's items -> transcript
        self._audio_bytes: dict[str, int] = {}
        self._assistant_at: dict[str, int] = {}  # item id -> index in _items
        self._cut: dict[str, float] = {}  # item id -> seconds played when interrupted

    # -- the RealtimeSession protocol --------------------------------------------------------
    async def connect(self) -> None:
        """Open the connection and send the session setup (retried; see the module docstring)."""
        await self._open()

    async def send_audio(self, audio: Audio) -> None:
        pcm = audio.resampled(RATE).pcm
        self._pending_audio += pcm
        await self._send({"type": "input_audio_buffer.append", "audio": _b64(pcm)})

    async def commit(self) -> None:
        if not self._pending_audio:
            return
        audio = {"type": "input_audio", "audio": _b64(bytes(self._pending_audio))}
        self._items.append({"type": "message", "role": "user", "content": [audio]})
        self._pending_audio.clear()
        self._awaiting = True
        if await self._send({"type": "input_audio_buffer.commit"}):
            await self._send({"type": "response.create"})

    async def receive(self) -> list[RealtimeEvent]:
        """The events read since the last call; raises an ``error`` event of the service, and
        reconnects first when the connection dropped."""
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        events, self._events = self._events, []
        self._arrived.clear()
        if self._dropped and not self._closed:
            await self._recover()
        return events

    async def wait_for_events(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for something to read (events, an error, a drop)."""
        if self._events or self._error is not None or self._dropped:
            return True
        try:
            await asyncio.wait_for(self._arrived.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def send_function_result(self, call_id: str, output: str) -> None:
        """Answer a function call; the model goes on once every call of its response has its
        output (one ``response.create`` for several calls)."""
        self._items.append({"type": "function_call_output", "call_id": call_id, "output": output})
        self._open_calls.discard(call_id)
        if self._open_calls:
            await self._send(_item_create(self._items[-1]))
            return
        self._awaiting = True
        if await self._send(_item_create(self._items[-1])):
            await self._send({"type": "response.create"})

    async def interrupt(self, item_id: str, played_seconds: float) -> None:
        self._awaiting = False
        self._open_calls.clear()
        self._cut_item(item_id, played_seconds)
        if not await self._send({"type": "response.cancel"}):
            return
        if item_id in self._live_items:
            await self._send(
                {
                    "type": "conversation.item.truncate",
                    "item_id": item_id,
                    "content_index": 0,
                    "audio_end_ms": max(0, int(played_seconds * 1000)),
                }
            )

    async def close(self) -> None:
        self._closed = True
        await self._disconnect()

    # -- connecting --------------------------------------------------------------------------
    async def _open(self) -> None:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(max(1, self.config.max_retries)),
            wait=wait_exponential(
                multiplier=self.config.retry_wait, max=30 * self.config.retry_wait
            ),
            retry=retry_if_exception(_transient),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    await self._connect_once()
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in REFUSED:
                raise ConfigError(
                    f"The OpenAI Realtime API refused the connection (HTTP {status}): check the "
                    "API key (OPENAI_API_KEY or --agent-llm-args api_key=...), the model "
                    f"(--agent-llm {self.config.model}) and the endpoint (api_base)."
                ) from None
            raise self._infrastructure(exc) from None
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise self._infrastructure(exc) from None

    async def _connect_once(self) -> None:
        await self._disconnect()
        headers = {"Authorization": f"Bearer {self.config.api_key}", "OpenAI-Beta": "realtime=v1"}
        options: dict[str, Any] = {}
        if _HAS_PROXY_OPTION and urlsplit(self.config.url).hostname in _LOOPBACK:
            options["proxy"] = None
        ws = await connect(
            self.config.endpoint(),
            additional_headers=headers,
            open_timeout=self.config.timeout,
            close_timeout=min(self.config.timeout, 5.0),
            max_size=32 * 2**20,
            **options,
        )
        self._ws, self._dropped = ws, False
        self._live_items.clear()
        self._transcripts.clear()
        self._reader = asyncio.create_task(self._read(ws))
        await self._send_now(ws, {"type": "session.update", "session": self._setup()})
        for item in self._items:
            await self._send_now(ws, _item_create(item))
        for start in range(0, len(self._pending_audio), _APPEND_BYTES):
            piece = bytes(self._pending_audio[start : start + _APPEND_BYTES])
            await self._send_now(ws, {"type": "input_audio_buffer.append", "audio": _b64(piece)})
        if self._awaiting:
            await self._send_now(ws, {"type": "response.create"})

    def _setup(self) -> dict[str, Any]:
        return {
            "modalities": ["audio", "text"],
            "instructions": self.config.instructions,
            "input_audio_format": "pcm16",
            "output_audio_format": "pcm16",
            "turn_detection": None,
            "tools": self.config.tools,
            "tool_choice": "auto" if self.config.tools else "none",
            **self.config.extra,
        }

    async def _recover(self) -> None:
        """The connection dropped: reconnect and restore, within the budget of drops."""
        self._drops_left -= 1
        if self._drops_left < 0:
            raise InfrastructureError(
                f"The OpenAI Realtime connection dropped {self.config.max_retries + 1} times "
                "without finishing a response; giving up."
            )
        await self._open()
        self.reconnects += 1

    async def _disconnect(self) -> None:
        reader, ws = self._reader, self._ws
        self._reader = self._ws = None
        if reader is not None:
            reader.cancel()
        if ws is not None:
            try:
                await asyncio.wait_for(ws.close(), self.config.timeout)
            except (OSError, TimeoutError, WebSocketException):
                ws.transport.abort()

    async def _send(self, event: dict[str, Any]) -> bool:
        """Send on the current connection: True; or, when it is gone, reconnect (which restores
        the conversation, this event's effect included): False."""
        if self._closed:
            raise RealtimeError("The realtime session is closed.")
        ws = self._ws
        if ws is not None and not self._dropped:
            try:
                await self._send_now(ws, event)
                return True
            except (ConnectionClosed, OSError, TimeoutError):
                self._dropped = True
        await self._recover()
        return False

    async def _send_now(self, ws: ClientConnection, event: dict[str, Any]) -> None:
        await asyncio.wait_for(ws.send(json.dumps(event)), self.config.timeout)

    def _infrastructure(self, exc: BaseException) -> InfrastructureError:
        return InfrastructureError(
            f"Could not connect to the OpenAI Realtime API at {self.config.url} after "
            f"{self.config.max_retries} attempts: {self._mask(f'{type(exc).__name__}: {exc}')}"
        )

    def _mask(self, text: str) -> str:
        """``text`` without the API key (nor anything shaped like a credential)."""
        return scrub(text, (self.config.api_key,)).replace(self.config.api_key, "[redacted]")

    # -- reading -----------------------------------------------------------------------------
    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                self._handle(json.loads(raw))
                self._arrived.set()
        except ConnectionClosed:
            pass
        except ValueError as exc:  # not JSON: the service is broken
            self._error = InfrastructureError(f"OpenAI Realtime: unreadable event ({exc}).")
        finally:
            if ws is self._ws and not self._closed:
                self._dropped = True
            self._arrived.set()

    def _handle(self, event: dict[str, Any]) -> None:
        kind = str(event.get("type", ""))
        item_id = str(event.get("item_id", ""))
        if kind in ("response.audio.delta", "response.output_audio.delta"):
            pcm = base64.b64decode(event.get("delta", ""))
            self._live_items.add(item_id)
            self._audio_bytes[item_id] = self._audio_bytes.get(item_id, 0) + len(pcm)
            self._events.append(AudioDelta(Audio(pcm, RATE), item_id))
        elif kind in ("response.audio_transcript.delta", "response.output_audio_transcript.delta"):
            delta = str(event.get("delta", ""))
            self._transcripts[item_id] = self._transcripts.get(item_id, "") + delta
            self._events.append(TranscriptDelta(delta, item_id))
        elif kind in ("response.audio_transcript.done", "response.output_audio_transcript.done"):
            text = str(event.get("transcript", ""))
            self._transcripts[item_id] = text
            self._events.append(TranscriptDelta(text, item_id, final=True))
        elif kind in ("response.output_item.added", "conversation.item.created"):
            item = event.get("item") or {}
            self._live_items.add(str(item.get("id", "")))
            if item.get("type") == "function_call":
                self._names[str(item.get("call_id", ""))] = str(item.get("name", ""))
        elif kind == "response.function_call_arguments.done":
            self._function_call(event, item_id)
        elif kind == "response.done":
            self._response_done(event.get("response") or {})
        elif kind == "error":
            self._service_error(event.get("error") or {})

    def _function_call(self, event: dict[str, Any], item_id: str) -> None:
        call_id = str(event.get("call_id", ""))
        name = str(event.get("name") or self._names.get(call_id, ""))
        raw = str(event.get("arguments") or "{}")
        try:
            arguments = json.loads(raw)
        except ValueError:
            arguments = None
        self._items.append(
            {"type": "function_call", "call_id": call_id, "name": name, "arguments": raw}
        )
        self._open_calls.add(call_id)
        self._live_items.add(item_id)
        self._events.append(
            FunctionCall(call_id, name, arguments if isinstance(arguments, dict) else {})
        )

    def _response_done(self, response: dict[str, Any]) -> None:
        for item_id, text in self._transcripts.items():
            if text:
                self._assistant_at[item_id] = len(self._items)
                self._items.append(text_item("assistant", text))
                if item_id in self._cut:
                    self._cut_item(item_id, self._cut.pop(item_id))
        self._transcripts.clear()
        self._awaiting = False
        self._drops_left = self.config.max_retries
        usage = response.get("usage") or {}
        numbers = {k: v for k, v in usage.items() if isinstance(v, (int, float))}
        cost = numbers.get("input_tokens", 0) * self.config.input_cost_per_token
        cost += numbers.get("output_tokens", 0) * self.config.output_cost_per_token
        self._events.append(ResponseDone(cost=float(cost), usage=numbers))

    def _service_error(self, error: dict[str, Any]) -> None:
        if error.get("code") in BENIGN_ERRORS:
            return
        kind = str(error.get("type") or "error")
        text = self._mask(f"OpenAI Realtime {kind}: {error.get('message') or error.get('code')}")
        failure = InfrastructureError if kind == "server_error" else RealtimeError
        self._error = failure(text)

    def _cut_item(self, item_id: str, played: float) -> None:
        """Keep, in the local copy, the part of an answer's transcript that was heard."""
        index = self._assistant_at.get(item_id)
        if index is None:
            self._cut[item_id] = played
            return
        total = self._audio_bytes.get(item_id, 0) / (2 * RATE)
        text = self._items[index]["content"][0]["text"]
        words = text.split()
        kept = round(len(words) * min(1.0, played / total)) if total else len(words)
        self._items[index] = text_item("assistant", " ".join(words[:kept]))


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, InvalidStatus):
        return exc.response.status_code not in REFUSED
    return isinstance(exc, (OSError, TimeoutError, WebSocketException))


def _b64(pcm: bytes) -> str:
    return base64.b64encode(pcm).decode("ascii")


def _item_create(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "conversation.item.create", "item": item}


def text_item(role: str, text: str) -> dict[str, Any]:
    """A conversation item of text (a task's history, the greeting, the model's answers)."""
    part = {"type": "text" if role == "assistant" else "input_text", "text": text}
    return {"type": "message", "role": role, "content": [part]}
