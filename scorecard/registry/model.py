"""The registry's vocabulary and immutable objects.

Everything here is plain data: enums for the closed vocabularies and frozen dataclasses for the
indicators, their thresholds per financial year and the rating rules they refer to. Objects are built by
:mod:`scorecard.registry.loader`, which checks them; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import TypeVar

import pandas as pd

from scorecard.calendar.periods import FinancialYear

_T = TypeVar("_T")


class Polarity(str, Enum):
    """Which way is good: H high is good, L low is good, T close to the target is good."""

    HIGH = "H"
    LOW = "L"
    TARGET = "T"

    @property
    def sign(self) -> int:
        """+1 for H, -1 for L: ``sign * (value - threshold) >= 0`` means "at or better than"."""
        match self:
            case Polarity.HIGH:
                return 1
            case Polarity.LOW:
                return -1
            case Polarity.TARGET:
                return 0

    @property
    def in_words(self) -> str:
        match self:
            case Polarity.HIGH:
                return "Higher values are better"
            case Polarity.LOW:
                return "Lower values are better"
            case Polarity.TARGET:
                return "Values as close to either side of the target are better"


class Period(str, Enum):
    """The data period of an indicator."""

    YTD = "YTD"  # financial year to date
    SNAPSHOT = "SS"  # population open on the last working day of the month
    ROLLING_12_MONTHS = "R12M"  # the 12 whole calendar months ending with the month

    @property
    def in_words(self) -> str:
        match self:
            case Period.YTD:
                return (
                    "Figures shown are Year-to-Date: each month's result is based on data from "
                    "April of the financial year to the end of that month"
                )
            case Period.SNAPSHOT:
                return "Figures shown are a snapshot taken on the last working day of the month"
            case Period.ROLLING_12_MONTHS:
                return "Figures shown cover a rolling 12 month period"


class ValueUnit(str, Enum):
    """What a result measures. ``scale`` turns numerator / denominator into the value."""

    PERCENT = "percent"
    COUNT = "count"
    DAYS = "days"  # an average number of days: total days / children
    RATIO = "ratio"  # an average per unit of the denominator, e.g. children per FTE
    PER_10000 = "per 10,000"  # a rate per 10,000 of a population, e.g. referrals per 10,000 children

    @property
    def scale(self) -> float:
        match self:
            case ValueUnit.PERCENT:
                return 100.0
            case ValueUnit.PER_10000:
                return 10_000.0
            case ValueUnit.COUNT | ValueUnit.DAYS | ValueUnit.RATIO:
                return 1.0

    @property
    def has_denominator(self) -> bool:
        match self:
            case ValueUnit.COUNT:
                return False
            case ValueUnit.PERCENT | ValueUnit.DAYS | ValueUnit.RATIO | ValueUnit.PER_10000:
                return True


class RuleMethod(str, Enum):
    """How a rule turns a value into a RAG rating."""

    TARGET_FLOOR = "target_floor"  # H/L: Green at or better than target, Amber down to the floor
    BANDS = "bands"  # T: Green and Amber intervals around the target
    BENCHMARK = "benchmark"  # H/L: better / similar (within a tolerance) / worse than a benchmark

    @property
    def thresholds(self) -> tuple[str, ...]:
        """The thresholds an indicator must give, per financial year, to be rated by this method."""
        match self:
            case RuleMethod.TARGET_FLOOR:
                return ("target", "floor")
            case RuleMethod.BANDS:
                return ("target", "green", "amber")
            case RuleMethod.BENCHMARK:
                return ("benchmark", "tolerance")

    @property
    def optional_thresholds(self) -> tuple[str, ...]:
        """Those of :attr:`thresholds` a year may leave out: the benchmark, which then comes from
        the comparator table (``data/benchmarks/``, :mod:`scorecard.registry.benchmarks`)."""
        match self:
            case RuleMethod.BENCHMARK:
                return ("benchmark",)
            case RuleMethod.TARGET_FLOOR | RuleMethod.BANDS:
                return ()


class OnBoundary(str, Enum):
    """Which rating a value exactly on a boundary gets: the better or the worse side's."""

    BETTER = "better"
    WORSE = "worse"


