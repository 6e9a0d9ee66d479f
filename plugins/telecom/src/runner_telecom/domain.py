"""``TelecomDomain``: mobile-phone technical support with dual control (τ²-bench ``telecom``).

The data folder is the plugin's own (``runner_telecom/data``), or τ²-bench's telecom folder via
``--domain-option data_dir=PATH`` or ``RUNNER_TELECOM_DATA_DIR``. Both hold ``db.toml``,
``user_db.toml``, a task file, ``split_tasks.json``, ``main_policy.md`` and the technical
support manual and workflow. The task file is ``tasks.json`` or, when absent,
``tasks_small.json`` (τ²-bench's ``telecom_small`` set).

The agent's policy is composed the way τ²-bench composes it: the main policy and the technical
support document, each in its own tag. ``telecom`` uses the manual; ``telecom-workflow`` the
step-by-step workflow.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from runner import DataDomain, RunnerError

if TYPE_CHECKING:
    from runner import Task

_DATA = Path(__file__).parent / "data"


class TelecomDomain(DataDomain):
    name = "telecom"
    description = (
        "Mobile-phone technical support with dual control: the agent fixes accounts (lines, "
        "bills, roaming, data) while guiding the customer through actions on their own phone."
    )
    db_class = "runner_telecom.models:TelecomDB"
    user_db_class = "runner_telecom.user_models:TelecomUserDB"
    toolkit_class = "runner_telecom.tools:TelecomTools"
    user_toolkit_class = "runner_telecom.user_tools:TelecomUserTools"
    environment_class = "runner_telecom.environment:TelecomEnvironment"
    default_data_dir = _DATA
    data_dir_env = "RUNNER_TELECOM_DATA_DIR"
    task_files = ("tasks.json", "tasks_small.json")
    main_policy_file: ClassVar[str] = "main_policy.md"
    tech_support_file: ClassVar[str] = "tech_support_manual.md"
    policy_files = (main_policy_file, tech_support_file)
    known_options: ClassVar[dict[str, str]] = {
        "data_dir": "folder with db.toml, user_db.toml, tasks.json or tasks_small.json, "
        "split_tasks.json, main_policy.md and the tech support manual/workflow "
        "(e.g. τ²-bench's data/tau2/domains/telecom)",
        "task_file": "a tasks JSON file to use instead of the folder's",
    }

    def policy_text(self) -> str:
        """``<main_policy>`` and ``<tech_support_policy>`` sections, as τ²-bench builds them."""

        def compose() -> str:
            main = self._read_policy(self.main_policy_file)
            tech = self._read_policy(self.tech_support_file)
            return (
                f"<main_policy>\n{main}\n</main_policy>\n"
                f"<tech_support_policy>\n{tech}\n</tech_support_policy>"
            )

        return self._cached("policy", compose)

    def _read_policy(self, name: str) -> str:
        path = self.data_dir / name
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RunnerError(
                f"Cannot read the policy file {path} of domain {self.name!r}: {exc.strerror or exc}. "
                f"A telecom data folder needs {self.main_policy_file} and {self.tech_support_file}."
            ) from None

    def tasks(self, split: str | None = None) -> list[Task]:
        """Tasks of a split; without one, the ``base`` split, or every task of the file when
        ``base`` names none of them (τ²-bench's ``tasks_small.json`` with its full split file)."""
        if split is None and "base" in self.split_map():
            base = super().tasks("base")
            return base if base else list(self.all_tasks())
        return super().tasks(split)


class TelecomWorkflowDomain(TelecomDomain):
    """The same domain with the step-by-step technical support workflow as policy."""

    name = "telecom-workflow"
    description = "telecom with the step-by-step tech support workflow instead of the manual."
    tech_support_file: ClassVar[str] = "tech_support_workflow.md"
    policy_files = (TelecomDomain.main_policy_file, tech_support_file)
