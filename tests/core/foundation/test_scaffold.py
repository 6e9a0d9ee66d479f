"""``runner new-plugin``: what it writes, in this process (the slow test_new_plugin.py installs
each kind into a fresh virtualenv and runs its tests)."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from runner.cli import cli
from runner.errors import ConfigError
from runner.scaffold import KINDS, PluginNames, write_plugin

LEFTOVER = re.compile(r"__[A-Z_]+__")

EXPECTED = {
    "domain": {
        "src/runner_shop/domain.py",
        "src/runner_shop/tools.py",
        "src/runner_shop/data/db.json",
        "src/runner_shop/data/tasks.json",
        "src/runner_shop/data/split_tasks.json",
        "src/runner_shop/data/policy.md",
        "tests/test_runner_shop.py",
    },
    "agent": {"src/runner_shop/agent.py", "tests/conftest.py", "tests/test_runner_shop.py"},
    "user": {"src/runner_shop/user.py", "tests/conftest.py", "tests/test_runner_shop.py"},
    "voice": {"src/runner_shop/voice.py", "tests/test_runner_shop.py"},
}
COMMON = {
    ".gitignore",
    "README.md",
    "pyproject.toml",
    "src/runner_shop/__init__.py",
    "src/runner_shop/plugin.py",
    "src/runner_shop/py.typed",
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_a_complete_package(tmp_path: Path, kind: str) -> None:
    scaffold = write_plugin("shop", kind, tmp_path / "pkg")
    written = {p.as_posix() for p in scaffold.files}
    assert written == COMMON | EXPECTED[kind]
    on_disk = {p.relative_to(scaffold.root).as_posix() for p in scaffold.root.rglob("*")}
    assert written <= on_disk
    for relative in written:
        text = (scaffold.root / relative).read_text(encoding="utf-8")
        assert not LEFTOVER.search(text.replace("__future__", "").replace("__file__", "")), relative
        if relative.endswith(".py"):
            compile(text, relative, "exec")
        elif relative.endswith(".json"):
            json.loads(text)
    project = tomllib.loads((scaffold.root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "runner-shop"
    assert project["project"]["entry-points"]["runner"] == {"shop": "runner_shop.plugin"}
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/runner_shop"]
    plugin = (scaffold.root / "src/runner_shop/plugin.py").read_text(encoding="utf-8")
    assert f"def register_{KINDS[kind]}(" in plugin


def test_names_derive_from_one_argument() -> None:
    names = PluginNames.of("runner-My-Shop")
    assert (names.name, names.dist, names.package, names.class_prefix, names.env_prefix) == (
        "my_shop",
        "runner-my-shop",
        "runner_my_shop",
        "MyShop",
        "RUNNER_MY_SHOP",
    )
    assert PluginNames.of("my_shop") == names


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("2shop", "not a plugin name"),
        ("my--shop", "not a plugin name"),
        ("shop!", "not a plugin name"),
        ("runner", "names runner itself"),
        ("class", "Python keyword"),
        ("a" * 33, "33 characters long"),
    ],
)
def test_bad_names_are_refused(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        write_plugin(name, "domain", tmp_path / "pkg")
    assert not (tmp_path / "pkg").exists()


def test_descriptions_are_quoted_for_python_and_toml(tmp_path: Path) -> None:
    text = 'Says "hi" \\ and it\'s __NAME__ ' + "very long " * 12
    scaffold = write_plugin("shop", "agent", tmp_path / "pkg", description=text)
    init = (scaffold.root / "src/runner_shop/__init__.py").read_text(encoding="utf-8")
    literal = init.split("DESCRIPTION = ", 1)[1]
    assert ast.literal_eval(literal) == " ".join(text.split())
    assert max(map(len, init.splitlines())) <= 100
    project = tomllib.loads((scaffold.root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["description"] == " ".join(text.split())


def test_a_folder_with_files_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mine.txt").write_text("keep", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["new-plugin", "shop", "--kind", "domain", "--dir", str(tmp_path / "pkg")]
    )
    assert result.exit_code == 1 and "never overwrites" in result.output
    assert [p.name for p in (tmp_path / "pkg").iterdir()] == ["mine.txt"]
    assert "Traceback" not in result.output


def test_the_command_lists_files_and_next_steps(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["new-plugin", "shop", "--kind", "domain", "--dir", str(tmp_path / "pkg")]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote runner-shop (domain 'shop')" in result.output
    assert "  src/runner_shop/tools.py\n" in result.output
    assert "runner check-plugin shop" in result.output
    assert (tmp_path / "pkg" / "src" / "runner_shop" / "data" / "tasks.json").is_file()


def test_a_taken_name_is_a_warning(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["new-plugin", "replay", "--kind", "agent", "--dir", str(tmp_path / "pkg")]
    )
    assert result.exit_code == 0
    assert "already registers the agent 'replay'" in result.output
    assert "runner-replay:replay" in result.output


def test_the_generated_domain_passes_conformance_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generated domain module, loaded with ``-p`` (not installed), passes every check."""
    from runner.conformance import check_domain
    from runner.plugins import PluginOptions, load_plugins

    scaffold = write_plugin("scaffolded_desk", "domain", tmp_path / "pkg")
    monkeypatch.syspath_prepend(str(scaffold.root / "src"))
    try:
        plugins = load_plugins(
            PluginOptions(modules=("runner_scaffolded_desk.plugin",), only=(), strict=True)
        )
        domain = plugins.registry("domains").get("scaffolded_desk").obj
        assert [t.id for t in domain.tasks()] == ["cancel_o1", "where_is_o2", "keep_shipped_o2"]
        report = check_domain(domain, name="scaffolded_desk", checks=["tasks", "oracle"])
        assert report.ok, report.describe_failures()
    finally:
        for module in [m for m in sys.modules if m.startswith("runner_scaffolded_desk")]:
            del sys.modules[module]
