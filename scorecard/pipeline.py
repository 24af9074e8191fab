"""The whole pipeline in one call: extracts -> results for every unit and month -> rated scorecard.

>>> import scorecard as sc
>>> card = sc.compute_scorecard("data/extracts", "2014-05", "2015-05", county="Kent")  # doctest: +SKIP
>>> card.frame                      # every indicator, unit and month, rated
>>> card.summary_sentence("Kent")   # latest month
>>> card.drill_down("cp_plans_18_months", "Kent", "2015-05")   # or by ref (11) or title
>>> card.table("north kent")        # any unit's table, in any case (coloured in Jupyter)
>>> card.plot(11, "Kent")           # matplotlib Axes: results, target, floor, RAG points
>>> card.write("out", formats=["html"], units=["Kent"])   # what `scorecard build` publishes

Before computing, :func:`compute_scorecard` checks that the data cover the period asked for
(:func:`coverage`), against the folder's manifest (:mod:`scorecard.extracts.manifest`): a month
ending after the extraction date, or whose look-back window
(:func:`scorecard.calendar.coverage.window_starts`) starts before the first date covered, is
refused with a :class:`CoverageError`, unless ``allow_partial=True``, which computes it and marks
its rows ``partial`` with the reason in ``partial_note``. It also lists the extracts that are absent
or unreadable and the indicators they disable (``Scorecard.disabled``); ``strict=True`` refuses
them.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scorecard.calendar.coverage import indicator_window_starts, window_key
from scorecard.calendar.periods import outturn_month, to_month
from scorecard.calendar.working_days import month_ends
from scorecard.errors import DataError, UsageError
from scorecard.extracts import Extracts, load_extracts, quality_report
from scorecard.extracts.manifest import Manifest, infer_manifest, read_manifest, warn_inferred
from scorecard.extracts.quality import to_as_of
from scorecard.measures.base import extract_users, registered_measures
from scorecard.measures.compute import (
    DEFAULT_COUNTY,
    Computation,
    UnknownNameError,
    compute,
    find_indicator,
    find_unit,
)
from scorecard.progress import step
from scorecard.rating import rate, summary_sentence
from scorecard.rating.spc import SpcSettings, add_spc
from scorecard.registry import Registry, load_registry
from scorecard.registry.benchmarks import Benchmarks, join_benchmarks, resolve_benchmarks
from scorecard.reports.notebook import UnitTable, scorecard_html

if TYPE_CHECKING:
    from matplotlib.axes import Axes


class CoverageError(DataError):
    """The data do not cover a reporting month asked for: it ends after the extraction date, or
    an indicator's look-back window starts before the first date covered."""


@dataclass(frozen=True)
class DisabledExtract:
    """An extract that is absent or could not be read, why, and the indicators it disables (ids,
    in registry order: those whose measure needs it)."""

    extract: str
    reason: str
    indicators: tuple[str, ...]

    def describe(self, registry: Registry) -> str:
        refs = ", ".join(f"{i} (ref {registry[i].ref})" for i in self.indicators)
        return (
            f"{self.extract}: {self.reason}; disables {len(self.indicators)} indicator(s): {refs}"
        )


