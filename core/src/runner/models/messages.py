"""Conversation messages, JSON-compatible with τ²-bench trajectories."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, PrivateAttr, Tag

from runner.constants import STOP_TOKEN  # noqa: F401 - re-exported
from runner.models.base import Model

Requestor = Literal["assistant", "user"]


class ToolCall(Model):
    """A call of one tool, by the agent (``requestor="assistant"``) or the user."""

    id: str = ""
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    requestor: Requestor = "assistant"


class _MessageBase(Model):
    content: str | None = None
    turn_idx: int | None = None
    timestamp: str | None = None

    def model_post_init(self, context: Any, /) -> None:
        # ``role`` has a default, but readers (and τ²-bench) need it in every dump to tell
        # message kinds apart, so it always counts as set.
        self.__pydantic_fields_set__.add("role")


class SystemMessage(_MessageBase):
    role: Literal["system"] = "system"


class _ParticipantMessage(_MessageBase):
    tool_calls: list[ToolCall] | None = None
    cost: float | None = None
    usage: dict[str, Any] | None = None
    raw_data: dict[str, Any] | None = None
    # Full duplex: a message is also one tick's chunk, optionally with audio (τ²-bench names).
    #: Whether the chunk carries audio (``audio_content`` base64, or a file at ``audio_path``).
    is_audio: bool = False
    audio_content: str | None = None
    audio_path: str | None = None
    #: Encoding, sample rate and channels of the audio, e.g. ``{"encoding": "pcm_s16le", ...}``.
    audio_format: dict[str, Any] | None = None
    chunk_id: int | None = None
    is_final_chunk: bool = True
    contains_speech: bool = True
    #: A listener's acknowledgement ("mm-hm") spoken over the other side: it does not take the
    #: turn and stays out of the evaluated transcript (it is kept in the ticks).
    backchannel: bool = False
    #: The speaker stopped because the other side spoke over it (barge-in); the words it did not
    #: say are in ``unspoken`` and were never heard.
    interrupted: bool = False
    unspoken: str | None = None
    #: Voice runs: what the speaker meant to say, when ``content`` is what the listener's
    #: recogniser heard.
    intended_content: str | None = None
    #: The chunk's audio (a ``runner.voice.Audio``), kept in memory only: a voice run writes it
    #: to WAV files under the run directory, never inline in ``results.jsonl``.
    _audio: Any = PrivateAttr(default=None)

    @property
    def audio(self) -> Any:
        """The audio this chunk or message carries (``runner.voice.Audio``), or None."""
        return self._audio

    def attach_audio(self, audio: Any) -> Any:
        """Attach ``audio`` (a ``runner.voice.Audio``); records its format and duration in
        ``audio_format``. Returns the message."""
        self._audio = audio
        self.is_audio = audio is not None
        self.audio_format = (
            None
            if audio is None
            else {
                "encoding": "pcm_s16le",
                "sample_rate": audio.sample_rate,
                "channels": 1,
                "duration": round(audio.duration, 4),
            }
        )
        return self

    def is_tool_call(self) -> bool:
        return bool(self.tool_calls)

    def has_text(self) -> bool:
        return bool(self.content and self.content.strip())


class AssistantMessage(_ParticipantMessage):
    role: Literal["assistant"] = "assistant"


class UserMessage(_ParticipantMessage):
    role: Literal["user"] = "user"


class ToolMessage(_MessageBase):
    """The result of one tool call; ``error=True`` when the tool failed."""

    role: Literal["tool"] = "tool"
    id: str = ""
    requestor: Requestor = "assistant"
    error: bool = False


class MultiToolMessage(Model):
    """The results of several tool calls made in one message, in call order."""

    role: Literal["tool"] = "tool"
    tool_messages: list[ToolMessage]
    turn_idx: int | None = None
    timestamp: str | None = None

    def model_post_init(self, context: Any, /) -> None:
        self.__pydantic_fields_set__.add("role")

    @property
    def content(self) -> str:
        return "\n".join(m.content or "" for m in self.tool_messages)


def _message_tag(value: Any) -> str:
    if isinstance(value, dict):
        role = value.get("role")
        if role == "tool" and "tool_messages" in value:
            return "multi_tool"
        return str(role)
    if isinstance(value, MultiToolMessage):
        return "multi_tool"
    return str(getattr(value, "role", ""))


Message = Annotated[
    Annotated[SystemMessage, Tag("system")]
    | Annotated[AssistantMessage, Tag("assistant")]
    | Annotated[UserMessage, Tag("user")]
    | Annotated[ToolMessage, Tag("tool")]
    | Annotated[MultiToolMessage, Tag("multi_tool")],
    Discriminator(
        _message_tag,
        custom_error_type="invalid_message_role",
        custom_error_message="the message role must be 'system', 'user', 'assistant' or 'tool'",
    ),
]
"""Any message of a trajectory; parsed by its ``role`` (and ``tool_messages``)."""

ParticipantMessage = AssistantMessage | UserMessage


def flatten(messages: list[Any]) -> list[Any]:
    """Expand every :class:`MultiToolMessage` into its tool messages."""
    out: list[Any] = []
    for m in messages:
        if isinstance(m, MultiToolMessage):
            out.extend(m.tool_messages)
        else:
            out.append(m)
    return out
