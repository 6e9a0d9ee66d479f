"""``DB``: a domain's database as a pydantic model, loadable from JSON, TOML or YAML."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from runner.errors import RunnerError


class DBError(RunnerError):
    """A database file that cannot be read or does not match its model."""


class DB(BaseModel):
    """Base class of domain databases.

    :meth:`hash` is canonical: the sha256 of the JSON dump with sorted keys, the same value
    τ²-bench computes for the same content, and the same in every process.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    @classmethod
    def load(cls, path: str | Path) -> Self:
        data = load_data_file(path)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise DBError(
                f"Database file {path}: field {loc}: {err['msg']} "
                f"({exc.error_count()} problem(s) in all). The file does not match {cls.__name__}; "
                "check that it belongs to this domain."
            ) from None

    def hash(self) -> str:
        return dict_hash(self.model_dump())

    def dump(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.model_dump(mode="json"), indent=2), encoding="utf-8")


def dict_hash(data: Any) -> str:
    """sha256 of ``json.dumps(data, sort_keys=True, default=str)`` (τ²-bench's definition)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def load_data_file(path: str | Path) -> Any:
    """Read a JSON, TOML or YAML file by its suffix, with a readable error."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DBError(f"Cannot read data file {path}: {exc.strerror or exc}.") from None
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix == ".toml":
            return tomllib.loads(text)
        if suffix in (".yaml", ".yml"):
            import yaml

            return yaml.safe_load(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DBError(f"Data file {path} is not valid {suffix[1:].upper()}: {exc}.") from None
    except Exception as exc:  # yaml's errors carry line and column in their text
        raise DBError(f"Data file {path} is not valid YAML: {exc}.") from None
    raise DBError(f"Data file {path}: unsupported format {suffix!r}; use .json, .toml or .yaml.")
