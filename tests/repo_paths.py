"""Where the tests' data and tools live (importable from every test: ``tests/`` is on
``sys.path``).

Every test reads its data from inside the repository, so a clone alone runs the whole suite.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
#: τ²-bench's data files (MIT, commit a2c02472): see ``fixtures/tau2-data/README.md``.
TAU2_DATA = FIXTURES / "tau2-data"


def find_uv() -> str:
    """uv from PATH, or the copy ``make`` bootstraps into ``.tools/`` (``make test`` always has
    one, so its absence is a failure, not a skip)."""
    found = shutil.which("uv") or (REPO / ".tools" / "bin" / "uv")
    assert Path(found).exists(), "uv is missing: run `make sync` (it installs uv into .tools/)"
    return str(found)


def wheel_names(project: Path, out_dir: Path) -> set[str]:
    """The file names inside the wheel of ``project``, built offline with uv."""
    out = subprocess.run(
        [find_uv(), "build", "--wheel", "--offline", "-q", "-o", str(out_dir), str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    wheels = list(out_dir.glob("*.whl"))
    assert out.returncode == 0 and wheels, f"uv build failed: {out.stderr[-500:]}"
    return set(zipfile.ZipFile(wheels[0]).namelist())
