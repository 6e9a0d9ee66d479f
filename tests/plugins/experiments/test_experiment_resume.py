"""An experiment killed with SIGKILL in the middle of an iteration resumes to the same final state
as one that never stopped (same seeds, same scripted models), evaluating nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from experiment_helpers import BREAK, THREE_PROPOSALS, ExperimentModels, write_experiment
from runner.testing import LLMTestServer
from runner_experiments import Store, resume_experiment, run_experiment

pytestmark = pytest.mark.slow
PLUGINS = "runner-mock,runner-agents,runner-users,runner-experiments"


class HangInIterationOne(ExperimentModels):
    """Answers like ExperimentModels, but the 12th agent call of iteration 1's candidate (the
    policy with BREAK) hangs until released: the experiment is then mid-iteration."""

    def __init__(self) -> None:
        super().__init__(THREE_PROPOSALS)
        self.reached = threading.Event()
        self.release = threading.Event()
        self.seen = 0
        self.lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> Any:
        system = " ".join(m.get("content") or "" for m in body.get("messages") or [])
        if BREAK in system and str(body.get("model", "")).endswith("agent-model"):
            with self.lock:
                self.seen += 1
                hang = self.seen == 12
            if hang:
                self.reached.set()
                self.release.wait(60)
        return super().__call__(body)


def state(db: Path, experiment_id: str) -> dict[str, Any]:
    store = Store(db)
    try:
        return {
            "iterations": [
                (r["n"], r["status"], r["policy"], r["score"], r["decision_json"])
                for r in store.iterations(experiment_id)
            ],
            "evaluations": [
                (n, r["task_id"], r["trial"], r["seed"], r["reward"], r["termination_reason"])
                for n in range(3)
                for r in store.evaluations(experiment_id, n)
            ],
            "proposals": [
                (r["n"], r["attempt"], r["candidate"], r["validation_error"])
                for r in store.interactions(experiment_id)
            ],
            "experiment": tuple(store.experiment(experiment_id))[5:8],  # status, reason, incumbent
        }
    finally:
        store.close()


def result_keys(run_dir: Path) -> list[tuple[str, int]]:
    lines = (run_dir / "results.jsonl").read_text().splitlines()
    return [(d["task_id"], d["trial"]) for d in map(json.loads, lines)]


async def test_sigkill_mid_iteration_then_resume_reaches_the_same_final_state(tmp_path) -> None:
    reference_dir, killed_dir = tmp_path / "reference", tmp_path / "killed"
    reference_dir.mkdir()
    killed_dir.mkdir()
    with LLMTestServer(responder=ExperimentModels(THREE_PROPOSALS), record_bodies=False) as server:
        reference = await run_experiment(
            write_experiment(reference_dir, server.url, concurrency=2), progress=False
        )
    expected = state(reference_dir / "out" / "experiments.sqlite", reference.experiment_id)

    models = HangInIterationOne()
    with LLMTestServer(responder=models, record_bodies=False) as server:
        path = write_experiment(killed_dir, server.url, concurrency=2)
        env = {**os.environ, "RUNNER_LOAD_PLUGINS": PLUGINS}
        runner_exe = str(Path(sys.executable).parent / "runner")
        process = subprocess.Popen(
            [runner_exe, "experiment", "run", str(path), "--no-progress"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert models.reached.wait(120), process.stderr.read() if process.poll() else ""
            process.send_signal(signal.SIGKILL)
            process.wait(30)
        finally:
            models.release.set()
            if process.poll() is None:
                process.kill()
        db = killed_dir / "out" / "experiments.sqlite"
        store = Store(db)
        experiment_id = store.experiments()[0]["id"]
        at_kill = {r["n"]: r["status"] for r in store.iterations(experiment_id)}
        store.close()
        assert at_kill == {0: "incumbent", 1: "evaluating"}  # killed mid-iteration 1
        run_dir = killed_dir / "out" / "runs" / experiment_id / "iter-1"
        done_before = result_keys(run_dir)
        assert 1 <= len(done_before) < 15
        optimizer_calls_before = models.optimizer_calls

        resumed = await resume_experiment(experiment_id, db=db, progress=False)

    assert resumed.stop_reason == reference.stop_reason and resumed.incumbent == reference.incumbent
    assert resumed.policy == reference.policy
    assert state(db, experiment_id) == expected
    # nothing evaluated twice: each unit once per iteration, the finished ones kept
    for n in range(3):
        keys = result_keys(killed_dir / "out" / "runs" / experiment_id / f"iter-{n}")
        assert len(keys) == len(set(keys)) == 15, n
    assert result_keys(run_dir)[: len(done_before)] == done_before
    # the recorded proposals of iteration 1 were replayed, not asked again
    assert optimizer_calls_before == 2 and models.optimizer_calls == 3
