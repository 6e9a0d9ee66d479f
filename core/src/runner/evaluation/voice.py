"""Turn-taking figures of a full-duplex conversation, read from its ticks.

:func:`voice_stats` summarises one simulation (``SimulationRun.voice``, filled in when
the run is evaluated); :func:`runner.evaluation.metrics.aggregate_voice` combines those of a run
for ``summary.json`` and ``runner show``. They read only the tick records, so they work for any orchestrator that writes
ticks in the ``full_duplex`` format.

A side *speaks* in a tick when its chunk has text and is not a back-channel. Definitions:

- response latency: from the last tick of a user utterance to the first tick the agent starts
  speaking, when the user did not speak again in between (ticks, and seconds at the tick's
  duration);
- interruption by a side: it starts speaking while the other side is in the middle of speaking
  (the other spoke in the previous tick and still speaks, or its chunk then was not the final
  one of its message);
- barge-in (``yielded``): a side stopped mid-message because it was spoken over;
- overlap ratio: ticks in which both speak over ticks in which anyone speaks;
- talk-time share: a side's speaking ticks over both sides' speaking ticks;
- word error rate (voice runs): word-level edit distance between what a side meant and what the
  listener's recogniser heard, over the words meant.
"""

from __future__ import annotations

from typing import Any

SIDES = ("agent", "user")


def _speaks(chunk: Any) -> bool:
    return bool(
        chunk
        and (chunk.get("content") or chunk.get("audio_format"))
        and not chunk.get("backchannel")
    )


def word_errors_by_side(messages: list[Any]) -> dict[str, dict[str, int]]:
    """Voice runs: word errors between what each side meant (``intended_content``) and what the
    listener's recogniser heard (``content``), with the words meant, by side."""
    from runner.voice.wer import word_errors

    out: dict[str, dict[str, int]] = {}
    for message in messages:
        meant = getattr(message, "intended_content", None)
        if meant is None:
            continue
        errors, words = word_errors(meant, message.content or "")
        side = out.setdefault(
            "agent" if message.role == "assistant" else "user", {"errors": 0, "words": 0}
        )
        side["errors"] += errors
        side["words"] += words
    return out


def voice_stats(ticks: list[dict[str, Any]], messages: list[Any] | None = None) -> dict[str, Any]:
    """The turn-taking figures of one conversation (see the module docstring); with the
    messages of a voice run, also its word errors (``word_errors``)."""
    speech = {side: 0 for side in SIDES}
    interruptions = {side: 0 for side in SIDES}
    yielded = {side: 0 for side in SIDES}
    backchannels = {side: 0 for side in SIDES}
    overlap = anyone = 0
    latencies: list[int] = []
    before = {side: False for side in SIDES}
    midway = {side: False for side in SIDES}  # spoke in the last tick, message not finished
    user_ended: int | None = None  # the tick the last user utterance ended, awaiting an answer
    for tick in ticks:
        chunks = {side: tick.get(f"{side}_chunk") for side in SIDES}
        now = {side: _speaks(chunks[side]) for side in SIDES}
        for side, other in (("agent", "user"), ("user", "agent")):
            chunk = chunks[side] or {}
            speech[side] += now[side]
            backchannels[side] += bool(chunk.get("backchannel"))
            yielded[side] += bool(chunk.get("interrupted"))
            if now[side] and not before[side] and before[other] and (now[other] or midway[other]):
                interruptions[side] += 1
        overlap += now["agent"] and now["user"]
        anyone += now["agent"] or now["user"]
        tick_id = int(tick.get("tick_id", 0))
        if before["user"] and not now["user"]:
            user_ended = None if now["agent"] else tick_id - 1
        elif now["user"]:
            user_ended = None
        if user_ended is not None and now["agent"] and not before["agent"]:
            latencies.append(tick_id - user_ended)
            user_ended = None
        before = now
        midway = {s: now[s] and (chunks[s] or {}).get("is_final_chunk") is False for s in SIDES}
    seconds = float(ticks[0].get("tick_duration_seconds") or 0.0) if ticks else 0.0
    return {
        "tick_seconds": seconds,
        "ticks": len(ticks),
        "speech_ticks": speech,
        "overlap_ticks": overlap,
        "speaking_ticks": anyone,
        "interruptions": interruptions,
        "yielded": yielded,
        "backchannels": backchannels,
        "latency_ticks": latencies,
        **({"word_errors": errors} if (errors := word_errors_by_side(messages or [])) else {}),
    }
