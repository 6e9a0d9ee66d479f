"""Helpers of the realtime agent's tests: the mock domain, a script that solves a task, the
agent built through its registered factory, and one full-duplex voice run scored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from runner import BuildContext, FullDuplexOrchestrator, load_plugins, run_simulation
from runner.voice import LoopbackVoice
from runner_voice_openai.fake_server import Call, FakeRealtimeServer

#: The user's voice: 24 kHz, the Realtime API's rate, so the loopback audio needs no resampling
#: (resampling would garble the text that ``loopback`` writes into the samples).
VOICE_RATE = 24000
MODEL = "openai/gpt-realtime"


@pytest.fixture(scope="session")
def plugins() -> Any:
    return load_plugins()


@pytest.fixture(scope="session")
def domain(plugins: Any) -> Any:
    return plugins.registry("domains").get("mock").obj


def task_of(domain: Any, task_id: str) -> Any:
    return next(t for t in domain.tasks() if t.id == task_id)


def solving_script(task: Any, answer: str | None = None) -> Any:
    """The model of a perfect agent: make the task's expected calls, in order, one per response;
    then say ``answer`` (default: the task's ``communicate_info``)."""
    calls = task.expected_actions("assistant")
    info = task.evaluation_criteria.communicate_info or []
    final = answer or (" ".join(info) if info else "All done, it is taken care of.")

    def script(user_text: str, conversation: list[dict[str, Any]]) -> Any:
        made = sum(1 for item in conversation if item["type"] == "function_call_output")
        if made < len(calls):
            return Call(calls[made].name, dict(calls[made].arguments))
        return final

    return script


def build_agent(
    plugins: Any, environment: Any, task: Any, server: FakeRealtimeServer, **options: Any
) -> Any:
    """The ``realtime`` agent as ``runner run --agent realtime`` builds it."""
    factory = plugins.registry("agents").get("realtime").obj
    llm_args = {"api_base": server.url, "api_key": server.api_key, "timeout": 5}
    llm_args.update(options.pop("llm_args", {}))
    return factory(
        BuildContext(
            environment=environment,
            tools=list(environment.tools()),
            policy=environment.policy,
            task=task,
            llm=MODEL,
            llm_args=llm_args,
            options=options,
        )
    )


def scripted_user(plugins: Any, task: Any) -> Any:
    return plugins.registry("users").get("scripted").obj(BuildContext(task=task))


async def voice_run(domain: Any, task: Any, agent: Any, user: Any, max_ticks: int = 400) -> Any:
    """One full-duplex voice run of ``task``, scored; the agent's sessions closed after."""
    orchestrator = FullDuplexOrchestrator(
        environment=domain.environment(),
        agent=agent,
        user=user,
        task=task,
        seed=1,
        max_ticks=max_ticks,
        timeout=60,
        voice=LoopbackVoice(sample_rate=VOICE_RATE),
    )
    try:
        return await run_simulation(orchestrator, environment_factory=domain.environment)
    finally:
        await agent.aclose()


@pytest.fixture
def server_factory() -> Iterator[Any]:
    """Start fake servers that are stopped whatever the test does."""
    started: list[FakeRealtimeServer] = []

    def start(script: Any, **faults: Any) -> FakeRealtimeServer:
        server = FakeRealtimeServer(script=script, **faults).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
