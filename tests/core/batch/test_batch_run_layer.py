"""The batch layer through the Python API: hooks, run_single_task, I/O errors, names."""

from __future__ import annotations

from pathlib import Path

import pytest
from runner import RunConfig, run_single_task, run_tasks
from runner.errors import RunnerError
from runner.run.build import select_tasks
from runner.run.progress import NullProgress
from runner.store import default_run_name


@pytest.fixture(scope="module")
def hook_plugins():
    from runner.plugins import PluginOptions, load_plugins

    return load_plugins(PluginOptions(modules=("batch_hooks_plugin",), only=("runner-mock",)))


def test_lifecycle_hooks_are_called_and_a_raising_observer_is_harmless(
    tmp_path, hook_plugins, capsys
):
    import batch_hooks_plugin

    batch_hooks_plugin.CALLS.clear()
    config = RunConfig(
        domain="mock", num_tasks=3, output_dir=str(tmp_path), run_name="h", progress=False
    )
    tasks = select_tasks(config, hook_plugins)
    result = run_tasks(config, tasks, plugins=hook_plugins, progress=NullProgress(), argv=[])
    calls = batch_hooks_plugin.CALLS
    assert calls[0] == ("start", 3)
    assert sorted(c[1] for c in calls if c[0] == "simulation") == sorted(t.id for t in tasks)
    assert calls[-1] == ("end", (3, 1.0))
    assert result.complete and result.ran == 3
    assert "an observer's bug" in capsys.readouterr().err


def test_run_single_task_retries_in_memory_and_writes_nothing(tmp_path, hook_plugins):
    config = RunConfig(domain="mock", output_dir=str(tmp_path), progress=False)
    task = select_tasks(config, hook_plugins)[0]
    run = run_single_task(config, task, trial=2, plugins=hook_plugins)
    assert (run.task_id, run.trial, run.termination_reason) == (task.id, 2, "user_stop")
    assert run.reward == 1.0 and run.attempts == 1
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_dir_is_a_readable_error(tmp_path, hook_plugins, monkeypatch):
    """A folder the process may not write to (simulated: root ignores permission bits)."""
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args, **kwargs):
        if self.is_relative_to(tmp_path / "x"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    config = RunConfig(domain="mock", num_tasks=1, output_dir=str(tmp_path / "x"), progress=False)
    with pytest.raises(RunnerError, match="Cannot write the run directory"):
        run_tasks(config, select_tasks(config, hook_plugins), plugins=hook_plugins, argv=[])


def test_output_dir_that_is_a_file_is_a_readable_error(tmp_path, hook_plugins):
    (tmp_path / "file").write_text("x")
    config = RunConfig(
        domain="mock", num_tasks=1, output_dir=str(tmp_path / "file"), progress=False
    )
    with pytest.raises(RunnerError, match="Cannot write the run directory"):
        run_tasks(config, select_tasks(config, hook_plugins), plugins=hook_plugins, argv=[])


def test_default_run_name_is_safe():
    from datetime import datetime

    config = RunConfig(domain="runner-mock:mock", agent="a/b", user="scripted")
    name = default_run_name(config, datetime(2026, 5, 1, 10, 0, 0))
    assert name == "runner-mock-mock_a-b_scripted_20260501-100000"
