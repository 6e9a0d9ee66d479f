"""Experiment files: every field has a default but the essentials, and a mistake is one
paragraph naming the file, the field path and its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from runner.errors import ConfigError
from runner_experiments import load_experiment

MINIMAL = "name: x\ndomain: mock\noptimizer_llm: openai/o\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exp.yaml"
    path.write_text(text)
    return path


def test_a_minimal_file_takes_the_defaults(tmp_path) -> None:
    exp = load_experiment(write(tmp_path, MINIMAL))
    assert exp.agent == "llm_agent" and exp.acceptance.rule == "ci_lower_bound"
    assert exp.acceptance.confidence == 0.95 and exp.evaluation.trials == 1
    assert exp.optimize.option == "policy" and exp.convergence.max_iterations == 5
    assert exp.path("p.md") == tmp_path / "p.md"  # relative to the file's folder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MINIMAL + "acceptance:\n  rule: best_guess\n",
            r"exp.yaml:5: acceptance.rule: Input should be",
        ),
        (
            MINIMAL + "evaluation:\n  trials: 0\n",
            r"exp.yaml:5: evaluation.trials: Input should be greater",
        ),
        (MINIMAL + "acceptnce: {}\n", r"exp.yaml:4: acceptnce: Extra inputs are not permitted"),
        ("name: x\ndomain: mock\n", r"exp.yaml:1: optimizer_llm: Field required"),
        (
            MINIMAL + "optimize:\n  constraints:\n    max_length: -3\n",
            r":6: optimize.constraints.max_length",
        ),
        (MINIMAL + "tasks: [1,\n", r"exp.yaml:5: not valid YAML"),
        ("- a\n- b\n", r"must be a YAML mapping"),
    ],
)
def test_mistakes_name_the_field_and_the_line(tmp_path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        load_experiment(write(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_a_missing_file_is_one_clear_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="Cannot read the experiment file"):
        load_experiment(tmp_path / "nope.yaml")


def test_the_documented_complete_example_is_valid(tmp_path) -> None:
    from repo_paths import REPO

    guide = (REPO / "docs" / "experiments.md").read_text(encoding="utf-8")
    block = guide.split("# experiment: a complete example\n", 1)[1].split("```", 1)[0]
    exp = load_experiment(write(tmp_path, block))
    assert exp.name == "retail-policy" and exp.tasks.limit == 40
    assert exp.optimize.constraints.required_sections == ["## Returns"]
    assert exp.budget.max_usd == 25.0 and exp.acceptance.rule == "ci_lower_bound"
