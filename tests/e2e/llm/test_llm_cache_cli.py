"""`runner run --llm-cache-dir`: record a run once, replay it for free (zero HTTP calls)."""

from __future__ import annotations

import pytest
from llm_e2e_helpers import API_KEY, llm_command, run_cli

pytestmark = pytest.mark.slow

#: Fields that differ between two runs of the same conversations by nature.
VOLATILE = {"id", "start_time", "end_time", "duration", "timestamp"}


def _stable(value):
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def test_a_cached_rerun_makes_no_llm_calls_and_gives_the_same_results(
    tmp_path, runner_exe, run_env, llm_server
):
    cache = tmp_path / "llm-cache"
    ids = ("--task-ids", "create_with_description,find_user_id,compliment_after_create")
    first = run_cli(
        llm_command(
            runner_exe, llm_server.url, tmp_path, "first", *ids, "--llm-cache-dir", str(cache)
        ),
        run_env,
        tmp_path,
        "first",
    )
    assert first.returncode == 0, first.stderr
    recorded = llm_server.stats.count
    assert recorded > 0 and any(cache.rglob("*"))

    second = run_cli(
        llm_command(
            runner_exe, llm_server.url, tmp_path, "second", *ids, "--llm-cache-dir", str(cache)
        ),
        run_env,
        tmp_path,
        "second",
    )
    assert second.returncode == 0, second.stderr
    assert llm_server.stats.count == recorded  # every call came from the cache
    key = lambda r: (r["task_id"], r["trial"])  # noqa: E731
    a = [_stable(r) for r in sorted(first.results(), key=key)]
    b = [_stable(r) for r in sorted(second.results(), key=key)]
    assert a == b
    assert [r["reward_info"]["reward"] for r in a] == [1.0, 1.0, 1.0]
    for path in cache.rglob("*"):
        if path.is_file():
            assert API_KEY not in path.read_text(errors="replace")
