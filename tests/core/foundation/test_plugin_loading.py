"""Plugin loading rules: entry points, -p, blocking, allow-list, strict mode, and every way a
plugin can fail without stopping the others."""

from __future__ import annotations

from collections.abc import Callable

import click
import pytest
from foundation_helpers import entry_point
from runner import PluginError, PluginOptions, Plugins, UnknownNameError

DOMAIN_PLUGIN = """
from runner import hookimpl
from runner.environment.domain import Domain

class {cls}(Domain):
    name = "{domain}"
    description = "a test domain"

@hookimpl
def register_domains(register):
    register({cls}())
"""

AGENT_PLUGIN = """
from runner import hookimpl

def make(ctx):
    return "agent built"

@hookimpl
def register_agents(register):
    register("{agent}", make, "an agent")
"""

ModuleMaker = Callable[[str, str], str]


def load(*eps: object, **options: object) -> Plugins:
    return Plugins(PluginOptions(**options), entry_points=list(eps)).load()  # type: ignore[arg-type]


def by_name(plugins: Plugins, name: str):  # noqa: ANN201
    info = plugins.info(name)
    assert info is not None, f"{name} not loaded: {[i.name for i in plugins.infos]}"
    return info


def test_entry_point_plugin_registers_and_is_attributed(plugin_module: ModuleMaker) -> None:
    mod = plugin_module("shop_plugin", DOMAIN_PLUGIN.format(cls="Shop", domain="shop"))
    plugins = load(entry_point("shop", mod, "acme-shop", "2.0.1"))
    info = by_name(plugins, "shop")
    assert (info.distribution, info.version, info.module, info.status) == (
        "acme-shop",
        "2.0.1",
        mod,
        "ok",
    )
    assert info.hooks == ["register_domains"] and info.provides == {"domains": ["shop"]}
    reg = plugins.registry("domains").get("shop")
    assert reg.distribution == "acme-shop" and reg.description == "a test domain"
    builtins = plugins.infos[0]
    assert builtins.builtin and builtins.distribution == "runner-core" and builtins.status == "ok"


def test_import_failure_is_reported_and_others_still_load(plugin_module: ModuleMaker) -> None:
    good = plugin_module("good_plugin", AGENT_PLUGIN.format(agent="good"))
    bad = plugin_module("bad_plugin", "raise RuntimeError('boom at import\\nsecond line')")
    plugins = load(entry_point("bad", bad, "acme-bad"), entry_point("good", good, "acme-good"))
    failed = by_name(plugins, "bad")
    assert failed.status == "failed"
    assert failed.error == "import failed: RuntimeError: boom at import second line"
    assert [i.name for i in plugins.failed] == ["bad"]
    assert by_name(plugins, "good").status == "ok"
    assert plugins.registry("agents").get("good").obj(None) == "agent built"


def test_missing_dependency_and_syntax_error_are_import_failures(
    plugin_module: ModuleMaker,
) -> None:
    missing = plugin_module("needs_missing", "import not_installed_anywhere_xyz")
    syntax = plugin_module("syntax_plugin", "def broken(:\n    pass")
    plugins = load(entry_point("m", missing), entry_point("s", syntax))
    assert (
        "ModuleNotFoundError: No module named 'not_installed_anywhere_xyz'"
        in by_name(plugins, "m").error
    )
    assert by_name(plugins, "s").error.startswith("import failed: SyntaxError")


def test_unknown_hook_is_reported_with_a_suggestion(plugin_module: ModuleMaker) -> None:
    mod = plugin_module(
        "typo_plugin",
        """
from runner import hookimpl

@hookimpl
def register_domain(register):
    raise AssertionError("must not be called")
""",
    )
    plugins = load(entry_point("typo", mod, "acme-typo"))
    info = by_name(plugins, "typo")
    assert info.status == "failed"
    assert (
        info.error == "implements unknown hook(s) register_domain. Did you mean 'register_domains'?"
    )
    assert plugins.registry("domains").failed_plugins == [("acme-typo", info.error)]


