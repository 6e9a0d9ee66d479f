"""Entry point of runner-telecom: registers the ``telecom`` and ``telecom-workflow`` domains.

Registering imports only the domain classes; their models and tools are named as
``"module:attr"`` strings and imported when an environment is first built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner import hookimpl


@hookimpl
def register_domains(register: Callable[..., Any]) -> None:
    from runner_telecom.domain import TelecomDomain, TelecomWorkflowDomain

    register(TelecomDomain())
    register(TelecomWorkflowDomain())