@dataclass(frozen=True)
class Scorecard:
    """A rated scorecard: ``frame`` (rated results), the computation behind it, its registry and
    ``quality``, the data-quality report that comes with it (rows loaded and excluded per extract,
    absent extracts, skipped checks, indicators that could not be computed, partial figures).

    ``frame`` holds the months asked for only, with ``partial`` (bool) and ``partial_note`` (why,
    or missing). ``computation.results`` also holds the outturn months computed for the outturn
    direction of travel (March of the previous financial year, when not asked for). ``disabled``
    lists the absent or unreadable extracts and the indicators they disable; ``manifest`` is the
    extracts' manifest (declared or inferred) the coverage was checked against (``None``: unknown).
    """

    frame: pd.DataFrame
    computation: Computation
    registry: Registry
    county: str
    quality: pd.DataFrame | None = None
    disabled: tuple[DisabledExtract, ...] = ()
    manifest: Manifest | None = None
    spc: SpcSettings = field(default_factory=SpcSettings)  # how the SPC columns were computed
    #: The service's commentary (``indicator, unit, month, text``; see
    #: :mod:`scorecard.reports.commentary`), shown in the exception reports instead of the
    #: sentence drafted from the figures. Set with :meth:`with_commentary`.
    commentary: pd.DataFrame | None = None

    def with_commentary(self, path: str | os.PathLike[str]) -> Scorecard:
        """This scorecard with the commentary file ``path`` (checked against its registry and
        units: :class:`~scorecard.reports.commentary.CommentaryError` lists every problem)."""
        from scorecard.reports.commentary import load_commentary

        units = self.frame["unit"].astype(str).unique()
        return replace(self, commentary=load_commentary(path, self.registry, units))

    def movements(self, month: object | None = None, against: str = "previous") -> pd.DataFrame:
        """What moved each figure of ``month`` (default: the latest) since the previous month
        (``against="outturn"``: since the outturn): changes of numerator and denominator, the
        units below that contributed most and the drafted sentence
        (:func:`scorecard.reports.movement.movements`). Unsuppressed: for analysts."""
        from scorecard.reports.movement import movements
        from scorecard.reports.suppression import Hierarchy

        if against not in ("previous", "outturn"):
            raise UsageError(f"against must be 'previous' or 'outturn', not {against!r}")
        units = getattr(self.computation, "units", None)
        hierarchy = Hierarchy.from_units(units) if units is not None else Hierarchy.flat()
        period = to_month(month) if month is not None else self.latest_month
        return movements(self.frame, hierarchy, period, against)  # type: ignore[arg-type]

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.PeriodIndex(sorted(self.frame["month"].unique()), freq="M")

    @property
    def latest_month(self) -> pd.Period:
        return self.months[-1]

    def summary_sentence(self, unit: str | None = None, month: object | None = None) -> str:
        """The published summary sentence for a unit (default: the county) and month (latest)."""
        return summary_sentence(
            self.frame,
            unit if unit is not None else self.county,
            to_month(month) if month is not None else self.latest_month,
        )

    def drill_down(
        self, indicator: str | int, unit: str | None = None, month: object | None = None
    ) -> pd.DataFrame:
        """The records behind a figure (person-level: for analysts, never for publication).

        ``indicator``: its ref (``14`` or ``"14"``), id or title, in any case; ``unit``: a team,
        area or the county (default), in any case; ``month``: default the latest. A name that is
        not there raises :class:`~scorecard.measures.compute.UnknownNameError` (a ``UsageError``
        and a ``KeyError``) listing the closest names. See :meth:`Computation.drill_down`.
        """
        indicator_id = find_indicator(self.registry, indicator)
        return self.computation.drill_down(
            indicator_id,
            self.unit_named(unit),
            self.month_of(month),
        )

    def table(self, unit: str | None = None, month: object | None = None) -> UnitTable:
        """A unit's scorecard table as published (default: the county, the latest month): a
        DataFrame of text, which Jupyter shows coloured by RAG, as the county's display. The
        unit's name in any case."""
        unit_name, period = self.unit_named(unit), self.month_of(month)
        return self.frame.scorecard.table(unit_name, period)

    def unit_named(self, unit: str | None) -> str:
        """The unit ``unit`` names (any case; default: the county); else
        :class:`~scorecard.measures.compute.UnknownNameError` with the closest names."""
        return self.county if unit is None else find_unit(self.frame["unit"].unique(), unit)

    def month_of(self, month: object | None) -> pd.Period:
        """``month`` as a Period (default: the latest), if the scorecard has it; else
        :class:`~scorecard.measures.compute.UnknownNameError` naming the months it covers."""
        if month is None:
            return self.latest_month
        period = to_month(month)
        if period not in self.months:
            raise UnknownNameError(f"the scorecard has no month {period} (it covers "
                                   f"{self.months[0]} to {self.latest_month})")  # fmt: skip
        return period

    def plot(
        self, indicator: str | int, unit: str | None = None, *, ax: Axes | None = None
    ) -> Axes:
        """The monthly results of ``indicator`` (ref, id or title) for ``unit`` (default: the
        county) as a matplotlib chart: points coloured by RAG, the target and floor in force each
        month (steps), the Green and Amber bands of a target-band (T) indicator, a benchmark and
        its tolerance. Returns the Axes (drawn on ``ax`` when given). For analysts: nothing is
        withheld (see :mod:`scorecard.reports.plot`)."""
        from scorecard.reports.plot import plot_indicator

        indicator_id = find_indicator(self.registry, indicator)
        return plot_indicator(self.frame, self.registry[indicator_id], self.unit_named(unit), ax=ax)

    def write(
        self,
        out: str | os.PathLike[str],
        month: object | None = None,
        *,
        formats: Collection[str] | None = None,
        units: Collection[str] | None = None,
        suppress_below: int | None = None,
    ) -> dict[str, Path]:
        """Publish the month's outputs (default: the latest month) into the folder ``out``, as
        ``scorecard build`` does, all at once with a build manifest: ``formats`` (default all)
        among ``workbook``, ``html``, ``results``, ``data_quality``; ``units`` (default all)
        limits the units of the workbook and HTML report (any case). Returns ``{kind: path}``.
        See :func:`scorecard.reports.build.write_outputs`."""
        from scorecard.reports.build import write_outputs

        return write_outputs(self, self.month_of(month), out, suppress_below=suppress_below,
                             quality=self.quality, formats=formats, units=units)  # fmt: skip

    def _repr_html_(self) -> str:
        return scorecard_html(self.frame, self.county, self.latest_month)

    def __repr__(self) -> str:
        units = self.frame["unit"].nunique()
        return (
            f"<Scorecard {self.county}: {len(self.registry)} indicators, {units} units, "
            f"{self.months[0]} to {self.latest_month}>"
        )


