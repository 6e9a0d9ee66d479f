"""The ``library`` domain: its data lives in this package's ``data/`` folder."""

from __future__ import annotations

from pathlib import Path

from runner import DataDomain


class LibraryDomain(DataDomain):
    """A lending library with two tools: find a book, borrow a book.

    ``--domain-option data_dir=PATH`` points it at another folder with the same files.
    """

    name = "library"
    description = "A lending library: find books and lend them (runner-example)"
    db_class = "runner_example.tools:LibraryDB"  # strings: registering imports no pydantic model
    toolkit_class = "runner_example.tools:LibraryTools"
    default_data_dir = Path(__file__).parent / "data"
    data_dir_env = "RUNNER_EXAMPLE_DATA_DIR"
