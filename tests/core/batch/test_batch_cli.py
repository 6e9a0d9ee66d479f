"""`runner run / tasks / show` in-process: option parsing, errors, resume rules, output."""

from __future__ import annotations

import json
import shlex

import pytest
from click.testing import CliRunner
from runner.cli.app import cli

ENV = {"RUNNER_LOAD_PLUGINS": "runner-mock", "RUNNER_PLUGINS": "", "RUNNER_DISABLE_PLUGINS": ""}


def invoke(*args):
    result = CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)
    return result


def run(tmp_path, *extra):
    return invoke(
        "run",
        "--domain",
        "mock",
        "--output-dir",
        str(tmp_path),
        "--run-name",
        "r",
        "--no-progress",
        *extra,
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--agent-option", "novalue"], "is not KEY=VALUE"),
        (["--agent-llm-args", "{bad"], "is not valid JSON"),
        (["--agent-llm-args", "[1]"], "must be a JSON object"),
        (["--num-trials", "0"], "--num-trials"),
        (["--timeout", "0"], "--timeout"),
    ],
)
def test_bad_values_are_usage_errors(tmp_path, args, message):
    result = run(tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--agent", "replya"], "Unknown agent 'replya'. Did you mean 'replay'?"),
        (["--user", "nobody"], "Unknown user 'nobody'"),
        (["--executor", "rey"], "Unknown executor 'rey'"),
        (["--task-ids", "create_for_new_usr"], "Did you mean 'create_for_new_user'?"),
        (["--domain-option", "colour=red"], "Unknown --domain-option colour"),
        (["--task-split", "nope"], "Unknown task split 'nope'"),
    ],
)
def test_bad_names_fail_before_anything_is_written(tmp_path, args, message):
    result = run(tmp_path, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert result.output.startswith("Error: ")
    assert not (tmp_path / "r").exists()


def test_unknown_domain(tmp_path):
    result = invoke("run", "--domain", "mok", "--output-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "Did you mean 'mock'?" in result.output


def test_json_output_resume_and_refusals(tmp_path):
    first = run(tmp_path, "--num-tasks", "3", "--num-trials", "2", "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert (data["num_units"], data["ran"], data["resumed"], data["complete"]) == (6, 6, 0, True)
    assert data["metrics"]["pass_hat_k"] == {"1": 1.0, "2": 1.0}
    again = run(tmp_path, "--num-tasks", "3", "--num-trials", "2", "--json")
    assert json.loads(again.stdout)["ran"] == 0
    lines = (tmp_path / "r" / "results.jsonl").read_text().splitlines()
    assert len(lines) == 6

    changed = run(tmp_path, "--num-tasks", "3", "--num-trials", "3", "--seed", "5")
    assert changed.exit_code == 1
    assert "num_trials: 2 (stored) -> 3 (now)" in changed.output
    assert "seed: 300 (stored) -> 5 (now)" in changed.output
    assert "--force-resume" in changed.output

    no_resume = run(tmp_path, "--num-tasks", "3", "--num-trials", "2", "--no-resume")
    assert no_resume.exit_code == 1
    assert "already exists" in no_resume.output and "Drop --no-resume" in no_resume.output

    # Execution-only options may change; more trials with --force-resume keeps trials 0 and 1.
    forced = run(
        tmp_path,
        "--num-tasks",
        "3",
        "--num-trials",
        "3",
        "--force-resume",
        "--max-concurrency",
        "2",
        "--json",
    )
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["ran"] == 3


def test_secrets_never_reach_the_run_directory(tmp_path):
    result = run(
        tmp_path,
        "--num-tasks",
        "1",
        "--agent-llm-args",
        '{"api_key": "sk-very-secret"}',
        "--judge-llm-args",
        '{"api_token": "tok-secret"}',
    )
    assert result.exit_code == 0, result.output
    for name in ("run.json", "results.jsonl", "summary.json"):
        text = (tmp_path / "r" / name).read_text()
        assert "sk-very-secret" not in text and "tok-secret" not in text
    assert '"api_key": "***"' in (tmp_path / "r" / "run.json").read_text()


def test_a_key_changed_or_moved_to_the_environment_does_not_block_a_resume(tmp_path):
    first = run(tmp_path, "--num-tasks", "2", "--agent-llm-args", '{"api_key": "sk-1", "seed": 1}')
    assert first.exit_code == 0, first.output
    for args in ('{"seed": 1}', '{"api_key": "sk-2", "seed": 1}'):
        again = run(tmp_path, "--num-tasks", "2", "--agent-llm-args", args, "--json")
        assert again.exit_code == 0, again.output
        assert json.loads(again.stdout)["ran"] == 0  # resumed, nothing left to run
    changed = run(tmp_path, "--num-tasks", "2", "--agent-llm-args", '{"seed": 2}')
    assert changed.exit_code == 1 and "agent_llm_args" in changed.output


def test_a_resume_command_with_a_masked_key_says_how_to_supply_it(tmp_path):
    from runner.cli.run_cmd import resume_command
    from runner.models.config import RunConfig

    base = {"domain": "mock", "output_dir": str(tmp_path), "run_name": "n"}
    keyed = RunConfig(**base, agent_llm_args={"api_key": "sk-very-secret", "temperature": 0})
    command, hint = resume_command(keyed).splitlines()
    assert '"api_key": "***"' in command and "sk-very-secret" not in command + hint
    assert "*** stands for a secret" in hint and "OPENAI_API_KEY" in hint
    plain = resume_command(RunConfig(**base, agent_llm_args={"temperature": 0}))
    assert "\n" not in plain and "***" not in plain


def test_show_on_partial_run_and_tasks(tmp_path):
    assert run(tmp_path, "--num-tasks", "4").exit_code == 0
    path = tmp_path / "r" / "results.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:1]) + lines[1][:30])  # one result and a torn line
    shown = invoke("show", str(tmp_path / "r"), "--json")
    info = json.loads(shown.stdout)
    assert (info["status"], info["done"], info["num_units"]) == ("partial", 1, 4)
    assert info["torn_bytes"] == 30
    text = invoke("show", str(tmp_path / "r"))
    assert "1 of 4 simulations done" in text.output
    assert "Resume with:" in text.output and "--run-name r" in text.output
    missing = invoke("show", str(tmp_path / "nothing"))
    assert missing.exit_code == 1 and "is not a folder" in missing.output

    tasks = json.loads(invoke("tasks", "--domain", "mock", "--json").stdout)
    assert len(tasks) == 15 and tasks[0]["id"] == "create_for_new_user"
    table = invoke("tasks", "--domain", "mock", "--task-split", "train")
    assert table.exit_code == 0 and "splits: base, train, test" in " ".join(table.output.split())


def test_llm_transport_is_a_run_option_with_a_clear_error(tmp_path):
    bad = run(tmp_path, "--llm-transport", "http2")
    assert bad.exit_code == 2 and "'http2' is not one of 'auto', 'litellm', 'direct'" in bad.output


def test_resume_command_rebuilds_the_same_config(tmp_path):
    from runner.cli.run_cmd import build_config, config_to_args
    from runner.cli.run_cmd import run as run_command
    from runner.models.config import RunConfig

    config = RunConfig(
        domain="mock",
        agent_options={"k": 1, "name": "x y"},
        task_ids=["a", "b"],
        agent_llm_args={"temperature": 0.5},
        llm_transport="direct",
        num_trials=3,
        timeout=2.5,
        output_dir=str(tmp_path),
        run_name="n",
        progress=False,
    )
    args = config_to_args(config, ("mod1",))
    assert args[:4] == ["runner", "-p", "mod1", "run"]
    ctx = run_command.make_context("run", shlex.split(shlex.join(args[4:])))
    params = dict(ctx.params)
    params.pop("as_json")
    assert build_config(params) == config


def test_an_unusable_llm_cache_dir_fails_before_anything_is_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run(tmp_path, "--llm-cache-dir", str(blocker / "cache"))
    assert result.exit_code == 1, result.output
    assert "--llm-cache-dir" in result.output and "cannot be created" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r").exists()


def test_llm_options_give_the_run_its_gateway_and_do_not_block_a_resume(tmp_path):
    from runner.llm import get_gateway
    from runner.models.config import RunConfig
    from runner.run.build import run_gateway

    default = get_gateway()
    assert run_gateway(RunConfig(domain="mock")) is default  # nothing set: the default serves
    config = RunConfig(
        domain="mock",
        llm_cache_dir=str(tmp_path / "c"),
        llm_max_retries=2,
        llm_timeout=7,
        llm_transport="direct",
    )
    gateway = run_gateway(config)
    assert (gateway.max_retries, gateway.timeout, gateway.transport) == (2, 7, "direct")
    assert gateway.cache is not None and gateway.cache.directory == tmp_path / "c"
    assert (tmp_path / "c").is_dir()
    assert run_gateway(config.model_copy()) is gateway  # the same settings share one
    assert get_gateway() is default and default.transport == "auto"  # nothing global changed
    assert config.comparable() == RunConfig(domain="mock").comparable()
