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
    for index, item in enumerate(raw):
        where = _where(source, index, item, text)
        if not isinstance(item, dict):
            raise TaskFileError(f"{where}: expected a task object, found {type(item).__name__}.")
        try:
            task = Task.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = _field_path(err["loc"])
            more = f" ({exc.error_count() - 1} more problem(s) in this task)" if exc.error_count() > 1 else ""
            raise TaskFileError(
                f"{where}, field {field}: {err['msg']}{more}. "
                "Fix that field; see docs/file-formats.md for the task format."
            ) from None
        if task.id in seen:
            raise TaskFileError(f"{where}: duplicate task id {task.id!r} (first at index {seen[task.id]}). "
                                "Task ids must be unique within a file.")
        seen[task.id] = index
        tasks.append(task)
    return tasks


def dump_tasks(tasks: list[Task]) -> list[dict[str, Any]]:
    """The JSON form of tasks: exactly the fields that were loaded, unknown ones included."""
    return [t.to_json() for t in tasks]


def _where(source: str, index: int, item: Any, text: str | None) -> str:
    task_id = item.get("id") if isinstance(item, dict) else None
    where = f"Task file {source}, task {index}"
    if task_id is not None:
        where += f" (id {task_id!r})"
        line = _line_of_id(text, task_id) if text else None
        if line:
            where = f"Task file {source}, line {line}, task {index} (id {task_id!r})"
    return where


def _line_of_id(text: str, task_id: Any) -> int | None:
    needle = json.dumps(task_id)
    for lineno, line in enumerate(text.splitlines(), 1):
        if '"id"' in line and needle in line:
            return lineno
    return None


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "StructuredUserInstructions") or "[" in str(part):
            continue  # union branch names pydantic adds; not part of the user's path
        else:
            out += ("." if out else "") + str(part)
    return out or "(task)"
