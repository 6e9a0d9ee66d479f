"""``AirlineDomain``: the airline desk as a runner domain.

By default it serves the plugin's own data (``runner_airline/data``); ``--domain-option
data_dir=PATH`` or the ``RUNNER_AIRLINE_DATA_DIR`` environment variable points it at another
folder laid out like τ²-bench's ``data/tau2/domains/airline`` (``db.json``, ``tasks.json``,
``split_tasks.json``, ``policy.md``), so τ²-bench's task files run unchanged.

The classes are named as ``"module:attribute"`` strings: registering the domain when the plugin
loads imports none of its models.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from runner import DataDomain, RunnerError

if TYPE_CHECKING:
    from runner import DB

DATA_DIR = Path(__file__).parent / "data"


class AirlineDomain(DataDomain):
    """Book, change and cancel flight reservations (τ²-bench's ``airline`` domain)."""

    name: ClassVar[str] = "airline"
    description: ClassVar[str] = (
        "Airline reservation desk: book, change and cancel flights, bags and passengers, "
        "refunds and compensation (τ²-bench 'airline' compatible)"
    )
    db_class = "runner_airline.models:FlightDB"
    toolkit_class = "runner_airline.tools:AirlineTools"
    default_data_dir: ClassVar[Path] = DATA_DIR
    data_dir_env: ClassVar[str | None] = "RUNNER_AIRLINE_DATA_DIR"
    db_stems: ClassVar[tuple[str, ...]] = ("db",)
    known_options: ClassVar[dict[str, str]] = {
        "data_dir": "folder with db.json, tasks.json, split_tasks.json and policy.md "
        "(e.g. τ²-bench's data/tau2/domains/airline)",
        "task_file": "a tasks JSON file to use instead of the folder's tasks.json",
    }

    def base_db(self) -> DB:
        """The pristine database, parsed once; a clear error when the folder has none."""
        folder = self.data_dir
        if self._find(self.db_stems, (".json", ".toml", ".yaml", ".yml")) is None:
            raise RunnerError(
                f"The airline database is missing: the data folder {folder} has no db.json. "
                "Its tasks, splits and policy can be listed, but no simulation can run without "
                "the flights, users and reservations. Put the database there as db.json (for "
                "τ²-bench data, copy data/tau2/domains/airline/db.json from the τ²-bench "
                "repository into that folder), or leave out --domain-option data_dir (and "
                "RUNNER_AIRLINE_DATA_DIR) to use the plugin's own data."
            )
        return super().base_db()
