"""Entry point of runner-mock: registers the ``mock`` domain (importing none of its models)."""

from __future__ import annotations

from collections.abc import Callable

from runner import hookimpl


@hookimpl
def register_domains(register: Callable[..., None]) -> None:
    from runner_mock.domain import MockDomain

    register(MockDomain())
