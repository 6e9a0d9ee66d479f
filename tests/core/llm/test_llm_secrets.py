"""API keys never leak: not into exception messages or chains, logs, output, or cache files."""

from __future__ import annotations

import logging
import traceback

import pytest
from runner.llm import LLMError, LLMGateway, LLMRequestError, scrub
from runner.testing import reply

MODEL = "openai/gpt-4o-mini"
USER = [{"role": "user", "content": "hi"}]


def exception_text(exc: BaseException) -> str:
    """Everything a log handler or a debugger could print about ``exc`` and its chain."""
    parts = ["".join(traceback.format_exception(exc))]
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts += [str(exc), repr(exc), repr(exc.args), repr(vars(exc))]
        exc = exc.__cause__ or exc.__context__
    return "\n".join(parts)


async def test_key_echoed_by_the_provider_is_scrubbed(
    llm_server, gateway, server_args, api_key, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    llm_server.add(reply.auth_error())
    with pytest.raises(LLMRequestError) as info:
        await gateway.complete(MODEL, USER, **server_args)
    assert "Incorrect API key provided: ***" in str(info.value)
    assert info.value.status_code == 401
    assert api_key not in exception_text(info.value)
    assert api_key not in caplog.text
    out, err = capfd.readouterr()
    assert api_key not in out + err


async def test_retry_logs_and_final_errors_are_scrubbed(llm_server, server_args, api_key, caplog):
    caplog.set_level(logging.DEBUG)
    message = "upstream said: Authorization: Bearer {api_key}"
    llm_server.add(*[reply.error(500, message, type="server_error") for _ in range(3)])
    gateway = LLMGateway(max_retries=2, backoff_base=0.001, backoff_max=0.01)
    with pytest.raises(LLMError) as info:
        await gateway.complete(MODEL, USER, **server_args)
    assert "retry 1/2" in caplog.text and "retry 2/2" in caplog.text
    assert api_key not in caplog.text
    assert api_key not in exception_text(info.value)
    assert "Authorization: ***" in str(info.value)


async def test_stream_errors_are_scrubbed(llm_server, gateway, server_args, api_key):
    llm_server.add(reply.auth_error())
    with pytest.raises(LLMRequestError) as info:
        async for _ in gateway.stream(MODEL, USER, **server_args):
            pass
    assert api_key not in exception_text(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Incorrect API key provided: sk-proj-abcdef123456.",
            "Incorrect API key provided: sk-***.",
        ),
        ("headers={'Authorization': 'Bearer abc.def'}", "headers={'Authorization': '***'}"),
        ("Authorization: Bearer abc.def", "Authorization: ***"),
        ("call failed with api_key=hunter2-long", "call failed with api_key=***"),
        ('{"api_key": "xyz-123456"}', '{"api_key": "***"}'),
        ("x-api-key: anthropic-secret", "x-api-key: ***"),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_scrub_masks_key_shapes(text, expected):
    assert scrub(text) == expected


def test_scrub_masks_given_secrets_and_environment_keys(monkeypatch):
    monkeypatch.setenv("MY_PROVIDER_API_KEY", "plainsecretvalue")
    assert scrub("a plainsecretvalue b custom-key c", ("custom-key",)) == "a *** b *** c"
