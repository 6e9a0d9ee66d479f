"""The report in a real browser (Debian's chromium driven by Playwright): filtering, opening a
trajectory, no injected script running, and a 1,000-simulation report opening fast."""

from __future__ import annotations

import math
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import runner
from runner_viewer.report import build_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.slow
from playwright import sync_api  # noqa: E402  (a dev dependency: `make sync` installs it)


def _run(config: runner.RunConfig) -> None:
    """Playwright's sync API holds this thread's event loop, so runs go on another thread."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(runner.run_domain, config).result(timeout=240)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    # `make test` installs Debian's chromium (the Makefile's system-packages): a missing browser
    # is a failure that says so, not a skip
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `apt-get install chromium`"
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def test_report_in_browser(browser, hostile_run: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.html"
    report.write_text(build_report(hostile_run))
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(report.as_uri())
    rows = page.locator("#tasks tbody tr")
    assert rows.count() == 15
    page.check("#failonly")
    visible = page.locator("#tasks tbody tr:not([hidden])")
    assert visible.count() == 2
    page.select_option("#sortby", "reward")
    visible.first.locator("button.open").click()
    page.wait_for_selector("#transcript")
    transcript = page.inner_text("#transcript")
    assert "<script>window.__pwned=1" in transcript  # shown as text
    assert "tool result <script>window.__pwned" in transcript
    assert "create_task" in transcript
    timeline = page.inner_text("#timeline")
    assert (
        "[interrupted]" in timeline and "[backchannel]" in timeline and "Hello <script>" in timeline
    )
    assert page.locator(".int").count() == 1
    src = page.get_attribute("audio", "src")
    assert src is not None and src.startswith("data:audio/wav;base64,")
    db = page.inner_text("#dbdiff")
    assert "databases differ" in db and "deadbeef" in db
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 0
    page.close()


def test_large_report_opens_fast(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = dict(domain="retail", agent="replay", user="scripted", output_dir=str(tmp_path))
    _run(runner.RunConfig(**config, run_name="probe", progress=False))
    num_tasks = len(runner.read_results(tmp_path / "probe"))
    trials = math.ceil(1000 / num_tasks)
    _run(runner.RunConfig(**config, run_name="big", progress=False, num_trials=trials))
    sims = runner.read_results(tmp_path / "big")
    assert len(sims) >= 1000
    report = tmp_path / "big.html"
    report.write_text(build_report(tmp_path / "big"))
    size = report.stat().st_size
    assert size < 10_000_000, size
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(report.as_uri(), wait_until="load")
    assert page.locator("#tasks tbody tr").count() == len(sims)
    elapsed = time.perf_counter() - start
    print(
        f"\n1,000-simulation report: {len(sims)} sims, {size / 1e6:.2f} MB, opened in {elapsed:.2f} s"
    )
    assert elapsed < 2.0, elapsed
    page.locator("button.open").last.click()
    page.wait_for_selector("#transcript")
    page.close()
