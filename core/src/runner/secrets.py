"""What a secret is, and how it is kept out of everything runner writes or prints.

One module for the whole core, at the bottom of the import graph (it imports nothing from
``runner``): the run store masks ``run.json``, the CLI masks the resume command it prints and the
LLM gateway scrubs error messages and log lines, and none of them should import another to learn
what a secret is.

- **Keys**: a key is a secret when its name looks like one (``api_key``, ``x-api-token``,
  ``password`` ...) and is not a token count (``max_tokens``, ``prompt_tokens``). Values are
  masked as ``***`` when written (:func:`mask_secrets`, :func:`mask_argv`) and left out when a
  resume compares the stored configuration with the current one (:func:`without_secrets`).
- **Text** (:func:`scrub`): free text such as a provider's error message, where no key names the
  value: the secrets given, the values of secret environment variables (a narrower rule than
  for keys, since variables such as ``GOOGLE_APPLICATION_CREDENTIALS`` hold paths), bearer
  tokens and ``sk-...``-shaped strings.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

_SECRET_KEY = re.compile(
    r"(api[_-]?key|secret|token|password|passwd|authorization|credential)", re.IGNORECASE
)
_TOKEN_COUNT_KEY = re.compile(r"_tokens$|^max_tokens$|^tokens$", re.IGNORECASE)
_SECRET_ENV = re.compile(r"API_KEY|_TOKEN$|_SECRET", re.IGNORECASE)
_SECRET_PATTERNS = (
    (
        re.compile(
            r"((?:api[_-]?key|authorization|x-api-key)['\"]?\s*[:=]\s*['\"]?)"
            r"(?:(?:Bearer|Basic)\s+)?[^\s'\",}]+",
            re.IGNORECASE,
        ),
        r"\1***",
    ),
    (re.compile(r"(Bearer\s+)[^\s'\"]+", re.IGNORECASE), r"\1***"),
    (re.compile(r"\b(sk|pk|rk)-[A-Za-z0-9_\-]{6,}"), r"\1-***"),
)
MASK = "***"


def is_secret_key(key: str) -> bool:
    """Whether a dict key names a secret (``api_key``, ``x-api-token`` ...; not ``max_tokens``)."""
    return bool(_SECRET_KEY.search(key)) and not _TOKEN_COUNT_KEY.search(key)


def mask_secrets(value: Any) -> Any:
    """A copy of ``value`` with the values of secret-looking keys replaced by ``***``."""
    if isinstance(value, dict):
        return {
            k: (
                MASK
                if isinstance(k, str) and is_secret_key(k) and v not in (None, "")
                else mask_secrets(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


def without_secrets(value: Any) -> Any:
    """A copy of ``value`` without its secret-looking keys: what a resume compares (a new key
    for the same provider changes nothing that a run computes)."""
    if isinstance(value, dict):
        return {
            k: without_secrets(v)
            for k, v in value.items()
            if not (isinstance(k, str) and is_secret_key(k))
        }
    if isinstance(value, list):
        return [without_secrets(v) for v in value]
    return value


def mask_argv(argv: list[str]) -> list[str]:
    """The command line with secrets masked: JSON arguments and ``key=value`` options."""
    out: list[str] = []
    for arg in argv:
        stripped = arg.strip()
        if stripped.startswith("{"):
            try:
                out.append(json.dumps(mask_secrets(json.loads(stripped))))
                continue
            except ValueError:
                pass
        key, eq, _ = arg.partition("=")
        if eq and not key.startswith("-") and is_secret_key(key):
            out.append(f"{key}={MASK}")
        else:
            out.append(arg)
    return out


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with API keys masked: the given secrets, keys of ``*_API_KEY`` environment
    variables, bearer tokens and ``sk-...``-shaped strings."""
    candidates = set(s for s in secrets if s and len(s) >= 4)
    candidates.update(v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= 8)
    for secret in sorted(candidates, key=len, reverse=True):
        text = text.replace(secret, MASK)
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text