def test_wrong_hook_arguments_are_reported(plugin_module: ModuleMaker) -> None:
    mod = plugin_module(
        "args_plugin",
        """
from runner import hookimpl

@hookimpl
def register_agents(register, extra):
    pass
""",
    )
    info = by_name(load(entry_point("args", mod)), "args")
    assert info.status == "failed" and info.error.startswith("invalid hook implementation:")
    assert "extra" in info.error


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "register(Thing)",
            "register_domains raised: TypeError: register() got the class Thing; "
            "pass an instance: register(Thing())",
        ),
        (
            "register('thing', Thing())",
            "register_domains raised: TypeError: register() for domains takes one Domain instance",
        ),
        ("raise ValueError('no data')", "register_domains raised: ValueError: no data"),
        (
            "register(Thing()); register(Thing())",
            "domain 'thing' is registered twice by this plugin",
        ),
    ],
)
def test_bad_registrations_fail_the_plugin_and_keep_nothing(
    plugin_module: ModuleMaker, body: str, expected: str
) -> None:
    mod = plugin_module(
        "reg_plugin",
        f"""
from runner import hookimpl
from runner.environment.domain import Domain

class Thing(Domain):
    name = "thing"

@hookimpl
def register_agents(register):
    register("kept_only_if_all_ok", lambda ctx: None)

@hookimpl
def register_domains(register):
    {body}
""",
    )
    plugins = load(entry_point("reg", mod))
    info = by_name(plugins, "reg")
    assert info.status == "failed" and expected in info.error
    assert len(plugins.registry("domains")) == 0
    assert "kept_only_if_all_ok" not in plugins.registry("agents").names()


def test_agent_registration_needs_name_and_callable(plugin_module: ModuleMaker) -> None:
    mod = plugin_module(
        "agent_bad",
        """
from runner import hookimpl

@hookimpl
def register_agents(register):
    register("a:b", lambda ctx: None)
""",
    )
    assert "reserved for DIST:NAME" in by_name(load(entry_point("ab", mod)), "ab").error
    mod2 = plugin_module(
        "agent_bad2",
        """
from runner import hookimpl

@hookimpl
def register_agents(register):
    register("x", "not callable")
""",
    )
    assert (
        "must be registered with a factory or class"
        in by_name(load(entry_point("ab2", mod2)), "ab2").error
    )


def test_duplicate_names_are_flagged_and_resolved_with_dist_name(
    plugin_module: ModuleMaker,
) -> None:
    one = plugin_module("shop_one", DOMAIN_PLUGIN.format(cls="ShopOne", domain="shop"))
    two = plugin_module("shop_two", DOMAIN_PLUGIN.format(cls="ShopTwo", domain="shop"))
    plugins = load(entry_point("one", one, "dist-one"), entry_point("two", two, "dist-two"))
    assert by_name(plugins, "one").status == by_name(plugins, "two").status == "ok"
    assert by_name(plugins, "one").duplicates == ["domain 'shop' also registered by dist-two:shop"]
    assert by_name(plugins, "two").duplicates == ["domain 'shop' also registered by dist-one:shop"]
    assert any(
        "registered by more than one plugin (dist-one:shop, dist-two:shop)" in w
        for w in plugins.warnings
    )
    domains = plugins.registry("domains")
    assert type(domains.get("dist-two:shop").obj).__name__ == "ShopTwo"
    with pytest.raises(Exception, match="dist-one, dist-two"):
        domains.get("shop")


def test_dash_p_loads_an_unpackaged_module_once(plugin_module: ModuleMaker) -> None:
    mod = plugin_module("local_plugin", AGENT_PLUGIN.format(agent="local"))
    plugins = load(modules=(mod,))
    info = by_name(plugins, mod)
    assert info.distribution is None and info.provides == {"agents": ["local"]}
    # naming an installed plugin's module with -p does not load it twice
    twice = load(entry_point("local", mod, "acme-local"), modules=(mod,))
    assert [i.name for i in twice.infos if not i.builtin] == ["local"] and not twice.failed


