"""The parameter the 2011 assessment measures declare, pinned (mutation testing).

``_kind`` runs when the module is imported (inside ``@measure(...)``), before mutmut switches a
mutant on, so it is called directly. By hand, from the module's docstring: the parameter is
``assessment_type``, text, one of the three types the ``assessment_types`` extract records
(initial, core, single), defaulting to the type the indicator counts.
"""

from __future__ import annotations

from scorecard.measures.assessments_2011 import _kind
from scorecard.measures.base import contracts
from scorecard.registry.contract import Parameter, ParameterKind


def test_the_assessment_type_parameter_is_declared_in_full() -> None:
    assert _kind("core") == Parameter(
        "assessment_type",
        ParameterKind.TEXT,
        "the type of assessment counted (initial, core or single)",
        "core",
        choices=("initial", "core", "single"),
    )


def test_the_assessment_type_takes_one_of_the_three_types_only() -> None:
    declared = _kind("initial")
    assert declared.default == "initial"
    assert [declared.problem(value) for value in ("initial", "core", "single")] == [None] * 3
    # what `scorecard check` reports for a registry asking for another type
    assert declared.problem("other") == "must be one of initial, core, single, got 'other'"


def test_each_typed_measure_declares_its_type() -> None:
    # typed_assessments_in_time counts initial assessments by default, the overdue one core ones
    # (the registry's defaults; see the measures' docstrings)
    found = contracts()
    for measure_id, default in [("typed_assessments_in_time", "initial"),
                                ("typed_assessments_overdue", "core")]:  # fmt: skip
        (declared,) = [p for p in found[measure_id].parameters if p.name == "assessment_type"]
        assert declared == _kind(default)
