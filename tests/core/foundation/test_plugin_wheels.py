"""Third-party plugins as users get them: wheels installed into a fresh virtualenv.

The core and two fixture plugins (tests/fixtures/plugin-packages) are built with their real
build backend and installed; ``runner list-plugins`` must see the working one with its version
and what it provides, list the broken one as failed, and ``--strict-plugins`` must turn that
into a one-paragraph error.
"""

from __future__ import annotations

import json

import pytest
from foundation_helpers import WheelVenv

pytestmark = pytest.mark.slow  # builds four wheels (about 5 s on 2 cores)


def plugins_by_name(venv: WheelVenv, *args: str, **env: str) -> dict[str, dict]:
    out = venv.runner("list-plugins", "--json", *args, **env)
    assert out.returncode == 0, out.stderr
    return {row["name"]: row for row in json.loads(out.stdout)}


def test_wheels_were_built_from_the_sources(wheel_venv: WheelVenv) -> None:
    names = sorted(w.name for w in wheel_venv.wheels.values())
    assert names[0].startswith("runner_core-") and any(
        n.startswith("runner_fixture_hello-1.2.3") for n in names
    )


def test_installed_plugin_is_listed_with_version_and_what_it_provides(
    wheel_venv: WheelVenv,
) -> None:
    rows = plugins_by_name(wheel_venv)
    hello = rows["hello"]
    assert hello["distribution"] == "runner-fixture-hello" and hello["version"] == "1.2.3"
    assert hello["module"] == "runner_fixture_hello.plugin" and hello["status"] == "ok"
    assert hello["provides"] == {
        "domains": ["hello"],
        "agents": ["hello_agent"],
        "users": ["hello_user"],
        "commands": ["hello"],
    }
    assert hello["hooks"] == [
        "register_agents",
        "register_commands",
        "register_domains",
        "register_users",
    ]
    # the workspace's own plugins are not installed here: only what the wheels brought
    assert set(rows) == {"hello", "broken", "example"}


def test_broken_plugin_is_listed_as_failed_and_the_others_still_work(wheel_venv: WheelVenv) -> None:
    out = wheel_venv.runner("list-plugins", "--json")
    rows = {row["name"]: row for row in json.loads(out.stdout)}
    broken = rows["broken"]
    assert broken["status"] == "failed" and broken["distribution"] == "runner-fixture-broken"
    assert broken["version"] == "0.0.1"
    assert (
        broken["error"] == "import failed: RuntimeError: fixture plugin fails at import on purpose"
    )
    assert out.stderr.strip() == (
        "warning: plugin runner-fixture-broken failed to load: import failed: "
        "RuntimeError: fixture plugin fails at import on purpose"
    )
    hello_cmd = wheel_venv.runner("hello")
    assert hello_cmd.returncode == 0 and hello_cmd.stdout == "hello from runner-fixture-hello\n"


@pytest.mark.parametrize("how", ["flag", "env"])
def test_strict_plugins_makes_the_failure_an_error(wheel_venv: WheelVenv, how: str) -> None:
    if how == "flag":
        out = wheel_venv.runner("--strict-plugins", "list-plugins", "--json")
    else:
        out = wheel_venv.runner("list-plugins", "--json", RUNNER_STRICT_PLUGINS="1")
    assert out.returncode == 1 and out.stdout == ""
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: Plugins failed to load")
    assert (
        "runner-fixture-broken (runner_fixture_broken.plugin): import failed: RuntimeError"
        in lines[0]
    )


def test_blocking_and_allow_list_with_installed_distributions(wheel_venv: WheelVenv) -> None:
    rows = plugins_by_name(wheel_venv, RUNNER_DISABLE_PLUGINS="runner-fixture-broken")
    assert set(rows) == {"hello", "example"}
    out = wheel_venv.runner("-p", "no:broken", "--strict-plugins", "list-plugins", "--json")
    assert out.returncode == 0 and out.stderr == ""
    assert set(plugins_by_name(wheel_venv, RUNNER_LOAD_PLUGINS="runner-fixture-hello")) == {"hello"}
    assert plugins_by_name(wheel_venv, RUNNER_LOAD_PLUGINS="") == {}
