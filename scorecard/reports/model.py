"""What every report shows, independent of its format (workbook, HTML, notebook).

The renderers (:mod:`scorecard.reports.workbook`, :mod:`scorecard.reports.html`) only lay out the
frames and words built here, so the workbook, the HTML and the notebook say the same thing.
"""

from __future__ import annotations

import math
import re
from functools import cached_property
from typing import TYPE_CHECKING, Any, assert_never

import numpy as np
import pandas as pd

from scorecard.calendar.periods import FinancialYear, to_month
from scorecard.rating.spc import published_spc
from scorecard.rating.summary import applicable_rows, spc_sentences
from scorecard.rating.summary import summary_sentence as rating_summary_sentence
from scorecard.rating.summary import summary_sentences as rating_summary_sentences
from scorecard.rating.vocabulary import RAG, Direction, RatingState
from scorecard.registry.model import Indicator, Polarity, Registry, RuleMethod, ValueUnit
from scorecard.reports import suppression
from scorecard.reports.safety import guard_formulas

if TYPE_CHECKING:
    from scorecard.pipeline import Scorecard

#: Arrows for directions of travel (with the words, for screen readers and black-and-white print).
DOT_ARROWS = {
    Direction.IMPROVED.value: "▲ improved",
    Direction.SAME.value: "► same",
    Direction.WORSENED.value: "▼ worsened",
}
#: Fill colours of the RAG ratings (the published report's key) and of "not rated".
RAG_COLOURS = {RAG.RED.value: "#E8494A", RAG.AMBER.value: "#F5B335", RAG.GREEN.value: "#4CAF50"}
NOT_RATED_COLOUR = "#D9D9D9"

UNIT_TABLE_COLUMNS = [
    "group", "ref", "indicator", "title", "polarity", "period", "value_unit", "value", "rag",
    "numerator", "denominator", "target", "previous_value", "dot_previous", "outturn_value",
    "dot_outturn", "note", "rag_note", "state", "partial", "partial_note",
]  # fmt: skip


#: ``ValueUnit(unit)`` of a unit or its value, looked up (the reports format thousands of cells).
_VALUE_UNITS: dict[str, ValueUnit] = {**{u: u for u in ValueUnit},
                                       **{u.value: u for u in ValueUnit}}  # fmt: skip


def format_value(value: float, unit: ValueUnit | str) -> str:
    """A result as printed: ``93.1%``, ``31``, ``423.2``; ``-`` when there is none."""
    if value is None:
        return "-"
    if isinstance(value, float):  # (pd.isna of a float: NaN)
        if math.isnan(value):
            return "-"
    elif pd.isna(value):
        return "-"
    unit = (_VALUE_UNITS.get(unit) if isinstance(unit, str) else None) or ValueUnit(unit)
    match unit:
        case ValueUnit.PERCENT:
            return f"{value:.1f}%"
        case ValueUnit.COUNT:
            return f"{value:,.0f}"
        case ValueUnit.DAYS | ValueUnit.RATIO | ValueUnit.PER_10000:
            return f"{value:,.1f}"
        case _:
            assert_never(unit)


def format_count(value: float) -> str:
    """A numerator or denominator as printed (FTE keeps one decimal): ``2,306``, ``331.9``."""
    if value is None or pd.isna(value):
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def unit_table(frame: pd.DataFrame, unit: str, month: object) -> pd.DataFrame:
    """The scorecard table of one unit for one month, in ref order, grouped as published: the
    indicators that apply to the unit (state not "not applicable"), with ``state``, ``partial``
    and ``partial_note`` (see :func:`with_states`)."""
    period = to_month(month)
    rows = frame[(frame["unit"] == unit) & (frame["month"] == period)]
    if rows.empty:
        raise KeyError(f"no results for unit {unit!r} in {period}")
    table = with_states(applicable(rows)).sort_values("ref", kind="stable")
    for column in ("note", "rag_note"):
        if column not in table.columns:
            table = table.assign(**{column: pd.NA})
    return table[UNIT_TABLE_COLUMNS].reset_index(drop=True)


