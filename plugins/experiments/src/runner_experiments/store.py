"""Everything an experiment does, in one SQLite file: what resume, show, replay and diff read.

Tables: ``experiments`` (one row per run of an experiment file), ``iterations`` (each policy:
iteration 0 is the initial one), ``evaluations`` (one row per unit of the grid and policy),
``llm_interactions`` (every optimizer call: prompt, response, parsed candidate, validation error,
tokens, latency, cost) and ``events`` (what happened, in order). Every write is committed at
once (WAL journal), so a process killed at any point loses nothing already recorded. Costs are
integers of micro-dollars, summed exactly.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from runner import ConfigError

SCHEMA = """
CREATE TABLE IF NOT EXISTS experiments (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, config_file TEXT, fingerprint TEXT,
    config_json TEXT NOT NULL, status TEXT NOT NULL, stop_reason TEXT, incumbent INTEGER,
    created TEXT NOT NULL, updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS iterations (
    experiment_id TEXT NOT NULL, n INTEGER NOT NULL, policy TEXT, parent INTEGER,
    status TEXT NOT NULL, score REAL, score_low REAL, score_high REAL, decision_json TEXT,
    created TEXT NOT NULL, PRIMARY KEY (experiment_id, n)
);
CREATE TABLE IF NOT EXISTS evaluations (
    experiment_id TEXT NOT NULL, n INTEGER NOT NULL, task_id TEXT NOT NULL, trial INTEGER NOT NULL,
    seed INTEGER, reward REAL, termination_reason TEXT, breakdown_json TEXT,
    cost_micro INTEGER NOT NULL, llm_calls INTEGER NOT NULL,
    PRIMARY KEY (experiment_id, n, task_id, trial)
);
CREATE TABLE IF NOT EXISTS llm_interactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, experiment_id TEXT NOT NULL, n INTEGER NOT NULL,
    attempt INTEGER NOT NULL, prompt_json TEXT NOT NULL, response TEXT, candidate TEXT,
    validation_error TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, latency REAL,
    cost_micro INTEGER NOT NULL, created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, experiment_id TEXT NOT NULL, n INTEGER,
    kind TEXT NOT NULL, data_json TEXT, created TEXT NOT NULL
);
"""


def micro(usd: float | None) -> int:
    """USD as integer micro-dollars (costs are summed as integers, exactly)."""
    return round((usd or 0.0) * 1_000_000)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Store:
    """One experiments database (created on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"Cannot open the experiments database {self.path}: {exc}. Check the folder "
                "(output.dir in the experiment file, or --db) is writable."
            ) from None
        self.db.row_factory = sqlite3.Row

    def close(self) -> None:
        self.db.close()

    # -- experiments -------------------------------------------------------------------------
    def create(self, name: str, config: dict[str, Any], config_file: str, fingerprint: str) -> str:
        experiment_id = f"{name}-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
        now = _now()
        self.db.execute(
            "INSERT INTO experiments VALUES (?, ?, ?, ?, ?, 'running', NULL, NULL, ?, ?)",
            (experiment_id, name, config_file, fingerprint, json.dumps(config), now, now),
        )
        return experiment_id

    def experiment(self, experiment_id: str) -> sqlite3.Row:
        row = self.db.execute("SELECT * FROM experiments WHERE id = ?", (experiment_id,)).fetchone()
        if row is None:
            known = [
                r["id"] for r in self.db.execute("SELECT id FROM experiments ORDER BY created")
            ]
            listed = ", ".join(known[-5:]) or "none yet"
            raise ConfigError(
                f"No experiment {experiment_id!r} in {self.path} (the latest: {listed}). List "
                "them with `runner experiment list` (and --db for another database)."
            )
        return row

    def experiments(self) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM experiments ORDER BY created, id"))

    def set_experiment(self, experiment_id: str, **fields: Any) -> None:
        names = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(
            f"UPDATE experiments SET {names}, updated = ? WHERE id = ?",
            (*fields.values(), _now(), experiment_id),
        )

    # -- iterations ----------------------------------------------------------------------------
    def add_iteration(
        self, experiment_id: str, n: int, policy: str | None, parent: int | None, status: str
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO iterations (experiment_id, n, policy, parent, status, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (experiment_id, n, policy, parent, status, _now()),
        )

    def set_iteration(self, experiment_id: str, n: int, **fields: Any) -> None:
        if "decision_json" in fields and not isinstance(fields["decision_json"], str):
            fields["decision_json"] = json.dumps(fields["decision_json"])
        names = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(
            f"UPDATE iterations SET {names} WHERE experiment_id = ? AND n = ?",
            (*fields.values(), experiment_id, n),
        )

    def iterations(self, experiment_id: str) -> list[sqlite3.Row]:
        return list(
            self.db.execute(
                "SELECT * FROM iterations WHERE experiment_id = ? ORDER BY n", (experiment_id,)
            )
        )

    # -- evaluations ---------------------------------------------------------------------------
    def add_evaluations(self, experiment_id: str, n: int, rows: list[dict[str, Any]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT OR REPLACE INTO evaluations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    experiment_id,
                    n,
                    r["task_id"],
                    r["trial"],
                    r["seed"],
                    r["reward"],
                    r["termination_reason"],
                    json.dumps(r.get("breakdown")),
                    r["cost_micro"],
                    r["llm_calls"],
                )
                for r in rows
            ],
        )
        self.db.execute("COMMIT")

    def evaluations(self, experiment_id: str, n: int) -> list[sqlite3.Row]:
        return list(
            self.db.execute(
                "SELECT * FROM evaluations WHERE experiment_id = ? AND n = ? ORDER BY task_id, trial",
                (experiment_id, n),
            )
        )

    # -- optimizer calls and events ------------------------------------------------------------
    def add_interaction(self, experiment_id: str, n: int, attempt: int, **fields: Any) -> None:
        self.db.execute(
            "INSERT INTO llm_interactions (experiment_id, n, attempt, prompt_json, response, "
            "candidate, validation_error, prompt_tokens, completion_tokens, latency, cost_micro, "
            "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                experiment_id,
                n,
                attempt,
                json.dumps(fields["prompt"]),
                fields.get("response"),
                fields.get("candidate"),
                fields.get("validation_error"),
                fields.get("prompt_tokens"),
                fields.get("completion_tokens"),
                fields.get("latency"),
                fields.get("cost_micro", 0),
                _now(),
            ),
        )

    def interactions(
        self, experiment_id: str, start: int | None = None, end: int | None = None
    ) -> list[sqlite3.Row]:
        query = "SELECT * FROM llm_interactions WHERE experiment_id = ?"
        args: list[Any] = [experiment_id]
        if start is not None:
            query += " AND n >= ?"
            args.append(start)
        if end is not None:
            query += " AND n <= ?"
            args.append(end)
        return list(self.db.execute(query + " ORDER BY n, attempt, id", args))

    def event(self, experiment_id: str, kind: str, n: int | None = None, **data: Any) -> None:
        self.db.execute(
            "INSERT INTO events (experiment_id, n, kind, data_json, created) VALUES (?, ?, ?, ?, ?)",
            (experiment_id, n, kind, json.dumps(data, default=str), _now()),
        )

    def events(self, experiment_id: str) -> list[sqlite3.Row]:
        return list(
            self.db.execute(
                "SELECT * FROM events WHERE experiment_id = ? ORDER BY id", (experiment_id,)
            )
        )

    def spent(self, experiment_id: str) -> tuple[int, int]:
        """(micro-dollars, LLM calls) spent so far: the evaluations' and the optimizer's."""
        evaluated = self.db.execute(
            "SELECT COALESCE(SUM(cost_micro), 0), COALESCE(SUM(llm_calls), 0) FROM evaluations "
            "WHERE experiment_id = ?",
            (experiment_id,),
        ).fetchone()
        optimizer = self.db.execute(
            "SELECT COALESCE(SUM(cost_micro), 0), COUNT(*) FROM llm_interactions "
            "WHERE experiment_id = ?",
            (experiment_id,),
        ).fetchone()
        return int(evaluated[0]) + int(optimizer[0]), int(evaluated[1]) + int(optimizer[1])
