"""Reading and writing τ²-bench style task files, with errors that point at the problem."""

from __future__ import annotations

import bisect
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


#: Invalid tasks listed in one error (the rest are counted).
MAX_REPORTED = 20


def parse_tasks(raw: Any, source: str = "<tasks>", text: str | None = None) -> list[Task]:
    """Validate already-parsed task data; ``source`` and ``text`` make errors precise.

    Every invalid task is reported at once (up to :data:`MAX_REPORTED`), each at the line of
    its bad field, so one round of fixes is enough.
    """
    wrapped = isinstance(raw, dict) and isinstance(raw.get("tasks"), list)
    if wrapped:
        raw = raw["tasks"]
    if not isinstance(raw, list):
        raise TaskFileError(
            f"Task file {source}: expected a JSON list of task objects at the top level, "
            f"found {type(raw).__name__}."
        )
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    problems: list[tuple[int, Any, _Invalid]] = []
    for index, item in enumerate(raw):
        try:
            task = _validate(item)
        except _Invalid as problem:
            problems.append((index, item, problem))
            continue
        if task.id in seen:
            problems.append(
                (
                    index,
                    item,
                    _Invalid(
                        f": duplicate task id {task.id!r} (first at task {seen[task.id]})",
                        advice="Task ids must be unique within a file.",
                    ),
                )
            )
            continue
        seen[task.id] = index
        tasks.append(task)
    if problems:
        raise _file_error(source, text, ("tasks",) if wrapped else (), problems)
    return tasks


FORMAT_ADVICE = "Fix that field; see docs/file-formats.md for the task format."


class _Invalid(Exception):
    """What is wrong with one task (the caller adds where it is): ``path`` is the data path of
    the bad field within the task, when there is one; ``advice`` says what to do."""

    def __init__(
        self, message: str, path: tuple[Any, ...] = (), advice: str = FORMAT_ADVICE
    ) -> None:
        super().__init__(message)
        self.path = path
        self.advice = advice


def _validate(item: Any) -> Task:
    if not isinstance(item, dict):
        raise _Invalid(
            f": expected a task object, found {type(item).__name__}",
            advice="Each element of the list must be a JSON object.",
        )
    try:
        return Task.model_validate(item)
    except ValidationError as exc:
        # the deepest error is the most specific (a union reports every branch it tried)
        err = max(exc.errors(), key=lambda e: len(e["loc"]))
        more = exc.error_count() - 1
        extra = f" ({more} more problem(s) in this task)" if more else ""
        raise _Invalid(
            f", field {field_path(err['loc'], item)}: {err['msg']}{extra}",
            _data_path(err["loc"], item),
        ) from None


def _file_error(
    source: str,
    text: str | None,
    prefix: tuple[Any, ...],
    problems: list[tuple[int, Any, _Invalid]],
) -> TaskFileError:
    lines = value_lines(text) if text else {}
    located = [
        _where(index, item, _line_of(lines, (*prefix, index, *problem.path))) + str(problem)
        for index, item, problem in problems[:MAX_REPORTED]
    ]
    if len(located) == 1:
        return TaskFileError(f"Task file {source}, {located[0]}. {problems[0][2].advice}")
    more = len(problems) - len(located)
    rest = f"; ... and {more} more invalid task(s)" if more else ""
    return TaskFileError(
        f"Task file {source}: {len(problems)} invalid task(s), each where its problem is: "
        + "; ".join(located)
        + rest
        + ". Fix each one; see docs/file-formats.md for the task format."
    )


def _line_of(lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> int | None:
    """The line of the deepest part of ``path`` that the text has."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def dump_tasks(tasks: list[Task]) -> list[dict[str, Any]]:
    """The JSON form of tasks: exactly the fields that were loaded, unknown ones included."""
    return [t.to_json() for t in tasks]


def _where(index: int, item: Any, line: int | None) -> str:
    where = f"line {line}, " if line is not None else ""
    where += f"task {index}"
    task_id = item.get("id") if isinstance(item, dict) else None
    if task_id is not None:
        where += f" (id {task_id!r})"
    return where


def value_lines(text: str) -> dict[tuple[Any, ...], int]:
    """The line on which every value of a JSON text starts, by its path (keys and indices).

    A small recursive scanner (strings and escapes aware), run only to place an error: the
    ``json`` module keeps no positions.
    """
    lines: dict[tuple[Any, ...], int] = {}
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_at(pos: int) -> int:
        return bisect.bisect_left(newlines, pos) + 1

    def skip(pos: int) -> int:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        return pos

    def string_end(pos: int) -> int:  # pos at the opening quote; returns after the closing one
        pos += 1
        while pos < len(text) and text[pos] != '"':
            pos += 2 if text[pos] == "\\" else 1
        return pos + 1

    def value(pos: int, path: tuple[Any, ...]) -> int:
        pos = skip(pos)
        lines[path] = line_at(pos)
        if pos >= len(text):
            return pos
        ch = text[pos]
        if ch == "{":
            pos = skip(pos + 1)
            while pos < len(text) and text[pos] != "}":
                key_end = string_end(pos)
                key = json.loads(text[pos:key_end])
                pos = skip(key_end)
                pos = value(pos + 1, (*path, key))  # after the colon
                pos = skip(pos)
                if pos < len(text) and text[pos] == ",":
                    pos = skip(pos + 1)
            return pos + 1
        if ch == "[":
            pos = skip(pos + 1)
            index = 0
            while pos < len(text) and text[pos] != "]":
                pos = skip(value(pos, (*path, index)))
                index += 1
                if pos < len(text) and text[pos] == ",":
                    pos = skip(pos + 1)
            return pos + 1
        if ch == '"':
            return string_end(pos)
        while pos < len(text) and text[pos] not in ",]}":
            pos += 1
        return pos

    value(0, ())
    return lines


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """The keys and indices of ``loc`` that exist in ``data`` (pydantic's union and tag parts
    left out), as :func:`field_path` walks them."""
    path: list[Any] = []
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
    return tuple(path)


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
