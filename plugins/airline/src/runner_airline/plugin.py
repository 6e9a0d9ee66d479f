"""Entry point of runner-airline: registers the ``airline`` domain.

Loading this module imports only the domain class; the models and tools are imported when an
environment is first built.
"""

from __future__ import annotations

from collections.abc import Callable

from runner import hookimpl


@hookimpl
def register_domains(register: Callable[..., None]) -> None:
    from runner_airline.domain import AirlineDomain

    register(AirlineDomain())
