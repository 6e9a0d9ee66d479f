"""What differs between the database a conversation left and the one the task expected.

A failed DB check says only that two hashes differ; a person fixing an agent (or a task) needs
to see where. Computed only when the check fails (it needs the expected database rebuilt), it
lists, per table, the records only one side has and, for records on both sides, the fields whose
values differ, each side's value shown. Bounded, so a wrong bulk update cannot bloat a result.
"""

from __future__ import annotations

from typing import Any

#: Records listed per table and kind, and fields per record, at most.
MAX_RECORDS = 20
MAX_FIELDS = 10


def db_difference(agent_db: Any, expected_db: Any) -> dict[str, Any]:
    """``{table: {"missing": [...], "unexpected": [...], "changed": {id: {field: [agent,
    expected]}}}}`` for the tables that differ (a table that is not a mapping of records is
    compared whole: ``{"agent": ..., "expected": ...}``)."""
    agent = _dump(agent_db)
    expected = _dump(expected_db)
    out: dict[str, Any] = {}
    for table in sorted(set(agent) | set(expected), key=str):
        mine, gold = agent.get(table), expected.get(table)
        if mine == gold:
            continue
        if not (isinstance(mine, dict) and isinstance(gold, dict)):
            out[str(table)] = {"agent": _short(mine), "expected": _short(gold)}
            continue
        entry: dict[str, Any] = {}
        missing = [k for k in gold if k not in mine]
        unexpected = [k for k in mine if k not in gold]
        if missing:
            entry["missing"] = [str(k) for k in missing[:MAX_RECORDS]]
        if unexpected:
            entry["unexpected"] = [str(k) for k in unexpected[:MAX_RECORDS]]
        changed: dict[str, Any] = {}
        for key in gold:
            if key in mine and mine[key] != gold[key] and len(changed) < MAX_RECORDS:
                changed[str(key)] = _fields(mine[key], gold[key])
        if changed:
            entry["changed"] = changed
        out[str(table)] = entry
    return out


def _dump(db: Any) -> dict[str, Any]:
    if db is None:
        return {}
    if hasattr(db, "model_dump"):
        return db.model_dump(mode="json")
    return dict(db) if isinstance(db, dict) else {"value": db}


def _fields(mine: Any, gold: Any) -> Any:
    if not (isinstance(mine, dict) and isinstance(gold, dict)):
        return {"agent": _short(mine), "expected": _short(gold)}
    fields: dict[str, Any] = {}
    for name in sorted(set(mine) | set(gold), key=str):
        if mine.get(name) != gold.get(name) and len(fields) < MAX_FIELDS:
            fields[str(name)] = [_short(mine.get(name)), _short(gold.get(name))]
    return fields


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 300 else text[:297] + "..."
