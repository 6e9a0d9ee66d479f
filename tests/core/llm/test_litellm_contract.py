"""Contract with litellm: every litellm internal that ``runner.llm`` relies on, one test each.

``runner.llm.provider`` patches, reads and sets names that are not litellm's documented API
(``runner.llm.prices``, ``errors`` and ``transports`` read a few more). Most of those uses
fall back quietly when the name is gone (the call still works, only slower or priced by
litellm), so a litellm upgrade that moves one would otherwise go unnoticed. Each test below
names one internal and asserts it exists with the shape the code expects; when one fails
after an upgrade, fix the use it names (or drop it) before widening the version bound in
``core/pyproject.toml``.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import logging
import os
import re
from contextvars import ContextVar

import pytest
from runner.llm import errors, prices, provider


@pytest.fixture(scope="module")
def litellm():
    return provider.load_litellm()


# ----------------------------------------------------------------- module settings (provider)
@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("suppress_debug_info", "litellm.litellm_core_utils.exception_mapping_utils"),
        ("set_verbose", "litellm.main"),
    ],
)
def test_module_settings_load_litellm_sets(litellm, name, reader):
    """``load_litellm`` sets these flags; litellm reads them as ``litellm.<name>``."""
    assert isinstance(getattr(litellm, name), bool)
    assert f"litellm.{name}" in inspect.getsource(importlib.import_module(reader))
    assert getattr(litellm, name) is (name == "suppress_debug_info")


def test_telemetry_flag_is_not_set_over_litellms_telemetry_package(litellm):
    """Older litellm had a ``telemetry`` flag; the locked one has a ``litellm.telemetry``
    subpackage instead (the proxy's, off by default), which ``load_litellm`` leaves alone."""
    telemetry = getattr(litellm, "telemetry", None)
    assert telemetry is None or telemetry is False or inspect.ismodule(telemetry)
    assert importlib.util.find_spec("litellm.telemetry") is not None


def test_logger_names_silenced_by_load_litellm_are_litellms(litellm):
    from litellm import _logging

    names = {
        _logging.verbose_logger.name,
        _logging.verbose_router_logger.name,
        _logging.verbose_proxy_logger.name,
    }
    assert names <= set(provider._QUIET_LOGGERS)
    for name in names:
        assert logging.getLogger(name).level == logging.CRITICAL


def test_local_cost_map_environment_variable_is_read(litellm):
    """``LITELLM_LOCAL_MODEL_COST_MAP=True`` makes litellm read its bundled price file."""
    from litellm.litellm_core_utils import get_model_cost_map

    source = inspect.getsource(get_model_cost_map)
    assert "LITELLM_LOCAL_MODEL_COST_MAP" in source
    assert prices.PRICE_LIST_FILE in source


@pytest.mark.parametrize("name", ["AIOHTTP_CONNECTOR_LIMIT", "AIOHTTP_CONNECTOR_LIMIT_PER_HOST"])
def test_connection_limit_constants(litellm, name):
    """Read from the environment by ``litellm.constants`` (set before the import) and kept as a
    module global of ``http_handler`` (raised there when litellm was imported first)."""
    from litellm import constants
    from litellm.llms.custom_httpx import http_handler

    assert f'"{name}"' in inspect.getsource(constants)
    assert isinstance(getattr(http_handler, name), int)
    assert getattr(http_handler, name) == int(os.environ[name])


# ----------------------------------------------------------------- per-call switches (provider)
def test_logging_response_cost_calculator_is_patched(litellm):
    """``_install_cost_switch`` wraps ``Logging.response_cost_calculator`` (and its alias
    ``_response_cost_calculator``) so a call can skip litellm's pricing."""
    from litellm.litellm_core_utils.litellm_logging import Logging

    method = Logging.response_cost_calculator
    assert getattr(method, "_runner_switch", False), "the cost switch is not installed"
    original = inspect.unwrap(method)
    params = list(inspect.signature(original).parameters)
    assert params[:2] == ["self", "result"]
    assert Logging._response_cost_calculator is method


def test_response_cost_calculator_may_return_none(litellm):
    """The switch answers None for a skipped call: litellm's own calculator returns
    ``float | None`` (it answers None for an unpriced model), so None is a legal answer."""
    from litellm.litellm_core_utils.litellm_logging import Logging

    annotation = inspect.signature(inspect.unwrap(Logging.response_cost_calculator))
    assert "None" in str(annotation.return_annotation)


def test_internal_call_context_variable(litellm):
    """``litellm._internal_context.is_internal_call``: set while a call needs no logging."""
    from litellm._internal_context import is_internal_call

    assert isinstance(is_internal_call, ContextVar)
    assert is_internal_call.get() is False
    assert provider._internal_call is is_internal_call


@pytest.mark.parametrize("name", provider._CALLBACK_LISTS)
def test_callback_lists(litellm, name):
    """Logging is skipped only while all of these are empty."""
    assert isinstance(getattr(litellm, name), list)


@pytest.mark.parametrize("name", ["cache", "max_budget"])
def test_settings_that_keep_logging_on(litellm, name):
    assert hasattr(litellm, name)


def test_acompletion_takes_the_arguments_transports_pass(litellm):
    parameters = inspect.signature(litellm.acompletion).parameters
    assert inspect.iscoroutinefunction(litellm.acompletion)
    for name in ("model", "messages", "timeout", "stream"):
        assert name in parameters
    # num_retries and max_retries travel in **kwargs
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


def test_orphaned_call_warning_matches_litellms_provider_coroutine(litellm):
    """``ORPHANED_CALL_WARNING`` silences the warning about the OpenAI provider's coroutine."""
    from litellm.llms.openai.openai import OpenAIChatCompletion

    name = OpenAIChatCompletion.acompletion.__qualname__
    warning = f"coroutine '{name}' was never awaited"
    assert re.match(provider.ORPHANED_CALL_WARNING, warning)


# ----------------------------------------------------------------- pricing (provider, prices)
def test_model_cost_is_a_dict_of_entries(litellm):
    assert isinstance(litellm.model_cost, dict)
    assert "gpt-4o-mini" in litellm.model_cost


def test_cost_per_token_returns_two_figures(litellm):
    prompt, completion = litellm.cost_per_token(
        model="openai/gpt-4o-mini", prompt_tokens=1, completion_tokens=1
    )
    assert isinstance(prompt, float) and isinstance(completion, float)
    assert prompt > 0 and completion > 0


def test_cost_per_token_raises_for_an_unknown_model(litellm):
    """``is_priced`` reads an exception as "no price"."""
    with pytest.raises(Exception):  # noqa: B017 - any exception means "not priced"
        litellm.cost_per_token(
            model="openai/runner-contract-unknown", prompt_tokens=1, completion_tokens=1
        )


def test_bundled_price_file_exists_where_prices_looks():
    path = prices.price_list_path()
    assert path is not None and os.path.basename(path) == prices.PRICE_LIST_FILE


def test_bundled_price_file_parses_and_matches_litellms_model_cost(litellm):
    path = prices.price_list_path()
    assert path is not None
    with open(path, "rb") as file:
        data = file.read()
    assert prices.parse_price_list(data) is not None, "the bundled price file is not readable"
    entry = json.loads(data)["gpt-4o-mini"]
    for field in ("litellm_provider", "input_cost_per_token", "output_cost_per_token"):
        assert field in entry
        assert litellm.model_cost["gpt-4o-mini"][field] == entry[field]


def test_azure_renames_copy_litellms_azure_llms(litellm):
    assert prices._AZURE_RENAMES == litellm.azure_llms


async def test_response_carries_response_cost_in_hidden_params(litellm, llm_server):
    """``_learn_litellm_pricing`` and ``response_parts`` read ``_hidden_params``."""
    llm_server.add("priced", "unpriced")
    kwargs = llm_server.litellm_kwargs()
    priced = await provider.acompletion(
        model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], **kwargs
    )
    assert isinstance(priced._hidden_params["response_cost"], float)
    unpriced = await provider.acompletion(
        model="openai/runner-contract-unpriced",
        messages=[{"role": "user", "content": "hi"}],
        **kwargs,
    )
    assert "response_cost" in unpriced._hidden_params
    assert not unpriced._hidden_params["response_cost"]
    parts = provider.response_parts(priced)
    assert parts["content"] == "priced" and parts["finish_reason"] == "stop"


