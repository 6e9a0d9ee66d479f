"""Loading every installed plugin imports no heavy library.

``runner --help`` and ``runner list-plugins`` must stay fast with every plugin installed, so a
plugin's entry-point module, its registration hooks and its ``register_commands`` may not import
litellm, numpy, Ray, audio libraries (or the like) at load time; heavy imports belong inside the
factories that build a component. When this test fails it names the plugin and the module (file
and line) that made the import.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from foundation_helpers import clean_env

HEAVY = (
    "litellm",
    "openai",
    "tiktoken",
    "numpy",
    "scipy",
    "pandas",
    "torch",
    "ray",
    "soundfile",
    "sounddevice",
    "pyaudio",
    "librosa",
    "pydub",
    "webrtcvad",
    "aiohttp",
    "httpx",
    "pyreqwest",
)

PROBE = r"""
import json, sys, traceback

HEAVY = set(json.loads(sys.argv[1]))
first_import = {}

class Spy:
    # records who imports a heavy top-level package first; never finds anything itself
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in HEAVY and top not in first_import:
            stack = [f for f in traceback.extract_stack()[:-1] if "importlib" not in f.filename
                     and not f.filename.startswith("<frozen")]
            first_import[top] = [(f.filename, f.lineno) for f in stack]
        return None

already = sorted(m for m in HEAVY if m in sys.modules)
sys.meta_path.insert(0, Spy())

import click
from runner.cli.app import cli, BUILTIN_COMMANDS
from runner.plugins import PluginOptions, Plugins

plugins = Plugins(PluginOptions.from_env()).load()
plugins.add_commands(click.Group("probe"), reserved=BUILTIN_COMMANDS)

files = {}
for info in plugins.infos:
    module = sys.modules.get(info.module.partition(":")[0])
    path = getattr(module, "__file__", None)
    if path:
        files[info.label] = path.rsplit("/", 1)[0]
print(json.dumps({
    "already": already,
    "heavy": sorted(m for m in HEAVY if m in sys.modules),
    "first_import": first_import,
    "plugin_dirs": files,
    "plugins": [i.label for i in plugins.infos],
}))
"""


def culprit(stack: list[list], plugin_dirs: dict[str, str]) -> str:
    """The plugin whose code is on the import stack (innermost frame first) and the frame."""
    for filename, lineno in reversed(stack):
        for plugin, folder in plugin_dirs.items():
            if filename.startswith(folder + "/"):
                return f"plugin {plugin} ({filename}:{lineno})"
    frames = ", ".join(f"{f}:{n}" for f, n in stack[-4:])
    return f"no plugin frame on the stack (innermost frames: {frames})"


def heavy_imports(heavy: tuple[str, ...], **env: str) -> list[str]:
    """Load every plugin in a fresh interpreter; describe each heavy import and who made it."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(heavy)],
        capture_output=True,
        text=True,
        env=clean_env(**env),
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["already"] == [], "the interpreter imported these before any runner code ran"
    assert "runner-core" in report["plugins"]
    return [
        f"{module} was imported while loading plugins, by "
        f"{culprit(report['first_import'].get(module, []), report['plugin_dirs'])}"
        for module in report["heavy"]
    ]


def test_loading_all_plugins_imports_nothing_heavy() -> None:
    problems = heavy_imports(HEAVY)
    assert not problems, (
        "Loading plugins must stay cheap; move these imports into the factories that need them:\n  "
        + "\n  ".join(problems)
    )


def test_a_heavy_import_is_traced_to_its_plugin(tmp_path: Path) -> None:
    (tmp_path / "fake_heavy_lib.py").write_text("VALUE = 1\n")
    package = tmp_path / "greedy_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(
        "import fake_heavy_lib  # noqa\nfrom runner import hookimpl\n"
    )
    problems = heavy_imports(
        ("fake_heavy_lib",), PYTHONPATH=str(tmp_path), RUNNER_PLUGINS="greedy_plugin.plugin"
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        "fake_heavy_lib was imported while loading plugins, by plugin "
        f"greedy_plugin.plugin ({package / 'plugin.py'}:1)"
    )


def test_culprit_names_the_innermost_plugin_frame() -> None:
    stack = [
        ["/x/runner/plugins.py", 10],
        ["/site/runner_voice/plugin.py", 7],
        ["/site/litellm/__init__.py", 1],
    ]
    dirs = {"runner-core": "/x/runner", "runner-voice": "/site/runner_voice"}
    assert culprit(stack, dirs) == "plugin runner-voice (/site/runner_voice/plugin.py:7)"
