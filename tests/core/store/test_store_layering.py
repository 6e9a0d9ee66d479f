"""The store sits below the layers that run and score simulations: it never imports them.

Every import of ``runner.*`` in ``runner/store/`` counts here, deferred ones inside functions
too, so that data flows one way (run → evaluate → store) and the store can be used alone.
"""

from __future__ import annotations

import ast

from repo_paths import REPO

STORE = REPO / "core" / "src" / "runner" / "store"
#: ``runner.voice`` is a leaf (audio clips and WAV files; it imports only ``runner.errors``): the
#: store writes a voice run's tracks with it.
ALLOWED = ("runner.errors", "runner.models", "runner.secrets", "runner.store", "runner.voice")


def imports(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name.split(".")[0] == "runner"}


def test_the_store_imports_only_the_layers_below_it():
    bad = {}
    for path in sorted(STORE.glob("*.py")):
        wrong = {
            m
            for m in imports(path)
            if m != "runner" and not any(m == a or m.startswith(a + ".") for a in ALLOWED)
        }
        if wrong:
            bad[path.name] = sorted(wrong)
    assert bad == {}
    assert imports(STORE / "line.py") == {"runner.models.record", "runner.models.simulation"}
