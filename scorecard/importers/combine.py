"""Several national returns into one extract folder: precedence, teams, writing.

* :func:`combine` merges the :class:`ImportResult` of several sources (903 + CIN census + Annex A
  of one authority). Two sources hold *the same record* when they give the same canonical extract
  a row for the same child and event (:data:`MATCH_ON`, e.g. a referral's child and referral
  date; the importers' ids differ), and references to a merged record follow the record kept.
  Then, per extract, the source first in :data:`PRECEDENCE` (the statutory
  record: 903 for care, CIN census for referrals to plans, Annex A to fill gaps) keeps its row;
  per column, a value missing there is filled from the next source that has one; a value that
  differs is kept from the first source and the disagreement counted. Every decision is a row of
  the import report (actions ``merged``, ``filled``, ``conflict``).
* :func:`assign_teams` gives every record a team of the organisation (see its docstring).
* :func:`write_import` writes the folder (Parquet extracts, ``organisation.csv``,
  ``manifest.yaml``, ``import_report.csv``) atomically, then loads it to prove it validates.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import types
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from scorecard.errors import DataError, OutputError, UsageError
from scorecard.extracts.coerce import coerce_frame
from scorecard.extracts.load import IMPORT_REPORT_NAME
from scorecard.extracts.manifest import Manifest, write_manifest
from scorecard.extracts.schemas import SPECS
from scorecard.importers.base import REPORT_COLUMNS, ImportResult, ReturnImportError, report_rows
from scorecard.importers.coverage import SOURCE_TITLES, SOURCES

_CARE = ("ssda903", "annex_a", "cin_census")
_CIN = ("cin_census", "annex_a", "ssda903")

#: Per extract, the sources in order of precedence: the national return that is the statutory
#: record of it first, Annex A (a list of latest events for inspection) to fill gaps.
PRECEDENCE: Mapping[str, tuple[str, ...]] = types.MappingProxyType(
    {
        "children": ("ssda903", "cin_census", "annex_a"),
        "cic_episodes": _CARE,
        "cic_reviews": _CARE,
        "adoptions": _CARE,
        "care_leavers": _CARE,
        "care_leaver_contacts": _CARE,
        "allocations": _CARE,
        "referrals": _CIN,
        "assessments": _CIN,
        "cin_plans": _CIN,
        "s47_enquiries": _CIN,
        "cp_plans": _CIN,
        "cp_reviews": _CIN,
    }
)
#: The columns that make two sources' rows the same record (the national returns have no record
#: ids and the importers build them differently): the child and the date of the event. Other
#: extracts match on their key (``SPECS[name].key``).
MATCH_ON: Mapping[str, tuple[str, ...]] = types.MappingProxyType(
    {
        "referrals": ("child_id", "referral_date"),
        "assessments": ("child_id", "start_date"),
        "cin_plans": ("child_id", "start_date"),
        "s47_enquiries": ("child_id", "start_date"),
        "cp_plans": ("child_id", "start_date"),
        "cp_reviews": ("child_id", "review_date"),
        "cic_episodes": ("child_id", "start_date"),
        "health_checks": ("child_id", "check_type", "check_date"),
        "care_leaver_contacts": ("child_id", "contact_date"),
        "allocations": ("child_id", "worker_id", "start_date"),
    }
)
#: Extracts whose first source holds a child's whole history (periods of care, the adoption
#: journey): a lower source's record of a child it holds is merged when it is the same record (same
#: key) and otherwise left out (counted), so that Annex A's latest placement, say, never overlaps
#: the 903 episodes of the same child.
WHOLE_HISTORY = frozenset({"cic_episodes", "adoptions"})
#: The order for any extract not in :data:`PRECEDENCE`.
DEFAULT_ORDER: tuple[str, ...] = SOURCES

#: Name of the team that records no mapping places get (see :func:`assign_teams`).
UNMAPPED_TEAM = "Unmapped"
#: Name of the import report in the folder written (the loader does not list it as unknown).
REPORT_NAME = IMPORT_REPORT_NAME
#: How many record ids a report row names at most in ``detail``.
_DETAIL_IDS = 5


def _order(name: str, precedence: Mapping[str, Sequence[str]]) -> list[str]:
    return list(precedence.get(name, DEFAULT_ORDER))


def _canonical(result: ImportResult, name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame in canonical dtypes (so that values of two sources compare); an error naming
    the source, extract, column and rows for a value that cannot be converted."""
    spec = SPECS.get(name)
    if spec is None:
        raise ReturnImportError(f"{result.source}: {name!r} is not a canonical extract")
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise ReturnImportError(f"{result.source}: {name} has no column(s) {', '.join(missing)}")
    canonical, problems = coerce_frame(spec, frame.reset_index(drop=True))
    if len(problems):
        lines = [
            f"{col} ({check}) at row(s) {', '.join(str(r) for r in group['row'].head(5))}"
            for (col, check), group in problems.groupby(["column", "check"], sort=True)
        ]
        raise ReturnImportError(f"{result.source}: {name}: " + "; ".join(lines))
    return canonical


