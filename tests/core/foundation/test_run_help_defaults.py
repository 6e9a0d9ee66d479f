"""``runner run --help`` shows RunConfig's defaults (and the LLM gateway's), never hand-copied."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from runner.cli.run_cmd import GATEWAY_SETTING, ConfigDefault, run, shown_default
from runner.llm import LLMGateway
from runner.models.config import RunConfig


def help_text() -> str:
    result = CliRunner().invoke(run, ["--help"], terminal_width=1000)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_config_default_option_shows_the_config_default() -> None:
    options = [p for p in run.params if isinstance(p, ConfigDefault)]
    assert len(options) >= 15
    ctx = click.Context(run)
    for option in options:
        # click's default is unset: only what the command line gives reaches the config
        assert not isinstance(option.default, int | float | str | bool)
        record = option.get_help_record(ctx)
        assert record is not None
        assert f"[default: {shown_default(option.name or '')}]" in record[1], option.name
    assert "{default}" not in help_text()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("num_trials", RunConfig.model_fields["num_trials"].default),
        ("max_concurrency", RunConfig.model_fields["max_concurrency"].default),
        ("agent", RunConfig.model_fields["agent"].default),
        ("output_dir", RunConfig.model_fields["output_dir"].default),
    ],
)
def test_config_fields(name: str, expected: object) -> None:
    assert shown_default(name) == str(expected)


def test_llm_options_show_the_gateways_defaults() -> None:
    gateway = LLMGateway()
    for name, setting in GATEWAY_SETTING.items():
        assert RunConfig.model_fields[name].default is None
        value = getattr(gateway, setting)
        assert shown_default(name) == (f"{value:g}" if isinstance(value, float) else str(value))


def test_timeout_none_floats_and_flags() -> None:
    assert shown_default("timeout") == "none"
    assert shown_default("retry_backoff") == f"{RunConfig.model_fields['retry_backoff'].default:g}"
    assert shown_default("resume") == "resume"