class UnitLevel(str, Enum):
    """The level of an organisational unit: a team, an area (a group of teams) or the county."""

    COUNTY = "county"
    AREA = "area"
    TEAM = "team"


#: Every level, in the order reports show them.
ALL_LEVELS = frozenset(UnitLevel)


class ProvenanceKind(str, Enum):
    PUBLISHED = "published"
    INFERRED = "inferred"


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was defined: file and 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a threshold comes from: ``published`` with its source, or ``inferred`` with the reasoning."""

    kind: ProvenanceKind
    note: str

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.note}"


@dataclass(frozen=True, slots=True)
class Threshold:
    value: float
    provenance: Provenance
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Band:
    """A closed interval ``[lower, upper]`` of values, e.g. the Green band of a T indicator."""

    lower: float
    upper: float
    provenance: Provenance
    location: Location | None = None

    def __contains__(self, value: float) -> bool:
        return self.lower <= value <= self.upper


@dataclass(frozen=True, slots=True)
class YearThresholds:
    """The thresholds in force for one indicator in one financial year."""

    financial_year: FinancialYear
    target: Threshold | None = None
    floor: Threshold | None = None
    green: Band | None = None
    amber: Band | None = None
    benchmark: Threshold | None = None
    tolerance: Threshold | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class RagRule:
    """A rating rule set from ``rag_rules/``: a method plus its options."""

    id: str
    method: RuleMethod
    polarities: frozenset[Polarity]
    description: str
    on_boundary: OnBoundary = OnBoundary.BETTER
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Applicability:
    """Which units an indicator applies to and at which levels its thresholds hold.

    ``levels``: the unit levels the indicator is shown for. ``team_types``: the organisation's team
    types (``team_type``) whose teams it is shown for (teams of other types do not list it).
    ``rated_at``: the levels at which its thresholds hold (a county count target does not hold for
    a team); at the other levels a result is shown but not rated. ``reason``: why, in words.
    """

    levels: frozenset[UnitLevel]
    team_types: frozenset[str]
    rated_at: frozenset[UnitLevel]
    reason: str | None = None

    def applies_to(self, level: UnitLevel, team_type: str | None = None) -> bool:
        """Whether the indicator applies to a unit of ``level`` (and, for a team, ``team_type``;
        ``None``: the type is not known, and only the level decides)."""
        if level not in self.levels:
            return False
        match level:
            case UnitLevel.TEAM:
                return team_type is None or team_type in self.team_types
            case UnitLevel.AREA | UnitLevel.COUNTY:
                return True

    def rated(self, level: UnitLevel, team_type: str | None = None) -> bool:
        """Whether a result of a unit of ``level`` is rated against the thresholds."""
        return self.applies_to(level, team_type) and level in self.rated_at


@dataclass(frozen=True, slots=True)
class Responsibility:
    """Who answers for an indicator, as the published report's exception pages name them (all
    optional): the division, the director, the cabinet member and the portfolio."""

    division: str | None = None
    director: str | None = None
    cabinet_member: str | None = None
    portfolio: str | None = None

    def over(self, default: Responsibility | None) -> Responsibility:
        """These fields, each falling back to ``default``'s where not given."""
        if default is None:
            return self
        return Responsibility(
            *(mine if mine is not None else theirs
              for mine, theirs in zip(self.as_tuple(), default.as_tuple(), strict=True))
        )  # fmt: skip

    def as_tuple(self) -> tuple[str | None, str | None, str | None, str | None]:
        return (self.division, self.director, self.cabinet_member, self.portfolio)

    def lines(self) -> list[tuple[str, str]]:
        """``(label, text)`` of the fields given, in the report's order."""
        labels = ("Cabinet member", "Director", "Portfolio", "Division")
        values = (self.cabinet_member, self.director, self.portfolio, self.division)
        return [(label, value) for label, value in zip(labels, values, strict=True) if value]


