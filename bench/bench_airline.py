"""Airline CPU per simulation on a database of τ²-bench's size.

τ²-bench's airline ``db.json`` (300 flights with about 30 dates each, 500 users, 2,000
reservations; over 4 MiB) is not in this repository, so this benchmark builds one of that size:
the plugin's own data plus invented filler records, in a temporary folder with the plugin's 25
tasks. One *simulation* is what ``runner run`` does per (task, trial): build the environment,
run the replay agent and the scripted user, evaluate with ``run_simulation`` (expected state,
DB check, communicate check). CPU time (``time.process_time``), averaged over the 25 tasks.

Figures:

* ``load_ms``: once per process -- parsing db.json and the first hash (which caches the text
  of every record).
* ``environment_ms``: one ``AirlineDomain.environment()`` (a copy on access).
* ``hash_after_booking_ms``: ``db_hash()`` of an environment after one booking.
* ``ms_per_simulation_first_trial`` / ``_later_trial`` / ``_uncached``: as in
  ``bench_retail_cpu.py`` (the evaluator caches each task's expected state).
* ``baseline_*``: the same with a full copy per environment (``model_copy(deep=True)``) and the
  plain full hash, on the first ``BASELINE_TASKS`` tasks.

Target: ≤ 50 ms per simulation.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 50.0
BASELINE_TASKS = 10  # the full-copy baseline is slow; it runs on the first tasks only
FLIGHTS, DAYS, USERS, RESERVATIONS = 300, 30, 500, 2000


def build_folder(folder: Path) -> None:
    """The plugin's data plus filler records, to τ²-bench's size."""
    from runner_airline.domain import DATA_DIR

    db = json.loads((DATA_DIR / "db.json").read_text(encoding="utf-8"))
    template_flight = db["flights"]["HAT101"]
    some_day = template_flight["dates"]["2024-05-20"]
    for i in range(FLIGHTS - len(db["flights"])):
        number = f"HAT{600 + i}"
        dates = {f"2024-{5 + d // 28:02d}-{1 + d % 28:02d}": some_day for d in range(DAYS)}
        db["flights"][number] = {**template_flight, "flight_number": number, "dates": dates}
    template_user = db["users"]["kenji_watanabe_3390"]
    for i in range(USERS - len(db["users"])):
        uid = f"filler_user_{i}"
        db["users"][uid] = {**template_user, "user_id": uid, "reservations": []}
    template_reservation = db["reservations"]["P7GT2N"]
    for i in range(RESERVATIONS - len(db["reservations"])):
        rid, uid = f"F{i:05d}", f"filler_user_{i % (USERS - 12)}"
        db["reservations"][rid] = {**template_reservation, "reservation_id": rid, "user_id": uid}
        db["users"][uid]["reservations"].append(rid)
    (folder / "db.json").write_text(json.dumps(db, indent=4), encoding="utf-8")
    for name in ("tasks.json", "split_tasks.json", "policy.md"):
        shutil.copy(DATA_DIR / name, folder / name)


def make_domain(folder: Path, plain: bool = False) -> Any:
    from runner_airline.domain import AirlineDomain

    if not plain:
        return AirlineDomain().configure({"data_dir": str(folder)})

    class FullCopyAirline(AirlineDomain):
        def copy_db(self, db: Any) -> Any:
            return db.model_copy(deep=True)  # plain dicts: the hash is the full one

    return FullCopyAirline().configure({"data_dir": str(folder)})


async def simulate(domain: Any, task: Any) -> Any:
    from runner import run_simulation
    from runner.builtins.replay import ReplayAgent
    from runner.builtins.scripted import ScriptedUser
    from runner.orchestrator import HalfDuplexOrchestrator

    orchestrator = HalfDuplexOrchestrator(
        environment=domain.environment(),
        agent=ReplayAgent(task),
        user=ScriptedUser(task),
        task=task,
        seed=1,
        max_errors=10,
    )
    return await run_simulation(orchestrator, environment_factory=domain.environment)


async def per_simulation(domain: Any, clear_each: bool, limit: int | None = None) -> float:
    from runner.evaluation import clear_cache

    tasks = domain.all_tasks()[:limit]
    start = time.process_time()
    for task in tasks:
        if clear_each:
            clear_cache()
        run = await simulate(domain, task)
        assert run.reward_info.reward == 1.0, f"task {task.id}: {run.reward_info.reward_breakdown}"
    return 1000 * (time.process_time() - start) / len(tasks)


def cpu_ms(fn: Any, repeat: int = 5) -> float:
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return 1000 * (time.process_time() - start) / repeat


def hash_after_booking(domain: Any) -> float:
    from runner import ToolCall

    env = domain.environment()
    price = env.toolkit.db.flights["HAT211"].dates["2024-05-20"].prices["economy"]
    env.execute(
        ToolCall(
            id="b",
            name="book_reservation",
            arguments={
                "user_id": "marcus_bell_5519",
                "origin": "LAS",
                "destination": "LAX",
                "flight_type": "one_way",
                "cabin": "economy",
                "flights": [{"flight_number": "HAT211", "date": "2024-05-20"}],
                "passengers": [{"first_name": "M", "last_name": "B", "dob": "1990-09-14"}],
                "payment_methods": [{"payment_id": "credit_card_9042716", "amount": price}],
                "total_baggages": 0,
                "nonfree_baggages": 0,
                "insurance": "no",
            },
        )
    )
    return cpu_ms(env.db_hash)


async def measure(folder: Path) -> dict[str, Any]:
    from runner.evaluation import clear_cache

    figures: dict[str, Any] = {"db_json_mb": round((folder / "db.json").stat().st_size / 2**20, 1)}
    for prefix, plain in (("", False), ("baseline_", True)):
        domain = make_domain(folder, plain)
        limit = BASELINE_TASKS if plain else None
        start = time.process_time()
        domain.environment().db_hash()
        figures[f"{prefix}load_ms"] = round(1000 * (time.process_time() - start), 1)
        figures[f"{prefix}environment_ms"] = round(cpu_ms(domain.environment), 3)
        figures[f"{prefix}hash_after_booking_ms"] = round(hash_after_booking(domain), 2)
        clear_cache()
        for name, clear_each in (
            ("first_trial", False),
            ("later_trial", False),
            ("uncached", True),
        ):
            ms = await per_simulation(domain, clear_each, limit)
            figures[f"{prefix}ms_per_simulation_{name}"] = round(ms, 2)
        clear_cache()
    return figures


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build_folder(folder)
        figures = asyncio.run(measure(folder))
    figures["targets_met"] = all(
        figures[f"ms_per_simulation_{k}"] <= TARGET_MS
        for k in ("first_trial", "later_trial", "uncached")
    )
    for name, value in figures.items():
        print(f"{name:42s} {value}")
    return figures


if __name__ == "__main__":
    main()
