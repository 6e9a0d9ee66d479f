"""ToolKit, Environment and DataDomain: tool calls never crash, results read like τ²-bench's."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from pathlib import Path

import pytest
from pydantic import BaseModel
from runner import (
    DB,
    AssistantMessage,
    ConfigError,
    DataDomain,
    EnvAssertion,
    Environment,
    InitialState,
    MultiToolMessage,
    ToolCall,
    ToolKit,
    ToolMessage,
    UserMessage,
    tool,
)
from runner.environment import to_content


class Item(BaseModel):
    name: str
    done: bool = False


class TodoDB(DB):
    items: dict[str, Item] = {}
    counter: int = 0


class TodoTools(ToolKit):
    db: TodoDB

    @tool
    def get_item(self, item_id: str) -> Item:
        """Look an item up.

        Args:
            item_id: The item's id.
        """
        if item_id not in self.db.items:
            raise KeyError(f"no item {item_id}")
        return self.db.items[item_id]

    @tool(write=True)
    def add_item(self, name: str) -> Item:
        """Add an item."""
        self.db.counter += 1
        item = Item(name=name)
        self.db.items[f"i{self.db.counter}"] = item
        return item

    @tool
    def count(self) -> int:
        """How many items."""
        return len(self.db.items)

    def is_done(self, item_id: str) -> bool:
        """An assertion helper (not a tool)."""
        return self.db.items[item_id].done

    def mark_done(self, item_id: str) -> None:
        self.db.items[item_id].done = True


class PhoneTools(ToolKit):
    @tool(write=True)
    def toggle_airplane_mode(self) -> str:
        """Toggle airplane mode."""
        return "toggled"


def make_env(items: dict | None = None) -> Environment:
    db = TodoDB(items={k: Item(**v) for k, v in (items or {}).items()})
    return Environment("todo", "Be helpful.", TodoTools(db), PhoneTools())


def call(tool_name: str, requestor: str = "assistant", **arguments: object) -> ToolCall:
    return ToolCall(id=f"c_{tool_name}", name=tool_name, arguments=arguments, requestor=requestor)


def test_successful_call_returns_model_json() -> None:
    env = make_env({"a": {"name": "milk"}})
    msg = env.execute(call("get_item", item_id="a"))
    assert msg == ToolMessage(
        id="c_get_item", content='{"name": "milk", "done": false}', error=False
    )
    assert env.execute(call("count")).content == '"1"'  # τ²-bench: str(1), then json.dumps


def test_unknown_tool_is_an_error_message() -> None:
    msg = make_env().execute(call("delete_everything"))
    assert msg.error and msg.content == "Error: Tool 'delete_everything' not found."


def test_invalid_arguments_are_an_error_message() -> None:
    env = make_env()
    missing = env.execute(call("get_item"))
    assert missing.error and missing.content.startswith(
        "Error: Invalid arguments for tool get_item"
    )
    assert "item_id: Field required" in missing.content
    extra = env.execute(call("get_item", item_id="a", force=True))
    assert extra.error and "force: Extra inputs are not permitted" in extra.content
    wrong = env.execute(call("add_item", name=["x"]))
    assert wrong.error and "name: Input should be a valid string" in wrong.content


def test_exception_in_tool_is_an_error_message() -> None:
    msg = make_env().execute(call("get_item", item_id="zz"))
    assert msg.error and msg.content == "Error: 'no item zz'"


def test_user_tools_are_called_for_user_requests() -> None:
    env = make_env()
    assert env.execute(call("toggle_airplane_mode", requestor="user")).content == "toggled"
    assert env.execute(call("toggle_airplane_mode")).error  # not an agent tool
    assert [t.name for t in env.user_tools()] == ["toggle_airplane_mode"]
    assert [t.name for t in env.tools()] == ["get_item", "add_item", "count"]
    no_user_side = Environment("todo", "", TodoTools(TodoDB()))
    msg = no_user_side.execute(call("toggle_airplane_mode", requestor="user"))
    assert msg.error and "No user tools" in msg.content


class Shade(Enum):
    DARK = "dark"


class Level(int, Enum):
    HIGH = 3


class Colour(str, Enum):  # noqa: UP042 - τ²-bench style enum on purpose
    RED = "red"


class Row(BaseModel):
    n: int
    when: datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain text", "plain text"),
        (Colour.RED, "red"),
        (5, '"5"'),
        (2.5, '"2.5"'),
        (True, '"True"'),
        (None, "null"),
        ({"a": 1, "b": [True, None, "x"]}, '{"a": "1", "b": ["True", null, "x"]}'),
        ((1, "a"), '["1", "a"]'),
        (date(2024, 5, 1), '"2024-05-01"'),
        (Row(n=1, when=datetime(2024, 5, 1, 12, 30)), '{"n": 1, "when": "2024-05-01 12:30:00"}'),
        ([Row(n=2, when=datetime(2024, 1, 1))], '[{"n": 2, "when": "2024-01-01 00:00:00"}]'),
        (Level.HIGH, '"Level.HIGH"'),
        ({"shade": Shade.DARK}, '{"shade": "Shade.DARK"}'),
    ],
)
def test_to_content_matches_tau2_to_json_str(value: object, expected: str) -> None:
    # the expected strings are what τ²-bench's Environment.to_json_str returns for these values
    assert to_content(value) == expected


def test_state_hash_changes_with_writes_and_is_reproducible() -> None:
    a, b = make_env(), make_env()
    assert a.state_hash() == b.state_hash()
    assert a.db_hash() == TodoDB().hash() and a.user_db_hash() is None
    a.execute(call("add_item", name="bread"))
    assert a.state_hash() != b.state_hash()
    b.execute(call("add_item", name="bread"))
    assert a.state_hash() == b.state_hash()


def test_apply_initial_state_data_actions_and_check() -> None:
    env = make_env({"a": {"name": "milk"}})
    env.apply_initial_state(
        InitialState.model_validate(
            {
                "initialization_data": {
                    "agent_data": {"items": {"b": {"name": "eggs"}}, "counter": 7}
                },
                "initialization_actions": [
                    {
                        "env_type": "assistant",
                        "func_name": "mark_done",
                        "arguments": {"item_id": "b"},
                    },
                    {
                        "env_type": "assistant",
                        "func_name": "add_item",
                        "arguments": {"name": "tea"},
                    },
                ],
            }
        )
    )
    db = env.toolkit.db
    assert set(db.items) == {"a", "b", "i8"} and db.items["b"].done and db.counter == 8
    assert env.check(
        EnvAssertion(env_type="assistant", func_name="is_done", arguments={"item_id": "b"})
    )
    assert not env.check(
        EnvAssertion(env_type="assistant", func_name="is_done", arguments={"item_id": "a"})
    )
    assert env.check(
        EnvAssertion(
            env_type="assistant",
            func_name="is_done",
            arguments={"item_id": "a"},
            assert_value=False,
        )
    )
    with pytest.raises(ValueError, match="not found"):
        env.run_function(EnvAssertion(env_type="assistant", func_name="_private", arguments={}))
    with pytest.raises(ValueError, match="returned int, not bool"):
        env.check(EnvAssertion(env_type="assistant", func_name="count", arguments={}))


def test_replay_rebuilds_the_state_of_a_trajectory() -> None:
    live = make_env()
    calls = [call("add_item", name="x"), call("count"), call("nope")]
    calls = [c.model_copy(update={"id": f"id{i}"}) for i, c in enumerate(calls)]
    results = [live.execute(c) for c in calls]
    trajectory = [
        UserMessage(content="add x"),
        AssistantMessage(tool_calls=calls[:1]),
        results[0],
        AssistantMessage(tool_calls=calls[1:]),
        MultiToolMessage(tool_messages=results[1:]),
        AssistantMessage(content="done"),
    ]
    fresh = make_env()
    fresh.replay(trajectory)
    assert fresh.state_hash() == live.state_hash()

    tampered = [*trajectory[:2], results[0].model_copy(update={"content": '{"name": "y"}'})]
    with pytest.raises(ValueError, match="recorded"):
        make_env().replay(tampered)
    with pytest.raises(ValueError, match="does not follow a tool call"):
        make_env().replay([results[0]])
    with pytest.raises(ValueError, match="has no result"):
        make_env().replay([trajectory[1], AssistantMessage(content="hm")])


def test_toolkits_inherit_tools_and_build_schemas_once() -> None:
    class MoreTools(TodoTools):
        @tool
        def count(self) -> int:
            """Overridden count."""
            return -1

        @tool(name="renamed")
        def other(self) -> str:
            """Another."""
            return "o"

    kit = MoreTools(TodoDB())
    assert kit.tool_names() == ["get_item", "add_item", "count", "renamed"]
    assert kit.call("count", {}) == -1 and kit.call("renamed", {}) == "o"
    assert kit.get_tool("count").description == "Overridden count."
    assert (
        MoreTools(TodoDB()).get_tool("add_item").schema_info is kit.get_tool("add_item").schema_info
    )


# -- DataDomain -------------------------------------------------------------------------------
class TodoDomain(DataDomain):
    name = "todo"
    description = "to-do list"
    db_class = TodoDB
    toolkit_class = f"{__name__}:TodoTools"


def data_folder(tmp_path: Path, name: str = "data") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "db.json").write_text(json.dumps({"items": {"a": {"name": "milk"}}}))
    (folder / "policy.md").write_text("Be kind.")
    tasks = [{"id": str(i), "user_scenario": {"instructions": f"task {i}"}} for i in range(3)]
    (folder / "tasks.json").write_text(json.dumps(tasks))
    (folder / "split_tasks.json").write_text(json.dumps({"base": ["0", "1"], "train": ["2"]}))
    return folder


def test_data_domain_reads_its_folder_and_gives_independent_environments(tmp_path: Path) -> None:
    domain = TodoDomain(data_dir=str(data_folder(tmp_path)))
    assert domain.splits() == ["base", "train"]
    assert [t.id for t in domain.tasks()] == ["0", "1"]
    assert [t.id for t in domain.tasks("train")] == ["2"]
    assert [t.id for t in domain.all_tasks()] == ["0", "1", "2"]
    one, two = domain.environment(), domain.environment()
    assert one.policy == "Be kind." and domain.policy == "Be kind."
    one.execute(call("add_item", name="x"))
    assert one.state_hash() != two.state_hash() == domain.environment().state_hash()
    with pytest.raises(
        ConfigError, match="Unknown task split 'tran' for domain 'todo'. Did you mean 'train'"
    ):
        domain.tasks("tran")


def test_configure_validates_options(tmp_path: Path) -> None:
    domain = TodoDomain(data_dir=str(data_folder(tmp_path)))
    with pytest.raises(
        ConfigError,
        match="Unknown --domain-option data_dri .*Did you mean 'data_dir'.*"
        "Known options: data_dir, task_file",
    ):
        domain.configure({"data_dri": "x"})
    with pytest.raises(ConfigError, match="does not exist"):
        domain.configure({"data_dir": str(tmp_path / "missing")})
    other = domain.configure({"data_dir": str(data_folder(tmp_path, "other"))})
    assert other is not domain and other.options["data_dir"].endswith("other")
    assert domain.options["data_dir"].endswith("data")
    task_file = tmp_path / "few.json"
    task_file.write_text(json.dumps([{"id": "solo", "user_scenario": {"instructions": "x"}}]))
    only = domain.configure({"task_file": str(task_file)})
    assert [t.id for t in only.tasks()] == ["solo"] and only.splits() == ["base"]


def test_unvalidated_toolkit_passes_arguments_as_sent() -> None:
    """``validate_arguments = False`` hands the model's JSON to the tool unchanged (τ²-bench)."""
    from runner import ToolCall, ToolKit, tool
    from runner.environment.environment import Environment

    class Raw(ToolKit):
        validate_arguments = False

        @tool
        def echo(self, amount: float) -> str:
            """Echo.

            Args:
                amount: how much.
            """
            return f"{amount} GB"

    class Checked(Raw):
        validate_arguments = True

    raw = Environment("d", "", Raw())
    checked = Environment("d", "", Checked())
    assert raw.execute(ToolCall(id="1", name="echo", arguments={"amount": 2})).content == "2 GB"
    assert (
        checked.execute(ToolCall(id="1", name="echo", arguments={"amount": 2})).content == "2.0 GB"
    )
    missing = raw.execute(ToolCall(id="2", name="echo", arguments={}))
    assert missing.error and "amount" in (missing.content or "")
    unknown = raw.execute(ToolCall(id="3", name="nope", arguments={}))
    assert unknown.error and unknown.content == "Error: Tool 'nope' not found."


def test_a_tool_parameter_without_a_type_hint_is_refused_when_the_class_is_defined() -> None:
    from runner import PluginError, ToolKit, tool

    with pytest.raises(PluginError) as info:

        class BikeTools(ToolKit):
            @tool
            def rent_bike(self, station_id: str, hours) -> str:  # type: ignore[no-untyped-def]
                """Rent a bike."""
                return "ok"

    message = str(info.value)
    assert "ToolKit BikeTools" in message and "'hours'" in message and "'rent_bike'" in message
    assert "Add one, e.g. `hours: str`" in message


def test_typed_tools_and_untyped_helpers_are_fine() -> None:
    from runner import ToolKit, tool

    class Fine(ToolKit):
        @tool
        def lookup(self, key: str, *args: object, **kwargs: object) -> str:
            """Look a key up."""
            return key

        def helper(self, anything):  # type: ignore[no-untyped-def]  # not a tool
            return anything

    assert Fine().tool_names() == ["lookup"]
