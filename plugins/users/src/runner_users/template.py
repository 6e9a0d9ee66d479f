"""Prompt templates of the user simulator: readable Markdown files with ``{placeholders}``.

A placeholder is a name in braces, ``{instructions}``; ``{{`` and ``}}`` write literal braces.
Any other brace (a JSON example, say) is left as it is. A template is checked when it is
loaded: a file that cannot be read or that uses a placeholder the simulator does not fill is a
:class:`runner.ConfigError` naming the file, the line and the known placeholders.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from runner import ConfigError

#: What each placeholder of a user-simulator template is filled with.
PLACEHOLDERS: dict[str, str] = {
    "instructions": "the task's user instructions (user_scenario.instructions, as text)",
    "persona": "the task's persona (user_scenario.persona), or a note that there is none",
    "ticket": "the task's ticket, or an empty string",
    "domain": "the domain's name",
    "tool_guidelines": "how to use the user's tools (prompts/user_tools.md) when the domain "
    "gives the user tools, else an empty string",
    "stop_token": "###STOP###",
    "transfer_token": "###TRANSFER###",
    "out_of_scope_token": "###OUT-OF-SCOPE###",
}
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Template:
    """A parsed template; :meth:`render` fills it."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.names = _placeholders(text, source)

    def render(self, values: dict[str, str]) -> str:
        def fill(match: re.Match[str]) -> str:
            token = match.group(0)
            if token == "{{":
                return "{"
            if token == "}}":
                return "}"
            return values[match.group(1)]

        return _TOKEN.sub(fill, self.text).strip() + "\n"


def _placeholders(text: str, source: str) -> frozenset[str]:
    names = set()
    unknown: list[str] = []
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            line = text.count("\n", 0, match.start()) + 1
            unknown.append(f"{{{name}}} (line {line})")
        names.add(name)
    if unknown:
        known = ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)
        raise ConfigError(
            f"The user simulator prompt {source} uses unknown placeholder(s) "
            f"{', '.join(unknown)}. Known placeholders: {known}. Write {{{{ and }}}} for "
            "literal braces."
        )
    return frozenset(names)


def builtin(name: str) -> Template:
    """A template shipped in ``runner_users/prompts/``."""
    return _builtin(name)


@cache
def _builtin(name: str) -> Template:
    text = resources.files("runner_users").joinpath("prompts", name).read_text(encoding="utf-8")
    return Template(text, f"runner_users/prompts/{name}")


def load(path: str | Path) -> Template:
    """The template at ``path`` (``--user-option prompt=PATH``), read once per file version."""
    file = Path(path).expanduser()
    try:
        stamp = file.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigError(
            f"--user-option prompt={path}: cannot read the prompt template ({exc.strerror or exc}). "
            "Give the path of a Markdown/text file; start from the built-in one, "
            "runner_users/prompts/user_simulator.md."
        ) from None
    return _load(str(file.resolve()), stamp)


@lru_cache(maxsize=64)
def _load(path: str, stamp: int) -> Template:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"--user-option prompt={path}: cannot read the prompt template ({exc}). It must be "
            "a UTF-8 text file."
        ) from None
    return Template(text, path)