@dataclass(frozen=True, slots=True)
class Indicator:
    """One scorecard indicator."""

    ref: int
    id: str
    title: str
    group: str
    polarity: Polarity
    period: Period
    unit: ValueUnit
    numerator: str
    denominator: str | None
    source: str
    rule: str
    min_denominator: Threshold | None
    thresholds: Mapping[FinancialYear, YearThresholds]
    parameters: Mapping[str, float | int | str] = field(default_factory=lambda: MappingProxyType({}))
    notes: str | None = None
    location: Location | None = None
    #: Where the indicator applies and is rated; ``None``: everywhere (no ``applies_to`` given).
    applicability: Applicability | None = None
    #: Whose team a record counts in (the counting rule's attribution), in words.
    counted_in: str | None = None
    #: Whether each financial year's thresholds stay in force in later years that have none.
    carry_forward: bool = False
    #: The id of the measure that computes the indicator (``None``: the indicator's own id).
    measure: str | None = None
    #: Where the figures come from when no measure of the library computes them (``supplied:``).
    supplied: str | None = None
    #: The line of some keys of the indicator in its file (``id``, ``measure``, ``parameters``,
    #: ``parameters.<name>``), for messages about them.
    key_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    #: A unit's own thresholds per financial year, by unit name (they replace the general ones
    #: for that unit and make it rated at its level).
    unit_thresholds: Mapping[str, Mapping[FinancialYear, YearThresholds]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: Who answers for the indicator (``responsibility:``, falling back to the defaults').
    responsibility: Responsibility | None = None

    @property
    def measure_id(self) -> str:
        """The id of the measure that computes this indicator."""
        return self.measure if self.measure is not None else self.id

    def thresholds_for(
        self, financial_year: FinancialYear, unit: str | None = None
    ) -> YearThresholds | None:
        """The thresholds in force in ``financial_year`` (for ``unit``, its own when it has some):
        the year's, or (when ``carry_forward``) those of the latest earlier year that has
        thresholds; ``None`` if there are none."""
        if unit is not None and unit in self.unit_thresholds:
            found = self._in_force(self.unit_thresholds[unit], financial_year)
            if found is not None:
                return found
        return self._in_force(self.thresholds, financial_year)

    def _in_force(
        self, table: Mapping[FinancialYear, YearThresholds], financial_year: FinancialYear
    ) -> YearThresholds | None:
        own = table.get(financial_year)
        if own is not None or not self.carry_forward:
            return own
        earlier = [fy for fy in table if fy.start < financial_year.start]
        return table[max(earlier, key=lambda fy: fy.start)] if earlier else None


def _threshold_value(item: Threshold | None) -> float:
    return float("nan") if item is None else item.value


def _band_limits(band: Band | None) -> tuple[float, float]:
    return (float("nan"), float("nan")) if band is None else (band.lower, band.upper)


@dataclass(frozen=True)
class Registry:
    """The indicators and the rules they are rated by. Immutable; build it with ``load_registry``."""

    indicators: tuple[Indicator, ...]
    rules: Mapping[str, RagRule]
    financial_years: tuple[FinancialYear, ...]
    sources: tuple[str, ...] = ()
    #: The declared groups (report sections) in their order; every indicator's group is one of them.
    groups: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({i.id: i for i in self.indicators}))
        object.__setattr__(self, "_by_ref", MappingProxyType({i.ref: i for i in self.indicators}))
        object.__setattr__(self, "_memo", {})

    def memo(self, key: str, build: Callable[[Registry], _T]) -> _T:
        """``build(self)``, worked out once per registry (it is immutable) and kept under ``key``:
        for tables derived from the registry alone, shared by every call that rates with it.
        What it returns is shared too: read it, never change it."""
        memo: dict[str, object] = self._memo  # type: ignore[attr-defined]
        if key not in memo:
            memo[key] = build(self)
        return memo[key]  # type: ignore[return-value]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id  # type: ignore[attr-defined]

    def __getitem__(self, indicator_id: str) -> Indicator:
        try:
            return self._by_id[indicator_id]  # type: ignore[attr-defined,no-any-return]
        except KeyError:
            raise KeyError(f"no indicator with id {indicator_id!r} in the registry") from None

    def by_ref(self, ref: int) -> Indicator:
        try:
            return self._by_ref[ref]  # type: ignore[attr-defined,no-any-return]
        except KeyError:
            raise KeyError(f"no indicator with ref {ref} in the registry") from None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    def rule_of(self, indicator: Indicator) -> RagRule:
        return self.rules[indicator.rule]

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator: ref, indicator (id), title, group, polarity, period, value_unit,
        rule, sign (+1 H, -1 L, 0 T), scale (100 for percentages) and min_denominator."""
        return pd.DataFrame(
            {
                "ref": [i.ref for i in self.indicators],
                "indicator": [i.id for i in self.indicators],
                "title": [i.title for i in self.indicators],
                "group": [i.group for i in self.indicators],
                "polarity": [i.polarity.value for i in self.indicators],
                "period": [i.period.value for i in self.indicators],
                "value_unit": [i.unit.value for i in self.indicators],
                "rule": [i.rule for i in self.indicators],
                "sign": [i.polarity.sign for i in self.indicators],
                "scale": [i.unit.scale for i in self.indicators],
                "min_denominator": [_threshold_value(i.min_denominator) for i in self.indicators],
            }
        )

    def applicability_frame(self) -> pd.DataFrame:
        """One row per indicator: ``indicator``, ``applies_<level>`` and ``rated_<level>`` for each
        level (bools), and ``any_team_type`` (True when every team type is allowed)."""
        columns: dict[str, list[object]] = {"indicator": [i.id for i in self.indicators]}
        for level in UnitLevel:
            columns[f"applies_{level.value}"] = [
                i.applicability is None or level in i.applicability.levels for i in self.indicators
            ]
            columns[f"rated_{level.value}"] = [
                i.applicability is None or level in i.applicability.rated_at
                for i in self.indicators
            ]
        columns["any_team_type"] = [i.applicability is None for i in self.indicators]
        return pd.DataFrame(columns)

    def team_types_frame(self) -> pd.DataFrame:
        """``indicator, team_type``: one row per indicator and team type whose teams it applies
        to (indicators without ``applies_to`` apply to any type: see ``any_team_type``)."""
        pairs = [
            (i.id, team_type)
            for i in self.indicators
            if i.applicability is not None
            for team_type in sorted(i.applicability.team_types)
        ]
        return pd.DataFrame(pairs, columns=["indicator", "team_type"]).astype(str)

    def thresholds_frame(self) -> pd.DataFrame:
        """One row per indicator and financial year with every threshold and the rule's options;
        ``unit`` is missing for the thresholds of every unit and names the unit of a unit's own
        thresholds (``unit_thresholds`` in the registry), one row per unit and year.

        This is what the rating engine joins onto results; building it is the only per-indicator
        Python loop, over the registry (tens of rows), never over results.
        """
        rows = []
        for ind in self.indicators:
            rule = self.rules[ind.rule]
            tables = [(None, ind.thresholds), *ind.unit_thresholds.items()]
            for unit, table in tables:
                for fy, t in table.items():
                    green_lower, green_upper = _band_limits(t.green)
                    amber_lower, amber_upper = _band_limits(t.amber)
                    rows.append(
                        {
                            "indicator": ind.id,
                            "unit": unit,
                            "carry_forward": ind.carry_forward,
                            "fy_start": fy.start,
                            "financial_year": fy.label,
                            "method": rule.method.value,
                            "on_boundary": rule.on_boundary.value,
                            "target": _threshold_value(t.target),
                            "floor": _threshold_value(t.floor),
                            "green_lower": green_lower,
                            "green_upper": green_upper,
                            "amber_lower": amber_lower,
                            "amber_upper": amber_upper,
                            "benchmark": _threshold_value(t.benchmark),
                            "tolerance": _threshold_value(t.tolerance),
                        }
                    )
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()  # type: ignore[operator,no-any-return]
