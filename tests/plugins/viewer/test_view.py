"""runner view: the index and a run page over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from runner_viewer.server import make_server
from viewer_helpers import edit_run


def test_serves_index_and_run_page(base_run: Path, tmp_path: Path) -> None:
    root = tmp_path / "runs"
    root.mkdir()
    edit_run(base_run, root / "done", {})
    live = edit_run(base_run, root / "live", {0: 0.0})
    summary = json.loads((live / "summary.json").read_text())
    (live / "summary.json").write_text(json.dumps({**summary, "complete": False}))
    server = make_server(root, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        index = urllib.request.urlopen(base + "/", timeout=10).read().decode()
        assert "/run/done/" in index and "/run/live/" in index
        page = urllib.request.urlopen(base + "/run/done/", timeout=10).read().decode()
        assert "<h1>Run a</h1>" in page and 'http-equiv="refresh"' not in page
        live_page = urllib.request.urlopen(base + "/run/live/", timeout=10).read().decode()
        assert 'http-equiv="refresh"' in live_page
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + "/run/../../etc/passwd", timeout=10)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_large_audio_is_linked_and_served(
    base_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import runner_viewer.report as report

    monkeypatch.setattr(report, "MAX_EMBED_AUDIO", 0)
    root = tmp_path / "runs"
    root.mkdir()
    run = edit_run(base_run, root / "voice", {}, payload=True)
    wavs = list(run.glob("audio/*/agent.wav"))
    assert len(wavs) == 1
    rel = wavs[0].relative_to(run).as_posix()
    assert "data:audio" not in report.build_report(run)
    server = make_server(root, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/run/voice/{rel}"
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.read() == wavs[0].read_bytes()
            assert resp.headers["Content-Type"].startswith("audio/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_view_rejects_folder_without_runs(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from runner_viewer.cli import view_cmd

    res = CliRunner().invoke(view_cmd, [str(tmp_path)])
    assert res.exit_code != 0 and "holds no run directory" in str(res.exception or res.output)


def test_a_taken_port_is_a_clear_error(base_run: Path) -> None:
    from runner import ConfigError

    first = make_server(base_run.parent, 0)
    try:
        port = first.server_address[1]
        with pytest.raises(ConfigError, match=f"Cannot serve on 127.0.0.1:{port}"):
            make_server(base_run.parent, port)
    finally:
        first.server_close()
