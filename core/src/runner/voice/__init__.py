"""Voice: audio clips, the voice provider contract, word error rate, and ``loopback``.

A voice run is a full-duplex run in which the participants speak and listen through audio:
``runner run --orchestrator full_duplex --voice-provider NAME``. See ``docs/voice.md``.
"""

from runner.voice.audio import Audio, join, silence, write_wav
from runner.voice.loopback import LoopbackVoice
from runner.voice.provider import (
    AudioDelta,
    FunctionCall,
    RealtimeEvent,
    RealtimeSession,
    ResponseDone,
    TranscriptDelta,
    Transcription,
    VoiceProvider,
)
from runner.voice.wer import word_error_rate, word_errors

__all__ = [
    "Audio",
    "AudioDelta",
    "FunctionCall",
    "LoopbackVoice",
    "RealtimeEvent",
    "RealtimeSession",
    "ResponseDone",
    "TranscriptDelta",
    "Transcription",
    "VoiceProvider",
    "join",
    "silence",
    "word_error_rate",
    "word_errors",
    "write_wav",
]
