"""DB: loading JSON, TOML and YAML with readable errors; a canonical, cross-process hash."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from foundation_helpers import clean_env
from pydantic import BaseModel
from runner import DB
from runner.environment import DBError, dict_hash


class Seat(BaseModel):
    number: str
    price: float
    booked: bool = False


class FlightDB(DB):
    flights: dict[str, list[Seat]]
    updated: datetime | None = None


class TaggedDB(DB):
    """Sets are the one place where the hash deliberately differs from τ²-bench (whose
    ``str(set)`` depends on the process's hash seed)."""

    tags: set[str]
    nested: dict[str, frozenset[int]] = {}


DATA = {
    "flights": {
        "HA1": [{"number": "1A", "price": 120.5}, {"number": "1B", "price": 99.0, "booked": True}]
    }
}


def test_load_json_toml_and_yaml_give_the_same_db(tmp_path: Path) -> None:
    (tmp_path / "db.json").write_text(json.dumps(DATA))
    (tmp_path / "db.toml").write_text(
        '[[flights.HA1]]\nnumber = "1A"\nprice = 120.5\n\n[[flights.HA1]]\nnumber = "1B"\nprice = 99.0\nbooked = true\n'
    )
    (tmp_path / "db.yaml").write_text(
        "flights:\n  HA1:\n    - {number: '1A', price: 120.5}\n    - {number: '1B', price: 99.0, booked: true}\n"
    )
    dbs = [FlightDB.load(tmp_path / name) for name in ("db.json", "db.toml", "db.yaml")]
    assert dbs[0] == dbs[1] == dbs[2]
    assert dbs[0].flights["HA1"][1].booked
    assert len({db.hash() for db in dbs}) == 1


def test_dump_then_load_round_trips(tmp_path: Path) -> None:
    db = FlightDB.model_validate(DATA)
    for name in ("out.json", "out.yaml"):
        db.dump(tmp_path / name)
        assert FlightDB.load(tmp_path / name) == db


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("db.json", '{"flights": {"HA1": [}', r"db\.json is not valid JSON: .*line 1 column 22"),
        ("db.toml", "a = 1\nflights = ]\n", r"db\.toml is not valid TOML: .*line 2"),
        ("db.yaml", "flights:\n  - a\n b: [\n", r"db\.yaml is not valid YAML: .*line 3"),
        (
            "db.json",
            '{"flights": {"HA1": [{"number": "1A"}]}}',
            r"db\.json: field flights\.HA1\.0\.price: Field required \(1 problem\(s\) in all\)\. "
            r"The file does not match FlightDB",
        ),
        ("db.json", '{"flights": {}, "extra": 1}', r"field extra: Extra inputs are not permitted"),
        ("db.xml", "<db/>", r"unsupported format '\.xml'; use \.json, \.toml or \.yaml"),
    ],
)
def test_bad_files_are_one_paragraph_errors(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(DBError, match=expected) as info:
        FlightDB.load(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DBError, match="Cannot read data file .*missing.json: No such file"):
        FlightDB.load(tmp_path / "missing.json")


def test_hash_is_tau2_definition() -> None:
    db = FlightDB.model_validate({**DATA, "updated": "2024-05-01T12:00:00"})
    # τ²-bench: sha256(json.dumps(model_dump(), sort_keys=True, default=str))
    expected = hashlib.sha256(
        json.dumps(db.model_dump(), sort_keys=True, default=str).encode()
    ).hexdigest()
    assert db.hash() == expected
    # pinned value: a change of the canonical form (separators, dump mode) is caught here
    plain = FlightDB.model_validate(DATA)
    assert plain.hash() == "e5cbf2613667fe2bbbab4d439e66c00e7891183e5bd4dbf8ed8b77fc53004f35"


def test_hash_ignores_key_order_but_not_values() -> None:
    a = dict_hash({"x": 1, "y": [1, 2]})
    assert a == dict_hash({"y": [1, 2], "x": 1})
    assert a != dict_hash({"x": 1, "y": [2, 1]})


HASH_SCRIPT = """
import json, sys
sys.path[:0] = sys.argv[1:]
from test_db_files_and_hash import FlightDB, TaggedDB, DATA
db = FlightDB.model_validate({**DATA, "updated": "2024-05-01T12:00:00"})
tagged = TaggedDB(tags={"zeta", "alpha", "mid", "beta", "gamma"}, nested={"n": frozenset({3, 1, 2})})
print(db.hash(), tagged.hash())
"""


def test_hash_is_identical_across_processes_with_different_hash_seeds() -> None:
    folder = str(Path(__file__).parent)
    hashes = set()
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", HASH_SCRIPT, folder, str(Path(__file__).parents[2])],
            capture_output=True,
            text=True,
            env=clean_env(PYTHONHASHSEED=seed),
            timeout=60,
            check=True,
        )
        hashes.add(out.stdout.strip())
    assert len(hashes) == 1
    assert [len(h) for h in hashes.pop().split()] == [64, 64]
