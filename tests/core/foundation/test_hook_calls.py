"""Hooks are called through pluggy, so its documented features work for runner's hooks."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable

import pytest
from foundation_helpers import entry_point
from runner import PluginError
from runner.plugins import PluginOptions, Plugins, hookspecs

ModuleMaker = Callable[[str, str], str]

CALLS_SOURCE = """
from runner import hookimpl
CALLS = []
"""


def _load(*modules: str) -> Plugins:
    eps = [entry_point(name, name) for name in modules]
    return Plugins(PluginOptions(), entry_points=eps).load()


def _calls(module: str) -> list:
    import importlib

    return importlib.import_module(module).CALLS


def test_an_implementation_may_take_only_some_arguments(
    plugin_module: ModuleMaker, capsys: pytest.CaptureFixture
) -> None:
    mod = plugin_module(
        "partial_args",
        CALLS_SOURCE
        + """
@hookimpl
def runner_run_end(metrics):
    CALLS.append(metrics)
""",
    )
    plugins = _load(mod)
    plugins.notify("runner_run_end", config="cfg", results=[], metrics={"avg": 1.0})
    assert _calls(mod) == [{"avg": 1.0}]
    assert capsys.readouterr().err == ""


def test_tryfirst_and_trylast_order_the_calls(plugin_module: ModuleMaker) -> None:
    shared = plugin_module("order_log", "CALLS = []\n")
    first = plugin_module(
        "order_first",
        f"""
from runner import hookimpl
from {shared} import CALLS

@hookimpl(tryfirst=True)
def runner_run_start(config):
    CALLS.append("first")
""",
    )
    plain = plugin_module(
        "order_plain",
        f"""
from runner import hookimpl
from {shared} import CALLS

@hookimpl
def runner_run_start(config):
    CALLS.append("plain")
""",
    )
    last = plugin_module(
        "order_last",
        f"""
from runner import hookimpl
from {shared} import CALLS

@hookimpl(trylast=True)
def runner_run_start(config):
    CALLS.append("last")
""",
    )
    # loaded in the "wrong" order: the markers decide
    plugins = _load(last, plain, first)
    plugins.notify("runner_run_start", config="c", tasks=[])
    assert _calls(shared) == ["first", "plain", "last"]


def test_a_hook_wrapper_surrounds_the_other_implementations(plugin_module: ModuleMaker) -> None:
    shared = plugin_module("wrap_log", "CALLS = []\n")
    wrapper = plugin_module(
        "wrap_outer",
        f"""
from runner import hookimpl
from {shared} import CALLS

@hookimpl(wrapper=True)
def runner_simulation_end(result):
    CALLS.append("before")
    outcome = yield
    CALLS.append("after")
    return outcome
""",
    )
    inner = plugin_module(
        "wrap_inner",
        f"""
from runner import hookimpl
from {shared} import CALLS

@hookimpl
def runner_simulation_end(result):
    CALLS.append(("inner", result))
""",
    )
    plugins = _load(wrapper, inner)
    plugins.notify("runner_simulation_end", config="c", result="r1")
    assert _calls(shared) == ["before", ("inner", "r1"), "after"]


def test_specname_implements_a_hook_under_another_function_name(
    plugin_module: ModuleMaker,
) -> None:
    mod = plugin_module(
        "spec_named",
        CALLS_SOURCE
        + """
@hookimpl(specname="runner_run_start")
def when_the_run_starts(tasks):
    CALLS.append(len(tasks))
""",
    )
    plugins = _load(mod)
    assert plugins.info("spec_named").status == "ok"
    plugins.notify("runner_run_start", config="c", tasks=[1, 2, 3])
    assert _calls(mod) == [3]


def test_a_raising_observer_is_reported_and_the_next_one_still_runs(
    plugin_module: ModuleMaker, capsys: pytest.CaptureFixture
) -> None:
    broken = plugin_module(
        "observer_broken",
        """
from runner import hookimpl

@hookimpl(tryfirst=True)
def runner_run_end(config):
    raise RuntimeError("observer bug")
""",
    )
    fine = plugin_module(
        "observer_fine",
        CALLS_SOURCE
        + """
@hookimpl
def runner_run_end(results):
    CALLS.append(results)
""",
    )
    plugins = _load(broken, fine)
    plugins.notify("runner_run_end", config="c", results=["x"], metrics=None)
    assert _calls(fine) == [["x"]]
    err = capsys.readouterr().err
    assert "plugin observer_broken hook runner_run_end raised" in err and "observer bug" in err


def test_a_raising_observer_is_a_plugin_error_under_strict_plugins(
    plugin_module: ModuleMaker,
) -> None:
    mod = plugin_module(
        "observer_strict",
        """
from runner import hookimpl

@hookimpl
def runner_simulation_end(result):
    raise RuntimeError("observer bug")
""",
    )
    eps = [entry_point(mod, mod)]
    plugins = Plugins(PluginOptions(strict=True), entry_points=eps).load()
    with pytest.raises(PluginError, match="plugin observer_strict hook runner_simulation_end") as e:
        plugins.notify("runner_simulation_end", config="c", result="r")
    assert isinstance(e.value.__cause__, RuntimeError)


def test_a_plugin_that_failed_to_register_gets_no_lifecycle_calls(
    plugin_module: ModuleMaker,
) -> None:
    mod = plugin_module(
        "half_broken",
        CALLS_SOURCE
        + """
@hookimpl
def register_agents(register):
    raise RuntimeError("cannot register")

@hookimpl
def runner_run_start(config):
    CALLS.append(config)
""",
    )
    plugins = _load(mod)
    assert plugins.info("half_broken").status == "failed"
    plugins.notify("runner_run_start", config="c", tasks=[])
    assert _calls(mod) == []


def test_the_hook_name_table_names_exactly_the_specifications() -> None:
    specified = {
        name
        for name, value in inspect.getmembers(hookspecs)
        if hasattr(value, f"{hookspecs.PROJECT_NAME}_spec")
    }
    assert specified == hookspecs.HOOK_NAMES
    assert set(hookspecs.REGISTRATION_HOOKS.values()) == set(hookspecs.REGISTRY_LABELS)


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("runner.hookspecs", "hookimpl", "runner.plugins.hookspecs"),
        ("runner.hookspecs", "runner_run_end", "runner.plugins.hookspecs"),
        ("runner.plugin_discovery", "JSON_KEYS", "runner.plugins.discovery"),
        ("runner.plugin_options", "PluginOptions", "runner.plugins.options"),
        ("runner.plugin_discovery", "PluginInfo", "runner.plugins.discovery"),
        ("runner.registry", "Registry", "runner.plugins.registry"),
    ],
)
def test_old_module_paths_warn_and_give_the_same_object(old: str, name: str, new: str) -> None:
    import importlib

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = getattr(importlib.import_module(old), name)
    assert value is getattr(importlib.import_module(new), name)
    assert [w.category for w in caught] == [DeprecationWarning]
    assert f"{old}.{name} moved to {new}.{name}" in str(caught[0].message)
