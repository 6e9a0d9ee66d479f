"""Per-token prices for the direct transport, read from litellm's price list without importing
litellm.

Importing litellm takes seconds and much memory; the direct transport needs nothing from it
but two numbers per model. litellm ships its price list as a JSON file inside its package (the
one it reads itself under ``LITELLM_LOCAL_MODEL_COST_MAP=True``, which the gateway sets), so this
module locates the package without running it (``importlib.util.find_spec``), reads the file
once, on the first priced call, and keeps only the fields that pricing reads.

:func:`per_token_prices` finds a model's entry the way ``litellm.cost_per_token`` does for the
names the direct transport sees, so both transports charge the same:

* ``openai/X``, ``hosted_vllm/X``, ``custom_openai/X``: litellm's look-up for that provider. It
  tries ``provider/X``, ``X``, then ``X`` without a dated suffix (``-2024-07-18``) or a
  fine-tune's ``:org:suffix:id`` tail, each exactly and then ignoring case, and accepts only an
  entry of that provider (or of none). ``openai/gpt-4o-mini`` is priced; ``hosted_vllm/...`` and
  ``custom_openai/...`` find no entry of theirs in litellm's list and cost 0.0, as with litellm.
* a bare ``X`` (no ``/``) that litellm routes to OpenAI: an OpenAI entry of the list, or a
  fine-tuned ``ft:gpt-4...`` / ``ft:gpt-3.5-turbo...`` name. It is then priced like ``openai/X``.

The price is the entry's ``input_cost_per_token`` and ``output_cost_per_token``: what litellm
charges for plain text below any long-context threshold (the direct transport applies no tiers
and no cached-token prices). Anything else returns None and the caller asks litellm itself: a
bare name litellm routes elsewhere (``claude-...``, ``bedrock/...``), an entry with tiered or
off-peak prices, a price that is not a number, or a price list that cannot be found or read.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

#: The file inside the litellm package (the copy litellm itself reads offline).
PRICE_LIST_FILE = "model_prices_and_context_window_backup.json"
#: Providers whose ``provider/X`` names are looked up here (the direct transport's prefixes).
PROVIDERS = ("openai", "hosted_vllm", "custom_openai")
Prices = tuple[float, float]

_GENERALIZATIONS_KEY = "fallback_generalizations"
#: Names litellm renames before its look-up (``litellm.azure_llms``).
_AZURE_RENAMES = {
    "gpt-35-turbo": "azure/gpt-35-turbo",
    "gpt-35-turbo-instruct": "azure/gpt-35-turbo-instruct",
    "azure/gpt-41": "gpt-4.1",
    "azure/gpt-41-mini": "gpt-4.1-mini",
    "azure/gpt-41-nano": "gpt-4.1-nano",
}
#: Modes (or none) whose per-second price litellm bills by wall-clock time (0 s here: 0.0).
_WALL_CLOCK_MODES = frozenset(
    {"audio_transcription", "chat", "completion", "embedding", "responses"}
)
_TOKEN_FIELDS = ("input_cost_per_token", "output_cost_per_token", "output_cost_per_image_token")
_PER_SECOND_FIELDS = ("cost_per_second", "input_cost_per_second", "output_cost_per_second")
_DATED_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")
_FINE_TUNE_TAIL = re.compile(r"(:[^:]*){3}$")


class Entry(NamedTuple):
    """What pricing reads of one price-list entry."""

    provider: Any  # ``litellm_provider``
    #: (input, output) USD per token; None when litellm prices the entry some other way than by
    #: two per-token figures (tiers, off-peak hours, a price that is not a number).
    prices: Prices | None
    image_output: float | None  # ``output_cost_per_image_token``
    by_the_second: bool  # priced per second only: litellm bills a direct call 0 s, so 0.0


class PriceList:
    """litellm's price list, reduced to :class:`Entry` per model name (aliases expanded)."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        # the last of names that differ only in case wins, as in litellm
        self._lowercase = {name.lower(): name for name in entries}
        self._openai_models = frozenset(
            name
            for name, entry in entries.items()
            if entry.provider == "openai" and not _is_fine_tune_base(name)
        )

    def per_token(self, model: str) -> Prices | None:
        """(input, output) USD per token of ``model``: (0.0, 0.0) when litellm has no price for
        it either; None when litellm must decide (a name outside this module's rules)."""
        provider, slash, name = model.partition("/")
        if slash and provider in PROVIDERS:
            # litellm's cost_per_token: the full name if listed, else the name after the provider
            listed = model if model in self.entries or name not in self.entries else name
            return self._priced(listed, provider)
        if not slash and self._routes_to_openai(model):
            return self._priced(model, "openai")
        return None

    def _routes_to_openai(self, model: str) -> bool:
        """Whether litellm's provider inference sends a bare name to OpenAI."""
        return model in self._openai_models or "ft:gpt-3.5-turbo" in model or "ft:gpt-4" in model

    def _priced(self, model: str, provider: str) -> Prices | None:
        entry = self._lookup(_AZURE_RENAMES.get(model, model), provider)
        if entry is None:  # not mapped: litellm has no price for it (0.0)
            return (0.0, 0.0)
        if entry.prices is None:
            return None
        prompt, completion = entry.prices
        if entry.by_the_second:
            return (0.0, 0.0)
        if provider != "openai" and not (prompt > 0 or completion > 0):
            return (0.0, 0.0)  # litellm's generic branch prices only token-priced entries
        if completion == 0.0 and entry.image_output is not None:  # an image model's output
            completion = entry.image_output
        return (prompt, completion)

    def _lookup(self, model: str, provider: str) -> Entry | None:
        """The first candidate name that is listed (exactly, else ignoring case) with an entry of
        ``provider`` or of no provider (litellm's ``get_model_info`` for these providers)."""
        for candidate in _candidates(model, provider):
            name = (
                candidate if candidate in self.entries else self._lowercase.get(candidate.lower())
            )
            if name is None:
                continue
            entry = self.entries[name]
            if entry.provider is None or entry.provider == provider:
                return entry
        return None


