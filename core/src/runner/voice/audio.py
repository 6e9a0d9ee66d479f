"""Audio as the voice layer passes it around: 16-bit little-endian mono PCM and its sample rate.

Small on purpose: cutting a clip into tick-long frames, joining frames, silence, resampling
(linear interpolation: enough between speech engines' 16, 22.05 and 24 kHz), and WAV files
through the standard library's ``wave`` module.
"""

from __future__ import annotations

import io
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

SAMPLE_WIDTH = 2  # bytes: 16-bit PCM


@dataclass(frozen=True)
class Audio:
    """A mono clip: ``pcm`` (16-bit little-endian samples) at ``sample_rate`` Hz."""

    pcm: bytes
    sample_rate: int

    @property
    def samples(self) -> int:
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.samples / self.sample_rate if self.sample_rate else 0.0

    def frames(self, seconds: float) -> list[Audio]:
        """The clip cut into frames of ``seconds`` each, the last one padded with silence (so
        frame k covers [k × seconds, (k + 1) × seconds) exactly)."""
        size = max(1, round(seconds * self.sample_rate)) * SAMPLE_WIDTH
        out = []
        for start in range(0, len(self.pcm), size):
            piece = self.pcm[start : start + size]
            out.append(Audio(piece.ljust(size, b"\0"), self.sample_rate))
        return out

    def resampled(self, rate: int) -> Audio:
        """The clip at ``rate`` Hz (linear interpolation)."""
        if rate == self.sample_rate or not self.pcm:
            return Audio(self.pcm, rate)
        source = array("h")
        source.frombytes(self.pcm)
        count = max(1, round(len(source) * rate / self.sample_rate))
        step = (len(source) - 1) / max(1, count - 1)
        out = array("h", bytes(count * SAMPLE_WIDTH))
        last = len(source) - 1
        for i in range(count):
            position = i * step
            left = int(position)
            right = min(left + 1, last)
            fraction = position - left
            out[i] = int(source[left] + (source[right] - source[left]) * fraction)
        return Audio(out.tobytes(), rate)

    def to_wav(self) -> bytes:
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(SAMPLE_WIDTH)
            writer.setframerate(self.sample_rate)
            writer.writeframes(self.pcm)
        return buffer.getvalue()

    @classmethod
    def from_wav(cls, data: bytes) -> Audio:
        """A clip from WAV bytes (16-bit; a stereo file keeps its first channel)."""
        with wave.open(io.BytesIO(data), "rb") as reader:
            if reader.getsampwidth() != SAMPLE_WIDTH:
                raise ValueError(f"expected 16-bit WAV audio, got {8 * reader.getsampwidth()}-bit")
            pcm = reader.readframes(reader.getnframes())
            channels = reader.getnchannels()
            rate = reader.getframerate()
        if channels > 1:
            samples = array("h")
            samples.frombytes(pcm)
            pcm = samples[::channels].tobytes()
        return cls(pcm, rate)


def silence(seconds: float, sample_rate: int) -> Audio:
    return Audio(bytes(max(0, round(seconds * sample_rate)) * SAMPLE_WIDTH), sample_rate)


def join(clips: list[Audio], sample_rate: int | None = None) -> Audio:
    """The clips one after the other (resampled to ``sample_rate``, default the first's)."""
    if not clips:
        return Audio(b"", sample_rate or 16000)
    rate = sample_rate or clips[0].sample_rate
    return Audio(b"".join(c.resampled(rate).pcm for c in clips), rate)


def write_wav(path: Path, audio: Audio) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(audio.to_wav())
