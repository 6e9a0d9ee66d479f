"""Tool schemas from type hints and Google-style docstrings, in OpenAI's function format."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Literal, Optional

import jsonschema
import pytest
from pydantic import BaseModel, Field
from runner import ToolKit, function_schema, tool
from runner.environment import parse_docstring


class Color(str, Enum):  # noqa: UP042 - τ²-bench style enum on purpose
    RED = "red"
    BLUE = "blue"


class Address(BaseModel):
    street: str
    zip_code: str | None = None


class Passenger(BaseModel):
    """A traveller."""

    name: str
    address: Address
    tags: list[str] = []


class Kit(ToolKit):
    @tool
    def scalars(self, count: int, ratio: float, name: str, flag: bool = False) -> str:
        """Scalars of every kind.

        Args:
            count: How many.
            ratio: A ratio.
            name: A name.
            flag: A flag.
        """
        return ""

    @tool
    def optionals(self, a: Optional[int] = None, b: str | None = None, c: int = 3) -> str:  # noqa: UP045
        """Optional and defaulted arguments."""
        return ""

    @tool
    def collections(self, ids: list[str], scores: dict[str, float], pairs: list[list[int]]) -> str:
        """Containers."""
        return ""

    @tool
    def choices(self, mode: Literal["fast", "slow"], color: Color = Color.RED) -> str:
        """Literal and enum."""
        return ""

    @tool(write=True)
    def nested(self, passengers: list[Passenger], primary: Passenger | None = None) -> str:
        """Nested models.

        Args:
            passengers: Everyone on the booking.
            primary: The contact person.
        """
        return ""

    @tool
    def annotated(self, n: Annotated[int, Field(ge=1, le=9)], title: str) -> str:
        """An argument named like a JSON-schema keyword, and a constrained one."""
        return ""


SCHEMAS = {t.name: t.openai_schema() for t in Kit().tools()}


def params(name: str) -> dict:
    return SCHEMAS[name]["function"]["parameters"]


def test_openai_function_shape() -> None:
    schema = SCHEMAS["scalars"]
    assert set(schema) == {"type", "function"} and schema["type"] == "function"
    assert set(schema["function"]) == {"name", "description", "parameters"}
    assert schema["function"]["name"] == "scalars"
    assert schema["function"]["description"] == "Scalars of every kind."
    p = params("scalars")
    assert p["type"] == "object" and p["additionalProperties"] is False
    json.dumps(SCHEMAS)  # JSON-serialisable as a whole


def test_scalars_and_descriptions() -> None:
    p = params("scalars")
    assert p["properties"] == {
        "count": {"type": "integer", "description": "How many."},
        "ratio": {"type": "number", "description": "A ratio."},
        "name": {"type": "string", "description": "A name."},
        "flag": {"type": "boolean", "description": "A flag.", "default": False},
    }
    assert p["required"] == ["count", "ratio", "name"]


def test_optional_and_defaults() -> None:
    p = params("optionals")
    assert p["properties"]["a"] == {
        "anyOf": [{"type": "integer"}, {"type": "null"}],
        "default": None,
    }
    assert p["properties"]["b"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "default": None,
    }
    assert p["properties"]["c"] == {"type": "integer", "default": 3}
    assert p["required"] == []


def test_lists_and_dicts() -> None:
    props = params("collections")["properties"]
    assert props["ids"] == {"type": "array", "items": {"type": "string"}}
    assert props["scores"] == {"type": "object", "additionalProperties": {"type": "number"}}
    assert props["pairs"] == {
        "type": "array",
        "items": {"type": "array", "items": {"type": "integer"}},
    }


def test_literal_and_enum() -> None:
    p = params("choices")
    assert p["properties"]["mode"] == {"type": "string", "enum": ["fast", "slow"]}
    assert p["properties"]["color"] == {"$ref": "#/$defs/Color", "default": "red"}
    assert p["$defs"]["Color"] == {"type": "string", "enum": ["red", "blue"]}


def test_nested_models_use_defs_without_titles() -> None:
    p = params("nested")
    assert p["properties"]["passengers"] == {
        "type": "array",
        "items": {"$ref": "#/$defs/Passenger"},
        "description": "Everyone on the booking.",
    }
    assert p["$defs"]["Passenger"]["properties"]["address"] == {"$ref": "#/$defs/Address"}
    assert p["$defs"]["Passenger"]["description"] == "A traveller."
    assert p["$defs"]["Address"]["required"] == ["street"]
    assert '"title":' not in json.dumps(p)


def test_property_called_title_and_constraints_are_kept() -> None:
    p = params("annotated")
    assert p["properties"]["title"] == {"type": "string"}
    assert p["properties"]["n"] == {"type": "integer", "minimum": 1, "maximum": 9}
    assert p["required"] == ["n", "title"]


def test_every_schema_is_valid_json_schema_2020_12() -> None:
    for name, schema in SCHEMAS.items():
        parameters = schema["function"]["parameters"]
        jsonschema.Draft202012Validator.check_schema(parameters)
        validator = jsonschema.Draft202012Validator(parameters)
        if name == "nested":
            assert validator.is_valid({"passengers": [{"name": "A", "address": {"street": "s"}}]})
            assert not validator.is_valid({"passengers": [{"name": "A"}]})
            assert not validator.is_valid({"passengers": [], "unknown": 1})


def test_docstring_parsing_multi_line_and_typed_args() -> None:
    doc = parse_docstring("""Book a flight.

    Longer explanation
    over two lines.

    Args:
        origin (str): Where from. Three-letter
            IATA code, e.g. SFO.
        when: The date, as
            YYYY-MM-DD:
            never in the past.
        *extras: ignored.

    Returns:
        The reservation.
    """)
    assert doc.summary == "Book a flight.\n\nLonger explanation\nover two lines."
    assert doc.args == {
        "origin": "Where from. Three-letter IATA code, e.g. SFO.",
        "when": "The date, as YYYY-MM-DD: never in the past.",
        "extras": "ignored.",
    }


def test_docstring_with_description_on_the_next_line() -> None:
    doc = parse_docstring("""Do it.

    Args:
        flag:
            Whether to do it.
    """)
    assert doc.args == {"flag": "Whether to do it."}


def test_no_docstring_falls_back_to_the_name_and_hints_resolve_with_future_annotations() -> None:
    def lookup(user_id: str, limit: int = 5) -> list[str]:
        return []

    schema = function_schema(lookup)
    assert schema.description == "lookup"
    assert schema.parameters["properties"]["limit"] == {"type": "integer", "default": 5}
    # this module uses `from __future__ import annotations`: hints were strings until resolved
    assert schema.parameters["properties"]["user_id"] == {"type": "string"}


def test_unresolvable_hint_names_the_function() -> None:
    def broken(x: NoSuchType) -> str:  # type: ignore[name-defined]  # noqa: F821
        return ""

    with pytest.raises(TypeError, match="broken"):
        function_schema(broken)


def test_args_model_validates_and_coerces() -> None:
    kit = Kit()
    nested = kit.get_tool("nested")
    args = nested.validate({"passengers": [{"name": "A", "address": {"street": "s"}}]})
    assert isinstance(args["passengers"][0], Passenger) and args["primary"] is None
    assert nested.write and not kit.get_tool("scalars").write
