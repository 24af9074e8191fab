"""A registry for the measure tests of rates and of the 2011 measures, written here.

Self-contained on purpose: the measure tests also run where only ``tests/``, ``indicators.yaml`` and
``rag_rules/`` are copied (``make mutation``), so they do not read ``registries/``. Its indicators
are those of ``registries/improvement_plan_2011.yaml`` that the tests compute (same ids, measures,
periods, units and parameters; direction only, as rating is not what they test), plus the
documented mapping of the initial and core assessments onto single assessments (``*_mapped_*``).
"""

from __future__ import annotations

from functools import lru_cache

from scorecard.measures.base import contracts
from scorecard.registry import Registry, load_registry
from tests.conftest import REPO

_INDICATOR = """
  - ref: {ref}
    id: {id}
    title: "{id}"
    group: Tests
    polarity: L
    period: {period}
    unit: {unit}
    numerator: counted
{denominator}    source: test
    rule: target_floor
{extra}"""

#: (id, period, unit, extra YAML lines)
_INDICATORS = (
    ("referral_rate_per_10000", "R12M", "per 10,000", "    measure: referrals_per_10000\n"),
    ("cin_per_10000", "SS", "per 10,000", ""),
    ("cp_per_10000", "SS", "per 10,000", ""),
    ("cic_per_10000", "SS", "per 10,000",
     "    applies_to:\n      levels: [{cic_levels}]\n      reason: test\n"),
    ("unallocated_over_28_days", "SS", "count", "    parameters: {{days: 28}}\n"),
    ("referrals_to_initial_assessment", "YTD", "percent", "    measure: referrals_to_assessment\n"),
    ("initial_assessments_10_wd", "YTD", "percent",
     ("    measure: typed_assessments_in_time\n"
     "    parameters: {{assessment_type: initial, timescale_working_days: 10}}\n")),
    ("core_assessments_35_wd", "YTD", "percent",
     ("    measure: typed_assessments_in_time\n"
     "    parameters: {{assessment_type: core, timescale_working_days: 35}}\n")),
    ("core_assessments_overdue", "SS", "count",
     ("    measure: typed_assessments_overdue\n"
     "    parameters: {{assessment_type: core, timescale_working_days: 35}}\n")),
    # the mapping docs/registry-2011.md gives for extracts without assessment types
    ("initial_mapped_10_wd", "YTD", "percent",
     "    measure: assessments_within_45_wd\n    parameters: {{timescale_working_days: 10}}\n"),
    ("core_mapped_35_wd", "YTD", "percent",
     "    measure: assessments_within_45_wd\n    parameters: {{timescale_working_days: 35}}\n"),
)  # fmt: skip


@lru_cache(maxsize=8)
def registry_2011(cic_levels: str = "county, area") -> Registry:
    """The registry, with ``cic_per_10000`` applying at ``cic_levels``."""
    text = 'financial_years: ["2015/16"]\ngroups: [Tests]\nindicators:'
    for ref, (ind_id, period, unit, extra) in enumerate(_INDICATORS, start=1):
        denominator = "" if unit == "count" else "    denominator: counted\n"
        text += _INDICATOR.format(ref=ref, id=ind_id, period=period, unit=unit,
                                  denominator=denominator,
                                  extra=extra.format(cic_levels=cic_levels))  # fmt: skip
    return load_registry(REPO / "indicators.yaml", REPO / "rag_rules", text=text,
                         measures=contracts())  # fmt: skip