def compute_scorecard(
    extracts: Extracts | str | os.PathLike[str],
    first_month: object,
    last_month: object | None = None,
    *,
    registry: Registry | None = None,
    county: str = DEFAULT_COUNTY,
    as_of: object | None = None,
    allow_partial: bool = False,
    strict: bool = False,
    date_format: str | None = None,
    benchmarks: Benchmarks | str | os.PathLike[str] | None = None,
    spc: SpcSettings | None = None,
) -> Scorecard:
    """Load (if given a folder) and compute every indicator for the months ``first_month`` to
    ``last_month`` (default: just ``first_month``), for every team, area and the county, and rate
    them. Give at least 13 months for a year's trend and the previous-month direction of travel.
    Months are ``YYYY-MM`` text or Periods; the first after the last is a ``UsageError``.

    The outturn month each month is compared with (March of the previous financial year) is
    always computed, so ``dot_outturn`` is there for every month; when it was not asked for it is
    left out of ``frame`` (it is in ``computation.results``). An outturn month the data do not
    cover for an indicator is not used (no outturn value) unless ``allow_partial``.

    ``as_of`` is the extraction date: records dated after it are excluded and counted in the
    data-quality report. It defaults to the last day of ``last_month`` when loading a folder.

    Coverage (see the module doc): a month the data do not cover raises :class:`CoverageError`
    unless ``allow_partial``, which marks its rows ``partial``. With an inferred manifest (no
    ``manifest.yaml``) a look-back before the earliest record is marked partial, not refused.
    ``strict=True`` raises :class:`~scorecard.errors.DataError` if an absent or unreadable extract
    disables any indicator. ``date_format`` (a folder only): how its CSV files write dates, see
    :func:`~scorecard.extracts.load_extracts`. Steps are reported to :mod:`scorecard.progress`.

    ``benchmarks``: a comparator table (:mod:`scorecard.registry.benchmarks`; a path or one
    loaded); by default, with the bundled registry, ``data/benchmarks`` when it exists. Its values
    are put beside the county's results (``england``, ``england_source``, ...) and give the
    ``benchmark`` rule its benchmark where the registry gives none.

    ``spc``: how the statistical process control and regression columns of ``frame`` are
    computed over the months asked for (:class:`~scorecard.rating.spc.SpcSettings`: baseline,
    re-baselining months, rules; default ``SpcSettings()``; see :mod:`scorecard.rating.spc`). A
    baseline given that holds fewer of the months than the limits need is a ``UsageError``.
    """
    spc = spc if spc is not None else SpcSettings()
    if not isinstance(spc, SpcSettings):
        raise UsageError(f"spc: expected SpcSettings, got {type(spc).__name__}")
    registry = registry if registry is not None else load_registry()
    table = resolve_benchmarks(benchmarks, registry)
    first = to_month(first_month)
    last = to_month(last_month) if last_month is not None else first
    if first > last:
        raise UsageError(f"the first month {first} is after the last month {last}")
    months = pd.period_range(first, last, freq="M")
    spc.check_months(months)
    if as_of is not None:
        try:
            to_as_of(as_of)
        except (ValueError, TypeError) as exc:
            raise UsageError(str(exc)) from None
    if isinstance(extracts, Extracts):
        loaded = extracts
        manifest = loaded.manifest
        if manifest is None:
            manifest = infer_manifest(loaded, loaded.as_of)
            warn_inferred(manifest, "extracts given in memory")
    else:
        read_manifest(extracts)  # a broken manifest.yaml is reported before anything is read
        loaded = load_extracts(extracts, as_of=as_of if as_of is not None else months[-1],
                               date_format=date_format)  # fmt: skip
        manifest = loaded.manifest
    disabled = disabled_extracts(loaded, registry)
    if strict and disabled:
        lines = "\n".join(f"  - {item.describe(registry)}" for item in disabled)
        raise DataError(
            f"--strict: extracts absent or not read, so indicators are not computed:\n{lines}"
        )
    computable = [i for i in registry.ids if i not in {x for d in disabled for x in d.indicators}]
    extra = _outturn_months(months)
    gaps = coverage(registry, months.append(extra), manifest, computable)
    asked = gaps[gaps["month"].isin(months)]
    if manifest is not None and manifest.inferred:  # an inferred first date is only a guess
        asked = asked[asked["kind"] == "after extraction"]
    if len(asked) and not allow_partial:
        raise CoverageError(_coverage_message(asked, manifest))
    all_months = months.append(extra).sort_values()
    with step(f"computing {len(registry)} indicators for {len(all_months)} months"):
        computation = compute(loaded, all_months, registry, county=county)
    results = computation.results
    if len(extra):
        tolerated = allow_partial or (manifest is not None and manifest.inferred)
        unused = gaps[gaps["month"].isin(extra)] if not tolerated else gaps.iloc[:0]
        if len(unused):
            key = pd.MultiIndex.from_frame(results[["indicator", "month"]])
            drop = key.isin(pd.MultiIndex.from_frame(unused[["indicator", "month"]]))
            results = results[~drop]
    with step("rating"):
        rated = _mark_partial(rate(results, registry, benchmarks=table), gaps)
        rated = rated[rated["month"].isin(months)].reset_index(drop=True)
        rated = add_spc(rated, spc)
        if table is not None:
            rated = join_benchmarks(rated, table)
        quality = scorecard_quality(loaded, rated, manifest, registry)
    return Scorecard(rated, computation, registry, county, quality, disabled, manifest, spc)


