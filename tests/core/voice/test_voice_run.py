"""Voice runs through the core's audio path with the lossless ``loopback`` provider: frames per
tick, recognition when the listener takes the turn, the heard transcript with what was meant,
WAV files per side aligned with the ticks, resume and re-scoring, and the mistakes caught before
the run."""

from __future__ import annotations

import json
import wave

from click.testing import CliRunner
from runner.cli.app import cli
from runner.voice import Audio, LoopbackVoice, join, word_error_rate, word_errors

ENV = {"RUNNER_LOAD_PLUGINS": "runner-mock", "RUNNER_PLUGINS": "", "RUNNER_DISABLE_PLUGINS": ""}


def run(tmp_path, *extra: str):
    args = [
        "run",
        "--domain",
        "mock",
        "--orchestrator",
        "full_duplex",
        "--output-dir",
        str(tmp_path),
        "--run-name",
        "v",
        "--no-progress",
        *extra,
    ]
    return CliRunner().invoke(cli, args, env=ENV, catch_exceptions=False)


def test_a_loopback_voice_run_scores_keeps_what_was_heard_and_saves_aligned_wavs(tmp_path):
    result = run(tmp_path, "--voice-provider", "loopback", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["metrics"]["avg_reward"] == 1.0
    assert summary["metrics"]["voice"]["word_error_rate"]["overall"] == 0.0
    lines = (tmp_path / "v" / "results.jsonl").read_text().splitlines()
    for line in map(json.loads, lines):
        assert set(line["audio"]) == {"agent", "user"}
        spoken = [m for m in line["messages"] if m.get("intended_content") is not None]
        assert spoken and all(m["content"] == m["intended_content"] for m in spoken)
        for relative in line["audio"].values():
            with wave.open(str(tmp_path / "v" / relative)) as track:
                assert track.getnchannels() == 1 and track.getsampwidth() == 2
                # one tick of audio per tick: the track is aligned with the ticks
                assert track.getnframes() == round(len(line["ticks"]) * 0.2 * track.getframerate())
        chunk = next(t["user_chunk"] for t in line["ticks"] if t["user_chunk"])
        assert chunk["audio_format"]["duration"] == 0.2 and "audio_content" not in chunk
    assert "RNRV" not in (tmp_path / "v" / "results.jsonl").read_text()  # no audio inline
    again = run(tmp_path, "--voice-provider", "loopback", "--json")
    assert json.loads(again.stdout)["resumed"] == 15  # resume reads the results as usual
    rescored = CliRunner().invoke(cli, ["evaluate", str(tmp_path / "v")], env=ENV)
    assert rescored.exit_code == 0, rescored.output


def test_voice_mistakes_stop_the_run_before_it_starts(tmp_path):
    half = run(tmp_path, "--orchestrator", "half_duplex", "--voice-provider", "loopback")
    assert half.exit_code == 1 and "Add --orchestrator full_duplex" in half.output
    orphan = run(tmp_path, "--voice-option", "sample_rate=16000")
    assert orphan.exit_code == 1 and "--voice-option needs --voice-provider" in orphan.output
    unknown = run(tmp_path, "--voice-provider", "lopback")
    assert unknown.exit_code == 1 and "loopback" in unknown.output
    bad = run(tmp_path, "--voice-provider", "loopback", "--voice-option", "pitch=3")
    assert bad.exit_code == 1 and "no option pitch" in bad.output
    assert not (tmp_path / "v").exists()


def test_list_plugins_shows_the_voice_providers():
    listed = CliRunner().invoke(cli, ["list-plugins", "--all", "--json"], env=ENV)
    core = next(p for p in json.loads(listed.stdout) if p["distribution"] == "runner-core")
    assert "loopback" in core["provides"]["voice_providers"]


def test_audio_frames_resampling_and_word_errors():
    voice = LoopbackVoice(sample_rate=8000)
    clip = voice.synthesize("hello there my friend")
    frames = clip.frames(0.2)
    assert all(f.duration == 0.2 for f in frames) and len(frames) == 8  # 4 words at 2.5/s
    assert voice.transcribe(join(frames)).text == "hello there my friend"
    assert Audio.from_wav(clip.to_wav()) == clip
    up = clip.resampled(16000)
    assert up.sample_rate == 16000 and abs(up.duration - clip.duration) < 1e-3
    assert word_errors("Task_1 is completed.", "task 1 is complete") == (1, 4)
    assert word_error_rate("a b c", "") == 1.0


def test_the_guides_voice_provider_runs_a_voice_conversation():
    """docs/plugin-authoring.md's voice provider, executed, through the audio path."""
    import asyncio

    from repo_paths import REPO
    from runner import FullDuplexOrchestrator, run_simulation
    from runner.plugins import load_plugins

    guide = (REPO / "docs" / "plugin-authoring.md").read_text(encoding="utf-8")
    code = guide.split("# a voice provider (complete)\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "plugin-authoring.md", "exec"), namespace)
    voice = namespace["build_beep"]({})
    heard = voice.transcribe(voice.synthesize("one two three"))
    assert heard.text == "beep beep beep"
    from runner.builtins.replay import ReplayAgent
    from runner.builtins.scripted import ScriptedUser

    domain = load_plugins().registry("domains").get("mock").obj
    task = next(t for t in domain.tasks() if t.id == "create_with_description")
    orchestrator = FullDuplexOrchestrator(
        environment=domain.environment(),
        agent=ReplayAgent(task),
        user=ScriptedUser(task),
        task=task,
        voice=voice,
    )
    run = asyncio.run(run_simulation(orchestrator, environment_factory=domain.environment))
    assert run.reward_info.reward == 1.0  # checked by DB and ACTION: beeps suffice
    user = next(m for m in run.messages if m.role == "user")
    assert set(user.content.split()) == {"beep"} and user.intended_content == task.ticket
    assert set(run.audio_tracks) == {"agent", "user"}
