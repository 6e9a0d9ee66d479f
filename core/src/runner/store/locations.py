"""Where in a JSON file a problem is: ``FILE, line N, field messages[3].content: ...``.

A results file is often large and inspected by hand, so every error the readers raise names the
file, the line and the field as the user wrote them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from runner.errors import RunnerError
from runner.models.taskfile import field_path


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path``; an unreadable file is a :class:`RunnerError` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RunnerError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise RunnerError(f"{path} is not a UTF-8 text file; a results file is JSON.") from None


def problem(exc: ValidationError, data: Any) -> str:
    """``, field messages[3].content: Input should be a valid string`` for the deepest error."""
    err = max(exc.errors(), key=lambda e: len(e["loc"]))
    more = exc.error_count() - 1
    extra = f" ({more} more problem(s))" if more else ""
    return f", field {field_path(err['loc'], data, '(top level)')}: {err['msg']}{extra}."


def at(path: Path, text: str | None, where: list[Any]) -> str:
    """``FILE, line N`` where the value at JSON path ``where`` starts (just ``FILE`` if unknown)."""
    line = line_of(text, where) if text is not None and where else None
    return f"{path}, line {line}" if line else str(path)


def line_of(text: str, where: list[Any]) -> int | None:
    """The 1-based line on which the value at ``where`` (keys and list indices) starts.

    Walks the JSON text, decoding only the keys on the way and skipping other values with the
    standard decoder, so it costs about one parse of the file (and runs only to report an error).
    """
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    try:
        for step in where:
            if isinstance(step, int):
                if text[pos] != "[":
                    return None
                pos = _skip_ws(text, pos + 1)
                for _ in range(step):
                    _, pos = decoder.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    if text[pos] != ",":
                        return None
                    pos = _skip_ws(text, pos + 1)
            else:
                if text[pos] != "{":
                    return None
                pos = _skip_ws(text, pos + 1)
                while True:
                    key, pos = decoder.raw_decode(text, pos)
                    pos = _skip_ws(text, _skip_ws(text, pos) + 1)  # past the colon
                    if key == step:
                        break
                    _, pos = decoder.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    if text[pos] != ",":
                        return None
                    pos = _skip_ws(text, pos + 1)
    except (ValueError, IndexError):
        return None
    return text.count("\n", 0, pos) + 1


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
