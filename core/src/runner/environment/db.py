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
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            raise DBError(
                f"Database file {path}: field {loc}: {err['msg']} "
                f"({exc.error_count()} problem(s) in all). The file does not match {cls.__name__}; "
                "check that it belongs to this domain."
            ) from None

    def hash(self) -> str:
        """sha256 of the canonical JSON of :meth:`model_dump` (equal to τ²-bench's ``get_hash``)."""
        return dict_hash(self.model_dump())

    def dump(self, path: str | Path) -> None:
        """Write the database as JSON (``.yaml``/``.yml``: YAML), readable by :meth:`load`."""
        path = Path(path)
        data = self.model_dump(mode="json")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            path.write_text(
                yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
            )
            return
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def dict_hash(data: Any) -> str:
    """sha256 of ``json.dumps(data, sort_keys=True, default=str)``: τ²-bench's definition.

    One deliberate difference: sets are hashed as sorted lists, because ``str(set)`` depends on
    the process's hash seed and the hash must be the same in every process.
    """
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def canonical_json(data: Any) -> str:
    """The canonical JSON text :func:`dict_hash` hashes. The text of a dict is its items' text
    joined in key order, so a database's text can be assembled from its records' (see
    :class:`~runner.environment.cow.CopyOnWriteDB`)."""
    return json.dumps(data, sort_keys=True, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        try:
            return sorted(value)
        except TypeError:
            return sorted(value, key=repr)
    return str(value)


_SUFFIXES = (".json", ".toml", ".yaml", ".yml")


def load_data_file(path: str | Path) -> Any:
    """Read a JSON, TOML or YAML file by its suffix; every problem is a one-paragraph
    :class:`DBError` naming the file (and the line, for syntax errors)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise DBError(
            f"Data file {path}: unsupported format {suffix or '(no suffix)'!r}; "
            "use .json, .toml or .yaml."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DBError(f"Cannot read data file {path}: {exc.strerror or exc}.") from None
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix == ".toml":
            return tomllib.loads(text)
        import yaml  # only YAML users pay for it

        return yaml.safe_load(text)
    except Exception as exc:  # json/toml/yaml errors all say where (line, column) in their text
        kind = {".json": "JSON", ".toml": "TOML"}.get(suffix, "YAML")
        detail = " ".join(str(exc).split())
        raise DBError(
            f"Data file {path} is not valid {kind}: {detail}. Fix the syntax there."
        ) from None