# ----------------------------------------------------------------- exceptions (errors)
def _rate_limit(litellm):
    return litellm.RateLimitError(message="slow down", llm_provider="openai", model="m")


def test_context_window_exception_class_name(litellm):
    """``classify`` recognises it by class name."""
    assert litellm.ContextWindowExceededError.__name__ == "ContextWindowExceededError"


def test_exceptions_carry_an_int_status_code(litellm):
    assert _rate_limit(litellm).status_code == 429
    error = litellm.InternalServerError(message="boom", llm_provider="openai", model="m")
    assert error.status_code == 500


def test_exception_message_prefixes_are_stripped(litellm):
    assert str(_rate_limit(litellm)).startswith("litellm.RateLimitError:")
    assert errors._without_prefixes(str(_rate_limit(litellm))) == "slow down"


@pytest.mark.parametrize("name", ["Timeout", "APIConnectionError"])
def test_transport_exception_names(litellm, name):
    """``_is_transport_error`` recognises litellm's transport failures by class name."""
    error_class = getattr(litellm, name)
    names = {cls.__name__ for cls in error_class.__mro__}
    assert names & {"APITimeoutError", "Timeout", "APIConnectionError"}


def test_response_headers_attribute_is_copied_by_litellm(litellm):
    """``_retry_after`` falls back to ``litellm_response_headers`` on an exception."""
    assert "litellm_response_headers" in inspect.getsource(
        importlib.import_module("litellm.exceptions")
    )
