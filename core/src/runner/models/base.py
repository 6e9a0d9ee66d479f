"""The base model: keeps unknown fields so τ²-bench files round-trip unchanged."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base of every file-format model.

    ``extra="allow"`` keeps fields we do not know (a newer τ²-bench, a plugin's own annotations),
    and :meth:`to_json` dumps only what was set, so loading then dumping gives back the input.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def to_json(self) -> dict[str, Any]:
        """The JSON-compatible dict of the fields that were set (defaults left out)."""
        return self.model_dump(mode="json", exclude_unset=True)
