"""Which indicators each national return can feed, alone and combined, and what it lacks.

Derived from code, not written by hand:

* :data:`SOURCE_FILLS` declares, for each source, the canonical extracts its importer fills and
  the columns of each it fills (from the mapping in ``docs/extracts.md`` and its *Notes for
  importers*). ``team`` is always listed: it is assigned afterwards from a mapping, an Annex A
  team or the one unit named after the authority (:func:`scorecard.importers.combine.assign_teams`).
* each measure's ``needs`` (``scorecard.measures.registered_measures()``) gives the extracts an
  indicator reads; :func:`measure_columns` finds the *optional* columns of those extracts its code
  reads (the column names among the string constants of the measure and of the library functions
  it calls, followed recursively), since a required column is there whenever the extract is.

An indicator is ``yes`` for a set of sources when every extract it needs is filled by one of them
and every optional column it reads too; ``partly`` when the extracts are there but a column it
reads is not (e.g. ``cic_episodes.distance_miles``: the 903 return holds postcodes, not miles):
it is computed, but the records without that value are counted as not known; ``no`` when an
extract it needs is filled by none of them (e.g. ``visits``: no national return holds a visit
history).

``python -m scorecard.importers.coverage`` rewrites the generated table in ``docs/importers.md``
(a test fails while it is out of date).
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import pandas as pd

from scorecard.errors import UsageError
from scorecard.extracts.schemas import SPECS

#: The sources, in the order the tables show them.
SOURCES: tuple[str, ...] = ("ssda903", "cin_census", "annex_a")

#: How each source is named to a reader.
SOURCE_TITLES: Mapping[str, str] = {
    "ssda903": "SSDA903",
    "cin_census": "CIN census",
    "annex_a": "Annex A",
}


def _fills(**extracts: str) -> Mapping[str, frozenset[str]]:
    """``extract="column column ..."`` -> ``{extract: frozenset(columns)}``; ``team`` is added
    wherever the extract has one (teams are assigned after the import)."""
    return types.MappingProxyType(
        {
            name: frozenset(columns.split()) | ({"team"} if SPECS[name].has("team") else set())
            for name, columns in extracts.items()
        }
    )


#: Canonical extract -> the columns of it each source's importer fills (docs/extracts.md).
SOURCE_FILLS: Mapping[str, Mapping[str, frozenset[str]]] = types.MappingProxyType(
    {
        "ssda903": _fills(
            children="child_id date_of_birth sex uasc uasc_ceased_date",
            cic_episodes="episode_id child_id team start_date end_date reason_new_episode "
            "legal_status placement_type placement_provider reason_ceased",
            cic_reviews="cic_review_id child_id team review_date participation",
            adoptions="adoption_id child_id team should_be_placed_date placement_order_date "
            "match_date placed_for_adoption_date adoption_order_date decision_reversed_date "
            "foster_carer_adoption moved_in_with_carer_date",
            care_leavers="child_id team eligibility",
            care_leaver_contacts="contact_id child_id contact_date in_touch accommodation_type "
            "accommodation_suitable activity",
            allocations="allocation_id child_id worker_id team start_date end_date",
        ),
        "cin_census": _fills(
            children="child_id date_of_birth expected_date_of_birth sex uasc disabled",
            referrals="referral_id child_id team referral_date closure_date",
            assessments="assessment_id child_id team referral_id start_date authorised_date",
            cin_plans="cin_plan_id child_id team referral_id start_date end_date",
            s47_enquiries="s47_id child_id team referral_id start_date icpc_date icpc_outcome_cp_plan",
            cp_plans="cp_plan_id child_id team referral_id start_date end_date",
            cp_reviews="cp_review_id cp_plan_id child_id review_date",
        ),
        "annex_a": _fills(
            children="child_id date_of_birth sex uasc disabled",
            referrals="referral_id child_id team referral_date closure_date",
            assessments="assessment_id child_id team start_date authorised_date child_seen",
            s47_enquiries="s47_id child_id team start_date icpc_date icpc_outcome_cp_plan",
            cp_plans="cp_plan_id child_id team start_date end_date",
            cp_reviews="cp_review_id cp_plan_id child_id review_date",
            cic_episodes="episode_id child_id start_date end_date reason_new_episode "
            "legal_status placement_type placement_provider reason_ceased",
            health_checks="health_check_id child_id check_type check_date",
            adoptions="adoption_id child_id team should_be_placed_date placement_order_date "
            "match_date placed_for_adoption_date adoption_order_date decision_reversed_date "
            "moved_in_with_carer_date",
            care_leavers="child_id team eligibility",
            care_leaver_contacts="contact_id child_id contact_date in_touch accommodation_type "
            "accommodation_suitable activity",
        ),
    }
)

#: What a source gives of an extract but only in part (shown beside the indicators using it).
SOURCE_LIMITS: Mapping[tuple[str, str], str] = types.MappingProxyType(
    {
        ("annex_a", "cp_reviews"): "Annex A: latest review conference only",
        ("annex_a", "cic_episodes"): "Annex A: the latest placement only",
        ("annex_a", "health_checks"): "Annex A: latest health assessment and dental check only",
        ("annex_a", "care_leaver_contacts"): "Annex A: latest contact only",
        ("ssda903", "allocations"): "903: social worker episodes from 2023-24 only",
        ("ssda903", "care_leaver_contacts"): "903: OC3 position around the birthday, one a year",
    }
)


def check_sources(sources: Iterable[str]) -> tuple[str, ...]:
    """The sources in display order; a :class:`UsageError` for an unknown one."""
    chosen = set(sources)
    unknown = sorted(chosen - set(SOURCES))
    if unknown:
        raise UsageError(f"unknown source(s) {', '.join(unknown)}: known are {', '.join(SOURCES)}")
    return tuple(s for s in SOURCES if s in chosen)


def _strings(code: types.CodeType) -> set[str]:
    found = {c for c in code.co_consts if isinstance(c, str)}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _strings(const)
    return found


def _names(code: types.CodeType) -> set[str]:
    found = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _names(const)
    return found


def _read_strings(function: types.FunctionType, seen: set[int]) -> set[str]:
    """String constants of ``function``, its default values and every function of the library
    it names (followed recursively)."""
    if id(function) in seen:
        return set()
    seen.add(id(function))
    code = function.__code__
    found = _strings(code)
    found |= {d for d in (function.__defaults__ or ()) if isinstance(d, str)}
    found |= {d for d in (function.__kwdefaults__ or {}).values() if isinstance(d, str)}
    for name in _names(code):
        target = function.__globals__.get(name)
        if isinstance(target, type) or not callable(target):
            # module-level constants (tuples of column names) count as read
            if isinstance(target, str):
                found.add(target)
            elif isinstance(target, tuple | list | frozenset):
                found |= {t for t in target if isinstance(t, str)}
            continue
        target = inspect.unwrap(target)
        if isinstance(target, types.FunctionType) and target.__module__.startswith("scorecard."):
            found |= _read_strings(target, seen)
    return found


@cache
def measure_columns() -> Mapping[str, Mapping[str, frozenset[str]]]:
    """Indicator id -> extract it needs -> the optional columns of that extract its code reads."""
    from scorecard.measures.base import registered_measures

    out: dict[str, Mapping[str, frozenset[str]]] = {}
    for indicator, measure in registered_measures().items():
        read = _read_strings(measure.function, set())
        out[indicator] = types.MappingProxyType(
            {
                name: frozenset(f.name for f in SPECS[name].fields if f.nullable and f.name in read)
                for name in measure.needs
            }
        )
    return types.MappingProxyType(out)


def _status(needs: Mapping[str, frozenset[str]], sources: tuple[str, ...]) -> tuple[str, str]:
    """(``yes`` / ``partly`` / ``no``, what is lacking) for one indicator and a set of sources."""
    absent = [name for name in needs if not any(name in SOURCE_FILLS[s] for s in sources)]
    if absent:
        return "no", "no " + ", ".join(absent)
    lacking = [
        f"{name}.{column}"
        for name, columns in needs.items()
        for column in sorted(columns)
        if not any(column in SOURCE_FILLS[s].get(name, ()) for s in sources)
    ]
    if lacking:
        return "partly", "no " + ", ".join(lacking)
    return "yes", ""


def coverage_table(sources: Iterable[str] = SOURCES) -> pd.DataFrame:
    """One row per indicator of the registry: ``ref, indicator, title``, one column per source
    (what it feeds alone: ``yes``, ``partly`` or ``no``), ``combined`` (all the given sources
    together), ``lacks`` (what the combined sources lack for it) and ``limits`` (extracts they give
    only in part)."""
    from scorecard.registry import load_registry

    chosen = check_sources(sources)
    columns = measure_columns()
    rows = []
    for indicator in load_registry():
        needs = columns.get(indicator.id)
        row: dict[str, object] = {"ref": indicator.ref, "indicator": indicator.id,
                                  "title": indicator.title}  # fmt: skip
        if needs is None:
            for source in chosen:
                row[source] = "no"
            row.update(combined="no", lacks="no measure", limits="")
            rows.append(row)
            continue
        for source in chosen:
            row[source] = _status(needs, (source,))[0]
        row["combined"], row["lacks"] = _status(needs, chosen)
        row["limits"] = "; ".join(
            SOURCE_LIMITS[(s, name)]
            for name in needs
            for s in chosen
            if (s, name) in SOURCE_LIMITS
            and not any(name in SOURCE_FILLS[o] for o in chosen if (o, name) not in SOURCE_LIMITS)
        )
        rows.append(row)
    return pd.DataFrame(rows)


def format_coverage(table: pd.DataFrame) -> str:
    """The coverage table as text for the terminal, with a count line first."""
    counts = table["combined"].value_counts()
    head = (
        f"Coverage: {counts.get('yes', 0)} of {len(table)} indicators computable from these "
        f"sources, {counts.get('partly', 0)} partly, {counts.get('no', 0)} not"
    )
    shown = table.drop(columns=["title", "limits"]).astype(str)
    return head + "\n" + shown.to_string(index=False)


# --------------------------------------------------------------------------------------------------
# docs/importers.md

DOC = Path(__file__).resolve().parents[2] / "docs" / "importers.md"
BEGIN = "<!-- BEGIN GENERATED by scorecard.importers.coverage: do not edit by hand -->"
END = "<!-- END GENERATED -->"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def render_table() -> str:
    """The generated part of ``docs/importers.md``: the coverage table and the declarations."""
    table = coverage_table(SOURCES)
    titles = [SOURCE_TITLES[s] for s in SOURCES]
    lines = [
        BEGIN,
        "",
        "### Indicators by source",
        "",
        (
            "`yes`: computable; `partly`: computed, but a column it reads is not in the source "
            "(records without it count as not known); `no`: an extract it needs is not in the "
            "source. *lacks* and *limits* are for the three sources together."
        ),
        "",
        "| ref | indicator | " + " | ".join(titles) + " | all three | lacks | limits |",
        "|---|---|" + "---|" * len(titles) + "---|---|---|",
    ]
    for row in table.itertuples(index=False):
        values = [getattr(row, s) for s in SOURCES]
        lines.append(
            f"| {row.ref} | {_cell(row.title)} (`{row.indicator}`) | "
            + " | ".join(values)
            + f" | {row.combined} | {_cell(row.lacks)} | {_cell(row.limits)} |"
        )
    counts = {s: int((table[s] == "yes").sum()) for s in SOURCES}
    lines += [
        "",
        "Computable in full: "
        + ", ".join(f"{SOURCE_TITLES[s]} {counts[s]}" for s in SOURCES)
        + f", all three {int((table['combined'] == 'yes').sum())} of {len(table)}.",
        "",
        "### What each source fills",
        "",
        "| extract | " + " | ".join(titles) + " |",
        "|---|" + "---|" * len(titles),
    ]
    for name in SPECS:
        if name == "organisation":
            continue
        cells = []
        for source in SOURCES:
            filled = SOURCE_FILLS[source].get(name)
            if filled is None:
                cells.append("")
                continue
            missing = [f.name for f in SPECS[name].fields if f.name not in filled]
            cells.append("all columns" if not missing else "no " + ", ".join(missing))
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines += ["", END]
    return "\n".join(lines)


def render(current: str) -> str:
    """``current`` (the text of docs/importers.md) with its generated part replaced."""
    start, stop = current.index(BEGIN), current.index(END) + len(END)
    return current[:start] + render_table() + current[stop:]


def main() -> None:  # pragma: no cover - a maintainer's command
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    main()
