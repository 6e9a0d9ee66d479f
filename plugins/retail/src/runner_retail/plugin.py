"""Entry point of runner-retail: registers the ``retail`` domain (importing none of its models)."""

from __future__ import annotations

from collections.abc import Callable

from runner import hookimpl


@hookimpl
def register_domains(register: Callable[..., None]) -> None:
    from runner_retail.domain import RetailDomain

    register(RetailDomain())
