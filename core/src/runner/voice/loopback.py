"""``loopback``: a voice provider without any speech engine, for tests and demos.

Synthesis writes the text's bytes into the samples (after a marker) and pads the clip to the
time the words take at ``words_per_second``; recognition reads them back. The audio path of a
voice run (frames per tick, WAV files, recognition at the end of a turn, the heard transcript)
runs exactly as with a real provider, and the recognition is perfect, so a test can tell a bug
in the audio path from a recognition error.
"""

from __future__ import annotations

from runner.voice.audio import SAMPLE_WIDTH, Audio
from runner.voice.provider import Transcription, VoiceProvider

MARKER = b"RNRV"


class LoopbackVoice(VoiceProvider):
    """Lossless fake speech (see the module docstring)."""

    name = "loopback"

    def __init__(self, sample_rate: int = 8000, words_per_second: float = 2.5) -> None:
        self.sample_rate = int(sample_rate)
        self.words_per_second = float(words_per_second)

    def synthesize(self, text: str) -> Audio:
        payload = MARKER + len(text.encode()).to_bytes(4, "little") + text.encode()
        seconds = max(1, len(text.split())) / self.words_per_second
        size = max(len(payload), round(seconds * self.sample_rate) * SAMPLE_WIDTH)
        size += size % SAMPLE_WIDTH
        return Audio(payload.ljust(size, b"\0"), self.sample_rate)

    def transcribe(self, audio: Audio) -> Transcription:
        """Every utterance in the clip, in order (a clip may hold several, joined)."""
        pcm, texts, start = audio.pcm, [], 0
        while (at := pcm.find(MARKER, start)) >= 0:
            length = int.from_bytes(pcm[at + 4 : at + 8], "little")
            texts.append(pcm[at + 8 : at + 8 + length].decode(errors="replace"))
            start = at + 8 + length
        return Transcription(" ".join(texts))


def build_loopback(options: dict[str, object]) -> LoopbackVoice:
    """Factory registered as ``loopback`` (options: ``sample_rate``, ``words_per_second``)."""
    from runner.errors import ConfigError

    unknown = sorted(set(options) - {"sample_rate", "words_per_second"})
    if unknown:
        raise ConfigError(
            f"The loopback voice has no option {', '.join(unknown)}; its options: sample_rate, "
            "words_per_second."
        )
    try:
        return LoopbackVoice(**{k: float(v) for k, v in options.items()})  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError("--voice-option values of loopback must be numbers.") from None
