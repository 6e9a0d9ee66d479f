"""``local``: offline speech, eSpeak NG to speak and PocketSphinx to listen.

eSpeak NG (the Debian package ``espeak-ng``) is a separate program: it is run once per
utterance and writes a WAV file to its standard output. PocketSphinx (the ``pocketsphinx``
wheel, with its English model) recognises 16 kHz audio; a decoder is not thread-safe and costs
a third of a second to load, so each worker thread keeps its own. Both engines are old and
robotic: expect a word error rate around 0.6 on eSpeak's voice (see ``docs/voice.md``), which is
the point of measuring it.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from typing import Any

from runner import ConfigError
from runner.voice import Audio, Transcription, VoiceProvider

RECOGNITION_RATE = 16000
#: Everyday sentences the word error rate and the real-time factor are measured on (the test
#: of this plugin and ``bench/bench_voice.py``).
SAMPLE_SENTENCES = (
    "please create a new task for the demo slides",
    "the weather is nice today",
    "i would like to cancel my order",
    "thank you for your help",
    "my name is john smith",
    "can you check the status of my account",
    "hello how are you",
    "what time does the store open",
)
MISSING_ESPEAK = (
    "The local voice needs eSpeak NG, which is not installed: install the Debian/Ubuntu package "
    "espeak-ng (`sudo apt-get install espeak-ng`; `make test` does it for the project's tests), "
    "or use another --voice-provider."
)


class LocalVoice(VoiceProvider):
    """eSpeak NG synthesis and PocketSphinx recognition, fully offline."""

    name = "local"

    def __init__(self, voice: str = "en-us+f3", words_per_minute: int = 140) -> None:
        self.voice = voice
        self.words_per_minute = int(words_per_minute)
        self.executable = shutil.which("espeak-ng")
        if self.executable is None:
            raise ConfigError(MISSING_ESPEAK)
        self._local = threading.local()

    def synthesize(self, text: str) -> Audio:
        command = [
            str(self.executable),
            "--stdout",
            "-v",
            self.voice,
            "-s",
            str(self.words_per_minute),
            "--",
            text,
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=60, check=True)
        except FileNotFoundError:
            raise ConfigError(MISSING_ESPEAK) from None
        except subprocess.CalledProcessError as exc:
            detail = exc.stderr.decode(errors="replace").strip()
            raise RuntimeError(f"espeak-ng failed ({detail or exc.returncode})") from None
        return Audio.from_wav(done.stdout)

    def transcribe(self, audio: Audio) -> Transcription:
        decoder = self._decoder()
        decoder.start_utt()
        decoder.process_raw(audio.resampled(RECOGNITION_RATE).pcm, full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        if hypothesis is None:
            return Transcription("", 0.0)
        confidence = decoder.get_logmath().exp(hypothesis.prob)
        return Transcription(hypothesis.hypstr, max(0.0, min(1.0, float(confidence))))

    def _decoder(self) -> Any:
        decoder = getattr(self._local, "decoder", None)
        if decoder is None:
            from pocketsphinx import Decoder

            decoder = self._local.decoder = Decoder(samprate=RECOGNITION_RATE, loglevel="FATAL")
        return decoder


def build_local_voice(options: dict[str, Any]) -> LocalVoice:
    """Factory registered as ``local``: ``--voice-option voice=en-us+f3`` (an eSpeak NG voice),
    ``words_per_minute=140``."""
    unknown = sorted(set(options) - {"voice", "words_per_minute"})
    if unknown:
        raise ConfigError(
            f"The local voice has no option {', '.join(unknown)}; its options: voice (an eSpeak "
            "NG voice such as en-us+f3), words_per_minute (140)."
        )
    try:
        rate = int(options.get("words_per_minute", 140))
    except (TypeError, ValueError):
        raise ConfigError("--voice-option words_per_minute must be a whole number.") from None
    return LocalVoice(voice=str(options.get("voice", "en-us+f3")), words_per_minute=rate)
