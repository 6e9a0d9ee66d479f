"""``runner view``: the report pages served on 127.0.0.1, regenerated on every request so a run
in progress refreshes; standard library only (ThreadingHTTPServer)."""

from __future__ import annotations

import mimetypes
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

from runner import ConfigError

from runner_viewer.data import find_runs, read_json
from runner_viewer.report import build_report, run_in_progress

REFRESH_S = 5


def _index(root: Path) -> str:
    items = []
    for run in find_runs(root):
        rel = run.relative_to(root).as_posix() if run != root else "."
        summary = read_json(run / "summary.json")
        metrics = summary.get("metrics") or {}
        state = "complete" if summary.get("complete") else "in progress"
        items.append(
            f'<li><a href="/run/{quote(rel)}/">{escape(rel)}</a> — {escape(state)}, '
            f"average reward {escape(str(metrics.get('avg_reward', '-')))}</li>"
        )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>runner runs</title></head>'
        f"<body><h1>Runs under {escape(str(root))}</h1><ul>{''.join(items)}</ul></body></html>"
    )


def make_server(root: Path, port: int = 0) -> ThreadingHTTPServer:
    """A server (not yet serving) for the runs at or under ``root``."""
    root = root.resolve()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            path = unquote(self.path.split("?", 1)[0])
            if path in ("/", "/index.html"):
                return self._send(200, _index(root).encode(), "text/html; charset=utf-8")
            if not path.startswith("/run/"):
                return self._send(404, b"not found", "text/plain")
            target = (root / path[len("/run/") :]).resolve()
            if not target.is_relative_to(root):
                return self._send(404, b"not found", "text/plain")
            if path.endswith("/"):
                if target not in find_runs(root):
                    return self._send(404, b"no such run", "text/plain")
                refresh = REFRESH_S if run_in_progress(target) else None
                page = build_report(target, refresh_s=refresh).encode("utf-8")
                return self._send(200, page, "text/html; charset=utf-8")
            if target.is_file() and any(target.is_relative_to(r) for r in find_runs(root)):
                ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                return self._send(200, target.read_bytes(), ctype)
            return self._send(404, b"not found", "text/plain")

    try:
        return ThreadingHTTPServer(("127.0.0.1", port), Handler)
    except OSError as exc:
        raise ConfigError(
            f"Cannot serve on 127.0.0.1:{port} ({exc.strerror or exc}): the port is taken or "
            "not allowed. Pass another --port, or leave it out for a free one."
        ) from None


def serve(root: Path, port: int = 0) -> None:
    server = make_server(root, port)
    print(f"Serving {root} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
