"""runner: simulate and evaluate tool-using conversational agents.

This module is the public API (re-exports only). Everything a plugin author needs is importable
from here; names with a leading underscore anywhere in the package are internal.

Re-exports are resolved lazily (PEP 562) so that ``from runner import hookimpl`` in a plugin
module costs almost nothing: ``runner --help`` and ``runner list-plugins`` stay fast with every
plugin installed, and pydantic is imported only when a model is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Action": "runner.models.task",
    "AmbiguousNameError": "runner.errors",
    "AssistantMessage": "runner.models.messages",
    "BuildContext": "runner.models.context",
    "ChatParticipant": "runner.participants",
    "ConfigError": "runner.errors",
    "ContextWindowExceededError": "runner.errors",
    "InfrastructureError": "runner.errors",
    "DB": "runner.environment.db",
    "CopyOnWriteDB": "runner.environment.cow",
    "DataDomain": "runner.environment.domain",
    "Domain": "runner.environment.domain",
    "EnvAssertion": "runner.models.task",
    "EnvFunctionCall": "runner.models.task",
    "Environment": "runner.environment.environment",
    "EvaluationCriteria": "runner.models.task",
    "FullDuplexAgent": "runner.participants",
    "FullDuplexUser": "runner.participants",
    "FullDuplexOrchestrator": "runner.orchestrator",
    "FunctionSchema": "runner.environment.schema",
    "HalfDuplexAgent": "runner.participants",
    "HalfDuplexOrchestrator": "runner.orchestrator",
    "HalfDuplexUser": "runner.participants",
    "InitialState": "runner.models.task",
    "LLMError": "runner.llm",
    "LLMGateway": "runner.llm",
    "LLMRequestError": "runner.llm",
    "LLMResponse": "runner.llm",
    "LLMToolCall": "runner.llm",
    "StreamEvent": "runner.llm",
    "configure_gateway": "runner.llm",
    "get_gateway": "runner.llm",
    "Message": "runner.models.messages",
    "MultiToolMessage": "runner.models.messages",
    "NLJudge": "runner.evaluation",
    "PluginError": "runner.errors",
    "PluginOptions": "runner.plugins",
    "Plugins": "runner.plugins",
    "RewardInfo": "runner.models.simulation",
    "RewardType": "runner.models.task",
    "RunConfig": "runner.models.config",
    "RunnerError": "runner.errors",
    "SimulationRun": "runner.models.simulation",
    "StreamingAdapter": "runner.orchestrator",
    "StreamState": "runner.orchestrator",
    "SystemMessage": "runner.models.messages",
    "Task": "runner.models.task",
    "TaskFileError": "runner.errors",
    "TerminationReason": "runner.models.simulation",
    "Tool": "runner.environment.tools",
    "ToolCall": "runner.models.messages",
    "ToolKit": "runner.environment.toolkit",
    "ToolMessage": "runner.models.messages",
    "UnknownNameError": "runner.errors",
    "UserMessage": "runner.models.messages",
    "UserScenario": "runner.models.task",
    "aevaluate_simulation": "runner.evaluation",
    "calculate": "runner.environment.calculator",
    "dump_tasks": "runner.models.taskfile",
    "evaluate_simulation": "runner.evaluation",
    "function_schema": "runner.environment.schema",
    "hookimpl": "runner.plugins.hookspecs",
    "hookspec": "runner.plugins.hookspecs",
    "load_plugins": "runner.plugins",
    "load_tasks": "runner.models.taskfile",
    "run_simulation": "runner.run.simulation",
    "build_environment": "runner.run.build",
    "build_agent": "runner.run.build",
    "build_user": "runner.run.build",
    "build_orchestrator": "runner.run.build",
    "Executor": "runner.run.executor",
    "WorkUnit": "runner.run.executor",
    "run_unit": "runner.run.executor",
    "failed_run": "runner.run.executor",
    "RunResult": "runner.run.batch",
    "Metrics": "runner.evaluation.metrics",
    "compute_metrics": "runner.evaluation.metrics",
    "mean_interval": "runner.evaluation.stats",
    "t_quantile": "runner.evaluation.stats",
    "run_domain": "runner.run.batch",
    "run_tasks": "runner.run.batch",
    "run_single_task": "runner.run.batch",
    "arun_domain": "runner.run.batch",
    "arun_tasks": "runner.run.batch",
    "arun_single_task": "runner.run.batch",
    "read_results": "runner.store",
    "RunDirectory": "runner.store",
    "mask_secrets": "runner.secrets",
    "ConformanceReport": "runner.conformance",
    "check_domain": "runner.conformance",
    "ResultsFile": "runner.store",
    "read_results_file": "runner.store",
    "tool": "runner.environment.tools",
    "FullDuplexParticipant": "runner.orchestrator.protocols",
    "HalfDuplexParticipant": "runner.orchestrator.protocols",
    "Orchestrator": "runner.orchestrator.protocols",
    "Participant": "runner.orchestrator.protocols",
    "GREETING": "runner.constants",
    "OUT_OF_SCOPE_TOKEN": "runner.constants",
    "STOP_TOKEN": "runner.constants",
    "TRANSFER_TOKEN": "runner.constants",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'runner' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from runner.conformance import ConformanceReport, check_domain  # noqa: F401
    from runner.constants import (  # noqa: F401
        GREETING,
        OUT_OF_SCOPE_TOKEN,
        STOP_TOKEN,
        TRANSFER_TOKEN,
    )
    from runner.environment import (  # noqa: F401
        DB,
        CopyOnWriteDB,
        DataDomain,
        Domain,
        Environment,
        FunctionSchema,
        Tool,
        ToolKit,
        calculate,
        function_schema,
        tool,
    )
    from runner.errors import (  # noqa: F401
        AmbiguousNameError,
        ConfigError,
        ContextWindowExceededError,
        InfrastructureError,
        PluginError,
        RunnerError,
        TaskFileError,
        UnknownNameError,
    )
    from runner.evaluation import (  # noqa: F401
        NLJudge,
        aevaluate_simulation,
        evaluate_simulation,
    )
    from runner.evaluation.metrics import Metrics, compute_metrics  # noqa: F401
    from runner.evaluation.stats import mean_interval, t_quantile  # noqa: F401
    from runner.llm import (  # noqa: F401
        LLMError,
        LLMGateway,
        LLMRequestError,
        LLMResponse,
        LLMToolCall,
        StreamEvent,
        configure_gateway,
        get_gateway,
    )
    from runner.models import (  # noqa: F401
        Action,
        AssistantMessage,
        BuildContext,
        EnvAssertion,
        EnvFunctionCall,
        EvaluationCriteria,
        InitialState,
        Message,
        MultiToolMessage,
        RewardInfo,
        RewardType,
        RunConfig,
        SimulationRun,
        SystemMessage,
        Task,
        TerminationReason,
        ToolCall,
        ToolMessage,
        UserMessage,
        UserScenario,
        dump_tasks,
        load_tasks,
    )
    from runner.orchestrator import (  # noqa: F401
        FullDuplexOrchestrator,
        HalfDuplexOrchestrator,
        StreamingAdapter,
        StreamState,
    )
    from runner.orchestrator.protocols import (  # noqa: F401
        FullDuplexParticipant,
        HalfDuplexParticipant,
        Orchestrator,
        Participant,
    )
    from runner.participants import (  # noqa: F401
        ChatParticipant,
        FullDuplexAgent,
        FullDuplexUser,
        HalfDuplexAgent,
        HalfDuplexUser,
    )
    from runner.plugins import (  # noqa: F401
        PluginOptions,
        Plugins,
        load_plugins,
    )
    from runner.plugins.hookspecs import (  # noqa: F401
        hookimpl,
        hookspec,
    )
    from runner.run.batch import (  # noqa: F401
        RunResult,
        arun_domain,
        arun_single_task,
        arun_tasks,
        run_domain,
        run_single_task,
        run_tasks,
    )
    from runner.run.build import (  # noqa: F401
        build_agent,
        build_environment,
        build_orchestrator,
        build_user,
    )
    from runner.run.executor import Executor, WorkUnit, failed_run, run_unit  # noqa: F401
    from runner.run.simulation import run_simulation  # noqa: F401
    from runner.secrets import mask_secrets  # noqa: F401
    from runner.store import (  # noqa: F401
        ResultsFile,
        RunDirectory,
        read_results,
        read_results_file,
    )
