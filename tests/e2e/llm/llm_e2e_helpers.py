"""Helpers of the LLM end-to-end tests (a module of its own: test modules import it by name)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.testing.oracle import OracleResponder

HERE = Path(__file__).resolve().parent
API_KEY = "sk-e2e-DO-NOT-LEAK-5c0ffee1"
#: Priced model names (litellm's local price list), so every side has a cost.
AGENT, USER, JUDGE = "openai/gpt-4o-mini", "openai/gpt-4.1-mini", "openai/gpt-4.1-nano"
ROLES = {"gpt-4o-mini": "agent", "gpt-4.1-mini": "user", "gpt-4.1-nano": "judge"}


def mock_tasks() -> list[Any]:
    from runner.plugins import PluginOptions, load_plugins

    plugins = load_plugins(PluginOptions(only=("runner-mock",)))
    return plugins.registry("domains").get("mock").obj.tasks()


def oracle(failing: tuple[str, ...] = ()) -> OracleResponder:
    return OracleResponder(mock_tasks(), failing=failing, roles=ROLES)


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    run_dir: Path

    def results(self) -> list[dict[str, Any]]:
        lines = (self.run_dir / "results.jsonl").read_text().splitlines()
        return [json.loads(line) for line in lines]

    def summary(self) -> dict[str, Any]:
        return json.loads((self.run_dir / "summary.json").read_text())

    def files_text(self) -> str:
        return "".join(p.read_text() for p in sorted(self.run_dir.iterdir()) if p.is_file())


def llm_command(
    runner_exe: str, url: str, out: Path, name: str, *extra: str, judge: bool = True
) -> list[str]:
    args = json.dumps({"api_base": url, "api_key": API_KEY})
    cmd = [runner_exe, "-p", "llm_e2e_gateway", "run", "--domain", "mock"]
    cmd += ["--agent", "llm_agent", "--agent-llm", AGENT, "--agent-llm-args", args]
    cmd += ["--user", "user_simulator", "--user-llm", USER, "--user-llm-args", args]
    if judge:
        cmd += ["--judge-llm", JUDGE, "--judge-llm-args", args]
    cmd += ["--output-dir", str(out), "--run-name", name, "--no-progress", *extra]
    return cmd


def run_cli(cmd: list[str], env: dict[str, str], out: Path, name: str) -> CliRun:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
    return CliRun(done.returncode, done.stdout, done.stderr, out / name)
