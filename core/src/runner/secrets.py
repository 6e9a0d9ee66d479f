"""Secret masking: what keeps API keys out of ``run.json``, printed command lines and resumes.

A key is a secret when its name looks like one (``api_key``, ``x-api-token``, ``password`` ...)
and is not a token count (``max_tokens``, ``prompt_tokens``). Values are masked as ``***`` when
written (:func:`mask_secrets`, :func:`mask_argv`) and left out when a resume compares the stored
configuration with the current one (:func:`without_secrets`).
"""

from __future__ import annotations

import json
import re
from typing import Any

_SECRET_KEY = re.compile(
    r"(api[_-]?key|secret|token|password|passwd|authorization|credential)", re.IGNORECASE
)
_TOKEN_COUNT_KEY = re.compile(r"_tokens$|^max_tokens$|^tokens$", re.IGNORECASE)
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