def _outturn_months(months: pd.PeriodIndex) -> pd.PeriodIndex:
    """The outturn months (March of the previous financial year) of ``months`` not among them."""
    needed = pd.PeriodIndex(outturn_month(pd.Series(months)).unique(), freq="M")
    return needed.difference(months).sort_values()


def disabled_extracts(extracts: Extracts, registry: Registry) -> tuple[DisabledExtract, ...]:
    """The extracts that are absent (``None``) and the registry's indicators whose measure needs
    them; the reason comes from the extracts' quality rows for it (e.g. a file not read), else
    "absent (no file)"."""
    measures = registered_measures()
    quality = extracts.quality
    found = []
    for name in extracts.absent:
        needing = tuple(
            i.id for i in registry
            if i.measure_id in measures and name in measures[i.measure_id].needs
        )
        if not needing:
            continue
        about = quality.loc[quality["extract"] == name, "detail"].dropna().astype(str)
        reason = "; ".join(dict.fromkeys(about)) if len(about) else "absent (no file)"
        found.append(DisabledExtract(name, reason, needing))
    return tuple(found)


COVERAGE_COLUMNS = ["indicator", "month", "window_start", "kind", "reason"]


def coverage(
    registry: Registry,
    months: pd.PeriodIndex,
    manifest: Manifest | None,
    indicators: list[str] | None = None,
) -> pd.DataFrame:
    """The (indicator, month) pairs the data do not wholly cover, with why (one row each).

    Columns ``indicator, month, window_start, kind, reason``; ``kind`` is ``after extraction``
    (the month ends after the manifest's extraction date) or ``look-back`` (the indicator's window,
    :func:`~scorecard.calendar.coverage.window_starts`, starts before its first date covered).
    Empty when ``manifest`` is ``None`` (coverage unknown).
    """
    if manifest is None or not len(months):
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    month = pd.Series(months.sort_values(), name="month")
    ends = month_ends(month)
    extraction = pd.Timestamp(manifest.extraction_date)
    first = pd.Timestamp(manifest.first_date_covered)
    guess = " (inferred: no manifest.yaml)" if manifest.inferred else ""
    ids = list(indicators if indicators is not None else registry.ids)
    starts_of: dict[tuple[object, ...], pd.Series] = {}  # worked out once for the same windows
    starts = []
    for indicator_id in ids:
        indicator = registry[indicator_id]
        key = window_key(indicator)
        if key not in starts_of:
            starts_of[key] = indicator_window_starts(indicator, month)
        starts.append(starts_of[key])
    if ids:  # every indicator's months in one frame (indicator by indicator, months in order)
        window = pd.concat(starts, ignore_index=True)
        late = np.tile((ends > extraction).to_numpy(), len(ids))
        early = window.lt(first).to_numpy() & ~late
        gaps = pd.DataFrame(
            {
                "indicator": np.repeat(np.array(ids, dtype=object), len(month)),
                "month": np.tile(month.to_numpy(), len(ids)),
                "window_start": window.to_numpy(),
                "kind": np.where(late, "after extraction", "look-back"),
            }
        )[late | early].reset_index(drop=True)
    else:
        gaps = pd.DataFrame(columns=COVERAGE_COLUMNS)
    late_reason = (
        gaps["month"].astype(str)
        + f" ends after the extraction date {manifest.extraction_date}{guess}"
    )
    early_reason = (
        "look-back from "
        + pd.to_datetime(gaps["window_start"]).dt.strftime("%Y-%m-%d")
        + f" starts before the first date covered {manifest.first_date_covered}{guess}"
    )
    gaps["reason"] = np.where(gaps["kind"] == "after extraction", late_reason, early_reason)
    gaps["month"] = gaps["month"].astype("period[M]")
    return gaps[COVERAGE_COLUMNS]


