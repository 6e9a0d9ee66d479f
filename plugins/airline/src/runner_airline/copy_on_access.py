"""Cheap private copies of a large airline database, and their hash without a full dump.

An environment needs its own database, and the evaluator asks for several environments and
hashes per simulation. With τ²-bench's airline data (about 6 MB of JSON: 300 flights with their
dates, 500 users, 2,000 reservations) a full copy costs about 0.2 s and a full hash 0.3 s.

A *copy on access* shares the pristine database's records instead: its three tables are
:class:`CopyOnAccessTable` dicts holding the pristine records, and the first time a record is
taken out of a table by key (``table[key]``, ``get``, ``values``, ``items``, ...) the table
replaces it with a private deep copy and hands that out. Whatever the caller then does to it,
the pristine record is untouched, so every copy stays independent without anyone having to
declare writes. Only code that reads all records without changing them (the flight search,
statistics) iterates the stored objects directly, through :func:`stored_values`.

The hash is τ²-bench's (sha256 of ``json.dumps(model_dump(), sort_keys=True, default=str)``),
assembled from the pristine records' canonical JSON text, computed once, and the text of the
records the copy took out or added, so only those few are serialised per hash.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

TABLES = ("flights", "users", "reservations")


def canonical(value: Any) -> str:
    """τ²-bench's canonical JSON text of a dumped value."""
    return json.dumps(value, sort_keys=True, default=str)


class CopyOnAccessTable(dict):  # type: ignore[type-arg]
    """A table of a copy: pristine records until taken out, then private deep copies.

    ``taken`` holds the keys whose stored record belongs to this table (copied on access, or
    set); the others still hold the pristine record.
    """

    def __init__(self, records: dict[str, BaseModel]) -> None:
        super().__init__(records)
        self.taken: set[str] = set()

    def _take(self, key: str) -> Any:
        record = dict.__getitem__(self, key)
        if key not in self.taken:
            record = record.model_copy(deep=True)
            dict.__setitem__(self, key, record)
            self.taken.add(key)
        return record

    def __getitem__(self, key: str) -> Any:
        return self._take(key)

    def __setitem__(self, key: str, value: Any) -> None:
        dict.__setitem__(self, key, value)
        self.taken.add(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self._take(key) if key in self else default

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self._take(key)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            value = self._take(key)
            dict.__delitem__(self, key)
            return value
        return dict.pop(self, key, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self._take(key) for key in list(self)]

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(key, self._take(key)) for key in list(self)]

    def copy(self) -> dict[str, Any]:
        return dict(self.items())

    def popitem(self) -> tuple[str, Any]:
        key = next(reversed(list(self)))
        return key, self.pop(key)

    def __reduce_ex__(self, protocol: Any) -> Any:
        # copy.deepcopy and pickle rebuild a plain, fully private dict
        return dict, (self.items(),)


def stored_values(table: dict[str, Any]) -> Iterator[Any]:
    """The records of a table without taking them out: for code that only reads all of them."""
    return iter(dict.values(table))


class SharedTables:
    """The pristine database of a domain, the copies made from it, and its canonical text."""

    def __init__(self, pristine: BaseModel) -> None:
        if set(type(pristine).model_fields) != set(TABLES):
            raise TypeError(f"{type(pristine).__name__} is not a database of {', '.join(TABLES)}")
        self.pristine = pristine
        self._pieces: dict[str, dict[str, str]] | None = None
        self._lock = threading.Lock()

    def copy(self) -> BaseModel:
        """A copy on access of the pristine database (microseconds, whatever its size)."""
        db_class = type(self.pristine)
        tables = {name: CopyOnAccessTable(getattr(self.pristine, name)) for name in TABLES}
        copy = db_class.model_construct(_fields_set=set(self.pristine.model_fields_set), **tables)
        copy._shared = self  # type: ignore[attr-defined]  # FlightDB declares it
        return copy

    def pieces(self) -> dict[str, dict[str, str]]:
        """Each pristine record's canonical text, by table and key (computed once)."""
        if self._pieces is None:
            with self._lock:
                if self._pieces is None:
                    self._pieces = {
                        name: {
                            key: canonical(record.model_dump())
                            for key, record in dict.items(getattr(self.pristine, name))
                        }
                        for name in TABLES
                    }
        return self._pieces

    def hash(self, copy: BaseModel) -> str:
        """τ²-bench's hash of ``copy``: the canonical text of the whole database, assembled."""
        pieces = self.pieces()
        parts = []
        for name in sorted(TABLES):
            table = getattr(copy, name)
            taken = getattr(table, "taken", None)
            shared = pieces[name]
            entries = []
            for key in sorted(table):
                if taken is not None and key not in taken and key in shared:
                    text = shared[key]
                else:
                    text = canonical(dict.__getitem__(table, key).model_dump())
                entries.append(f"{json.dumps(key)}: {text}")
            parts.append(f"{json.dumps(name)}: {{{', '.join(entries)}}}")
        return hashlib.sha256(f"{{{', '.join(parts)}}}".encode()).hexdigest()

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedTables:
        return self  # shared by design; it never changes after the text is computed

    def __reduce__(self) -> Any:
        # a pickled copy arrives with plain tables (see CopyOnAccessTable), so it needs no link
        return _nothing, ()


def _nothing() -> None:
    return None
