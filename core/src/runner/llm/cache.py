"""On-disk LLM response cache: record a call once, replay it for free.

A response is stored under a hash of everything that decides the answer (model, messages,
tools and generation arguments) and nothing that does not: the API key, the endpoint, timeouts
and headers are left out, so a cache recorded against one endpoint replays against another and
never holds a secret. Files are written to a temporary name and renamed into place, so
concurrent runs sharing a cache directory never see a half-written entry.

Layout: ``<cache_dir>/<key[:2]>/<key>.json``, one JSON object per response.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from runner.llm.response import LLMResponse

logger = logging.getLogger("runner.llm")

CACHE_FORMAT = 1
# Arguments that do not change the answer (or must never be stored): left out of the key.
NON_KEY_ARGS = frozenset(
    {
        "api_key",
        "api_base",
        "base_url",
        "api_version",
        "organization",
        "timeout",
        "extra_headers",
        "headers",
        "metadata",
        "num_retries",
        "max_retries",
        "stream",
        "stream_options",
    }
)


def _jsonable(value: Any) -> Any:
    """Fallback for ``json.dumps``: pydantic classes/instances by schema/content, else ``str``."""
    schema = getattr(value, "model_json_schema", None)
    if isinstance(value, type) and callable(schema):
        return {"__schema__": schema()}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    return str(value)


def cache_key(model: str, messages: list[dict[str, Any]], request_args: dict[str, Any]) -> str:
    """A stable SHA-256 of what decides the answer of a call."""
    relevant = {k: v for k, v in request_args.items() if k not in NON_KEY_ARGS and v is not None}
    payload = {"format": CACHE_FORMAT, "model": model, "messages": messages, "args": relevant}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=_jsonable)
    return hashlib.sha256(text.encode()).hexdigest()


class ResponseCache:
    """A directory of cached responses (created on first write)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> LLMResponse | None:
        """The cached response (marked ``cached=True``), or ``None`` on a miss or a bad file."""
        path = self.path(key)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            logger.warning("LLM cache entry %s is unreadable (%s); calling the model", path, exc)
            return None
        try:
            record = json.loads(text)
            response = LLMResponse.model_validate(record["response"])
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("LLM cache entry %s is corrupt (%s); calling the model", path, exc)
            return None
        response.cached = True
        return response

    def put(self, key: str, response: LLMResponse, secrets: tuple[str, ...] = ()) -> None:
        """Store ``response`` atomically. A response that contains a secret is not stored."""
        record = {
            "format": CACHE_FORMAT,
            "key": key,
            "response": response.model_dump(mode="json") | {"cached": False},
        }
        text = json.dumps(record, ensure_ascii=False, indent=1)  # key order kept: exact replay
        if any(secret and secret in text for secret in secrets):
            logger.warning("LLM response not cached: it contains the API key")
            return
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:8]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
