"""What a voice provider is: speech synthesis, speech recognition, and optionally a realtime
session for agents that take audio in and give audio out.

Providers are registered with ``register_voice_providers(register)``:
``register(name, factory(options: dict) -> VoiceProvider, description="")``, and chosen with
``runner run --voice-provider NAME --voice-option K=V``. A provider subclasses
:class:`VoiceProvider` and implements :meth:`~VoiceProvider.synthesize` and
:meth:`~VoiceProvider.transcribe` (blocking is fine: the orchestrator calls them in a worker
thread through the ``a``-prefixed twins, which a provider with an async client overrides).
An audio-native agent talks to its model through a :class:`RealtimeSession`; its events are the
small dataclasses below.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from runner.voice.audio import Audio


@dataclass(frozen=True)
class Transcription:
    """What a recogniser heard: the text and its confidence (0..1; 1.0 when unknown)."""

    text: str
    confidence: float = 1.0


class VoiceProvider:
    """Text-to-speech and speech-to-text for voice runs (see the module docstring)."""

    #: The provider's registered name (set by the factory or the class).
    name: str = ""

    def synthesize(self, text: str) -> Audio:
        """``text`` spoken, as 16-bit mono PCM with its sample rate."""
        raise NotImplementedError(f"{type(self).__name__} does not synthesize speech")

    def transcribe(self, audio: Audio) -> Transcription:
        """What ``audio`` says."""
        raise NotImplementedError(f"{type(self).__name__} does not recognise speech")

    async def asynthesize(self, text: str) -> Audio:
        return await asyncio.to_thread(self.synthesize, text)

    async def atranscribe(self, audio: Audio) -> Transcription:
        """:meth:`transcribe` in a worker thread, remembered for the last clips: the listener
        recognises an utterance to answer it, and the heard transcript needs the same
        recognition of the same frames at the end of the run."""
        cache: OrderedDict[str, Transcription] = self.__dict__.setdefault(
            "_recognised", OrderedDict()
        )
        key = hashlib.blake2b(audio.pcm, digest_size=16).hexdigest() + f":{audio.sample_rate}"
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        heard = await asyncio.to_thread(self.transcribe, audio)
        cache[key] = heard
        while len(cache) > 512:
            cache.popitem(last=False)
        return heard


# -- realtime sessions (audio-native agents) -------------------------------------------------
@dataclass(frozen=True)
class AudioDelta:
    """A piece of the model's spoken answer."""

    audio: Audio
    item_id: str = ""


@dataclass(frozen=True)
class TranscriptDelta:
    """Text of what the model is saying (``final``: the whole transcript of the item)."""

    text: str
    item_id: str = ""
    final: bool = False


@dataclass(frozen=True)
class FunctionCall:
    """The model calls a tool; answer with :meth:`RealtimeSession.send_function_result`."""

    call_id: str
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResponseDone:
    """The model finished a response (``cost``/``usage`` when the service reports them)."""

    cost: float = 0.0
    usage: dict[str, Any] = field(default_factory=dict)


RealtimeEvent = AudioDelta | TranscriptDelta | FunctionCall | ResponseDone


@runtime_checkable
class RealtimeSession(Protocol):
    """A live conversation with an audio-native model."""

    async def send_audio(self, audio: Audio) -> None:
        """Append the user's audio to the model's input."""
        ...

    async def commit(self) -> None:
        """The user finished speaking: let the model answer."""
        ...

    async def receive(self) -> list[RealtimeEvent]:
        """The events that arrived since the last call (never blocks long)."""
        ...

    async def send_function_result(self, call_id: str, output: str) -> None:
        """Answer a :class:`FunctionCall` and let the model go on."""
        ...

    async def interrupt(self, item_id: str, played_seconds: float) -> None:
        """The user talked over the answer: cut it to what was played."""
        ...

    async def close(self) -> None: ...
