"""The contract between the registry and the measures.

A measure declares what it computes (its id), the extracts it reads and its parameters: each with
a kind, a default and an allowed range. The registry names, for each indicator, the measure that
computes it (``measure:``, by default the indicator's own id) or says that its figures are supplied
from outside the library (``supplied:``), and gives values to the measure's parameters.
:func:`contract_issues` checks one against the other and reports every mismatch with the file and
line of the registry where it is: an indicator without a measure, a parameter the measure does not
declare (a misspelling), a value of the wrong kind or out of range, a required parameter not given.

This module belongs to the registry layer: it knows nothing of how measures compute. The measures
describe themselves with :class:`MeasureContract` (see :func:`scorecard.measures.base.measure`).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import assert_never

from scorecard.registry.model import Indicator, Registry

ParameterValue = int | float | str


class ParameterKind(Enum):
    """What a parameter's value is."""

    WHOLE = "whole number"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date (YYYY-MM-DD)"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a measure: a local standard an authority may change in the registry.

    ``default`` is used when the registry gives none (``None``: the registry must give it);
    ``minimum``/``maximum`` bound a number (inclusive); ``choices`` lists the allowed texts.
    """

    name: str
    kind: ParameterKind
    meaning: str
    default: ParameterValue | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.default is not None and (problem := self.problem(self.default)) is not None:
            raise ValueError(f"parameter {self.name!r}: its default {problem}")

    def problem(self, value: object) -> str | None:
        """Why ``value`` is not allowed for this parameter, or None."""
        match self.kind:
            case ParameterKind.WHOLE:
                if isinstance(value, bool) or not isinstance(value, int):
                    return f"must be a whole number, got {value!r}"
            case ParameterKind.NUMBER:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    return f"must be a number, got {value!r}"
            case ParameterKind.TEXT:
                if not isinstance(value, str):
                    return f"must be text, got {value!r}"
                if self.choices and value not in self.choices:
                    return f"must be one of {', '.join(self.choices)}, got {value!r}"
                return None
            case ParameterKind.DATE:
                if not isinstance(value, (str, dt.date)):
                    return f"must be a date written YYYY-MM-DD, got {value!r}"
                try:
                    dt.date.fromisoformat(str(value))
                except ValueError:
                    return f"must be a date written YYYY-MM-DD, got {value!r}"
                return None
            case _:
                assert_never(self.kind)
        number = float(value)  # type: ignore[arg-type]
        if self.minimum is not None and number < self.minimum:
            return f"must be at least {self.minimum:g}, got {value!r}"
        if self.maximum is not None and number > self.maximum:
            return f"must be at most {self.maximum:g}, got {value!r}"
        return None

    def describe(self) -> str:
        """``name`` (kind, range, default): for messages and documentation."""
        parts = [self.kind.value]
        if self.minimum is not None or self.maximum is not None:
            low = "" if self.minimum is None else f"{self.minimum:g}"
            high = "" if self.maximum is None else f"{self.maximum:g}"
            parts.append(f"{low}..{high}")
        if self.choices:
            parts.append("one of " + "/".join(self.choices))
        parts.append("required" if self.default is None else f"default {self.default!r}")
        return f"{self.name} ({', '.join(parts)})"


@dataclass(frozen=True)
class MeasureContract:
    """What a measure declares: its id, the extracts it reads and its parameters."""

    id: str
    needs: tuple[str, ...]
    parameters: tuple[Parameter, ...] = ()
    #: Extracts the measure reads when they are supplied (it works without them).
    optional: tuple[str, ...] = ()

    def reads(self) -> str:
        """The extracts it reads, in words: ``a, b (c when supplied)``."""
        text = ", ".join(self.needs)
        return text + (f" ({', '.join(self.optional)} when supplied)" if self.optional else "")

    def __post_init__(self) -> None:
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"measure {self.id!r} declares a parameter twice: {names}")

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True, order=True)
class ContractIssue:
    """One mismatch between the registry and the measures, where it is in the registry."""

    file: str
    line: int
    path: str
    message: str


def contract_issues(
    registry: Registry, contracts: Mapping[str, MeasureContract]
) -> list[ContractIssue]:
    """Every mismatch between ``registry`` and the measures' ``contracts`` (by measure id)."""
    issues: list[ContractIssue] = []
    for position, indicator in enumerate(registry.indicators):
        def issue(key: str, message: str, _ind: Indicator = indicator, _pos: int = position) -> None:
            where = _ind.key_lines.get(key) or (_ind.location.line if _ind.location else 1)
            file = _ind.location.file if _ind.location else (registry.sources or ("registry",))[0]
            issues.append(ContractIssue(file, where, f"indicators[{_pos}].{key}", message))

        if indicator.supplied is not None:
            continue
        contract = contracts.get(indicator.measure_id)
        if contract is None:
            close = difflib.get_close_matches(indicator.measure_id, list(contracts), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            key = "measure" if indicator.measure is not None else "id"
            issue(key, f"no measure {indicator.measure_id!r} computes {indicator.id!r}: give "
                       f"'measure:' the id of a measure of the library{hint}, or 'supplied:' "
                       f"where its figures come from")  # fmt: skip
            continue
        for name, value in indicator.parameters.items():
            declared = contract.parameter(name)
            if declared is None:
                names = [p.name for p in contract.parameters]
                close = difflib.get_close_matches(name, names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                known = ", ".join(names) or "none"
                issue(f"parameters.{name}",
                      f"measure {contract.id!r} has no parameter {name!r} (its parameters: "
                      f"{known}){hint}")  # fmt: skip
            elif (problem := declared.problem(value)) is not None:
                issue(f"parameters.{name}", f"parameter {name} {problem} "
                                            f"({declared.describe()})")  # fmt: skip
        for declared in contract.parameters:
            if declared.default is None and declared.name not in indicator.parameters:
                issue("parameters" if "parameters" in indicator.key_lines else "id",
                      f"measure {contract.id!r} needs parameter {declared.describe()}, "
                      f"not given")  # fmt: skip
    return sorted(issues)