def summary_sentence(frame: pd.DataFrame, unit: str, month: object) -> str:
    """The summary sentence of a unit as published: counted over the indicators that apply to it
    (and, in a suppressed frame, without the withheld ratings and directions), followed by what
    statistical process control says of the unit when ``frame`` has the SPC columns."""
    period = to_month(month)
    rows = applicable(frame[(frame["unit"] == unit) & (frame["month"] == period)])
    if rows.empty:
        as_at = period.to_timestamp(how="end").strftime("%d/%m/%Y")
        return f"As at {as_at}, no indicator of the scorecard applies to {unit}."
    sentence = rating_summary_sentence(rows, unit, period)
    spc = spc_sentences(rows, period).get(unit)
    return f"{sentence} {spc}" if spc else sentence


def summary_sentences(frame: pd.DataFrame, month: object) -> dict[str, str]:
    """:func:`summary_sentence` of every unit with results in ``month`` (a unit to which no
    indicator applies included), counted in one pass, each followed by what statistical process
    control says of the unit (:func:`scorecard.rating.summary.spc_sentences`) when ``frame`` has
    the SPC columns."""
    period = to_month(month)
    current = frame[frame["month"] == period]
    as_at = period.to_timestamp(how="end").strftime("%d/%m/%Y")
    out = {
        str(unit): f"As at {as_at}, no indicator of the scorecard applies to {unit}."
        for unit in current["unit"].unique()
    }
    sentences = rating_summary_sentences(applicable(current), period)
    out.update({str(unit): sentence for unit, sentence in sentences.items()})
    for unit, spc in spc_sentences(applicable(current), period).items():
        if str(unit) in sentences:  # a unit to which an indicator applies
            out[str(unit)] = f"{out[str(unit)]} {spc}"
    return out


def thresholds_in_words(
    indicator: Indicator, registry: Registry, financial_year: FinancialYear
) -> str:
    """The RAG bands in words, as the exception reports' data notes give them."""
    thresholds = indicator.thresholds_for(financial_year)
    if thresholds is None:
        return f"No thresholds for {financial_year.label}."
    rule = registry.rule_of(indicator)

    def v(number: float) -> str:
        return format_value(number, indicator.unit)

    match rule.method:
        case RuleMethod.TARGET_FLOOR:
            t, f = thresholds.target.value, thresholds.floor.value  # type: ignore[union-attr]
            better, worse = ("above", "below") if indicator.polarity is Polarity.HIGH else (
                "below", "above")  # fmt: skip
            return (
                f"Target {v(t)}. Green: {v(t)} and {better}; "
                f"Amber: {v(min(t, f))} to {v(max(t, f))}; Red: {worse} {v(f)}."
            )
        case RuleMethod.BANDS:
            t = thresholds.target.value  # type: ignore[union-attr]
            g, a = thresholds.green, thresholds.amber
            assert g is not None and a is not None
            return (
                f"Target {v(t)}. Green: {v(g.lower)} to {v(g.upper)}; Amber: {v(a.lower)} to "
                f"{v(g.lower)} or {v(g.upper)} to {v(a.upper)}; Red: below {v(a.lower)} or "
                f"above {v(a.upper)}."
            )
        case RuleMethod.BENCHMARK:
            b, tol = thresholds.benchmark, thresholds.tolerance.value  # type: ignore[union-attr]
            shown = v(b.value) if b is not None else "England (comparator table)"
            return (
                f"Benchmark {shown}. Green: better than the benchmark by more than {tol:g}; "
                f"Amber: within {tol:g} of it; Red: worse by more than {tol:g}."
            )
        case _:
            assert_never(rule.method)


