"""The plugin author kit as a user meets it: ``runner new-plugin`` from an installed runner-core
wheel writes each kind of package; each builds, installs into the fresh virtualenv, shows in
``runner list-plugins``, passes its own tests and ruff with no edits; the domain passes
``runner check-plugin``; and the generated domain and voice provider run together."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from foundation_helpers import WheelVenv, build_wheels, clean_env, make_wheel_venv
from repo_paths import REPO, find_uv

pytestmark = pytest.mark.slow  # builds five wheels and runs four test suites (about 10 s)

KINDS = {"domain": "desk", "agent": "helper", "user": "caller", "voice": "tone"}
PROVIDES = {
    "desk": {"domains": ["desk"]},
    "helper": {"agents": ["helper"]},
    "caller": {"users": ["caller"]},
    "tone": {"voice_providers": ["tone"]},
}
#: The generated test suites and how many tests each holds.
PASSED = {"desk": 4, "helper": 3, "caller": 3, "tone": 3}


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> tuple[WheelVenv, dict[str, Path]]:
    """A virtualenv with runner-core's wheel, the four generated packages installed into it."""
    root = tmp_path_factory.mktemp("new_plugin")
    venv = make_wheel_venv(root, [REPO / "core"])
    packages = {}
    for kind, name in KINDS.items():
        out = venv.runner("new-plugin", name, "--kind", kind, cwd=root)
        assert out.returncode == 0, out.stdout + out.stderr
        assert f"Wrote runner-{name} ({kind} '{name}') in ./runner-{name}:" in out.stdout
        packages[name] = root / f"runner-{name}"
    wheels = build_wheels(find_uv(), list(packages.values()), root / "kit-wheels")
    venv.install(list(wheels.values()))
    return venv, packages


def test_every_kind_shows_in_list_plugins(kit: tuple[WheelVenv, dict[str, Path]]) -> None:
    venv, _ = kit
    out = venv.runner("--strict-plugins", "list-plugins", "--json")
    assert out.returncode == 0, out.stderr
    rows = {row["name"]: row for row in json.loads(out.stdout)}
    for name, provides in PROVIDES.items():
        row = rows[name]
        assert (row["distribution"], row["version"], row["status"]) == (
            f"runner-{name}",
            "0.1.0",
            "ok",
        )
        assert row["provides"] == provides


def test_the_domain_passes_check_plugin(kit: tuple[WheelVenv, dict[str, Path]]) -> None:
    venv, _ = kit
    out = venv.runner("check-plugin", "desk", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout)
    assert {c["name"]: c["status"] for c in report["checks"]} == {
        "tasks": "pass",
        "references": "pass",
        "schemas": "pass",
        "oracle": "pass",
        "state_hash": "pass",
        "isolation": "pass",
        "bad_arguments": "pass",
    }


@pytest.mark.parametrize("name", list(PASSED))
def test_each_package_passes_its_own_tests(
    kit: tuple[WheelVenv, dict[str, Path]], name: str
) -> None:
    venv, packages = kit
    out = venv.python("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=packages[name])
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{PASSED[name]} passed" in out.stdout


def test_the_generated_code_is_lint_clean(kit: tuple[WheelVenv, dict[str, Path]]) -> None:
    """ruff with each package's own settings (pyproject.toml), as its author's CI would run."""
    _, packages = kit
    ruff = shutil.which("ruff") or str(REPO / ".venv" / "bin" / "ruff")
    for path in packages.values():
        for args in (["check"], ["format", "--check"]):
            out = subprocess.run(
                [ruff, *args, "--no-cache", "."],
                cwd=path,
                capture_output=True,
                text=True,
                env=clean_env(),
                timeout=120,
            )
            assert out.returncode == 0, f"{path.name}: {out.stdout}{out.stderr}"


def test_the_domain_and_voice_run_together(
    kit: tuple[WheelVenv, dict[str, Path]], tmp_path: Path
) -> None:
    venv, _ = kit
    out = venv.runner(
        "run",
        "--domain",
        "desk",
        "--agent",
        "replay",
        "--user",
        "scripted",
        "--orchestrator",
        "full_duplex",
        "--voice-provider",
        "tone",
        "--output-dir",
        str(tmp_path),
        "--run-name",
        "spoken",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = (tmp_path / "spoken" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    results = [json.loads(line) for line in lines]
    assert sorted(r["task_id"] for r in results) == ["cancel_o1", "keep_shipped_o2", "where_is_o2"]
    assert [r["reward_info"]["reward"] for r in results] == [1.0, 1.0, 1.0]
    assert all((tmp_path / "spoken" / r["audio"]["user"]).is_file() for r in results)