def _coverage_message(refused: pd.DataFrame, manifest: Manifest | None) -> str:
    assert manifest is not None
    guess = " (inferred: no manifest.yaml)" if manifest.inferred else ""
    lines = []
    late = sorted(refused.loc[refused["kind"] == "after extraction", "month"].unique())
    if len(late) == 1:
        lines.append(
            f"  - {late[0]} ends after the extraction date {manifest.extraction_date}{guess}"
        )
    elif late:
        lines.append(
            f"  - {late[0]} to {late[-1]} end after the extraction date "
            f"{manifest.extraction_date}{guess}"
        )
    early = refused[refused["kind"] == "look-back"]
    for month, rows in early.groupby("month", sort=True):
        starts = pd.to_datetime(rows["window_start"]).dt.strftime("%Y-%m-%d")
        listed = ", ".join(
            f"{i} (from {d})" for i, d in zip(rows["indicator"], starts, strict=True)
        )
        lines.append(
            f"  - {month}: look-back before the first date covered "
            f"{manifest.first_date_covered}{guess}: {listed}"
        )
    return (
        "the data do not cover the period asked for (allow_partial=True or --allow-partial "
        "computes it anyway, marked partial):\n" + "\n".join(lines)
    )


def _mark_partial(rated: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """``rated`` with ``partial`` and ``partial_note``: the row's own month, or its outturn month,
    is not wholly covered (see :func:`coverage`)."""
    notes = gaps.groupby(["indicator", "month"], sort=False)["reason"].first().rename("_own")
    outturn = notes.rename("_outturn").reset_index().rename(columns={"month": "outturn_month"})
    outturn["_outturn"] = (
        "outturn " + outturn["outturn_month"].astype(str) + ": " + outturn["_outturn"]
    )
    frame = rated.merge(notes.reset_index(), on=["indicator", "month"], how="left")
    frame = frame.merge(outturn, on=["indicator", "outturn_month"], how="left")
    used = frame["outturn_value"].notna()
    own, theirs = frame["_own"].astype("string"), frame["_outturn"].astype("string").where(used)
    note = own.str.cat(theirs, sep="; ", na_rep="").str.strip("; ").replace("", pd.NA)
    frame["partial"] = note.notna().to_numpy(dtype=bool)
    frame["partial_note"] = note.astype("string")
    return frame.drop(columns=["_own", "_outturn"]).set_axis(rated.index)


def scorecard_quality(
    extracts: Extracts,
    rated: pd.DataFrame,
    manifest: Manifest | None = None,
    registry: Registry | None = None,
) -> pd.DataFrame:
    """The extracts' :func:`quality_report` plus a row for the manifest (section ``manifest``),
    one per indicator that was not computable and one per indicator with partial figures; with
    ``registry``, an absent extract names the indicators whose measure reads it."""
    report = quality_report(extracts, extract_users(registry) if registry is not None else None)
    notes = rated.loc[rated["note"].notna(), ["indicator", "note"]].drop_duplicates("indicator")
    parts = [report]
    if manifest is not None:
        how = "inferred from the records (no manifest.yaml)" if manifest.inferred else "declared"
        said = (
            f"extraction date {manifest.extraction_date}, first date covered "
            f"{manifest.first_date_covered}: {how}"
        )
        parts.append(_section("manifest", ["coverage"], [said]))
    parts.append(_section("not computable", notes["indicator"], notes["note"]))
    if "partial" in rated.columns:
        partial = rated.loc[rated["partial"], ["indicator", "month", "partial_note"]]
        partial = partial.drop_duplicates(["indicator", "month"]).astype({"month": str})
        per = partial.groupby("indicator", sort=False)
        months = per["month"].agg(", ".join)
        first_note = per["partial_note"].first()
        parts.append(_section("partial", months.index, "partial in " + months + ": " + first_note))
    return pd.concat([p for p in parts if len(p)], ignore_index=True)


def _section(section: str, checks: object, details: object) -> pd.DataFrame:
    checks = list(checks)  # type: ignore[call-overload]
    return pd.DataFrame(
        {
            "section": section,
            "extract": pd.NA,
            "column": pd.NA,
            "check": checks,
            "rows": pd.NA,
            "detail": list(details),  # type: ignore[call-overload]
        },
        index=range(len(checks)),
    )
