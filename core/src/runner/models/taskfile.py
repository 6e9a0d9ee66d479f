"""Reading and writing τ²-bench style task files, with errors that point at the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from runner.errors import TaskFileError
from runner.models.task import Task


def load_tasks(path: str | Path) -> list[Task]:
    """Read a ``tasks.json`` (a JSON list of tasks, or ``{"tasks": [...]}``).

    Every problem is a :class:`TaskFileError` naming the file, the line where it can, the task's
    id or index, and the field path.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaskFileError(f"Task file {path} does not exist. Check the path.") from None
    except OSError as exc:
        raise TaskFileError(f"Task file {path} cannot be read: {exc.strerror}.") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaskFileError(
            f"Task file {path}, line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg}). "
            "Fix the syntax there; the file must hold a JSON list of task objects."
        ) from None
    return parse_tasks(raw, source=str(path), text=text)


def parse_tasks(raw: Any, source: str = "<tasks>", text: str | None = None) -> list[Task]:
    """Validate already-parsed task data; ``source`` and ``text`` make errors precise."""
    if isinstance(raw, dict) and isinstance(raw.get("tasks"), list):
        raw = raw["tasks"]
    if not isinstance(raw, list):
        raise TaskFileError(
            f"Task file {source}: expected a JSON list of task objects at the top level, "
            f"found {type(raw).__name__}."
        )
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    lines: list[int] | None = None  # computed only when an error needs them
    for index, item in enumerate(raw):
        try:
            task = _validate(item)
        except _Invalid as problem:
            if lines is None:
                lines = _element_lines(text) if text else []
            where = _where(source, index, item, lines)
            raise TaskFileError(f"{where}{problem}") from None
        if task.id in seen:
            if lines is None:
                lines = _element_lines(text) if text else []
            raise TaskFileError(
                f"{_where(source, index, item, lines)}: duplicate task id {task.id!r} "
                f"(first at task {seen[task.id]}). Task ids must be unique within a file."
            )
        seen[task.id] = index
        tasks.append(task)
    return tasks


class _Invalid(Exception):
    """What is wrong with one task (the caller adds where it is)."""


def _validate(item: Any) -> Task:
    if not isinstance(item, dict):
        raise _Invalid(f": expected a task object, found {type(item).__name__}.")
    try:
        return Task.model_validate(item)
    except ValidationError as exc:
        # the deepest error is the most specific (a union reports every branch it tried)
        err = max(exc.errors(), key=lambda e: len(e["loc"]))
        more = exc.error_count() - 1
        extra = f" ({more} more problem(s) in this task)" if more else ""
        raise _Invalid(
            f", field {field_path(err['loc'], item)}: {err['msg']}{extra}. "
            "Fix that field; see docs/file-formats.md for the task format."
        ) from None


def dump_tasks(tasks: list[Task]) -> list[dict[str, Any]]:
    """The JSON form of tasks: exactly the fields that were loaded, unknown ones included."""
    return [t.to_json() for t in tasks]


def _where(source: str, index: int, item: Any, lines: list[int]) -> str:
    where = f"Task file {source}"
    if index < len(lines):
        where += f", line {lines[index]}"
    where += f", task {index}"
    task_id = item.get("id") if isinstance(item, dict) else None
    if task_id is not None:
        where += f" (id {task_id!r})"
    return where


def _element_lines(text: str) -> list[int]:
    """The line on which each element of the file's task list starts.

    A small scanner (strings and escapes aware) over the JSON text: the task list is the first
    array met; its elements start at depth one below it.
    """
    lines: list[int] = []
    line, depth, list_depth = 1, 0, None
    in_string = escaped = False
    expecting = False
    for ch in text:
        if ch == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch.isspace() or ch == ",":
            if ch == "," and list_depth is not None and depth == list_depth:
                expecting = True
            continue
        if expecting and depth == list_depth:
            lines.append(line)
            expecting = False
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if ch == "[" and list_depth is None:
                list_depth, expecting = depth, True
        elif ch in "]}":
            if depth == list_depth:
                break
            depth -= 1
    return lines


def field_path(loc: tuple[Any, ...], data: Any, top: str = "(task)") -> str:
    """A pydantic error's location as the user wrote it: ``initial_state.message_history[2].role``
    (``top`` when it is the whole object). Shared by task files and results files.

    Pydantic puts union branch names and discriminator tags in the location; a part that is
    not a key (or index) of the data at that point, other than the last, is one of those.
    """
    out = ""
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(part, int) and isinstance(node, list):
            out += f"[{part}]"
            node = node[part] if part < len(node) else None
        elif isinstance(node, dict) and (part in node or last):
            out += ("." if out else "") + str(part)
            node = node.get(part)
        elif last and not isinstance(node, dict | list):
            break  # the branch name of a scalar union member
    return out or top
