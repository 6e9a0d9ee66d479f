"""The store's old module paths still work for one release, with a DeprecationWarning."""

from __future__ import annotations

import importlib

import pytest
import runner.store
import runner.store.layout
import runner.store.line
import runner.store.locations

MOVED = [
    ("runner.checkpoint", "RunDirectory", runner.store.RunDirectory),
    ("runner.checkpoint", "config_diff", runner.store.config_diff),
    ("runner.checkpoint", "write_json_atomic", runner.store.layout.write_json_atomic),
    ("runner.results_jsonl", "ResultsWriter", runner.store.ResultsWriter),
    ("runner.results_jsonl", "read_results", runner.store.read_results),
    ("runner.results_jsonl", "scan_results", runner.store.scan_results),
    ("runner.result_line", "result_line", runner.store.result_line),
    ("runner.result_line", "parse_lines", runner.store.line.parse_lines),
    ("runner.results", "read_results_file", runner.store.read_results_file),
    ("runner.results", "ResultsFile", runner.store.ResultsFile),
    ("runner.results", "RESULTS_JSONL", runner.store.RESULTS_FILE),
    ("runner.results", "line_of", runner.store.locations.line_of),
]


@pytest.mark.parametrize(("module", "name", "new"), MOVED)
def test_an_old_path_warns_and_gives_the_same_object(module, name, new):
    old = importlib.import_module(module)
    with pytest.warns(DeprecationWarning, match=rf"{module}\.{name} moved to runner\.store"):
        assert getattr(old, name) is new


def test_from_import_warns_at_the_importer():
    with pytest.warns(DeprecationWarning) as caught:
        from runner.checkpoint import RunDirectory
    assert RunDirectory is runner.store.RunDirectory
    assert caught[0].filename == __file__


def test_an_unknown_name_is_still_an_attribute_error():
    import runner.checkpoint

    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        runner.checkpoint.nothing  # noqa: B018
