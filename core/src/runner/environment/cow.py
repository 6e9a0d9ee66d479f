"""``CopyOnWriteDB``: cheap private copies of a large database, and their hash without a dump.

Why: every simulation builds several environments (the run itself and the evaluator's replays)
and hashes their databases. With τ²-bench's databases (retail 2.7 MB, airline about 6 MB of
JSON) a deep copy costs 0.1-0.3 s and a full hash 50-300 ms, far above a simulation's budget;
but a simulation changes a handful of records. So a copy shares every record with a frozen
original until it takes one out, and its hash reuses the canonical text of the shared records.

The contract (one for every domain):

* a *section* is a field typed ``dict[str, <pydantic model>]`` (``orders``, ``flights``, ...);
* :meth:`CopyOnWriteDB.cow_copy` freezes the original (it must not change again) and returns a
  copy whose sections are :class:`CowTable` dicts holding the original's record objects;
* taking a record out of a copy's section -- ``table[key]``, ``get``, ``values()``,
  ``items()``, ``pop``, ``setdefault``, ``copy()`` -- first swaps it for a private copy, so
  whatever the caller then does to it, the original is untouched; no write needs declaring;
* code that only *reads* may look without copying, through :meth:`CopyOnWriteDB.peek` and
  :meth:`CopyOnWriteDB.stored_values` / :meth:`~CopyOnWriteDB.stored_items` (lookups, searches, statistics); it must not change what
  it gets. ``dict(table)`` and ``{**table}`` also see the stored records: read only.

:meth:`CopyOnWriteDB.hash` is always :meth:`runner.DB.hash` -- the core's ``dict_hash`` of
``model_dump()``, τ²-bench's value. The canonical JSON of a dict is its items' JSON joined in
key order (:func:`~runner.environment.db.canonical_json` of each record), so a frozen original
keeps its text as *pieces* (one per record) with the sha256 state before each piece; a copy's
hash resumes from the state before its first changed record and feeds the remaining pieces,
with its own records' text in place of the originals'. A record counts as changed when the
copy holds another object than the original's under its key; a :class:`CowTable` lists those
keys in ``taken``, so the hash looks only at them (writing through ``dict``'s own methods,
``dict.__setitem__(table, ...)``, bypasses that list and is not supported).
"""

from __future__ import annotations

import hashlib
import json
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Self

from pydantic import BaseModel, PrivateAttr

from runner.environment.db import DB, canonical_json


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
        return {k: clone(v) for k, v in dict.items(value)}
    if isinstance(value, list):
        return [clone(v) for v in value]
    if isinstance(value, (tuple, set, frozenset)):
        return type(value)(clone(v) for v in value)
    return value


class CowTable(dict):  # type: ignore[type-arg]
    """A section of a copy: the original's records until taken out, then private copies.

    ``taken`` holds the keys whose stored record belongs to this table (copied on access, or
    set); the others still hold the original's record.
    """

    def __init__(self, records: dict[str, Any], taken: set[str] | None = None) -> None:
        super().__init__(records)
        self.taken: set[str] = set() if taken is None else taken

    def _take(self, key: str) -> Any:
        record = dict.__getitem__(self, key)
        if key not in self.taken:
            record = clone(record)
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

    def popitem(self) -> tuple[str, Any]:
        key = next(reversed(list(self)))
        return key, self.pop(key)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> Self:  # type: ignore[override,misc]
        self.update(other)
        return self

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self._take(key) for key in list(self)]

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(key, self._take(key)) for key in list(self)]

    def copy(self) -> dict[str, Any]:
        return dict(self.items())

    def __reduce_ex__(self, protocol: Any) -> Any:
        # copy.deepcopy and pickle rebuild a plain dict, private once rebuilt
        return dict, (list(dict.items(self)),)


