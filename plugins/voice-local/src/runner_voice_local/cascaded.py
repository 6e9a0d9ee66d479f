"""The ``cascaded`` agent: recognise → a turn-based text agent → synthesise.

It wraps any registered half-duplex agent (``--agent-option text_agent=NAME``, default
``llm_agent``; the other options go to that agent) in a :class:`runner.StreamingAdapter` that
listens and speaks through the run's voice provider: the user's audio is recognised when the
user has finished, the text agent answers, and its answer is synthesised and said tick by tick.
Tool calls are not spoken. It needs a voice run: ``--orchestrator full_duplex
--voice-provider NAME``.
"""

from __future__ import annotations

from typing import Any

from runner import ConfigError, StreamingAdapter


def build_cascaded_agent(ctx: Any) -> StreamingAdapter:
    """Factory registered as ``cascaded`` (takes a :class:`runner.BuildContext`)."""
    if ctx.voice is None:
        raise ConfigError(
            "The cascaded agent speaks and listens through a voice provider: add "
            "--voice-provider NAME (e.g. local, or loopback for a test) and --orchestrator "
            "full_duplex."
        )
    options = dict(ctx.options)
    name = str(options.pop("text_agent", "llm_agent"))
    if name == "cascaded":
        raise ConfigError("--agent-option text_agent=cascaded: name a text agent to wrap.")
    from runner.plugins import default_plugins

    factory = default_plugins().registry("agents").get(name).obj
    text_agent = factory(ctx.model_copy(update={"options": options}))
    return StreamingAdapter(text_agent, "agent", yield_after_ticks=2, voice=ctx.voice)
