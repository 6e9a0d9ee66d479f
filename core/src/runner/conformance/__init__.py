"""The domain conformance suite (``runner check-plugin``), as a library.

:func:`check_domain` runs every check on a (configured) domain and returns a
:class:`ConformanceReport`; a domain author can call it from a unit test::

    from runner.conformance import check_domain
    report = check_domain(MyDomain())
    assert report.ok, report.describe_failures()

The checks (see ``docs/check-plugin.md``): tasks load and validate; tasks refer to existing
tools and functions; tool schemas are valid OpenAI function schemas; the replay oracle with the
scripted user scores 1.0 on every non-LLM check of every task; ``state_hash()`` is stable (two
fresh environments, two processes, read calls); environments share no state; bad tool arguments
come back as an error ``ToolMessage``. A check never raises: an exception in the domain is a
failed check with the error as evidence.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"


@dataclass
class CheckResult:
    """The outcome of one check: its status, a one-line summary, and the evidence of failures."""

    name: str
    title: str
    status: str
    summary: str
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status,
            "summary": self.summary,
            "failures": self.failures,
            "fix": FIXES.get(self.name) if self.status in (FAIL, WARN) else None,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class ConformanceReport:
    """Every check's result for one domain."""

    domain: str
    options: dict[str, Any]
    checks: list[CheckResult]

    @property
    def ok(self) -> bool:
        """True when no check failed (warnings and skips do not fail the suite)."""
        return all(c.status != FAIL for c in self.checks)

    def check(self, name: str) -> CheckResult:
        return next(c for c in self.checks if c.name == name)

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "options": self.options,
            "ok": self.ok,
            "checks": [c.to_json() for c in self.checks],
        }

    def describe_failures(self) -> str:
        """A readable list of what failed (for assertion messages)."""
        lines = []
        for c in self.checks:
            if c.status == FAIL:
                lines.append(f"{c.name}: {c.summary}")
                lines.extend(f"  - {f}" for f in c.failures[:10])
        return "\n".join(lines) or "all checks passed"


@dataclass
class Subject:
    """The domain under test and how to rebuild it in another process."""

    domain: Any
    #: Registered name (rebuilt in a child process through the plugins), or None.
    name: str | None = None
    #: ``-p`` modules the child process must load to find ``name``.
    plugin_modules: tuple[str, ...] = ()
    split: str | None = None
    _tasks: list[Any] | None = None

    def tasks(self) -> list[Any]:
        """Every task (all splits, or ``split``), each once, in order of first appearance."""
        if self._tasks is None:
            if self.split is not None:
                tasks = list(self.domain.tasks(self.split))
            else:
                tasks = list(self.domain.tasks(None))
                for split in self.domain.splits():
                    tasks.extend(self.domain.tasks(split))
            seen: dict[str, Any] = {}
            for task in tasks:
                seen.setdefault(task.id, task)
            self._tasks = list(seen.values())
        return self._tasks


#: name -> (title, module:function). Functions take a Subject and return
#: (status, summary, failures).
CHECKS: dict[str, tuple[str, str]] = {
    "tasks": ("Every task loads and validates", "runner.conformance.task_checks:check_tasks"),
    "references": (
        "Tasks refer to existing tools and functions; initial states apply",
        "runner.conformance.task_checks:check_references",
    ),
    "schemas": (
        "Tool schemas (agent and user side) are valid OpenAI function schemas",
        "runner.conformance.schema_checks:check_schemas",
    ),
    "oracle": (
        "The replay oracle + scripted user score 1.0 on every non-LLM check",
        "runner.conformance.oracle_check:check_oracle",
    ),
    "state_hash": (
        "state_hash() is stable: fresh environments, two processes, read calls",
        "runner.conformance.state_checks:check_state_hash",
    ),
    "isolation": ("Environments share no state", "runner.conformance.state_checks:check_isolation"),
    "bad_arguments": (
        "Bad tool arguments give an error ToolMessage, never an exception",
        "runner.conformance.state_checks:check_bad_arguments",
    ),
}

#: What to do when a check does not pass: printed once per check, under its evidence.
FIXES: dict[str, str] = {
    "tasks": "Make every task validate (docs/file-formats.md) and give each a unique id.",
    "references": "Rename the task's actions and functions to the domain's real ones (the "
    "message lists them), or fix the arguments to match the tool's type hints.",
    "schemas": "Give each tool a name of letters, digits, '_' or '-', a type hint on every "
    "parameter and a docstring; pydantic models and Literal/Enum types make precise schemas.",
    "oracle": "For each task: its expected actions must bring the database to the state its "
    "assertions check, and write tools must be marked @tool(write=True); run the task with "
    "--agent replay --user scripted and read the failed checks' evidence.",
    "state_hash": "Hash only the database (no time, randomness or object ids), mark every tool "
    "that changes it @tool(write=True), and keep read tools read only.",
    "isolation": "Give each environment its own copy of the data (Domain.environment() must not "
    "share mutable objects between environments).",
    "bad_arguments": "Let tools raise (ValueError, ...) on bad input: the Environment turns the "
    "exception into an error message the model can read; never return None or exit.",
}


def check_domain(
    domain: Any,
    *,
    name: str | None = None,
    plugin_modules: Sequence[str] = (),
    checks: Sequence[str] | None = None,
    split: str | None = None,
    on_check: Callable[[CheckResult], None] | None = None,
) -> ConformanceReport:
    """Run the conformance checks on ``domain`` (already configured with its options).

    ``name`` (the registered name) and ``plugin_modules`` let the cross-process check rebuild the
    domain through the plugins; without them it is rebuilt from its class. ``checks`` selects
    checks by name (default: all); ``split`` limits the tasks to one split. ``on_check`` is
    called after each check (progress display).
    """
    from runner.environment.domain import resolve
    from runner.errors import ConfigError

    selected = list(checks) if checks else list(CHECKS)
    unknown = [c for c in selected if c not in CHECKS]
    if unknown:
        raise ConfigError(
            f"Unknown check {', '.join(map(repr, unknown))}. Known checks: {', '.join(CHECKS)}."
        )
    subject = Subject(domain=domain, name=name, plugin_modules=tuple(plugin_modules), split=split)
    results = []
    for check_name in selected:
        title, ref = CHECKS[check_name]
        start = time.perf_counter()
        try:
            status, summary, failures = resolve(ref)(subject)
        except Exception as exc:  # the domain failed where the check needed it: that is the result
            status, summary, failures = FAIL, describe(exc), []
        result = CheckResult(
            check_name, title, status, summary, failures, time.perf_counter() - start
        )
        results.append(result)
        if on_check is not None:
            on_check(result)
    return ConformanceReport(
        domain=getattr(domain, "name", "?"),
        options=dict(getattr(domain, "options", {}) or {}),
        checks=results,
    )


def describe(exc: BaseException) -> str:
    """An exception as one line (a RunnerError's message is already written for people)."""
    from runner.errors import RunnerError

    text = str(exc) if isinstance(exc, RunnerError) else f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= 600 else text[:597] + "..."


__all__ = [
    "CHECKS",
    "CheckResult",
    "ConformanceReport",
    "check_domain",
    "failed_checks",
    "simulate_oracle",
]


def __getattr__(name: str) -> Any:
    # the oracle helpers live in a submodule that imports this one: resolve them on first use
    if name in ("simulate_oracle", "failed_checks"):
        from runner.conformance import oracle_check

        return getattr(oracle_check, name)
    raise AttributeError(f"module 'runner.conformance' has no attribute {name!r}")