def _ids(keys: pd.DataFrame) -> str:
    shown = keys.head(_DETAIL_IDS).astype(str).agg("/".join, axis=1).tolist()
    more = f" and {len(keys) - _DETAIL_IDS} more" if len(keys) > _DETAIL_IDS else ""
    return ", ".join(shown) + more


def _title(source: str) -> str:
    return SOURCE_TITLES.get(source, source)


def _merge_extract(
    name: str, parts: list[tuple[str, pd.DataFrame]]
) -> tuple[pd.DataFrame, list[dict[str, object]], dict[str, dict[object, object]]]:
    """One extract from the sources' frames, ``parts`` in order of precedence; also, per source
    that lost a record, its record id -> the id of the record kept (for the references to it)."""
    spec = SPECS[name]
    ids = list(spec.key)
    match = list(MATCH_ON.get(name, spec.key))
    report: list[dict[str, object]] = []
    remap: dict[str, dict[object, object]] = {}
    sources = [source for source, _ in parts]
    stacked = pd.concat(
        [frame.assign(_rank=rank) for rank, (_, frame) in enumerate(parts)], ignore_index=True
    )
    in_many = stacked.groupby(match, dropna=False)["_rank"].transform("nunique").gt(1)
    ambiguous = in_many & stacked.duplicated([*match, "_rank"], keep=False)
    for rank, rows in stacked[ambiguous].groupby("_rank"):
        source = sources[int(rank)]
        report.append({"source": "combine", "file": "", "table": name, "action": "not_matched",
                       "reason": f"{' and '.join(match)} given twice in {_title(source)}: not "
                       "matched with the other sources' records (kept as they are)",
                       "rows": len(rows), "detail": _ids(rows[ids])})  # fmt: skip
    repeated = in_many & ~ambiguous.groupby([stacked[c] for c in match], dropna=False).transform(
        "any"
    )
    single = stacked[~repeated]
    if name in WHOLE_HISTORY:
        # a child's records of a lower source that match none of the first source's are left out
        # when a source before it holds records of that child (it holds the child's whole history)
        best = stacked.groupby("child_id", dropna=False)["_rank"].transform("min")
        dropped = ~repeated & (stacked["_rank"] > best)
        for (rank, winner_rank), rows in stacked[dropped].groupby([stacked["_rank"], best]):
            source, winner = sources[int(rank)], sources[int(winner_rank)]
            report.append({"source": "combine", "file": "", "table": name, "action": "excluded",
                           "reason": f"the child's {name} come from {_title(winner)} (its whole "
                           f"history): this record of {_title(source)} matches none of them",
                           "rows": len(rows), "detail": _ids(rows[ids])})  # fmt: skip
        single = single[~dropped[~repeated]]
    shared = stacked[repeated].sort_values([*match, "_rank"], kind="stable")
    if shared.empty:
        return single.drop(columns="_rank").reset_index(drop=True), report, remap
    groups = shared.groupby(match, sort=False, dropna=False)
    first = groups.head(1).set_index(match)
    # per column, the first non-missing value in order of precedence (GroupBy.first skips NA);
    # ids are never missing, so the record kept keeps its own id
    merged = groups.first()
    if len(ids) == 1 and ids[0] not in match:
        kept_id = groups[ids[0]].transform("first")
        moved = shared[ids[0]] != kept_id
        for rank, rows in shared[moved].groupby("_rank"):
            remap[sources[int(rank)]] = dict(zip(rows[ids[0]], kept_id[rows.index], strict=True))
    winners = first["_rank"]
    for rank, source in enumerate(sources):
        lost = shared[shared["_rank"] == rank].set_index(match)
        lost = lost[winners.reindex(lost.index) != rank]
        if lost.empty:
            continue
        by_winner = winners.reindex(lost.index)
        for winner_rank in sorted(by_winner.unique()):
            these = lost[by_winner == winner_rank]
            winner = sources[int(winner_rank)]
            report.append({"source": "combine", "file": "", "table": name, "action": "merged",
                           "reason": f"same record in {_title(winner)} and {_title(source)}: "
                           f"{_title(winner)} takes precedence",
                           "rows": len(these), "detail": _ids(these.reset_index()[ids])})  # fmt: skip
        for column in [c for c in spec.columns if c not in match and c not in ids]:
            mine = lost[column]
            theirs = first[column].reindex(lost.index)
            filled = theirs.isna() & mine.notna() & merged[column].reindex(lost.index).eq(mine)
            differ = theirs.notna() & mine.notna() & theirs.ne(mine)
            for action, mask, reason in (
                ("filled", filled, (f"{column} missing in the record kept: filled from "
                                    f"{_title(source)}")),
                ("conflict", differ, (f"{column} differs in {_title(source)}: the value of the "
                                      "source that takes precedence is kept")),
            ):  # fmt: skip
                flags = mask.fillna(False).to_numpy(dtype=bool)
                if flags.any():
                    rows = lost.reset_index()[ids][flags]
                    report.append({"source": "combine", "file": "", "table": name,
                                   "action": action, "reason": reason, "rows": int(flags.sum()),
                                   "detail": _ids(rows)})  # fmt: skip
    out = pd.concat([single.drop(columns="_rank"), merged.reset_index().drop(columns="_rank")],
                    ignore_index=True)  # fmt: skip
    for column in out.columns:  # concat of an all-missing group can lose the canonical dtype
        if column in single.columns and out[column].dtype != single[column].dtype:
            with contextlib.suppress(TypeError, ValueError):
                out[column] = out[column].astype(single[column].dtype)
    return out[list(spec.columns)], report, remap


