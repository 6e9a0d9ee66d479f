"""The end of a voice run: the transcript becomes what was heard, and the audio is kept.

During the conversation each listener recognised what it heard to answer it; the transcript
that is evaluated must hold the same: every message said as audio is recognised (the provider's
recogniser on exactly the frames it was said with) and its ``content`` becomes the recognised
text, the speaker's own words moving to ``intended_content``, so that the word error rate
between the two can be reported. Each side's frames, tick by tick with silence where it did not
speak, become one track per side, aligned with the ticks (tick k at k × tick duration); the
batch layer writes them as WAV files under the run directory.
"""

from __future__ import annotations

from typing import Any

from runner.models.simulation import TerminationReason
from runner.orchestrator.failures import describe_error
from runner.orchestrator.sides import AGENT, USER


async def finish_voice_run(
    result: Any, voice: Any, clips: dict[int, list[Any]], ticks_audio: list[dict[str, Any]]
) -> None:
    from runner.voice import join, silence

    try:
        for index, frames in sorted(clips.items()):
            message = result.messages[index]
            heard = await voice.atranscribe(join(frames))
            message.intended_content = message.content
            message.content = heard.text
    except Exception as exc:  # the recogniser failed: nothing was measured
        result.termination_reason = TerminationReason.INFRASTRUCTURE_ERROR
        result.error = f"voice: {describe_error(exc)}"
    seconds = result.ticks[0]["tick_duration_seconds"] if result.ticks else 0.2
    tracks = {}
    for side in (AGENT, USER):
        frames = [t[side] for t in ticks_audio]
        spoken = [f for f in frames if f is not None]
        if not spoken:
            continue
        rate = spoken[0].sample_rate
        gap = silence(seconds, rate)
        tracks[side] = join([f if f is not None else gap for f in frames], rate)
    result.audio_tracks = tracks
