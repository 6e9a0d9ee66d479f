"""The base model: keeps unknown fields and key order so τ²-bench files round-trip unchanged."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_serializer, model_validator


class _KeyOrder:
    """The key order of the dict a model was validated from.

    It compares equal to any other key order (and to ``None``): two models with the same
    content are equal however their source files ordered the keys.
    """

    __slots__ = ("keys",)

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, _KeyOrder)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"_KeyOrder({self.keys!r})"


class Model(BaseModel):
    """Base of every file-format model.

    ``extra="allow"`` keeps fields we do not know (a newer τ²-bench, a plugin's own annotations),
    :meth:`to_json` dumps only what was set, and a model validated from a dict remembers the
    order of that dict's keys, so loading a file then dumping it gives back the same JSON text,
    not merely an equal object (clean diffs when a tool rewrites a task file).
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    _key_order: _KeyOrder | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_key_order(cls, data: Any, handler: Any) -> Any:
        instance = handler(data)
        if isinstance(data, dict) and isinstance(instance, Model):
            instance._key_order = _KeyOrder(tuple(data))
        return instance

    @model_serializer(mode="wrap")
    def _dump_in_key_order(self, handler: Any) -> dict[str, Any]:
        out = handler(self)
        order = self._key_order
        if order is None or not isinstance(out, dict):
            return out
        ordered = {key: out[key] for key in order.keys if key in out}
        ordered.update(out)  # fields set after loading keep their place at the end
        return ordered

    def to_json(self) -> dict[str, Any]:
        """The JSON-compatible dict of the fields that were set (defaults left out)."""
        return self.model_dump(mode="json", exclude_unset=True)