def data_notes(indicator: Indicator, registry: Registry, month: object) -> dict[str, str]:
    """The data notes of an exception report: the lead responsibility when the registry names
    it, then target and bands, tolerance, period, source."""
    fy = FinancialYear.of(to_month(month))
    lead = indicator.responsibility.lines() if indicator.responsibility is not None else []
    notes = {"Lead responsibility": "; ".join(f"{label}: {text}" for label, text in lead)}
    return (notes if lead else {}) | {
        "Target and RAG bands": thresholds_in_words(indicator, registry, fy),
        "Tolerance": indicator.polarity.in_words,
        "Data period": indicator.period.in_words,
        "Data source": indicator.source,
    }


def trend(
    frame: pd.DataFrame, indicator: str, unit: str, month: object, months: int
) -> pd.DataFrame:
    """The last ``months`` month-ends up to ``month`` for one indicator and unit: ``month, value,
    numerator, denominator, target, floor, rag`` (and ``state, suppressed, partial, partial_note``
    when the frame has them; months without results are left out)."""
    period = to_month(month)
    wanted = pd.period_range(period - (months - 1), period, freq="M")
    rows = frame[
        (frame["indicator"] == indicator) & (frame["unit"] == unit) & frame["month"].isin(wanted)
    ]
    columns = ["month", "value", "numerator", "denominator", "target", "floor", "green_lower",
               "green_upper", "amber_lower", "amber_upper", "rag"]  # fmt: skip
    columns += [c for c in ("state", "suppressed", "partial", "partial_note") if c in rows.columns]
    return rows.sort_values("month")[columns].reset_index(drop=True)


def red_indicators(frame: pd.DataFrame, unit: str, month: object) -> list[str]:
    """Ids of the indicators rated Red for a unit and month, in ref order (one exception each)."""
    table = unit_table(frame, unit, month)
    return table.loc[table["rag"] == RAG.RED.value, "indicator"].tolist()


def activity_table(activity: pd.DataFrame, unit: str, month: object) -> pd.DataFrame:
    """Activity of one unit: ``label, this month, last month, change``; with
    ``this_month_withheld`` and ``last_month_withheld`` when the counts carry ``withheld`` flags
    (:func:`scorecard.reports.suppression.suppress_activity_counts`)."""
    period = to_month(month)
    mine = activity[activity["unit"] == unit]
    now = mine[mine["month"] == period].set_index("activity")
    before = mine[mine["month"] == period - 1].set_index("activity")
    table = pd.DataFrame(
        {
            "activity": now["label"],
            "this_month": now["count"],
            "last_month": before["count"].reindex(now.index),
        }
    )
    table["change"] = table["this_month"] - table["last_month"]
    if "withheld" in mine.columns:
        table["this_month_withheld"] = now["withheld"].astype(bool)
        table["last_month_withheld"] = (
            before["withheld"].reindex(now.index).fillna(False).astype(bool)
        )
    return table.reset_index(drop=True)


def activity_tables(
    activity: pd.DataFrame | None, month: object, below: int | None
) -> dict[str, list[dict[str, Any]]]:
    """Every unit's :func:`activity_table` of ``month`` with the flags of
    :func:`suppress_activity`, as rows (``activity, this_month, last_month, change,
    this_month_withheld, last_month_withheld, change_withheld``), made in one pass over the counts:
    ``{unit: rows}`` for the units with counts in ``month`` or the month before (a unit without
    counts in ``month`` has no rows). The same rows as ``suppress_activity(activity_table(
    activity, unit, month), below).to_dict("records")`` for each unit."""
    if activity is None or activity.empty:
        return {}
    period = to_month(month)
    months = activity["month"]
    now = activity[months == period]
    before = activity[months == period - 1]
    flagged = "withheld" in activity.columns

    def columns(rows: pd.DataFrame) -> list[list[Any]]:
        flags = (rows["withheld"].fillna(False).astype(bool) if flagged
                 else _small_activity_counts(rows["count"], below))  # fmt: skip
        return [rows[c].tolist() for c in ("unit", "activity", "label", "count")] + [flags.tolist()]

    earlier: dict[tuple[Any, Any], tuple[Any, bool]] = {}
    for unit, key, _, count, withheld in zip(*columns(before), strict=True):
        earlier[(unit, key)] = (count, withheld)
    out: dict[str, list[dict[str, Any]]] = {str(u): [] for u in activity["unit"].unique()}
    for unit, key, label, count, this_withheld in zip(*columns(now), strict=True):
        last, last_withheld = earlier.get((unit, key), (np.nan, False))
        out[str(unit)].append(
            {
                "activity": label,
                "this_month": count,
                "last_month": last,
                "change": count - last,
                "this_month_withheld": this_withheld,
                "last_month_withheld": last_withheld,
                "change_withheld": this_withheld or last_withheld,
            }
        )
    return out


