"""The data model: messages, tasks, results, run configuration and build context."""

from runner.models.config import RunConfig
from runner.models.context import BuildContext
from runner.models.messages import (
    STOP_TOKEN,
    AssistantMessage,
    Message,
    MultiToolMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
    UserMessage,
    flatten,
)
from runner.models.simulation import (
    ActionCheck,
    CommunicateCheck,
    DBCheck,
    EnvAssertionCheck,
    NLAssertionCheck,
    RewardInfo,
    SimulationRun,
    TerminationReason,
)
from runner.models.task import (
    Action,
    Description,
    EnvAssertion,
    EnvFunctionCall,
    EvaluationCriteria,
    InitializationData,
    InitialState,
    RewardType,
    StructuredUserInstructions,
    Task,
    UserScenario,
)
from runner.models.taskfile import dump_tasks, load_tasks

__all__ = [
    "STOP_TOKEN",
    "Action",
    "ActionCheck",
    "AssistantMessage",
    "BuildContext",
    "CommunicateCheck",
    "DBCheck",
    "Description",
    "EnvAssertion",
    "EnvAssertionCheck",
    "EnvFunctionCall",
    "EvaluationCriteria",
    "InitialState",
    "InitializationData",
    "Message",
    "MultiToolMessage",
    "NLAssertionCheck",
    "RewardInfo",
    "RewardType",
    "RunConfig",
    "SimulationRun",
    "StructuredUserInstructions",
    "SystemMessage",
    "Task",
    "TerminationReason",
    "ToolCall",
    "ToolMessage",
    "UserMessage",
    "UserScenario",
    "dump_tasks",
    "flatten",
    "load_tasks",
]
