"""runner-voice-openai: the ``realtime`` agent on the OpenAI Realtime API, and a fake server.

``realtime`` is an audio-native full-duplex agent: it hears the user's audio frames, lets the
model answer in audio over a WebSocket session, and speaks that audio one tick at a time.
:class:`FakeRealtimeServer` speaks the same event protocol on 127.0.0.1, so the agent can be
run and tested without a network or an API key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["FakeRealtimeServer", "OpenAIRealtimeSession", "RealtimeAgent"]

_LAZY = {
    "FakeRealtimeServer": "runner_voice_openai.fake_server",
    "OpenAIRealtimeSession": "runner_voice_openai.session",
    "RealtimeAgent": "runner_voice_openai.agent",
}


def __getattr__(name: str) -> Any:
    # Lazy, so that loading the plugin (every ``runner`` command) does not import websockets.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'runner_voice_openai' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


if TYPE_CHECKING:
    from runner_voice_openai.agent import RealtimeAgent  # noqa: F401
    from runner_voice_openai.fake_server import FakeRealtimeServer  # noqa: F401
    from runner_voice_openai.session import OpenAIRealtimeSession  # noqa: F401
