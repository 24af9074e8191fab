"""``docs/indicators.md``: one section per indicator, generated from the registry and the measures.

Regenerate with ``python -m scorecard.reports.indicator_docs`` (a test fails while the committed file
is out of date, so the documentation cannot drift from the code).
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from scorecard.extracts.schemas import TEAM_TYPES
from scorecard.measures.base import Measure, registered_measures
from scorecard.registry import Band, Indicator, Registry, Threshold, load_registry
from scorecard.registry.model import UnitLevel

HEADER = """# The indicators

Generated from `indicators.yaml` and the measures' docstrings by
`python -m scorecard.reports.indicator_docs`; do not edit by hand.

The conventions shared by all indicators (financial year, YTD, rolling 12 months, snapshot on the
last working day, working days, calendar months, team/area/county roll-up) are those of
`../shared/reference/indicator-definitions.md`; each section below states the counting rule as
implemented, the choices made where the definitions leave room, and where the library differs from
the national definition.
"""


def _threshold(name: str, item: Threshold | Band | None) -> str | None:
    if item is None:
        return None
    value = (
        f"{item.lower:g} to {item.upper:g}" if isinstance(item, Band) else f"{item.value:g}"
    )
    return f"{name} {value} ({item.provenance.kind.value}: {item.provenance.note})"


def _measure_text(measure: Measure | None) -> str:
    if measure is None:
        return "_No measure is implemented yet: the engine reports this indicator as not computable._"
    module = inspect.getmodule(measure.function)
    where = f"`{module.__name__}.{measure.function.__name__}`" if module else ""
    return (
        f"{inspect.cleandoc(measure.doc) or '(no description)'}\n\n"
        f"Extracts: {', '.join(f'`{n}`' for n in measure.needs)}. Code: {where}."
    )


def _levels(levels: frozenset[UnitLevel]) -> str:
    return ", ".join(level.value for level in UnitLevel if level in levels)


def _applicability_lines(indicator: Indicator) -> list[str]:
    found = indicator.applicability
    if found is None:
        return []
    types = (
        "teams of every type"
        if found.team_types >= frozenset(TEAM_TYPES)
        else "teams of type " + ", ".join(t for t in TEAM_TYPES if t in found.team_types)
    )
    where = _levels(found.levels)
    if UnitLevel.TEAM in found.levels:
        where += f" ({types})"
    lines = [f"- applies to: {where}" + (f"; {found.reason}" if found.reason else "")]
    lines.append(f"- rated at: {_levels(found.rated_at)}"
                 + ("" if found.rated_at == found.levels else
                    " (shown but not rated at the other levels)"))  # fmt: skip
    return lines


def indicator_section(indicator: Indicator, registry: Registry, measure: Measure | None) -> str:
    rule = registry.rule_of(indicator)
    lines = [
        f"## {indicator.ref}. {indicator.title}",
        "",
        f"- id: `{indicator.id}`; group: {indicator.group}",
        f"- polarity: {indicator.polarity.value}. {indicator.polarity.in_words}.",
        f"- period: {indicator.period.value}. {indicator.period.in_words}.",
        f"- unit: {indicator.unit.value}",
        f"- numerator: {indicator.numerator}",
    ]
    if indicator.denominator:
        lines.append(f"- denominator: {indicator.denominator}")
    lines.append(f"- source: {indicator.source}")
    if indicator.parameters:
        params = ", ".join(f"`{k}` = {v}" for k, v in indicator.parameters.items())
        lines.append(f"- parameters (local standards): {params}")
    if indicator.counted_in:
        lines.append(f"- a record counts in: {indicator.counted_in}")
    lines += _applicability_lines(indicator)
    if indicator.min_denominator is not None:
        lines.append(f"- not rated below a denominator of {indicator.min_denominator.value:g}")
    lines.append(f"- rating rule: `{rule.id}` ({rule.method.value}): {rule.description}")
    tables = [("", indicator.thresholds), *((f"{unit}, ", table) for unit, table
                                             in sorted(indicator.unit_thresholds.items()))]  # fmt: skip
    for prefix, table in tables:
        for fy, thresholds in sorted(table.items()):
            parts = [
                text
                for name in ("target", "floor", "green", "amber", "benchmark", "tolerance")
                if (text := _threshold(name, getattr(thresholds, name))) is not None
            ]
            lines.append(f"- {prefix}{fy.label}: " + "; ".join(parts))
    if indicator.carry_forward:
        lines.append("- thresholds carry forward: a later financial year without thresholds is "
                     "rated on the latest earlier year's")  # fmt: skip
    if indicator.notes:
        lines.append(f"- notes: {indicator.notes}")
    lines += ["", "**Counting rule as implemented.** " + _measure_text(measure), ""]
    return "\n".join(lines)


def render(registry: Registry | None = None) -> str:
    registry = registry if registry is not None else load_registry()
    measures = registered_measures()
    sections = [indicator_section(i, registry, measures.get(i.id)) for i in registry]
    return HEADER + "\n" + "\n".join(sections)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
