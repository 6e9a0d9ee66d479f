"""``runner list-plugins`` in a subprocess: JSON on stdout alone, warnings on stderr, sorting,
filters, strict mode, and the plugin options of the ``runner`` group."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from foundation_helpers import clean_env

GOOD = """
from runner import hookimpl

@hookimpl
def register_agents(register):
    register("zz_local_agent", lambda ctx: None, "a local agent")
"""


COMMAND = '''
import click
from runner import hookimpl

@hookimpl
def register_commands(cli):
    @cli.command("zz-greet")
    def greet():
        """Greet from a plugin."""
        click.echo("greetings")
'''


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli_plugins")
    (folder / "aa_local_plugin.py").write_text(GOOD)
    (folder / "broken_local_plugin.py").write_text("raise RuntimeError('broken on purpose')\n")
    (folder / "cmd_local_plugin.py").write_text(COMMAND)
    return folder


def runner(modules: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from runner.cli import main; sys.argv[0] = 'runner'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(PYTHONPATH=str(modules), **env),
    )


def test_json_goes_to_stdout_alone(modules: Path) -> None:
    out = runner(
        modules, "-p", "aa_local_plugin", "-p", "broken_local_plugin", "list-plugins", "--json"
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)  # nothing else on stdout
    by_name = {r["name"]: r for r in rows}
    local = by_name["aa_local_plugin"]
    assert local["status"] == "ok" and local["provides"] == {"agents": ["zz_local_agent"]}
    assert local["hooks"] == ["register_agents"] and local["module"] == "aa_local_plugin"
    for key in (
        "name",
        "distribution",
        "version",
        "module",
        "hooks",
        "provides",
        "status",
        "error",
    ):
        assert all(key in r for r in rows)
    broken = by_name["broken_local_plugin"]
    assert broken["status"] == "failed"
    assert broken["error"] == "import failed: RuntimeError: broken on purpose"
    assert "warning: plugin broken_local_plugin failed to load: import failed" in out.stderr
    assert "builtins" not in by_name
    names = [r["name"] for r in rows]
    assert names == sorted(names, key=str.lower)


def test_all_lists_the_builtins_first(modules: Path) -> None:
    out = runner(modules, "list-plugins", "--json", "--all", RUNNER_LOAD_PLUGINS="")
    rows = json.loads(out.stdout)
    assert [r["name"] for r in rows] == ["builtins"]
    assert rows[0]["builtin"] and rows[0]["distribution"] == "runner-core"
    out = runner(modules, "-p", "aa_local_plugin", "list-plugins", "--json", "--all")
    names = [r["name"] for r in json.loads(out.stdout)]
    assert names[0] == "builtins" and names[1:] == sorted(names[1:], key=str.lower)


def test_hook_filter_and_unknown_hook(modules: Path) -> None:
    out = runner(
        modules,
        "-p",
        "aa_local_plugin",
        "list-plugins",
        "--json",
        "--hook",
        "register_agents",
        RUNNER_LOAD_PLUGINS="",
    )
    assert [r["name"] for r in json.loads(out.stdout)] == ["aa_local_plugin"]
    out = runner(modules, "list-plugins", "--hook", "register_agent")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.startswith(
        "Error: Unknown hook 'register_agent'. Did you mean 'register_agents'?"
    )


def test_table_output(modules: Path) -> None:
    out = runner(
        modules,
        "-p",
        "aa_local_plugin",
        "-p",
        "broken_local_plugin",
        "list-plugins",
        RUNNER_LOAD_PLUGINS="",
    )
    assert out.returncode == 0
    assert "aa_local_plugin" in out.stdout and "zz_local_agent" in out.stdout
    assert "failed: import failed: RuntimeError: broken on purpose" in out.stdout
    assert out.stdout.index("aa_local_plugin") < out.stdout.index("broken_local_plugin")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_strict_plugins_is_a_one_paragraph_error(modules: Path, how: str) -> None:
    args = ["--strict-plugins"] if how == "flag" else []
    env = {"RUNNER_STRICT_PLUGINS": "1"} if how == "env" else {}
    out = runner(modules, *args, "-p", "broken_local_plugin", "list-plugins", "--json", **env)
    assert out.returncode == 1 and out.stdout == ""
    assert "Traceback" not in out.stderr
    error = [line for line in out.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1
    assert (
        "broken_local_plugin (broken_local_plugin): import failed: RuntimeError: broken on purpose"
        in error[0]
    )


def test_environment_variables_load_and_block(modules: Path) -> None:
    out = runner(
        modules,
        "list-plugins",
        "--json",
        RUNNER_PLUGINS="aa_local_plugin,broken_local_plugin",
        RUNNER_DISABLE_PLUGINS="broken_local_plugin",
        RUNNER_LOAD_PLUGINS="",
    )
    assert [r["name"] for r in json.loads(out.stdout)] == ["aa_local_plugin"]
    assert out.stderr == ""
    out = runner(
        modules,
        "-p",
        "aa_local_plugin",
        "-p",
        "no:aa_local_plugin",
        "list-plugins",
        "--json",
        RUNNER_LOAD_PLUGINS="",
    )
    assert json.loads(out.stdout) == []


def test_unknown_command_suggests_the_closest(modules: Path) -> None:
    out = runner(modules, "list-plugin", RUNNER_LOAD_PLUGINS="")
    assert out.returncode == 2
    assert "No such command 'list-plugin'. Did you mean 'list-plugins'?" in out.stderr


def test_dash_p_before_help_shows_the_plugin_command(modules: Path) -> None:
    out = runner(modules, "-p", "cmd_local_plugin", "--help", RUNNER_LOAD_PLUGINS="")
    assert out.returncode == 0
    assert re.search(r"^  zz-greet +Greet from a plugin\.$", out.stdout, re.MULTILINE)
    assert "list-plugins" in out.stdout
    ran = runner(modules, "-p", "cmd_local_plugin", "zz-greet", RUNNER_LOAD_PLUGINS="")
    assert ran.returncode == 0 and ran.stdout == "greetings\n"
    listed = runner(
        modules, "-p", "cmd_local_plugin", "list-plugins", "--json", RUNNER_LOAD_PLUGINS=""
    )
    assert json.loads(listed.stdout)[0]["provides"] == {"commands": ["zz-greet"]}


def test_strict_before_help_fails(modules: Path) -> None:
    out = runner(modules, "--strict-plugins", "-p", "broken_local_plugin", "--help")
    assert (
        out.returncode == 1 and out.stdout == "" and out.stderr.startswith("Error: Plugins failed")
    )
