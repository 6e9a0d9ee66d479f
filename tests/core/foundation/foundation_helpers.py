"""Helpers of the foundation tests, importable as ``foundation_helpers`` (fixtures live in
``conftest.py``)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repo_paths import REPO, TAU2_DATA, find_uv

PLUGIN_ENV_VARS = (
    "RUNNER_PLUGINS",
    "RUNNER_DISABLE_PLUGINS",
    "RUNNER_LOAD_PLUGINS",
    "RUNNER_STRICT_PLUGINS",
)


def tau2_task_files() -> list[Path]:
    """Every τ²-bench task file of the reference data (``tasks_voice.json`` is not one)."""
    return sorted(
        p for p in TAU2_DATA.glob("*/tasks*.json") if p.name in ("tasks.json", "tasks_small.json")
    )


def clean_env(**extra: str) -> dict[str, str]:
    """A subprocess environment without RUNNER_* plugin settings or PYTHONPATH from the shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNNER_") and k != "PYTHONPATH"}
    env.update(extra)
    return env


@dataclass
class FakeDist:
    name: str
    version: str


@dataclass
class FakeEntryPoint:
    """Stands in for an installed ``runner`` entry point (the attributes the loader reads)."""

    name: str
    value: str
    dist: FakeDist | None
    loader: Callable[[], Any]

    def load(self) -> Any:
        return self.loader()


def entry_point(
    name: str, module: str, dist: str | None = None, version: str = "1.0"
) -> FakeEntryPoint:
    return FakeEntryPoint(
        name=name,
        value=module,
        dist=FakeDist(dist, version) if dist else None,
        loader=lambda: importlib.import_module(module),
    )


# -- a throw-away virtualenv with wheels installed, as a user would have it ---------------------
PLUGIN_PACKAGES = REPO / "tests" / "fixtures" / "plugin-packages"
EXAMPLE_PACKAGE = REPO / "docs" / "examples" / "runner-example"


@dataclass
class WheelVenv:
    """A virtualenv holding freshly built wheels of runner-core and some plugins.

    Their dependencies (pydantic, click, ...) come from the workspace's ``.venv`` through a
    ``.pth`` file pointing at a copy of its site-packages *without* the workspace's own
    distributions, so installing needs no network and the venv sees only the wheels.
    """

    root: Path
    wheels: dict[str, Path]

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def env(self, **extra: str) -> dict[str, str]:
        return clean_env(
            VIRTUAL_ENV=str(self.root),
            PATH=f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
            **extra,
        )

    def runner(
        self, *args: str, cwd: Path | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "runner"), *args],
            capture_output=True,
            text=True,
            timeout=300,
            env=self.env(**env),
            cwd=cwd,
        )

    def install(self, wheels: list[Path]) -> None:
        """Install ``wheels`` offline without their dependencies (the overlay provides those)."""
        subprocess.run(
            [
                find_uv(),
                "pip",
                "install",
                "--quiet",
                "--offline",
                "--no-deps",
                "--python",
                str(self.bin / "python"),
                *map(str, wheels),
            ],
            check=True,
            env=clean_env(),
            capture_output=True,
            timeout=300,
        )

    def python(
        self, *args: str, cwd: Path | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "python"), *args],
            capture_output=True,
            text=True,
            timeout=300,
            env=self.env(**env),
            cwd=cwd,
        )


def build_wheels(uv: str, sources: list[Path], out: Path) -> dict[str, Path]:
    """Build one wheel per source folder, in parallel; ``{folder name: wheel path}``."""
    procs = {}
    for src in sources:
        target = out / src.name
        procs[src.name] = (
            target,
            subprocess.Popen(
                [uv, "build", "--wheel", "--quiet", "--out-dir", str(target), str(src)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=clean_env(UV_NO_PROGRESS="1"),
            ),
        )
    wheels = {}
    for name, (target, proc) in procs.items():
        output, _ = proc.communicate(timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"uv build {name} failed:\n{output}")
        (wheel,) = target.glob("*.whl")
        wheels[name] = wheel
    return wheels


def dependency_overlay(target: Path) -> Path:
    """A folder of links to the workspace venv's site-packages minus the workspace packages."""
    site = Path(sysconfig.get_paths()["purelib"])
    target.mkdir(parents=True)
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("runner", "_editable_impl_runner", "__editable__")) or name.endswith(
            ".pth"
        ):
            continue
        (target / entry.name).symlink_to(entry)
    return target


def make_wheel_venv(root: Path, sources: list[Path]) -> WheelVenv:
    uv = find_uv()
    wheels = build_wheels(uv, sources, root / "wheels")
    venv = root / "venv"
    subprocess.run(
        [uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
        check=True,
        env=clean_env(),
        capture_output=True,
        timeout=120,
    )
    (site,) = (venv / "lib").glob("python*/site-packages")
    overlay = dependency_overlay(root / "deps")
    (site / "zz_workspace_deps.pth").write_text(f"{overlay}\n", encoding="utf-8")
    built = WheelVenv(root=venv, wheels=wheels)
    built.install(list(wheels.values()))
    return built
