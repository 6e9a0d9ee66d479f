"""The local test server needs the ``testing`` extra (aiohttp); without it the import says so."""

from __future__ import annotations

import subprocess
import sys

# A fresh interpreter in which ``import aiohttp`` fails, as it does without the extra.
SCRIPT = """
import sys
sys.modules["aiohttp"] = None
try:
    import runner.testing.llm_server
except ImportError as error:
    print(error)
else:
    print("imported")
"""


def test_server_without_aiohttp_names_the_extra() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    assert "pip install 'runner-core[testing]'" in out
    assert "aiohttp" in out


def test_runner_testing_imports_without_aiohttp() -> None:
    script = 'import sys; sys.modules["aiohttp"] = None; import runner.testing; print("ok")'
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "ok"