def _candidates(model: str, provider: str) -> Iterator[str]:
    prefix = provider + "/"
    split = model[len(prefix) :] if model.startswith(prefix) else model
    combined = prefix + split
    stripped = _strip_version(split)
    yield from (combined, model, split, prefix + stripped, stripped, prefix + model)


def _strip_version(model: str) -> str:
    """``ft:gpt-4o:org:suffix:id`` -> ``ft:gpt-4o``; ``gpt-4o-2024-08-06`` -> ``gpt-4o``."""
    if "ft:" in model:
        return _FINE_TUNE_TAIL.sub("", model)
    return _DATED_SUFFIX.sub("", model)


def _is_fine_tune_base(name: str) -> bool:
    """``ft:gpt-4o-mini`` (a price-only entry), which litellm does not route by name."""
    return name.startswith("ft:") and name.count(":") <= 1


def _entry(raw: Mapping[str, Any]) -> Entry:
    get = raw.get
    provider = get("litellm_provider")
    prompt, completion, image = (get(field) for field in _TOKEN_FIELDS)
    per_second = [value for field in _PER_SECOND_FIELDS if (value := get(field)) is not None]
    exotic = get("tiered_pricing") is not None or get("off_peak_pricing") is not None
    if exotic or not all(_is_number(v) for v in (prompt, completion, image, *per_second)):
        return Entry(provider, None, None, False)
    prompt, completion = float(prompt or 0.0), float(completion or 0.0)
    mode = get("mode")
    by_the_second = (
        bool(per_second)
        and not (prompt > 0 or completion > 0)
        and (mode is None or (isinstance(mode, str) and mode in _WALL_CLOCK_MODES))
    )
    image = None if image is None else float(image)
    return Entry(provider, (prompt, completion), image, by_the_second)


def _is_number(value: Any) -> bool:
    """None (no price), an int or a float: litellm reads bools and strings in ways not copied."""
    return value is None or (type(value) in (int, float))


def _expand_aliases(raw: dict[str, Any]) -> dict[str, Any]:
    """litellm's alias rows: a row with ``alias_of`` is served as its target, an ``aliases``
    list adds names for a row; a name that collides or points at nothing is skipped."""
    pointers = {
        name: info["alias_of"]
        for name, info in raw.items()
        if isinstance(info.get("alias_of"), str)
    }
    owners: dict[str, str] = {}
    for name, info in raw.items():
        aliases = info.get("aliases")
        if name in pointers or not isinstance(aliases, list):
            continue
        for alias in aliases:
            if not isinstance(alias, str):
                raise TypeError(f"alias {alias!r} of {name!r} is not a name")
            if not (alias in raw and alias not in pointers) and alias not in owners:
                owners[alias] = name
    for alias, target in pointers.items():
        if target in raw and target not in pointers and alias not in owners:
            owners[alias] = target
    for alias in pointers.keys() - owners.keys():
        del raw[alias]
    for owner in dict.fromkeys(owners.values()):
        names = (owner, *(alias for alias, alias_owner in owners.items() if alias_owner == owner))
        raw.update(dict.fromkeys(names, raw[owner]))
    return raw


def parse_price_list(data: bytes) -> PriceList | None:
    """The price list in ``data`` (litellm's JSON), or None when it is not one this module can
    read as litellm does (then litellm decides)."""
    try:
        raw = json.loads(data)
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    rules = raw.pop(_GENERALIZATIONS_KEY, None)
    if not all(isinstance(info, dict) for info in raw.values()) or _rules_set_prices(rules):
        return None
    try:
        expanded = _expand_aliases(raw)
    except TypeError:  # an alias that is not a name: litellm's own look-ups would fail on it
        return None
    return PriceList({name: _entry(info) for name, info in expanded.items()})


def _rules_set_prices(rules: Any) -> bool:
    """Whether litellm's fallback rules (a name pattern -> model facts, for unlisted models)
    may carry prices. So far they carry capabilities only, which is what lets an unlisted model
    cost 0.0 here as in litellm; a list whose rules cannot be read is left to litellm."""
    if rules is None:
        return False
    listed = rules.get("rules") if isinstance(rules, dict) else None
    if not isinstance(listed, list):
        return True
    for rule in listed:
        facts = rule.get("model_info") if isinstance(rule, dict) else None
        if not isinstance(facts, dict) or any("cost" in key or "pric" in key for key in facts):
            return True
    return False


def price_list_path() -> str | None:
    """Where the installed litellm keeps its price list, found without importing litellm."""
    try:
        spec = importlib.util.find_spec("litellm")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, PRICE_LIST_FILE)
        if os.path.isfile(path):
            return path
    return None


@functools.lru_cache(maxsize=1)
def load_price_list() -> PriceList | None:
    """litellm's price list, read once per process; None when it cannot be found or read."""
    path = price_list_path()
    if path is None:
        return None
    try:
        with open(path, "rb") as file:
            return parse_price_list(file.read())
    except OSError:
        return None


def per_token_prices(model: str) -> Prices | None:
    """(input, output) USD per token of ``model`` as litellm prices it, or None when only
    litellm can tell (see the module docstring)."""
    prices = load_price_list()
    return prices.per_token(model) if prices is not None else None
