"""Runs for the viewer's tests: a real mock run, and edited copies with known rewards."""

from __future__ import annotations

import io
import json
import shutil
import wave
from pathlib import Path

import runner

XSS = '<script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=1;alert(1)">'


def _silent_wav() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * 1600)
    return buf.getvalue()


def make_run(tmp_path: Path, name: str = "a", **kw: object) -> Path:
    runner.run_domain(
        runner.RunConfig(
            domain="mock", agent="replay", user="scripted", output_dir=str(tmp_path),
            run_name=name, progress=False, **kw,
        )
    )  # fmt: skip
    return tmp_path / name


def edit_run(src: Path, dst: Path, rewards: dict[int, float], payload: bool = False) -> Path:
    """Copy run ``src`` to ``dst`` with the reward of line i set to ``rewards[i]``; with
    ``payload``, the first line's message, tool result and task id carry XSS payloads."""
    shutil.copytree(src, dst)
    lines = [json.loads(x) for x in (src / "results.jsonl").read_text().splitlines() if x]
    for i, rec in enumerate(lines):
        if i in rewards:
            rec["reward_info"]["reward"] = rewards[i]
            if rewards[i] < 1 and rec["reward_info"].get("db_check"):
                rec["reward_info"]["db_check"]["db_match"] = False
                rec["reward_info"]["db_check"]["agent_db_hash"] = "deadbeef"
    if payload:
        rec = lines[0]
        rec["task_id"] = "task" + XSS
        rec["messages"][1]["content"] = "user says " + XSS
        for m in rec["messages"]:
            if m["role"] == "tool":
                m["content"] = "tool result " + XSS
        rec["ticks"] = [
            {"tick_id": 0, "agent_chunk": {"content": "Hello " + XSS}, "user_chunk": None},
            {"tick_id": 1, "agent_chunk": {"content": "let me", "interrupted": True},
             "user_chunk": {"content": "wait"}},
            {"tick_id": 2, "agent_chunk": None, "user_chunk": {"content": "mm-hm", "backchannel": True}},
        ]  # fmt: skip
        rec["audio"] = {"agent": f"audio/{rec['id']}/agent.wav"}
        wav = dst / "audio" / rec["id"] / "agent.wav"
        wav.parent.mkdir(parents=True)
        wav.write_bytes(_silent_wav())
    text = "".join(json.dumps(r) + "\n" for r in lines)
    (dst / "results.jsonl").write_text(text)
    return dst
