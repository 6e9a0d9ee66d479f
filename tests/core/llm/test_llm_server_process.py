"""runner.testing.llm_server_process: the test server in a child process, for benchmarks."""

from __future__ import annotations

import json
import os
import urllib.request

from runner.testing import llm_server_process, server_stats


def test_child_server_answers_counts_and_stops() -> None:
    with llm_server_process("--text", "pong") as server:
        assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/v1")
        assert server.pid != os.getpid()
        body = {"model": "x", "messages": [{"role": "user", "content": "ping"}]}
        request = urllib.request.Request(
            server.url + "/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": "Bearer sk-test"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        assert answer["choices"][0]["message"]["content"] == "pong"
        assert server.stats()["count"] == 1
        server_stats(server.url, reset=True)
        assert server.stats()["count"] == 0
        cpu = server.cpu_seconds()
        assert cpu is None or cpu > 0
        pid = server.pid
    assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"