def test_dash_p_no_and_disable_block_by_name_dist_or_module(plugin_module: ModuleMaker) -> None:
    a = plugin_module("block_a", AGENT_PLUGIN.format(agent="a"))
    b = plugin_module("block_b", AGENT_PLUGIN.format(agent="b"))
    c = plugin_module("block_c", AGENT_PLUGIN.format(agent="c"))
    eps = [
        entry_point("a", a, "dist-a"),
        entry_point("b", b, "dist-b"),
        entry_point("c", c, "dist-c"),
    ]
    plugins = load(*eps, modules=("no:a",), disabled=("Dist_B", "block_c"))
    assert [i.name for i in plugins.infos if not i.builtin] == []
    assert plugins.warnings == []
    unknown = load(*eps, modules=("no:zzz",))
    assert len([i for i in unknown.infos if not i.builtin]) == 3
    assert unknown.warnings == [
        "-p no:zzz / RUNNER_DISABLE_PLUGINS: no installed plugin is named 'zzz'."
    ]


def test_allow_list_loads_only_named_distributions(plugin_module: ModuleMaker) -> None:
    a = plugin_module("allow_a", AGENT_PLUGIN.format(agent="a"))
    b = plugin_module("allow_b", AGENT_PLUGIN.format(agent="b"))
    local = plugin_module("allow_local", AGENT_PLUGIN.format(agent="local"))
    eps = [entry_point("a", a, "dist-a"), entry_point("b", b, "dist-b")]
    only_b = load(*eps, only=("dist-b",), modules=(local,))
    assert sorted(i.name for i in only_b.infos if not i.builtin) == ["allow_local", "b"]
    nothing = load(*eps, only=())
    assert [i.name for i in nothing.infos] == ["builtins"]


def test_options_from_environment() -> None:
    env = {
        "RUNNER_PLUGINS": "x.mod, y.mod",
        "RUNNER_DISABLE_PLUGINS": "bad",
        "RUNNER_LOAD_PLUGINS": "",
        "RUNNER_STRICT_PLUGINS": "1",
    }
    options = PluginOptions.from_env(modules=("z.mod", "no:worse"), environ=env)
    assert options.modules == ("x.mod", "y.mod", "z.mod", "no:worse")
    assert options.blocked == ("bad", "worse")
    assert options.only == () and options.strict
    assert PluginOptions.from_env(environ={}).only is None
    assert not PluginOptions.from_env(environ={"RUNNER_STRICT_PLUGINS": "0"}).strict
    assert PluginOptions.from_env(strict=True, environ={}).strict


def test_strict_mode_turns_a_failure_into_one_paragraph_error(plugin_module: ModuleMaker) -> None:
    good = plugin_module("strict_good", AGENT_PLUGIN.format(agent="good"))
    bad = plugin_module("strict_bad", "raise ImportError('needs libfoo')")
    with pytest.raises(PluginError) as info:
        load(entry_point("good", good), entry_point("bad", bad, "acme-bad"), strict=True)
    message = str(info.value)
    assert "\n" not in message
    assert "acme-bad (strict_bad): import failed: ImportError: needs libfoo" in message
    assert "--strict-plugins" in message and "-p no:NAME" in message
    load(entry_point("good", good), strict=True)  # nothing failed: no error


def test_missing_name_mentions_the_failed_plugin_at_build_level(plugin_module: ModuleMaker) -> None:
    shop = plugin_module("shop_ok", DOMAIN_PLUGIN.format(cls="Shop", domain="retail"))
    broken = plugin_module("telecom_broken", "import numpy_is_not_here")
    plugins = load(
        entry_point("retail", shop, "runner-retail"),
        entry_point("telecom", broken, "runner-telecom"),
    )
    from runner import RunConfig
    from runner.run import build

    with pytest.raises(UnknownNameError) as info:
        build.get_domain(RunConfig(domain="retial"), plugins)
    assert "Unknown domain 'retial'. Did you mean 'retail'?" in str(info.value)
    with pytest.raises(UnknownNameError) as info:
        build.get_domain(RunConfig(domain="telecom"), plugins)
    assert (
        "failed to load and may have provided it: runner-telecom (import failed: "
        "ModuleNotFoundError: No module named 'numpy_is_not_here')"
    ) in str(info.value)


