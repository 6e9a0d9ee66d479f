"""The LLM judge of natural-language assertions (``--judge-llm MODEL``).

``NL_ASSERTION`` checks ask whether a conversation satisfies statements such as "The agent
compliments the user". :class:`LLMJudge` implements :class:`runner.evaluation.judge.NLJudge`:
one gateway call per simulation shows the model the transcript and the numbered assertions and
asks for a JSON verdict per assertion, with a short reason. The model and its arguments come
from ``--judge-llm`` / ``--judge-llm-args``; nothing is hard-coded.

Cost and tokens of the judge's calls are summed on the judge (``cost``, ``usage``) and the
simulation layer records them as the run's ``judge_cost`` and ``usage["judge"]``. A provider
failure propagates (the run becomes an ``infrastructure_error`` and is retried); an answer that
is not JSON raises :class:`JudgeAnswerError`, which is treated the same way.
"""

from __future__ import annotations

import json
import re
from typing import Any

from runner.llm.chat import transcript
from runner.models.simulation import NLAssertionCheck

SYSTEM_PROMPT = """\
You grade conversations between a customer service agent and a customer.
You get the conversation (tool calls and their results included) and a numbered list of
expected outcomes. Decide for each outcome, independently, whether the conversation satisfies
it. Judge only by what is in the conversation.

Answer with one JSON object and nothing else:
{"results": [{"index": 1, "reasoning": "<one or two sentences>", "met": true}, ...]}
with one entry per expected outcome, in the given order; "met" is true or false."""

USER_PROMPT = """\
<conversation>
{conversation}
</conversation>

<expected_outcomes>
{outcomes}
</expected_outcomes>"""

NO_VERDICT = "The judge gave no verdict for this assertion."
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class JudgeAnswerError(ValueError):
    """The judge's answer could not be read as verdicts (the simulation is retried)."""


class LLMJudge:
    """Judges NL assertions with ``model`` through the LLM gateway.

    ``llm_args`` go to the gateway unchanged (``temperature``, ``api_base``, ``api_key``,
    ``response_format``, ...). ``cost`` (USD) and ``usage`` (token counts) grow with each call.
    """

    def __init__(
        self, model: str, llm_args: dict[str, Any] | None = None, *, gateway: Any = None
    ) -> None:
        self.model = model
        self.llm_args = dict(llm_args or {})
        self.gateway = gateway
        self.calls = 0
        self.cost = 0.0
        self.usage: dict[str, int] = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}

    def __repr__(self) -> str:  # never show llm_args: they may hold an API key
        return f"LLMJudge(model={self.model!r})"

    async def judge(
        self, task: Any, messages: list[Any], assertions: list[str]
    ) -> list[NLAssertionCheck]:
        """One verdict per assertion, in order (see :class:`runner.evaluation.judge.NLJudge`)."""
        from runner.llm import get_gateway

        if not assertions:
            return []
        prompt = USER_PROMPT.format(
            conversation=transcript(messages) or "(empty)",
            outcomes="\n".join(f"{i}. {a}" for i, a in enumerate(assertions, start=1)),
        )
        chat = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}]
        gateway = self.gateway or get_gateway()
        response = await gateway.complete(self.model, chat, **self.llm_args)
        self._account(response)
        return verdicts(response.content or "", assertions)

    def _account(self, response: Any) -> None:
        self.calls += 1
        self.cost += float(response.cost or 0.0)
        for key in self.usage:
            self.usage[key] += int(getattr(response.usage, key, 0) or 0)


def verdicts(answer: str, assertions: list[str]) -> list[NLAssertionCheck]:
    """The checks in ``answer`` (the judge's JSON), matched to ``assertions`` by ``index``,
    else by the assertion's text, else by position. An assertion without a verdict is
    ``met=None`` (not met) with a justification saying so."""
    results = _results(answer)
    by_index: dict[int, dict[str, Any]] = {}
    for position, item in enumerate(results, start=1):
        index = _index(item, assertions) or position
        by_index.setdefault(index, item)
    checks = []
    for index, assertion in enumerate(assertions, start=1):
        verdict = by_index.get(index)
        if verdict is None:
            checks.append(
                NLAssertionCheck(nl_assertion=assertion, met=None, justification=NO_VERDICT)
            )
            continue
        met = verdict.get("met", verdict.get("metExpectation"))
        reason = verdict.get("reasoning") or verdict.get("justification") or ""
        checks.append(
            NLAssertionCheck(
                nl_assertion=assertion,
                met=met if isinstance(met, bool) else _truthy(met),
                justification=str(reason),
            )
        )
    return checks


def _results(answer: str) -> list[dict[str, Any]]:
    data = _json_object(answer)
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise JudgeAnswerError(f"The judge's answer has no list of results: {answer[:200]!r}")
    return results


def _json_object(answer: str) -> Any:
    """The JSON in the answer: the whole text, a fenced block, or the outermost ``{...}``."""
    candidates = [answer.strip()]
    candidates += [m.strip() for m in _FENCE.findall(answer)]
    start, end = answer.find("{"), answer.rfind("}")
    if 0 <= start < end:
        candidates.append(answer[start : end + 1])
    for text in candidates:
        try:
            return json.loads(text)
        except ValueError:
            continue
    raise JudgeAnswerError(f"The judge's answer is not JSON: {answer[:200]!r}")


def _index(item: dict[str, Any], assertions: list[str]) -> int | None:
    value = item.get("index")
    if isinstance(value, int) and 1 <= value <= len(assertions):
        return value
    text = item.get("assertion") or item.get("expectedOutcome")
    if isinstance(text, str) and text.strip() in assertions:
        return assertions.index(text.strip()) + 1
    return None


def _truthy(value: Any) -> bool | None:
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "met"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "not met"):
        return False
    return None
