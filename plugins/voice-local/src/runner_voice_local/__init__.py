"""runner-voice-local: offline voice runs (eSpeak NG + PocketSphinx) and the cascaded agent."""

from runner_voice_local.cascaded import build_cascaded_agent
from runner_voice_local.provider import LocalVoice, build_local_voice

__all__ = ["LocalVoice", "build_cascaded_agent", "build_local_voice"]
