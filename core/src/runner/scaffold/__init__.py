"""``runner new-plugin``: write a plugin package that works before its author edits a line.

A scaffold is the shortest path from "I want a domain (an agent, a user simulator, a voice
provider)" to a package that installs, shows in ``runner list-plugins``, passes ``runner
check-plugin`` and its own tests. Each kind is a folder of templates under ``templates/``
(plus the files every kind shares in ``templates/common/``), filled by plain token
replacement: the templates are Python, JSON, TOML and Markdown full of braces, so a format
language would need escaping everywhere. The generated code imports only runner's public API.
"""

from __future__ import annotations

import json
import keyword
import re
import textwrap
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from runner.errors import ConfigError

#: The kinds ``runner new-plugin --kind`` writes, and what each one registers.
KINDS: dict[str, str] = {
    "domain": "domains",
    "agent": "agents",
    "user": "users",
    "voice": "voice_providers",
}
#: The default ``--description`` of each kind.
DESCRIPTIONS: dict[str, str] = {
    "domain": "An order desk domain for runner (tools, tasks and a policy)",
    "agent": "An agent for runner, played by a chat model",
    "user": "A simulated user for runner, played by a chat model",
    "voice": "A voice provider for runner (speech synthesis and recognition)",
}
TEMPLATES = Path(__file__).parent / "templates"
SUFFIX = ".tmpl"
#: Template files whose written name differs (hatch leaves dotfiles out of package data).
RENAMED = {"gitignore": ".gitignore"}
MAX_NAME = 32
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class PluginNames:
    """Every name a plugin called ``NAME`` uses, derived once.

    ``runner new-plugin shop`` and ``runner new-plugin runner-shop`` both give the distribution
    ``runner-shop``, the package ``runner_shop`` and the registered name ``shop``.
    """

    name: str
    dist: str
    package: str
    class_prefix: str
    env_prefix: str

    @classmethod
    def of(cls, raw: str) -> PluginNames:
        text = raw.strip().lower()
        if not NAME_PATTERN.fullmatch(text):
            raise ConfigError(
                f"{raw!r} is not a plugin name runner can use: start with a letter and use only "
                "lowercase letters, digits, and single '-' or '_' between them (e.g. "
                "'bookshop' or 'my-shop')."
            )
        if len(text) > MAX_NAME:
            raise ConfigError(
                f"{raw!r} is {len(text)} characters long; keep plugin names to {MAX_NAME} or fewer "
                "(they become package, class and command-line names)."
            )
        short = re.sub(r"^runner[-_]", "", text)
        if not short or short == "runner":
            raise ConfigError(f"{raw!r} names runner itself; give the plugin its own name.")
        name = short.replace("-", "_")
        if keyword.iskeyword(name):
            raise ConfigError(f"{raw!r} is a Python keyword; pick another plugin name.")
        parts = re.split(r"[-_]", short)
        return cls(
            name=name,
            dist=f"runner-{short.replace('_', '-')}",
            package=f"runner_{name}",
            class_prefix="".join(part.capitalize() for part in parts),
            env_prefix=f"RUNNER_{name.upper()}",
        )


@dataclass
class Scaffold:
    """What :func:`write_plugin` wrote: the names, the folder and the files (relative paths)."""

    names: PluginNames
    kind: str
    root: Path
    files: list[Path] = field(default_factory=list)


def write_plugin(
    name: str, kind: str, dest: Path | None = None, description: str | None = None
) -> Scaffold:
    """Write the ``kind`` plugin package ``name`` into ``dest`` (default: ``./<distribution>``).

    The folder must be new or empty: a scaffold never overwrites anyone's work.
    """
    if kind not in KINDS:
        raise ConfigError(f"Unknown plugin kind {kind!r}; the kinds are {', '.join(KINDS)}.")
    names = PluginNames.of(name)
    root = Path(dest) if dest is not None else Path.cwd() / names.dist
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ConfigError(
            f"{root} already exists and is not an empty folder; new-plugin never overwrites "
            "files. Pass another --dir, or remove the folder first."
        )
    tokens = _tokens(names, kind, description)
    scaffold = Scaffold(names=names, kind=kind, root=root)
    for source, relative in _templates(kind, names):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_fill(source.read_text(encoding="utf-8"), tokens), encoding="utf-8")
        scaffold.files.append(relative)
    return scaffold


def _tokens(names: PluginNames, kind: str, description: str | None) -> dict[str, str]:
    text = description if description and description.strip() else DESCRIPTIONS[kind]
    try:
        version = metadata.version("runner-core")
    except metadata.PackageNotFoundError:  # running from a source tree without metadata
        version = "0.1.0"
    summary = " ".join(text.split())
    return {
        "__DESCRIPTION_LITERAL__": _literal(summary),
        "__DESCRIPTION_QUOTED__": json.dumps(summary, ensure_ascii=False),
        "__DIST__": names.dist,
        "__PACKAGE__": names.package,
        "__NAME__": names.name,
        "__CLASS__": names.class_prefix,
        "__ENV__": names.env_prefix,
        "__DESCRIPTION__": summary,
        "__CORE_VERSION__": re.sub(r"(\d+(?:\.\d+)*).*", r"\1", version),
    }


def _templates(kind: str, names: PluginNames) -> list[tuple[Path, Path]]:
    """``(template, path in the package)`` for the shared files and the kind's own, sorted."""
    found: dict[Path, Path] = {}
    for folder in (TEMPLATES / "common", TEMPLATES / kind):
        for source in folder.rglob(f"*{SUFFIX}"):
            parts = source.relative_to(folder).with_suffix("").parts
            relative = Path(*(part.replace("__PACKAGE__", names.package) for part in parts))
            found[relative.with_name(RENAMED.get(relative.name, relative.name))] = source
    return [(source, relative) for relative, source in sorted(found.items())]


def _literal(text: str) -> str:
    """``text`` as a Python string literal at module level, split to fit 100 columns."""
    if len(text) <= 80:
        return _quoted(text)
    chunks = textwrap.wrap(text, width=90, drop_whitespace=False)
    return "(\n" + "".join(f"    {_quoted(chunk)}\n" for chunk in chunks) + ")"


def _quoted(text: str) -> str:
    """A one-line string literal with the quotes ruff's formatter prefers (fewest escapes)."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    escaped = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{escaped}{quote}"


def _fill(text: str, tokens: dict[str, str]) -> str:
    """Every token replaced in one pass, so a description holding a token stays as written."""
    pattern = "|".join(map(re.escape, sorted(tokens, key=len, reverse=True)))
    return re.sub(pattern, lambda match: tokens[match.group()], text)
