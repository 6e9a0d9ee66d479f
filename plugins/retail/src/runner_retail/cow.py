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
  shared record for a private copy; records only read stay shared;
* nothing changes a frozen database (``writable`` on one raises).

:meth:`CopyOnWriteDB.hash` is always ``sha256(json.dumps(model_dump(), sort_keys=True,
default=str))``, τ²-bench's value. The canonical JSON of a dict is its items' JSON joined in key
order, so a frozen original keeps its JSON as *pieces* (one per record) together with the sha256
state before each piece; a copy's hash resumes from the state before its first changed record
and feeds the remaining pieces, its own records' JSON in place of the originals'.
"""

from __future__ import annotations

import hashlib
import json
import typing
from dataclasses import dataclass
from typing import Any, Self

from pydantic import BaseModel, PrivateAttr
from runner import DB


def clone(value: Any) -> Any:
    """A deep copy of plain data and pydantic models, without ``copy.deepcopy``'s overhead.

    Models are copied field by field (their set-fields, extra and private attributes too);
    dicts, lists, tuples and sets are rebuilt; anything else (str, numbers, None, ...) is
    immutable here and shared.
    """
    if isinstance(value, BaseModel):
        new = value.__class__.__new__(value.__class__)
        object.__setattr__(new, "__dict__", {k: clone(v) for k, v in value.__dict__.items()})
        object.__setattr__(new, "__pydantic_fields_set__", set(value.__pydantic_fields_set__))
        extra, private = value.__pydantic_extra__, value.__pydantic_private__
        object.__setattr__(new, "__pydantic_extra__", None if extra is None else clone(extra))
        object.__setattr__(new, "__pydantic_private__", None if private is None else clone(private))
        return new
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    if isinstance(value, (tuple, set, frozenset)):
        return type(value)(clone(v) for v in value)
    return value


def _json(value: Any) -> str:
    data = value.model_dump() if isinstance(value, BaseModel) else value
    return json.dumps(data, sort_keys=True, default=str)


def _item(key: str, record: Any) -> bytes:
    """One ``"key": {...}`` item of a section's JSON."""
    return f"{json.dumps(key)}: {_json(record)}".encode()


@dataclass
class _Canonical:
    """A frozen database's canonical JSON, in pieces whose concatenation is the whole text."""

    pieces: list[bytes]
    records: dict[str, dict[str, int]]  # section -> key -> index of the record's piece
    plain: dict[str, int]  # non-section field -> index of its piece
    states: list[Any]  # sha256 state before each piece
    digest: str

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        """A cache is not copied or pickled (sha256 states cannot be): copies rebuild it."""
        return (_no_cache, ())


def _no_cache() -> None:
    return None


class CopyOnWriteDB(DB):
    """A :class:`runner.DB` whose copies share unchanged records with a frozen original."""

    _base: CopyOnWriteDB | None = PrivateAttr(default=None)
    _frozen: bool = PrivateAttr(default=False)
    _canonical: _Canonical | None = PrivateAttr(default=None)

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
        Records a copy has already made private are copied again, so two copies never share a
        record that can change.
        """
        base = self._base if self._base is not None else self.freeze()
        sections = set(self.sections())
        values: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = self.__dict__[name]
            if name not in sections:
                value = clone(value)
            elif self is base:
                value = dict(value)
            else:
                shared = base.__dict__[name]
                value = {k: v if shared.get(k) is v else clone(v) for k, v in value.items()}
            values[name] = value
        copy = type(self).model_construct(_fields_set=set(self.model_fields_set), **values)
        copy._base = base
        return copy

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
            record = clone(record)
            records[key] = record
        return record

    # -- hashing -----------------------------------------------------------------------------
    def hash(self) -> str:
        if self._base is not None:
            return self._copy_hash(self._base)
        if self._frozen:
            return self._canonical_pieces().digest
        return super().hash()

    def _pieces(
        self, known: _Canonical | None
    ) -> tuple[list[bytes], dict[str, dict[str, int]], dict[str, int]]:
        """This database's canonical JSON in pieces, reusing ``known``'s text of shared records."""
        sections = set(self.sections())
        base = self._base
        pieces: list[bytes] = []
        records: dict[str, dict[str, int]] = {}
        plain: dict[str, int] = {}
        for n, name in enumerate(sorted(type(self).model_fields)):
            head = (b"{" if n == 0 else b", ") + json.dumps(name).encode() + b": "
            if name not in sections:
                plain[name] = len(pieces)
                pieces.append(head + _json(self.model_dump(include={name})[name]).encode())
                continue
            pieces.append(head + b"{")
            mine = self.__dict__[name]
            shared = base.__dict__[name] if base is not None and known is not None else {}
            where: dict[str, int] = {}
            for j, key in enumerate(sorted(mine)):
                record = mine[key]
                if shared.get(key) is record:
                    body = known.pieces[known.records[name][key]]  # type: ignore[union-attr]
                    body = body[2:] if body.startswith(b", ") else body
                else:
                    body = _item(key, record)
                where[key] = len(pieces)
                pieces.append(b", " + body if j else body)
            records[name] = where
            pieces.append(b"}")
        pieces.append(b"}")
        return pieces, records, plain

    def _canonical_pieces(self) -> _Canonical:
        """The frozen original's pieces and sha256 states (computed on first use)."""
        if self._canonical is None:
            pieces, records, plain = self._pieces(None)
            states = []
            h = hashlib.sha256()
            for piece in pieces:
                states.append(h.copy())
                h.update(piece)
            self._canonical = _Canonical(pieces, records, plain, states, h.hexdigest())
        return self._canonical

    def _copy_hash(self, base: CopyOnWriteDB) -> str:
        known = base._canonical_pieces()
        changes: dict[int, bytes] = {}
        for name in self.sections():
            mine, shared = self.__dict__[name], base.__dict__[name]
            changed = [k for k, v in mine.items() if shared.get(k) is not v]
            if len(mine) != len(shared) or any(k not in shared for k in changed):
                return self._full_hash(known)  # records added or removed: lay the text out anew
            for key in changed:
                index = known.records[name][key]
                sep = b", " if known.pieces[index].startswith(b", ") else b""
                changes[index] = sep + _item(key, mine[key])
        if known.plain:
            pieces, _, plain = self._pieces(known)
            for index in plain.values():
                if pieces[index] != known.pieces[index]:
                    changes[index] = pieces[index]
        if not changes:
            return known.digest
        start = min(changes)
        h = known.states[start].copy()
        h.update(b"".join(changes.get(i, known.pieces[i]) for i in range(start, len(known.pieces))))
        return h.hexdigest()

    def _full_hash(self, known: _Canonical) -> str:
        pieces, _, _ = self._pieces(known)
        return hashlib.sha256(b"".join(pieces)).hexdigest()
