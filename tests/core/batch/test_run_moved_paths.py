"""``runner.batch``, ``runner.build``, ``runner.executor``, ``runner.simulation`` and
``runner.progress`` moved into :mod:`runner.run`; the old paths work for one release."""

from __future__ import annotations

import importlib
import warnings

import pytest


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("batch", "run_tasks"),
        ("build", "run_gateway"),
        ("executor", "run_unit"),
        ("simulation", "run_simulation"),
        ("progress", "make_progress"),
    ],
)
def test_an_old_path_warns_and_gives_the_same_object(module: str, name: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = getattr(importlib.import_module(f"runner.{module}"), name)
    assert value is getattr(importlib.import_module(f"runner.run.{module}"), name)
    assert [w.category for w in caught] == [DeprecationWarning]
    assert f"runner.{module} moved to runner.run.{module}" in str(caught[0].message)


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        importlib.import_module("runner.batch").nothing_here  # noqa: B018