def _small_activity_counts(counts: pd.Series, below: int | None) -> pd.Series:
    """True for the counts from 1 to ``below - 1``: the activity counts withheld (missing: not
    small; ``below`` ``None``: none)."""
    if below is None:
        return pd.Series(False, index=counts.index)
    return ((counts > 0) & (counts < below)).fillna(False).astype(bool)


def units_in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``unit, level`` of a results frame: the county, then areas, then teams (as computed)."""
    order = {"county": 0, "area": 1, "team": 2}
    if "level" not in frame.columns:
        return frame[["unit"]].drop_duplicates().assign(level="county").reset_index(drop=True)
    units = frame[["unit", "level"]].drop_duplicates()
    rank = units["level"].map(order).fillna(3)
    return units.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


SUPPRESSED = "c"  # the DfE symbol for a figure withheld to protect confidentiality
PARTIAL = "partial"  # a figure over a period the data only partly covers


def derived_states(frame: pd.DataFrame) -> pd.Series:
    """The :class:`RatingState` value of each row: the ``state`` column when the frame has one,
    otherwise worked out from ``rag``, ``note`` (not computable) and ``rag_note`` as
    :func:`scorecard.rating.rate` writes them."""
    if "state" in frame.columns:
        return frame["state"].astype(object).where(frame["state"].notna(), None)
    rag = frame["rag"] if "rag" in frame.columns else pd.Series(pd.NA, index=frame.index)
    note = frame["note"] if "note" in frame.columns else pd.Series(pd.NA, index=frame.index)
    reason = (
        frame["rag_note"].astype("string")
        if "rag_note" in frame.columns
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    absent = note.astype("string").str.contains("absent", na=False)
    states = np.select(
        [
            rag.notna().to_numpy(),
            absent.to_numpy(dtype=bool),
            reason.str.startswith("no thresholds").fillna(False).to_numpy(dtype=bool),
            reason.str.startswith("denominator below").fillna(False).to_numpy(dtype=bool),
        ],
        [
            RatingState.RATED.value,
            RatingState.EXTRACT_ABSENT.value,
            RatingState.NO_THRESHOLDS.value,
            RatingState.BELOW_MINIMUM.value,
        ],
        RatingState.NO_DATA.value,
    )
    return pd.Series(states, index=frame.index, dtype=object)


def with_states(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a rated frame with ``state`` (text values of :class:`RatingState`), ``partial``
    (bool) and ``partial_note`` present, whether or not the rating stage wrote them."""
    out = frame.copy()
    out["state"] = derived_states(frame)
    if "partial" not in out.columns:
        out["partial"] = False
    else:
        out["partial"] = out["partial"].fillna(False).astype(bool)
    if "partial_note" not in out.columns:
        out["partial_note"] = pd.Series(pd.NA, index=out.index, dtype="string")
    return out