@dataclass
class _Canonical:
    """A frozen database's canonical JSON, in pieces whose concatenation is the whole text."""

    pieces: list[bytes]
    records: dict[str, dict[str, int]]  # section -> key -> index of the record's piece
    heads: dict[str, int]  # field -> index of its first piece (``"name": ...``)
    plain: dict[str, int]  # non-section field -> index of its piece
    states: list[Any]  # sha256 state before each piece
    digest: str

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        """A cache is not copied or pickled (sha256 states cannot be): copies rebuild it."""
        return (_no_cache, ())


def _no_cache() -> None:
    return None


def _item(key: str, record: Any) -> bytes:
    """One ``"key": {...}`` item of a section's canonical JSON."""
    data = record.model_dump() if isinstance(record, BaseModel) else record
    return f"{json.dumps(key)}: {canonical_json(data)}".encode()


class CopyOnWriteDB(DB):
    """A :class:`runner.DB` whose copies share unchanged records with a frozen original.

    Subclass it instead of :class:`runner.DB`; a :class:`runner.DataDomain` then gives each
    environment a :meth:`cow_copy` of its pristine database.
    """

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
        """Whether copies share this database's records (it must not change)."""
        return self._frozen

    def freeze(self) -> Self:
        """Promise that this database never changes again, so copies may share its records."""
        if self._base is not None:
            raise ValueError("A copy-on-write copy cannot be frozen; freeze its original.")
        self._frozen = True
        return self

    # -- reading without copying --------------------------------------------------------------
    def peek(self, section: str, key: str, default: Any = None) -> Any:
        """The stored record ``key`` of ``section`` without making it private: read only."""
        return dict.get(self.__dict__[section], key, default)

    def stored_values(self, section: str) -> Iterator[Any]:
        """The stored records of ``section`` without making them private: read only."""
        return iter(dict.values(self.__dict__[section]))

    def stored_items(self, section: str) -> Iterator[tuple[str, Any]]:
        """The keys and stored records of ``section`` without making them private: read only."""
        return iter(dict.items(self.__dict__[section]))

    # -- copying -----------------------------------------------------------------------------
    def cow_copy(self) -> Self:
        """A private copy that shares records with the original until they are taken out.

        The original (``self``, or the original of ``self`` when it is itself a copy) is frozen.
        Records a copy already holds privately are copied again, so two copies never share a
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
                value = CowTable(value)
            else:
                shared = base.__dict__[name]
                records = {k: v if shared.get(k) is v else clone(v) for k, v in dict.items(value)}
                value = CowTable(records, {k for k, v in records.items() if shared.get(k) is not v})
            values[name] = value
        copy = self.model_construct(_fields_set=set(self.model_fields_set), **values)
        copy._base = base
        return typing.cast(Self, copy)

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        """A plain, independent database (no sharing, no cache): for pickling executors and
        ``model_copy(deep=True)``."""
        import copy as copy_module

        data = {
            name: copy_module.deepcopy(_plain(self.__dict__[name]), memo)
            for name in type(self).model_fields
        }
        plain = self.model_construct(_fields_set=set(self.model_fields_set), **data)
        return typing.cast(Self, plain)

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        state["__dict__"] = {k: _plain(v) for k, v in state["__dict__"].items()}
        private = dict(state.get("__pydantic_private__") or {})
        private.update(_base=None, _frozen=False, _canonical=None)
        state["__pydantic_private__"] = private
        return state

    # -- hashing -----------------------------------------------------------------------------
    def hash(self) -> str:
        """:meth:`runner.DB.hash`, computed from the cached text of shared records."""
        if self._base is not None:
            return self._copy_hash(self._base)
        if self._frozen:
            return self._canonical_pieces().digest
        return super().hash()

    def _pieces(
        self, known: _Canonical | None
    ) -> tuple[list[bytes], dict[str, dict[str, int]], dict[str, int], dict[str, int]]:
        """This database's canonical JSON in pieces, reusing ``known``'s text of shared records;
        with the piece index of each record, of each field's first piece and of plain fields."""
        sections = set(self.sections())
        base = self._base
        pieces: list[bytes] = []
        records: dict[str, dict[str, int]] = {}
        heads: dict[str, int] = {}
        plain: dict[str, int] = {}
        for n, name in enumerate(sorted(type(self).model_fields)):
            head = (b"{" if n == 0 else b", ") + json.dumps(name).encode() + b": "
            value = self.__dict__[name]
            heads[name] = len(pieces)
            if name not in sections or not isinstance(value, dict):
                plain[name] = len(pieces)
                dumped = self.model_dump(include={name}).get(name)
                pieces.append(head + canonical_json(dumped).encode())
                continue
            pieces.append(head + b"{")
            shared = base.__dict__[name] if base is not None and known is not None else {}
            where: dict[str, int] = {}
            for j, key in enumerate(sorted(value)):
                record = dict.__getitem__(value, key)
                where[key] = len(pieces)
                if shared.get(key) is record:
                    piece = known.pieces[known.records[name][key]]  # type: ignore[union-attr]
                    if piece.startswith(b", ") == bool(j):  # the usual case: reused as is
                        pieces.append(piece)
                        continue
                    body = piece[2:] if j == 0 else piece
                else:
                    body = _item(key, record)
                pieces.append(b", " + body if j else body)
            records[name] = where
            pieces.append(b"}")
        pieces.append(b"}")
        return pieces, records, heads, plain

    def _canonical_pieces(self) -> _Canonical:
        """The frozen original's pieces and sha256 states (computed on first use)."""
        if self._canonical is None:
            pieces, records, heads, plain = self._pieces(None)
            states = []
            h = hashlib.sha256()
            for piece in pieces:
                states.append(h.copy())
                h.update(piece)
            self._canonical = _Canonical(pieces, records, heads, plain, states, h.hexdigest())
        return self._canonical

    def _copy_hash(self, base: CopyOnWriteDB) -> str:
        known = base._canonical_pieces()
        changes: dict[int, bytes] = {}
        moved: list[int] = []  # where records were added or removed: the text shifts from there
        for name in self.sections():
            mine, shared = self.__dict__[name], base.__dict__[name]
            if not isinstance(mine, dict):
                moved.append(known.heads[name])
                continue
            where = known.records[name]
            get = shared.get
            # a CowTable knows the keys it holds privately; any other dict is scanned
            candidates = (
                [k for k in mine.taken if k in mine] if type(mine) is CowTable else list(mine)
            )
            added = 0
            for key in [k for k in candidates if get(k) is not dict.__getitem__(mine, k)]:
                record = dict.__getitem__(mine, key)
                index = where.get(key)
                if index is None:  # added: the text differs from the next key on
                    added += 1
                    later = [i for k, i in where.items() if k > key]
                    moved.append(min(later) if later else known.heads[name] + len(where) + 1)
                else:
                    sep = b", " if known.pieces[index].startswith(b", ") else b""
                    changes[index] = sep + _item(key, record)
            if len(mine) - added != len(shared):  # removed (``where`` has the shared keys)
                moved.extend(i for k, i in where.items() if k not in mine)
        if moved:
            pieces = self._pieces(known)[0]
            start = min([*moved, *changes])
            # the layout before ``start`` is the original's: a plain field there may differ
            start = min(
                [
                    start,
                    *(
                        i
                        for i in known.plain.values()
                        if i < start and pieces[i] != known.pieces[i]
                    ),
                ]
            )
            h = known.states[start].copy()
            h.update(b"".join(pieces[start:]))
            return h.hexdigest()
        if known.plain:
            pieces = self._pieces(known)[0]
            for index in known.plain.values():
                if pieces[index] != known.pieces[index]:
                    changes[index] = pieces[index]
        if not changes:
            return known.digest
        start = min(changes)
        tail = known.pieces[start:]
        for index, piece in changes.items():
            tail[index - start] = piece
        h = known.states[start].copy()
        h.update(b"".join(tail))
        return h.hexdigest()


def _plain(value: Any) -> Any:
    """A section as a plain dict of its stored records (anything else unchanged)."""
    return dict(dict.items(value)) if isinstance(value, CowTable) else value
