"""Registries: bare names, DIST:NAME, ambiguity, did-you-mean, failed providers."""

from __future__ import annotations

import pytest
from runner import AmbiguousNameError, UnknownNameError
from runner.plugins.registry import Registration, Registry


def reg(name: str, dist: str | None = "runner-retail", plugin: str = "retail") -> Registration:
    return Registration("domains", name, object(), f"the {name} domain", plugin, dist)


@pytest.fixture
def registry() -> Registry:
    r = Registry("domains", "domain")
    r.add(reg("retail"))
    r.add(reg("airline", "runner-airline", "airline"))
    r.add(reg("mock", "runner-mock", "mock"))
    return r


def test_bare_name_resolves(registry: Registry) -> None:
    assert registry.get("retail").distribution == "runner-retail"
    assert "airline" in registry and "nope" not in registry
    assert registry.names() == ["airline", "mock", "retail"] and len(registry) == 3
    assert [r.name for r in registry] == ["airline", "mock", "retail"]


def test_unknown_name_suggests_close_names_and_lists_known(registry: Registry) -> None:
    with pytest.raises(UnknownNameError) as info:
        registry.get("retial")
    message = str(info.value)
    assert message.startswith("Unknown domain 'retial'. Did you mean 'retail'?")
    assert "Known domains: airline, mock, retail." in message
    assert "runner list-plugins" in message


def test_unknown_name_without_close_match_has_no_suggestion(registry: Registry) -> None:
    with pytest.raises(UnknownNameError) as info:
        registry.get("zzzzzz")
    assert "Did you mean" not in str(info.value)


def test_failed_plugins_are_named_when_a_name_is_missing(registry: Registry) -> None:
    registry.failed_plugins = [
        ("runner-other", "import failed: X"),
        ("runner-telecom", "import failed: ModuleNotFoundError: No module named 'np'"),
    ]
    with pytest.raises(UnknownNameError) as info:
        registry.get("telecom")
    message = str(info.value)
    # the plugin named like the missing name comes first
    assert (
        "These plugins failed to load and may have provided it: runner-telecom (import failed: "
        "ModuleNotFoundError: No module named 'np'); runner-other (import failed: X)."
    ) in message


def test_duplicates_are_kept_and_the_bare_name_is_ambiguous(registry: Registry) -> None:
    registry.add(reg("retail", "acme-retail", "acme"))
    assert set(registry.duplicates()) == {"retail"}
    assert len(registry.registrations("retail")) == 2
    with pytest.raises(AmbiguousNameError) as info:
        registry.get("retail")
    message = str(info.value)
    assert "registered by more than one plugin (runner-retail, acme-retail)" in message
    assert "'runner-retail:retail', 'acme-retail:retail'" in message
    assert "retail" not in registry  # ambiguous is not resolvable


def test_dist_colon_name_picks_one(registry: Registry) -> None:
    registry.add(reg("retail", "acme-retail", "acme"))
    assert registry.get("acme-retail:retail").plugin == "acme"
    assert registry.get("runner-retail:retail").plugin == "retail"
    assert registry.get("acme:retail").distribution == "acme-retail"  # plugin name works too
    assert registry.get("ACME_Retail:retail").plugin == "acme"  # normalised like pip names
    assert registry.get("runner-airline:airline").name == "airline"


def test_dist_colon_name_with_wrong_owner_says_who_has_it(registry: Registry) -> None:
    with pytest.raises(
        UnknownNameError,
        match="No plugin 'acme' registers the domain 'retail'; "
        "it is registered as 'runner-retail:retail'",
    ):
        registry.get("acme:retail")
    with pytest.raises(
        UnknownNameError, match="Unknown domain 'acme:retial'. Did you mean 'retail'"
    ):
        registry.get("acme:retial")


def test_qualified_name_falls_back_to_plugin_name() -> None:
    assert reg("x", dist=None, plugin="my.module").qualified_name == "my.module:x"


def test_did_you_mean_keeps_only_the_closest_suggestions() -> None:
    from runner.errors import did_you_mean

    hooks = ["register_domains", "register_commands", "register_agents", "register_users"]
    assert did_you_mean("register_domain", hooks) == " Did you mean 'register_domains'?"
    assert did_you_mean("mock", ["mock2", "mocks", "zzz"]) in (
        " Did you mean 'mocks' or 'mock2'?",
        " Did you mean 'mock2' or 'mocks'?",
    )
    assert did_you_mean("xyz", hooks) == ""