def test_plugin_commands_are_added_and_collisions_flagged(plugin_module: ModuleMaker) -> None:
    source = '''
import click
from runner import hookimpl

@hookimpl
def register_commands(cli):
    @cli.command("{name}")
    def cmd():
        """A plugin command."""
        click.echo("{name} ran")
'''
    one = plugin_module("cmd_one", source.format(name="hello"))
    two = plugin_module("cmd_two", source.format(name="hello"))
    three = plugin_module("cmd_three", source.format(name="run"))
    plugins = load(
        entry_point("one", one, "d1"),
        entry_point("two", two, "d2"),
        entry_point("three", three, "d3"),
    )
    group = click.Group("runner")
    plugins.add_commands(group, reserved={"run"})
    assert list(group.commands) == ["hello"]
    assert by_name(plugins, "one").provides == {"commands": ["hello"]}
    assert by_name(plugins, "two").provides == {"commands": []}
    assert by_name(plugins, "two").duplicates == ["command 'hello' also provided by d1"]
    assert by_name(plugins, "three").duplicates == ["command 'run' also provided by runner-core"]


def test_failing_register_commands_marks_the_plugin(plugin_module: ModuleMaker) -> None:
    mod = plugin_module(
        "cmd_bad",
        """
from runner import hookimpl

@hookimpl
def register_commands(cli):
    raise RuntimeError("no click today")
""",
    )
    plugins = load(entry_point("bad", mod, "dist-bad"))
    plugins.add_commands(click.Group("runner"))
    assert by_name(plugins, "bad").error == "register_commands raised: RuntimeError: no click today"
    strict = load(entry_point("bad", mod, "dist-bad"), strict=True)
    with pytest.raises(PluginError, match="dist-bad"):
        strict.add_commands(click.Group("runner"))


def test_lifecycle_hooks_never_break_a_run(
    plugin_module: ModuleMaker, capsys: pytest.CaptureFixture
) -> None:
    mod = plugin_module(
        "observer",
        """
from runner import hookimpl
SEEN = []

@hookimpl
def runner_run_start(config, tasks):
    SEEN.append(("start", config, len(tasks)))

@hookimpl
def runner_run_end(config, results, metrics):
    raise RuntimeError("observer bug")
""",
    )
    plugins = load(entry_point("obs", mod))
    plugins.notify("runner_run_start", config="cfg", tasks=[1, 2])
    plugins.notify("runner_run_end", config="cfg", results=[], metrics={})
    import observer  # type: ignore[import-not-found]

    assert observer.SEEN == [("start", "cfg", 2)]
    assert "observer bug" in capsys.readouterr().err


def test_every_design_hook_is_specified() -> None:
    plugins = Plugins()
    assert plugins.hook_names == {
        "register_domains",
        "register_agents",
        "register_users",
        "register_orchestrators",
        "register_voice_providers",
        "register_executors",
        "register_commands",
        "runner_run_start",
        "runner_simulation_end",
        "runner_run_end",
    }


def test_core_version_constant_matches_the_installed_metadata() -> None:
    from importlib.metadata import version

    import runner

    assert runner.__version__ == version("runner-core")
    assert Plugins().load().infos[0].version == version("runner-core")


def test_dist_identity_from_the_folder_name_equals_the_metadata() -> None:
    import importlib_metadata
    from runner.plugins import normalize
    from runner.plugins.discovery import dist_identity

    for ep in importlib_metadata.entry_points(group="runner"):
        name, version = dist_identity(ep.dist)
        assert (name, version) == (normalize(ep.dist.name), ep.dist.version)