def _relink(
    name: str,
    source: str,
    frame: pd.DataFrame,
    remaps: dict[str, dict[str, dict[object, object]]],
    report: list[dict[str, object]],
) -> pd.DataFrame:
    """``frame`` with its references to records merged into another source's (a CIN plan's
    ``referral_id``, a CP review's ``cp_plan_id``) pointing at the record kept."""
    for ref in SPECS[name].references:
        mapping = remaps.get(ref.target, {}).get(source)
        if not mapping or ref.column not in frame.columns:
            continue
        column = frame[ref.column]
        mapped = column.map(mapping)
        changed = mapped.notna() & column.notna()
        if changed.any():
            frame = frame.assign(**{ref.column: column.where(~changed, mapped)})
            report.append({"source": "combine", "file": "", "table": name, "action": "relinked",
                           "reason": f"{ref.column} of {_title(source)} now names the record "
                           f"kept in {ref.target}", "rows": int(changed.sum()),
                           "detail": _ids(frame.loc[changed, list(SPECS[name].key)])})  # fmt: skip
    return frame


def combine(
    results: Sequence[ImportResult],
    *,
    precedence: Mapping[str, Sequence[str]] = PRECEDENCE,
) -> ImportResult:
    """One :class:`ImportResult` from several sources' (see the module doc for the rule).

    ``precedence``: extract -> sources in order (first wins); an extract it does not name uses
    :data:`DEFAULT_ORDER`, and a source it does not name comes after those it does. The result's
    ``source`` joins the sources' names with ``+``; its report is theirs plus one row per decision;
    ``first_date_covered`` is the latest of the sources' (the folder is whole only from the day
    every source covers), ``extraction_date`` the earliest. Inputs are not modified.
    """
    if not results:
        raise UsageError("combine: no import results given")
    names = [r.source for r in results]
    if len(set(names)) != len(names):
        raise UsageError(f"combine: a source is given twice ({', '.join(names)}): import its "
                         "files in one call instead")  # fmt: skip
    if len(results) == 1:
        return results[0]
    extracts: dict[str, pd.DataFrame] = {}
    report: list[dict[str, object]] = []
    remaps: dict[str, dict[str, dict[object, object]]] = {}
    given = {n for r in results for n in r.extracts}
    # in the order of SPECS: an extract comes before the extracts referring to it
    for name in [*[n for n in SPECS if n in given], *sorted(given - set(SPECS))]:
        order = _order(name, precedence)
        ranked = sorted(
            (r for r in results if name in r.extracts),
            key=lambda r: order.index(r.source) if r.source in order else len(order),
        )
        parts = [
            (
                r.source,
                _relink(name, r.source, _canonical(r, name, r.extracts[name]), remaps, report),
            )
            for r in ranked
        ]
        for source, frame in parts:
            twice = frame.duplicated(list(SPECS[name].key), keep=False)
            if twice.any():
                raise ReturnImportError(
                    f"{source}: {name}: the same key on {int(twice.sum())} rows "
                    f"({_ids(frame.loc[twice, list(SPECS[name].key)])}): one source must give "
                    "each record once before sources are combined"
                )
        if len(parts) == 1:
            extracts[name] = parts[0][1]
            continue
        extracts[name], rows, remaps[name] = _merge_extract(name, parts)
        report.extend(rows)
    firsts = [r.first_date_covered for r in results if r.first_date_covered is not None]
    lasts = [r.extraction_date for r in results if r.extraction_date is not None]
    years = tuple(sorted({y for r in results for y in r.collection_years}))
    notes = tuple(n for r in results for n in r.notes)
    if firsts and lasts and max(firsts) > min(lasts):
        gap = (
            f"the sources cover no common period (the latest starts {max(firsts)}, the earliest "
            f"ends {min(lasts)}): the folder's manifest can promise no month"
        )
        notes += (gap,)
    frames = [r.report for r in results if len(r.report)] + [report_rows(report)]
    combined_report = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(
        len(f) for f in frames) else report_rows([])  # fmt: skip
    return ImportResult(
        source="+".join(r.source for r in results),
        extracts=extracts,
        report=combined_report[list(REPORT_COLUMNS)],
        collection_years=years,
        first_date_covered=max(firsts) if firsts else None,
        extraction_date=min(lasts) if lasts else None,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------------
# Teams

TEAM_MAP_COLUMNS = ("kind", "value", "team")
TEAM_MAP_KINDS = ("child", "worker", "annex_a_team")
_TEAM_MAP_MAX_BYTES = 64 * 1024 * 1024


class TeamMapError(DataError):
    """A team mapping file that cannot be used (every problem listed, with its lines)."""


class Teams(NamedTuple):
    """What :func:`assign_teams` returns: the result with every ``team`` set, and the
    organisation table (team, area, team_type) those teams belong to."""

    result: ImportResult
    organisation: pd.DataFrame


def read_team_map(path: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """A mapping ``kind,value,team`` (CSV, UTF-8): ``kind`` is ``child`` (a child id),
    ``worker`` (a worker id) or ``annex_a_team`` (a team name as Annex A writes it). Every problem
    (columns, blank cells, unknown kinds, one value mapped to two teams) in one :class:`TeamMapError`
    naming the lines."""
    where = "team mapping" if isinstance(path, pd.DataFrame) else str(path)
    if isinstance(path, pd.DataFrame):
        frame = path.astype("string")
    else:
        file = Path(path)
        if not file.is_file():
            raise TeamMapError(f"{where}: not a file")
        if file.stat().st_size > _TEAM_MAP_MAX_BYTES:
            raise TeamMapError(f"{where}: larger than {_TEAM_MAP_MAX_BYTES} bytes; not read")
        try:
            frame = pd.read_csv(file, dtype="string", keep_default_na=False, encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise TeamMapError(f"{where}: not UTF-8 text: save it as 'CSV UTF-8'") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise TeamMapError(f"{where}: not a readable CSV file ({exc})") from None
    columns = [str(c).strip() for c in frame.columns]
    if sorted(columns) != sorted(TEAM_MAP_COLUMNS):
        raise TeamMapError(f"{where}: the columns must be {','.join(TEAM_MAP_COLUMNS)}, "
                           f"not {','.join(columns)}")  # fmt: skip
    frame = frame.set_axis(columns, axis=1)[list(TEAM_MAP_COLUMNS)]
    frame = frame.apply(lambda c: c.str.strip()).replace("", pd.NA)
    lines = pd.Series(frame.index + 2, index=frame.index)
    problems = []

    def at(mask: pd.Series) -> str:
        found = lines[mask.fillna(False).to_numpy()]
        return ", ".join(str(n) for n in found.head(10)) + (" ..." if len(found) > 10 else "")

    blank = frame.isna().any(axis=1)
    if blank.any():
        problems.append(f"blank cell at line(s) {at(blank)}")
    kinds = frame["kind"]
    bad = kinds.notna() & ~kinds.isin(TEAM_MAP_KINDS)
    if bad.any():
        values = ", ".join(repr(v) for v in pd.unique(kinds[bad])[:5])
        problems.append(f"kind must be one of {', '.join(TEAM_MAP_KINDS)}: not so at line(s) "
                        f"{at(bad)} ({values})")  # fmt: skip
    pairs = frame.dropna().drop_duplicates()
    twice = pairs.duplicated(["kind", "value"], keep=False)
    if twice.any():
        problems.append(f"a value mapped to two teams at line(s) {at(twice.reindex(frame.index))}")
    if problems:
        raise TeamMapError(f"{where}: " + "; ".join(problems))
    return pairs.reset_index(drop=True)


def _one_unit(authority: str) -> str:
    return f"{authority} (all teams)"


def assign_teams(
    result: ImportResult,
    *,
    team_map: str | os.PathLike[str] | pd.DataFrame | None = None,
    organisation: str | os.PathLike[str] | pd.DataFrame | None = None,
    authority: str = "Local authority",
) -> Teams:
    """Every record's ``team``, and the organisation, from a mapping and an organisation file.

    A record's team is, first found: its own team (Annex A's allocated team) mapped by an
    ``annex_a_team`` row, or kept as it is when it is a team of the organisation; its worker's
    team (``worker`` rows, extracts with a ``worker_id``); its child's team (``child`` rows).
    A record none of these places goes to the team :data:`UNMAPPED_TEAM` (added to the
    organisation, directly under the authority, type ``other``): it still counts in the
    authority's figures and is visible as a unit of its own; the rows are counted in the report
    (action ``unmapped``) and in the notes, never dropped silently.

    Without a mapping and an organisation everything goes into one unit named
    ``"<authority> (all teams)"`` (an organisation of one team); with an organisation of one team
    and no mapping, into that team; with a mapping and no organisation, the mapping's teams make
    the organisation (no areas, type ``other``). Each of these is said in the notes.
    """
    from scorecard.extracts.load import load_organisation

    notes = list(result.notes)
    org = None if organisation is None else load_organisation(organisation)
    mapping = None if team_map is None else read_team_map(team_map)
    if mapping is None and org is None:
        unit = _one_unit(authority)
        org = pd.DataFrame({"team": [unit], "area": [pd.NA], "team_type": ["other"]})
        notes.append(f"no team mapping and no organisation file: every record is in one unit, "
                     f"{unit!r}")  # fmt: skip
    elif org is None:
        assert mapping is not None
        teams = pd.unique(mapping["team"])
        org = pd.DataFrame({"team": teams, "area": pd.NA, "team_type": "other"})
        notes.append(f"no organisation file: the organisation is the {len(teams)} team(s) of the "
                     "mapping, with no areas and team type 'other'")  # fmt: skip
    known = set(org["team"])
    single = org["team"].iloc[0] if mapping is None and len(org) == 1 else None
    lookup = {} if mapping is None else {
        kind: dict(zip(group["value"], group["team"], strict=True))
        for kind, group in mapping.groupby("kind")
    }  # fmt: skip
    if mapping is not None:
        strangers = sorted(set(mapping["team"]) - known)
        if strangers:
            raise TeamMapError(f"team mapping: team(s) not in the organisation file: "
                               f"{', '.join(strangers[:10])}")  # fmt: skip
    report: list[dict[str, object]] = []
    extracts: dict[str, pd.DataFrame] = {}
    unmapped_total = 0
    for name, frame in result.extracts.items():
        if "team" not in frame.columns:
            extracts[name] = frame
            continue
        if isinstance(single, str):  # every record in the one team: no other rule can apply
            if len(frame):
                report.append({"source": "teams", "file": "", "table": name, "action": "team",
                               "reason": "team from the organisation's one team",
                               "rows": len(frame), "detail": ""})  # fmt: skip
            one_team = np.array([str(single)], dtype=object).repeat(len(frame))  # one str object
            extracts[name] = frame.assign(
                team=pd.Series(one_team, index=frame.index, dtype=object, copy=False)
            )
            continue
        own = frame["team"].astype("string").str.strip() if single is None else None
        team = pd.Series(pd.NA, index=frame.index, dtype="string")
        how = pd.Series(pd.NA, index=frame.index, dtype="string")

        def take(values: pd.Series, reason: str, team: pd.Series = team,
                 how: pd.Series = how) -> None:  # fmt: skip
            fill = team.isna() & values.notna()
            team[fill] = values[fill]
            how[fill] = reason

        if single is not None:  # every record in the one team: no other rule can apply
            team = pd.Series(single, index=frame.index, dtype="string")
            how = pd.Series("the organisation's one team", index=frame.index, dtype="string")
        else:
            assert own is not None
            take(own.map(lookup.get("annex_a_team", {})).astype("string"), "annex_a_team mapping")
            take(own.where(own.isin(known)), "own team, in the organisation")
            if "worker_id" in frame.columns:
                take(frame["worker_id"].astype("string").map(lookup.get("worker", {}))
                     .astype("string"), "worker mapping")  # fmt: skip
            if "child_id" in frame.columns:
                take(frame["child_id"].astype("string").map(lookup.get("child", {}))
                     .astype("string"), "child mapping")  # fmt: skip
        missing = team.isna()
        if missing.any():
            team[missing] = UNMAPPED_TEAM
            key = list(SPECS[name].key) if name in SPECS else []
            ids = _ids(frame.loc[missing, key]) if key else ""
            own_names = pd.unique(own[missing].dropna())[:5] if own is not None else []
            report.append({"source": "teams", "file": "", "table": name, "action": "unmapped",
                           "reason": f"no team for the record: put in team {UNMAPPED_TEAM!r}"
                           + (f" (own team {', '.join(map(repr, own_names))} not mapped)"
                              if len(own_names) else ""),
                           "rows": int(missing.sum()), "detail": ids})  # fmt: skip
            unmapped_total += int(missing.sum())
        for reason, count in how.value_counts(sort=False).items():
            report.append({"source": "teams", "file": "", "table": name, "action": "team",
                           "reason": f"team from {reason}", "rows": int(count), "detail": ""})  # fmt: skip
        extracts[name] = frame.assign(team=team.astype(object))
    if unmapped_total:
        notes.append(f"{unmapped_total} record(s) with no team in the mapping: put in team "
                     f"{UNMAPPED_TEAM!r} (see import_report.csv, action 'unmapped')")  # fmt: skip
        if UNMAPPED_TEAM not in known:
            org = pd.concat([org, pd.DataFrame({"team": [UNMAPPED_TEAM], "area": [pd.NA],
                                                "team_type": ["other"]})], ignore_index=True)  # fmt: skip
    frames = [f for f in (result.report, report_rows(report)) if len(f)]
    return Teams(
        ImportResult(
            source=result.source,
            extracts=extracts,
            report=pd.concat(frames, ignore_index=True) if frames else report_rows([]),
            collection_years=result.collection_years,
            first_date_covered=result.first_date_covered,
            extraction_date=result.extraction_date,
            notes=tuple(notes),
        ),
        org.reset_index(drop=True),
    )


# --------------------------------------------------------------------------------------------------
# Writing the folder


def report_summary(report: pd.DataFrame) -> str:
    """The import report in a few lines: rows read, mapped, repaired, excluded (by reason) and
    the other decisions, summed over files."""
    if report.empty:
        return "Import report: no rows"
    totals = report.groupby("action", sort=False)["rows"].sum()
    lines = ["Import report: " + ", ".join(f"{int(n):,} {a}" for a, n in totals.items())]
    for action in ("excluded", "repaired", "unknown_code", "conflict", "unmapped"):
        part = report[report["action"] == action]
        if part.empty:
            continue
        for (table, reason), rows in (
            part.groupby(["table", "reason"], sort=True)["rows"].sum().items()
        ):
            lines.append(f"  {action}: {table}: {reason}: {int(rows):,}")
    return "\n".join(lines)


def _manifest(result: ImportResult, authority: str | None = None) -> Manifest | None:
    if result.extraction_date is None or result.first_date_covered is None:
        return None
    years = ", ".join(result.collection_years)
    notes = [f"collection years {years}"] if years else []
    notes.append("written by scorecard import")
    titles = " + ".join(SOURCE_TITLES.get(s, s) for s in result.source.split("+"))
    return Manifest(
        extraction_date=result.extraction_date,
        first_date_covered=min(result.first_date_covered, result.extraction_date),
        source=f"{titles} (national returns)",
        notes="; ".join(notes),
        authority=authority,
    )


def check_out(out: Path) -> None:
    """A :class:`UsageError` unless ``out`` is a new or empty folder."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"--out {out}: not a folder")
    if out.is_dir() and any(out.iterdir()):
        raise UsageError(f"--out {out}: the folder is not empty: give a new or empty folder "
                         "(an import never mixes its files with others)")  # fmt: skip


def write_import(
    result: ImportResult,
    out: str | os.PathLike[str],
    *,
    organisation: pd.DataFrame,
    authority: str | None = None,
) -> Path:
    """Write ``result`` as an extract folder ``out`` (new or empty) and prove it loads.

    ``authority``: the name of the whole authority, recorded in the manifest (the command line's
    default ``--county`` for the folder).

    Written into a temporary folder beside ``out``: every extract as ``<name>.parquet``,
    ``organisation.csv``, ``manifest.yaml`` (source, extraction date, first date covered;
    collection years in its notes; left out when the result does not state both dates, so the
    loader infers them with a warning) and ``import_report.csv``. The extracts are validated as
    :func:`~scorecard.extracts.load_extracts` validates the folder (the same checks, with the
    written ``organisation.csv`` and manifest read back, and the loader's limit on file size),
    on the frames written rather than by reading the Parquet files back, while they are being
    written; only if they validate is the folder renamed to ``out``. If they do not, nothing is
    left at ``out`` and the error (extract, column, rows) says where the import report was
    written for diagnosis: ``<out>.import_report.csv`` beside it.
    """
    from scorecard.extracts.validate import ExtractValidationError
    from scorecard.reports.safety import guard_formulas

    target = Path(out)
    check_out(target)
    parent = target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    report = guard_formulas(result.report[list(REPORT_COLUMNS)])
    try:
        canonical = {
            name: _canonical(result, name, frame)[list(SPECS[name].columns)].reset_index(drop=True)
            for name, frame in result.extracts.items()
        }
        organisation.to_csv(tmp / "organisation.csv", index=False, encoding="utf-8")
        manifest = _manifest(result, authority)
        if manifest is not None:
            write_manifest(manifest, tmp)
        report.to_csv(tmp / REPORT_NAME, index=False, encoding="utf-8")
        # Parquet writing (pyarrow, outside the GIL) on a second thread while this one validates
        with ThreadPoolExecutor(max_workers=1) as pool:
            written = pool.submit(_write_parquet, canonical, tmp)
            try:
                invalid = _validation_error(canonical, tmp)
            finally:
                sizes = written.result()  # a failure to write wins (OutputError below)
        invalid = invalid or _size_error(sizes, tmp)
        if isinstance(invalid, ExtractValidationError):
            aside = parent / f"{target.name}.{REPORT_NAME}"
            report.to_csv(aside, index=False, encoding="utf-8")
            message = str(invalid).replace(str(tmp), str(target))
            raise ReturnImportError(f"the imported extracts do not validate; nothing was written "
                                    f"to {target}; the import report is in {aside}\n{message}"
                                    ) from None  # fmt: skip
        if target.is_dir():
            target.rmdir()  # empty (checked above)
        os.rename(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_parquet(canonical: Mapping[str, pd.DataFrame], folder: Path) -> dict[str, int]:
    """Each frame as ``<name>.parquet`` in ``folder``; the files' sizes by extract name."""
    sizes = {}
    for name, frame in canonical.items():
        path = folder / f"{name}.parquet"
        frame.to_parquet(path, index=False)
        sizes[name] = path.stat().st_size
    return sizes


def _validation_error(canonical: Mapping[str, pd.DataFrame], folder: Path) -> Exception | None:
    """What :func:`~scorecard.extracts.load_extracts` would raise for ``folder`` once the frames
    are written there as ``<name>.parquet`` (``None`` if it would load): the folder's manifest
    and ``organisation.csv`` read as the loader reads them, the extracts checked in memory with
    the loader's checks and sources (so the error names the files and rows as loading would)."""
    from scorecard.extracts.load import read_extract_file
    from scorecard.extracts.manifest import read_manifest
    from scorecard.extracts.validate import ExtractValidationError, ExtractWarning, Source, assemble

    read_manifest(folder)  # a manifest that does not read back fails here, as it would on loading
    frames: dict[str, pd.DataFrame | None] = dict(canonical)
    sources = {name: Source("parquet", str(folder / f"{name}.parquet")) for name in canonical}
    org, sources["organisation"], failures, notes, entries = read_extract_file(
        "organisation", folder / "organisation.csv", "csv"
    )
    frames["organisation"] = org
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtractWarning)
            assemble(frames, sources, failures=failures, notes=notes, entries=entries,
                     consume=True)  # fmt: skip
    except ExtractValidationError as exc:
        return exc
    return None


def _size_error(sizes: Mapping[str, int], folder: Path) -> Exception | None:
    """The loader's failure for written files larger than it reads (``None`` if none is)."""
    from scorecard.extracts.load import MAX_FILE_BYTES, _too_large
    from scorecard.extracts.validate import ExtractValidationError, Source, failure_frame

    failures = [
        failure_frame(
            SPECS[name],
            Source("parquet", str(folder / f"{name}.parquet")),
            None,
            "unreadable_file",
            str(_too_large(size, MAX_FILE_BYTES)),
        )
        for name, size in sizes.items()
        if size > MAX_FILE_BYTES
    ]
    return ExtractValidationError(pd.concat(failures, ignore_index=True), []) if failures else None
