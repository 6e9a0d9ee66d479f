"""Offline voice speed: the real-time factor of eSpeak NG synthesis and PocketSphinx recognition.

Real-time factor: seconds of CPU-bound wall time per second of audio (below 1: faster than
speech). Eight fixed sentences (about 18 s of speech), each synthesised then recognised, three
rounds; the median round is reported. Recognition includes resampling eSpeak's 22.05 kHz to
PocketSphinx's 16 kHz. Needs eSpeak NG (`make bench` installs it).
"""

from __future__ import annotations

import statistics
import time
from typing import Any


def main(rounds: int = 3) -> dict[str, Any]:
    from runner_voice_local import LocalVoice
    from runner_voice_local.provider import SAMPLE_SENTENCES as SENTENCES

    voice = LocalVoice()
    voice.transcribe(voice.synthesize("warm up"))  # load the recogniser's model once
    synthesis, recognition, audio_seconds = [], [], 0.0
    for _ in range(rounds):
        spent_tts = spent_asr = seconds = 0.0
        for sentence in SENTENCES:
            started = time.perf_counter()
            audio = voice.synthesize(sentence)
            spent_tts += time.perf_counter() - started
            started = time.perf_counter()
            voice.transcribe(audio)
            spent_asr += time.perf_counter() - started
            seconds += audio.duration
        synthesis.append(spent_tts / seconds)
        recognition.append(spent_asr / seconds)
        audio_seconds = seconds
    figures: dict[str, Any] = {
        "audio_seconds_per_round": round(audio_seconds, 2),
        "synthesis_real_time_factor": round(statistics.median(synthesis), 4),
        "recognition_real_time_factor": round(statistics.median(recognition), 4),
    }
    figures["targets_met"] = (
        figures["synthesis_real_time_factor"] < 1 and figures["recognition_real_time_factor"] < 1
    )
    for name, value in figures.items():
        print(f"{name:32s} {value}")
    return figures


if __name__ == "__main__":
    main()