def applicable(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a rated frame whose state is not "not applicable" (what a unit page lists)."""
    return applicable_rows(frame)


def state_label(state: object) -> str:
    """The words shown for a state (``"below the minimum denominator"``); ``c`` when withheld
    (missing)."""
    if state is None or pd.isna(state):  # type: ignore[arg-type]
        return SUPPRESSED
    return RatingState(str(state)).label


def partial_text(partial: object, note: object) -> str:
    """``partial`` with its note (``partial: data from 2014-09``; no ids or paths: see
    :func:`publishable_text`), or empty for a full figure."""
    if partial is None or pd.isna(partial) or not bool(partial):  # type: ignore[arg-type]
        return ""
    if note is None or pd.isna(note):  # type: ignore[arg-type]
        return PARTIAL
    words = publishable_text(pd.Series([str(note)], dtype="string")).iloc[0]
    return f"{PARTIAL}: {words}" if words else PARTIAL


def hierarchy_of(units: pd.DataFrame | None, frame: pd.DataFrame) -> suppression.Hierarchy:
    """The sums over the organisation that published figures obey (see :mod:`.suppression`)."""
    return suppression.hierarchy_for(frame, units)


def suppress_small_counts(
    frame: pd.DataFrame, below: int | None, units: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A copy of a rated frame fit for publication, with ``state``, ``partial`` and
    ``partial_note`` present (see :func:`with_states`).

    Counts from 1 to ``below - 1`` are withheld, and so are the cells that would let them be
    worked out by sums over the organisation ``units`` (a computation's ``units`` table), as
    :func:`scorecard.reports.suppression.suppress_results` describes: numerator, denominator,
    value, RAG and directions of travel set missing and ``suppressed`` True; a previous or outturn
    result whose own month was withheld is withheld too (``previous_suppressed``,
    ``outturn_suppressed``), with the direction of travel from it. ``below=None`` withholds
    nothing; zero is never withheld for being small.
    """
    staged = with_states(frame)
    if below is None:
        return suppression.suppress_results(staged, None, suppression.Hierarchy.flat())
    return suppression.suppress_results(staged, below, hierarchy_of(units, frame))


def suppress_activity(table: pd.DataFrame, below: int | None) -> pd.DataFrame:
    """An :func:`activity_table` with ``*_withheld`` flags. A table built from counts already
    suppressed (:func:`scorecard.reports.suppression.suppress_activity_counts`) keeps its flags;
    otherwise counts from 1 to ``below - 1`` are withheld. A change computed from a withheld count
    is withheld."""
    out = table.copy()
    for column in ("this_month", "last_month"):
        flag = f"{column}_withheld"
        if flag in out.columns:
            out[flag] = out[flag].fillna(False).astype(bool)
            continue
        out[flag] = _small_activity_counts(out[column], below)
    out["change_withheld"] = out["this_month_withheld"] | out["last_month_withheld"]
    return out


def publication_frame(card: Scorecard, below: int | None) -> pd.DataFrame:
    """The rated frame of ``card`` as every output publishes it: with states (see
    :func:`with_states`) and small numbers withheld over the organisation of the computation
    (:func:`suppress_small_counts`), the statistical process control columns computed from the
    published values only (:func:`scorecard.rating.spc.published_spc`)."""
    computation = card.computation
    units = getattr(computation, "units", None) if computation is not None else None
    # SPC from the published values only: nothing withheld can be worked out from it
    return published_spc(
        suppress_small_counts(card.frame, below, units), getattr(card, "spc", None)
    )


def publication_activity(card: Scorecard, below: int | None) -> pd.DataFrame | None:
    """The activity counts of ``card`` as published: ``withheld`` flags, withheld counts missing
    (:func:`scorecard.reports.suppression.suppress_activity_counts`); ``None`` without any."""
    computation = card.computation
    activity = getattr(computation, "activity", None) if computation is not None else None
    if activity is None:
        return None
    if below is None:
        return activity.assign(withheld=False)
    units = getattr(computation, "units", None)
    hierarchy = suppression.hierarchy_for(activity, units)
    return suppression.suppress_activity_counts(activity, below, hierarchy)


class Publication:
    """What the outputs of one build publish for ``month``, prepared once and shared by the
    workbook, the HTML report and the results CSV (each would otherwise work out the same frames
    again): each part is computed when first asked for, then kept. Read it, never change it.

    ``frame``: :func:`publication_frame`; ``activity``: :func:`publication_activity`;
    ``current``: the frame's rows of ``month``; ``unit_rows``: every unit's table of the month
    (:func:`unit_rows`); ``sentences``: :func:`summary_sentences`; ``activity_tables``:
    :func:`activity_tables`; ``exception_texts``:
    :func:`scorecard.reports.movement.exception_texts`; ``quality``:
    :func:`quality_for_publication` of the card's data-quality report (``None`` without one).
    """

    def __init__(self, card: Scorecard, month: object, suppress_below: int | None) -> None:
        self.card = card
        self.month = to_month(month)
        self.suppress_below = suppress_below

    @classmethod
    def of(
        cls,
        prepared: Publication | None,
        card: Scorecard,
        month: object,
        suppress_below: int | None,
    ) -> Publication:
        """``prepared`` when it was made for ``card``, ``month`` and ``suppress_below`` (else a
        :class:`ValueError`: an output would show another scorecard's figures); a new one when
        ``prepared`` is ``None``."""
        if prepared is None:
            return cls(card, month, suppress_below)
        asked = (to_month(month), suppress_below)
        if prepared.card is not card or (prepared.month, prepared.suppress_below) != asked:
            raise ValueError(
                f"the prepared publication is for {prepared.month} (suppress_below "
                f"{prepared.suppress_below}) of another scorecard or month, not for {asked[0]} "
                f"(suppress_below {suppress_below}) of this one"
            )
        return prepared

    @cached_property
    def frame(self) -> pd.DataFrame:
        return publication_frame(self.card, self.suppress_below)

    @cached_property
    def activity(self) -> pd.DataFrame | None:
        return publication_activity(self.card, self.suppress_below)

    @cached_property
    def current(self) -> pd.DataFrame:
        return self.frame[self.frame["month"] == self.month]

    @cached_property
    def unit_rows(self) -> dict[str, list[dict[str, Any]]]:
        return unit_rows(self.current)

    @cached_property
    def sentences(self) -> dict[str, str]:
        return summary_sentences(self.current, self.month)

    @cached_property
    def activity_tables(self) -> dict[str, list[dict[str, Any]]]:
        return activity_tables(self.activity, self.month, self.suppress_below)

    @cached_property
    def exception_texts(self) -> dict[tuple[str, str], tuple[str, bool]]:
        from scorecard.reports.movement import exception_texts

        return exception_texts(self.card, self.frame, self.month, self.suppress_below)

    @cached_property
    def quality(self) -> pd.DataFrame | None:
        quality = self.card.quality
        return None if quality is None else quality_for_publication(quality)


def unit_rows(current: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Every unit's table of one month (``current``: a publication frame's rows of the month) as
    rows, made in one pass: the indicators that apply to the unit, in ref order, with their
    states (:func:`with_states`) and every column of the frame, ``note``, ``rag_note`` and
    ``benchmark`` included (missing when the frame has none); ``{unit: rows}`` for the units with
    an indicator that applies."""
    table = with_states(applicable(current)).sort_values("ref", kind="stable")
    for column in ("note", "rag_note", "benchmark"):
        if column not in table.columns:
            table = table.assign(**{column: pd.NA})
    out: dict[str, list[dict[str, Any]]] = {}
    for record in table.to_dict("records"):
        out.setdefault(str(record["unit"]), []).append(record)
    return out


# --- the data-quality report as published ---------------------------------------------------------

#: Columns of a quality frame that hold record-level detail: never published.
_RECORD_COLUMNS = frozenset({"examples", "record", "row", "line", "value", "record_id",
                             "child_id", "findings"})  # fmt: skip
#: Columns of a quality frame that name a file: published as the file's name only.
_FILE_COLUMNS = frozenset({"file", "path", "source", "folder"})
#: Examples appended to a reason ("...; e.g. line 4 [child_id=C0005]; line 9 [...]").
_EXAMPLES = re.compile(r"[;,]?\s*\be\.g\.?[:,]?\s.*$", re.IGNORECASE | re.DOTALL)
#: A record identifier in brackets: ``[child_id=C0005]``, ``[referral_id=R9001, visit_id=V3]``.
_BRACKETED_IDS = re.compile(r"\s*\[[^\[\]]*=[^\[\]]*\]")
#: An identifier written out: ``child_id=C0005``, ``referral_id: R9001``.
_NAMED_IDS = re.compile(r"\b\w*_?id\s*[=:]\s*['\"]?[^\s,;)\]'\"]+['\"]?", re.IGNORECASE)
#: A line or row of a file: ``line 4``, ``rows 3, 5 and 9``.
_LINES = re.compile(r"\s*\(?\b(?:lines?|rows?)\s+\d+(?:\s*(?:,|-|and)\s*\d+)*\)?", re.IGNORECASE)
_SEGMENT = r"[^\s\\/;,'\"()\[\]<>|]+"
#: An absolute path (POSIX, home, Windows drive or UNC) or a relative path to a data file.
_PATHS = re.compile(
    rf"(?<![\w.\\/])(?:(?:[A-Za-z]:[\\/]|\\\\|~[\\/]|/){_SEGMENT}(?:[\\/]{_SEGMENT})*[\\/]?"
    rf"|(?:{_SEGMENT}[\\/])+{_SEGMENT}\.(?:csv|tsv|txt|parquet|pq|xlsx|xlsm|xls|ods|json|ya?ml))"
)


def _file_name(match: re.Match[str]) -> str:
    parts = [p for p in re.split(r"[\\/]", match.group(0)) if p and not p.endswith(":")]
    last = parts[-1] if parts else ""
    return last if "." in last else (f"{last}/" if last else "")


def publishable_text(values: pd.Series) -> pd.Series:
    """Text fit for publication: record identifiers, line-level examples and directory paths
    removed (a path keeps its file name: ``/home/a/extracts/referrals.csv`` -> ``referrals.csv``).
    Missing values stay missing."""
    text = values.astype("string")
    if not text.notna().any():  # nothing to clean (every step would keep it missing)
        return text
    for pattern, replacement in ((_EXAMPLES, ""), (_BRACKETED_IDS, ""), (_NAMED_IDS, "")):
        text = text.str.replace(pattern, replacement, regex=True)
    text = text.str.replace(_PATHS, _file_name, regex=True)
    text = text.str.replace(_LINES, "", regex=True).str.replace(r"\s*\(\s*\)", "", regex=True)
    text = text.str.replace(r"\s{2,}", " ", regex=True).str.replace(
        r"\s+([;,.)])", r"\1", regex=True
    )
    return text.str.strip().str.strip(";,").str.strip()


def quality_for_publication(quality: pd.DataFrame | None) -> pd.DataFrame:
    """The data-quality report as published (the ``_data_quality.csv`` file, the HTML section and
    the workbook sheet): counts and reasons kept; record ids, line-level examples and record
    columns dropped, directory paths cut to the file name; text guarded against formulas."""
    if quality is None:
        return pd.DataFrame(columns=["section", "extract", "column", "check", "rows", "detail"])
    kept = [c for c in quality.columns if str(c).lower() not in _RECORD_COLUMNS]
    out = quality[kept].copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        if pd.to_numeric(series.dropna(), errors="coerce").notna().all():
            continue  # counts (``rows``) stay numbers
        text = series.astype("string")
        if str(column).lower() in _FILE_COLUMNS:
            text = text.str.replace(r"^.*[\\/](?=[^\\/]+$)", "", regex=True)
        out[column] = publishable_text(text).astype(object).where(series.notna(), np.nan)
    return guard_formulas(out.reset_index(drop=True))
