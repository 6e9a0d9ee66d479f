"""``Domain``: a named set of tools, a database, a policy and tasks.

:class:`DataDomain` covers the common case of a domain whose data lives in one folder (the
plugin's own data, or τ²-bench's via ``--domain-option data_dir=PATH``).
"""

from __future__ import annotations

import copy
import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

from runner.errors import ConfigError, RunnerError, did_you_mean

if TYPE_CHECKING:
    from runner.environment.db import DB
    from runner.environment.environment import Environment
    from runner.environment.toolkit import ToolKit
    from runner.models.task import Task


class Domain:
    """Base class of domains. Subclass, set ``name`` and ``description``, implement
    :meth:`environment` and :meth:`tasks`.

    Instances are registered at plugin load, so ``__init__`` must be cheap: load data lazily.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: Options accepted by :meth:`configure` (``--domain-option k=v``), with their help text.
    known_options: ClassVar[dict[str, str]] = {}

    def __init__(self, **options: Any) -> None:
        self.options: dict[str, Any] = dict(options)

    def environment(self) -> Environment:
        """A fresh, independent environment (cheap and deterministic: called several times)."""
        raise NotImplementedError

    def tasks(self, split: str | None = None) -> list[Task]:
        raise NotImplementedError

    def splits(self) -> list[str]:
        return ["base"]

    @property
    def policy(self) -> str:
        return self.environment().policy

    def configure(self, options: dict[str, Any]) -> Self:
        """A configured copy; unknown keys are an error that lists the known ones."""
        unknown = [k for k in options if k not in self.known_options]
        if unknown:
            known = ", ".join(sorted(self.known_options)) or "(none)"
            hint = "".join(did_you_mean(k, self.known_options) for k in unknown)
            raise ConfigError(
                f"Unknown --domain-option {', '.join(unknown)} for domain {self.name!r}.{hint} "
                f"Known options: {known}."
            )
        clone = copy.copy(self)
        clone.__dict__ = {k: v for k, v in self.__dict__.items() if not k.startswith("_cache")}
        clone.options = {**self.options, **options}
        return clone


def resolve(ref: Any) -> Any:
    """A class given directly or as ``"module:attribute"`` (so plugin loading stays cheap)."""
    if isinstance(ref, str):
        module, _, attr = ref.partition(":")
        return getattr(importlib.import_module(module), attr)
    return ref


class DataDomain(Domain):
    """A domain whose data is a folder: database(s), tasks, splits and policy.

    Subclasses set the class attributes below; the classes may be given as
    ``"module:attribute"`` strings so that registering the domain imports none of its models.
    The folder is, in order: the ``data_dir``
    option, the environment variable named by ``data_dir_env``, then ``default_data_dir``.
    The database is parsed once per domain instance; each :meth:`environment` gets a copy.
    """

    db_class: ClassVar[type[DB] | str]
    toolkit_class: ClassVar[type[ToolKit] | str]
    user_db_class: ClassVar[type[DB] | str | None] = None
    user_toolkit_class: ClassVar[type[ToolKit] | str | None] = None
    environment_class: ClassVar[type[Environment] | str] = (
        "runner.environment.environment:Environment"
    )
    default_data_dir: ClassVar[Path]
    data_dir_env: ClassVar[str | None] = None
    db_stems: ClassVar[tuple[str, ...]] = ("db",)
    user_db_stems: ClassVar[tuple[str, ...]] = ("user_db",)
    task_files: ClassVar[tuple[str, ...]] = ("tasks.json",)
    split_file: ClassVar[str] = "split_tasks.json"
    policy_files: ClassVar[tuple[str, ...]] = ("policy.md",)
    known_options: ClassVar[dict[str, str]] = {
        "data_dir": "folder with db.json/db.toml, tasks.json, split_tasks.json and policy.md",
        "task_file": "a tasks JSON file to use instead of the folder's",
    }

    def configure(self, options: dict[str, Any]) -> Self:
        """A configured copy; a ``data_dir`` or ``task_file`` that does not exist is an error now,
        not in the middle of a run."""
        clone = super().configure(options)
        if "data_dir" in options:
            clone.data_dir  # noqa: B018 - raises ConfigError for a missing folder
        task_file = options.get("task_file")
        if task_file and not Path(task_file).is_file():
            raise ConfigError(
                f"Task file {task_file} for domain {self.name!r} does not exist. "
                "Pass an existing file with --domain-option task_file=PATH."
            )
        return clone

    @property
    def data_dir(self) -> Path:
        raw = self.options.get("data_dir") or (
            self.data_dir_env and os.environ.get(self.data_dir_env)
        )
        path = Path(raw) if raw else self.default_data_dir
        if not path.is_dir():
            raise ConfigError(
                f"Data folder {path} for domain {self.name!r} does not exist. "
                "Pass an existing folder with --domain-option data_dir=PATH."
            )
        return path

    def _cached(self, key: str, make: Any) -> Any:
        attr = f"_cache_{key}"
        if attr not in self.__dict__:
            self.__dict__[attr] = make()
        return self.__dict__[attr]

    def _find(
        self, stems_or_names: tuple[str, ...], suffixes: tuple[str, ...] = ("",)
    ) -> Path | None:
        for stem in stems_or_names:
            for suffix in suffixes:
                p = self.data_dir / f"{stem}{suffix}"
                if p.is_file():
                    return p
        return None

    def _load_db(self, cls: type[DB] | str, stems: tuple[str, ...], what: str) -> DB:
        path = self._find(stems, (".json", ".toml", ".yaml", ".yml"))
        if path is None:
            raise RunnerError(
                f"No {what} ({'/'.join(stems)}.json|.toml|.yaml) in {self.data_dir} "
                f"for domain {self.name!r}."
            )
        return resolve(cls).load(path)

    def base_db(self) -> DB:
        return self._cached("db", lambda: self._load_db(self.db_class, self.db_stems, "database"))

    def base_user_db(self) -> DB | None:
        if self.user_db_class is None:
            return None
        cls = self.user_db_class
        return self._cached(
            "user_db", lambda: self._load_db(cls, self.user_db_stems, "user database")
        )

    def policy_text(self) -> str:
        def read() -> str:
            path = self._find(self.policy_files)
            return path.read_text(encoding="utf-8") if path else ""

        return self._cached("policy", read)

    @property
    def policy(self) -> str:
        return self.policy_text()

    def copy_db(self, db: DB) -> DB:
        """A private copy of a pristine database: a :meth:`runner.CopyOnWriteDB.cow_copy` for
        such a database (microseconds), a deep copy otherwise (override for a faster copy)."""
        cow_copy = getattr(db, "cow_copy", None)
        return cow_copy() if cow_copy is not None else db.model_copy(deep=True)

    def environment(self) -> Environment:
        user_db = self.base_user_db()
        user_kit = None
        if self.user_toolkit_class is not None:
            user_kit = resolve(self.user_toolkit_class)(
                self.copy_db(user_db) if user_db is not None else None
            )
        return resolve(self.environment_class)(
            domain_name=self.name,
            policy=self.policy_text(),
            tools=resolve(self.toolkit_class)(self.copy_db(self.base_db())),
            user_tools=user_kit,
        )

    def all_tasks(self) -> list[Task]:
        def read() -> list[Task]:
            from runner.models.taskfile import load_tasks

            if self.options.get("task_file"):
                return load_tasks(self.options["task_file"])
            path = self._find(self.task_files)
            if path is None:
                raise RunnerError(
                    f"No task file ({', '.join(self.task_files)}) in {self.data_dir} "
                    f"for domain {self.name!r}."
                )
            return load_tasks(path)

        return self._cached("tasks", read)

    def split_map(self) -> dict[str, list[str]]:
        def read() -> dict[str, list[str]]:
            path = self._find((self.split_file,))
            if path is None or self.options.get("task_file"):
                return {"base": [t.id for t in self.all_tasks()]}
            from runner.environment.db import load_data_file

            data = load_data_file(path)
            if not isinstance(data, dict):
                raise RunnerError(f"Split file {path} must map split names to lists of task ids.")
            return {str(k): [str(i) for i in v] for k, v in data.items()}

        return self._cached("splits", read)

    def splits(self) -> list[str]:
        return list(self.split_map())

    def tasks(self, split: str | None = None) -> list[Task]:
        tasks = self.all_tasks()
        if split is None:
            split = "base" if "base" in self.split_map() else None
        if split is None:
            return list(tasks)
        splits = self.split_map()
        if split not in splits:
            raise ConfigError(
                f"Unknown task split {split!r} for domain {self.name!r}."
                f"{did_you_mean(split, splits)} Known splits: {', '.join(splits)}."
            )
        wanted = set(splits[split])
        return [t for t in tasks if t.id in wanted]
