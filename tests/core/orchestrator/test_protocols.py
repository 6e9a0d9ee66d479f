"""The participant and orchestrator Protocols describe the base classes and duck-typed ones."""

from __future__ import annotations

from typing import Any

from runner import (
    FullDuplexAgent,
    FullDuplexParticipant,
    FullDuplexUser,
    HalfDuplexAgent,
    HalfDuplexOrchestrator,
    HalfDuplexParticipant,
    HalfDuplexUser,
    Orchestrator,
    Participant,
)


class DuckAgent:
    """No base class: the methods alone make it a half-duplex participant."""

    def get_init_state(self, message_history: list[Any] | None = None) -> None:
        return None

    def is_stop(self, message: Any) -> bool:
        return False

    def set_seed(self, seed: int | None) -> None:
        pass

    async def agenerate_next_message(self, message: Any, state: Any) -> tuple[Any, Any]:
        return message, state


def test_the_base_classes_are_participants_of_their_kind() -> None:
    for half in (HalfDuplexAgent(), HalfDuplexUser()):
        assert isinstance(half, HalfDuplexParticipant) and isinstance(half, Participant)
        assert not isinstance(half, FullDuplexParticipant)
    for full in (FullDuplexAgent(), FullDuplexUser()):
        assert isinstance(full, FullDuplexParticipant)
        assert not isinstance(full, HalfDuplexParticipant)


def test_a_duck_typed_participant_qualifies_and_an_unrelated_object_does_not() -> None:
    assert isinstance(DuckAgent(), HalfDuplexParticipant)
    assert not isinstance(object(), Participant)


def test_the_half_duplex_orchestrator_is_an_orchestrator() -> None:
    assert issubclass(HalfDuplexOrchestrator, Orchestrator)
