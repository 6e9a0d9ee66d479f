"""Copy-on-write databases: cheap private copies and a cached, τ²-bench-identical hash.

Why: every simulation builds several environments (the run itself and the evaluator's replays)
and hashes their databases. For τ²-bench's 2.7 MB retail database a deep copy costs ~120 ms and a
hash ~50 ms, far above the per-simulation budget. But a simulation changes a handful of records,
so a copy can share every other record with a frozen original, and the hash can reuse the JSON
text of the shared records.

The contract, which :class:`~runner_retail.tools.RetailTools` keeps:

* a *section* is a top-level field holding ``dict[str, <pydantic model>]`` (``orders``, ...);
* :meth:`CopyOnWriteDB.cow_copy` freezes the original and returns a copy whose sections are new
  dicts holding the *same* record objects;
* code that changes a record first gets it with :meth:`CopyOnWriteDB.writable`, which swaps the
  shared record for a private deep copy; records read and never changed stay shared;
* nothing changes a frozen database (``writable`` on one raises).

:meth:`CopyOnWriteDB.hash` is always ``sha256(json.dumps(model_dump(), sort_keys=True,
default=str))``, τ²-bench's value: the JSON of a nested dict is the concatenation of its items'
JSON, so the text of each shared record is computed once per original and spliced in.
"""

from __future__ import annotations

import copy
import hashlib
import json
import typing
from typing import Any, Self

from pydantic import BaseModel, PrivateAttr
from runner import DB


def _record_json(record: Any) -> str:
    data = record.model_dump() if isinstance(record, BaseModel) else record
    return json.dumps(data, sort_keys=True, default=str)


def _section_json(keys: list[str], parts: dict[str, str]) -> str:
    """The JSON text of a dict given its sorted keys and each value's JSON text."""
    return "{" + ", ".join(f"{json.dumps(k)}: {parts[k]}" for k in keys) + "}"


class CopyOnWriteDB(DB):
    """A :class:`runner.DB` whose copies share unchanged records with a frozen original."""

    _base: CopyOnWriteDB | None = PrivateAttr(default=None)
    _frozen: bool = PrivateAttr(default=False)
    # Caches of a frozen original: its hash, each record's JSON, each section's JSON and keys.
    _hash_cache: str | None = PrivateAttr(default=None)
    _record_cache: dict[str, dict[str, str]] | None = PrivateAttr(default=None)
    _section_cache: dict[str, tuple[list[str], str]] | None = PrivateAttr(default=None)

    # -- structure ---------------------------------------------------------------------------
    @classmethod
    def sections(cls) -> tuple[str, ...]:
        """Names of the fields typed ``dict[str, <pydantic model>]``, found once per class."""
        cached = cls.__dict__.get("_cow_sections")
        if cached is None:
            found = []
            for name, field in cls.model_fields.items():
                ann = field.annotation
                args = typing.get_args(ann)
                if typing.get_origin(ann) is dict and len(args) == 2:
                    value_types = typing.get_args(args[1]) or (args[1],)
                    if all(isinstance(t, type) and issubclass(t, BaseModel) for t in value_types):
                        found.append(name)
            cached = tuple(found)
            cls._cow_sections = cached  # type: ignore[attr-defined]
        return cached

    @property
    def frozen(self) -> bool:
        return self._frozen

    def freeze(self) -> Self:
        """Promise that this database never changes again, so copies may share its records."""
        if self._base is not None:
            raise ValueError("A copy-on-write copy cannot be frozen; freeze its original.")
        self._frozen = True
        return self

    # -- copying -----------------------------------------------------------------------------
    def cow_copy(self) -> Self:
        """A private copy that shares records with the original until they are written.

        The original (``self``, or the original of ``self`` when it is itself a copy) is frozen.
        Records a copy has already made private are deep-copied, so copies never share a
        record that can change.
        """
        base = self._base if self._base is not None else self.freeze()
        sections = set(self.sections())
        values: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = self.__dict__[name]
            if name in sections:
                shared = base.__dict__[name]
                value = {
                    k: v if shared.get(k) is v else v.model_copy(deep=True)
                    for k, v in value.items()
                }
            else:
                value = copy.deepcopy(value)
            values[name] = value
        clone = type(self).model_construct(_fields_set=set(self.model_fields_set), **values)
        clone._base = base
        return clone

    def writable(self, section: str, key: str) -> Any:
        """The record ``key`` of ``section``, made private to this database before a change."""
        if self._frozen:
            raise RuntimeError(
                f"{type(self).__name__} is frozen (shared by copies) and must not change; "
                "work on a copy made with cow_copy()."
            )
        records = self.__dict__[section]
        record = records[key]
        if self._base is not None and self._base.__dict__[section].get(key) is record:
            record = record.model_copy(deep=True)
            records[key] = record
        return record

    # -- hashing -----------------------------------------------------------------------------
    def hash(self) -> str:
        if self._base is not None:
            return self._copy_hash()
        if self._frozen:
            if self._hash_cache is None:
                self._hash_cache = hashlib.sha256(self._frozen_json().encode()).hexdigest()
            return self._hash_cache
        return super().hash()

    def _frozen_json(self) -> str:
        """The canonical JSON text of this frozen original, filling the caches on first use."""
        if self._record_cache is None:
            records: dict[str, dict[str, str]] = {}
            sections: dict[str, tuple[list[str], str]] = {}
            for name in self.sections():
                parts = {k: _record_json(v) for k, v in self.__dict__[name].items()}
                keys = sorted(parts)
                records[name] = parts
                sections[name] = (keys, _section_json(keys, parts))
            self._record_cache, self._section_cache = records, sections
        return self._assemble({name: self._section_cache[name][1] for name in self.sections()})

    def _copy_hash(self) -> str:
        base = self._base
        assert base is not None
        base._frozen_json()  # fills the base's caches
        assert base._record_cache is not None and base._section_cache is not None
        section_texts: dict[str, str] = {}
        changed_any = False
        for name in self.sections():
            mine, shared = self.__dict__[name], base.__dict__[name]
            changed = [k for k, v in mine.items() if shared.get(k) is not v]
            base_keys, base_text = base._section_cache[name]
            if not changed and len(mine) == len(shared):
                section_texts[name] = base_text
                continue
            changed_any = True
            parts = dict(base._record_cache[name])
            for k in changed:
                parts[k] = _record_json(mine[k])
            keys = (
                base_keys
                if len(mine) == len(shared) and not (set(changed) - set(shared))
                else sorted(mine)
            )
            section_texts[name] = _section_json(keys, parts)
        if not changed_any and self._plain_fields_equal(base):
            return base.hash()
        return hashlib.sha256(self._assemble(section_texts).encode()).hexdigest()

    def _plain_fields_equal(self, other: CopyOnWriteDB) -> bool:
        plain = [n for n in type(self).model_fields if n not in self.sections()]
        return all(self.__dict__[n] == other.__dict__[n] for n in plain)

    def _assemble(self, section_texts: dict[str, str]) -> str:
        """The whole database's JSON text from its sections' texts and its other fields."""
        sections = set(self.sections())
        plain = [n for n in type(self).model_fields if n not in sections]
        dumped = self.model_dump(include=set(plain)) if plain else {}
        parts = {n: section_texts[n] for n in section_texts}
        parts.update({n: json.dumps(dumped[n], sort_keys=True, default=str) for n in plain})
        return _section_json(sorted(parts), parts)
