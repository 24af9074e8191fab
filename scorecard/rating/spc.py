"""Statistical process control (SPC) as NHS England's "Making Data Count" does it, and a direction
of travel by regression.

``add_spc(rated, SpcSettings(...))`` takes a rated frame (one row per indicator, unit and month,
as :func:`scorecard.rating.rate` returns it) and returns a copy with these columns added (same
index and order; the input is never modified):

==================  ===========================================================================
spc_point           whether the month's value is a point of the chart (see *Months without a
                    point*)
spc_centre          the centre line: the mean of the baseline points of the month's period
spc_lower/upper     the process limits: centre -/+ 2.66 x the mean moving range of the baseline
spc_special_cause   the rule that flags the point (:class:`SpecialCause`), missing if none
spc_variation       :class:`Variation`: improvement / concern (read with the polarity; for T
                    "neither") / common cause; missing when the month is not a point or has no
                    limits
spc_assurance       :class:`Assurance` against the month's target: consistently passing /
                    consistently failing / hit and miss; missing without a target or limits
spc_note            why a month is no point of the chart, or has no limits (missing otherwise)
trend_slope         the least-squares slope of the points of the last ``trend_months`` months
                    (ending with the row's month), per month, in the indicator's unit
trend_low/high      its confidence interval (``confidence``, 95%: Student's t, n - 2 degrees of
                    freedom)
trend_direction     :class:`TrendDirection`: improving / worsening (H, L) or rising / falling (T)
                    when the interval excludes 0, else no clear change
trend_points        the number of points the slope was fitted to
==================  ===========================================================================

The XmR chart (individuals and moving range) of each indicator and unit, one point per month:

* **Periods and baselines.** The months are split into periods at each re-baselining month
  (``rebaseline``): each period has its own centre and limits. In the first period the baseline
  is the points from ``baseline_start`` to ``baseline_end`` (both optional: default, every point
  of the period); a later period's baseline is all of its points. The limits apply to every month
  of their period, also those outside the baseline.
* **Centre and limits.** Centre = the mean of the baseline points; moving ranges = the absolute
  differences between the values of two consecutive months that are both baseline points of the
  same period; limits = centre -/+ 2.66 x their mean (2.66 = 3 / 1.128, three sigma). With
  ``screen_moving_ranges`` a moving range of 3.267 x the mean or more is left out and the mean
  taken again (Nelson 1982; NHSRplotthedots' default ``screen_outliers``; the Making Data Count
  Excel tools do not screen, nor does this by default). A baseline of fewer than
  ``min_baseline_points`` points, or without a moving range, gives no limits.
* **Special-cause rules**, over points of the same period in consecutive months (a month without
  a point breaks every run and window; values are compared up to floating-point noise, as the
  ratings are): a point beyond a limit; a run of ``shift_points`` (7) or more points on the same side of the centre (a point on the centre
  breaks it); a run of ``trend_points`` (6) or more points each higher (or each lower) than the
  one before (an equal value breaks it); two of three consecutive points beyond two sigma
  (centre -/+ 2/3 of the distance to the limit) on the same side, the two flagged
  (``two_of_three``; a point beyond a limit counts as beyond two sigma, as the Western Electric
  rule reads; NHSRplotthedots counts only points between two sigma and the limit and wants the
  third on the same side of the centre). Every point of a run is flagged. A point flagged by
  several rules shows the first of: beyond a limit, run increasing/decreasing, two of three,
  run on one side (NHSRplotthedots' order); a point that ends an increasing run and starts a
  decreasing one takes the run it starts. Set ``shift_points`` or ``trend_points`` to ``None``, or
  ``two_of_three`` to False, to switch a rule off.
* **Variation** of a point: a special cause towards better values (H: higher, L: lower) is
  "improvement", towards worse "concern"; for T (close to the target is better) no direction is
  better, so a special cause is "neither" (the Making Data Count purple icon; its side is in
  ``spc_special_cause``); no rule: "common cause".
* **Assurance** of a month with limits, against its target in force: H passes when the lower
  limit reaches the target, fails when the upper limit is below it; L the other way round; an
  indicator rated by bands (T) passes when both limits are within the Green band and fails when
  both are outside it on the same side; otherwise "hit and miss". A benchmark-rated indicator is
  judged against its Green edge (benchmark +/- tolerance). A value on the target counts as
  reaching it. No target (no thresholds that year): no assurance.

**Months without a point.** A month is not a point of the chart when it has no value (not
computable, no records, a denominator of 0), when the indicator does not apply to the unit, when
its denominator is below the indicator's minimum (``include_below_minimum`` to plot it), when
the figure is partial (the data only partly cover its period; ``include_partial`` to plot it) or
when it is withheld in a published frame (``suppressed``: the SPC columns of a published frame
are computed from published values only, so they give nothing withheld away). Such a month keeps
the centre, limits and assurance of its period (a property of the process and the month's
target), has no special cause, variation or trend, and ``spc_note`` says why.

**Direction of travel by regression.** For each month that is a point: ordinary least squares of
the values of the points in the last ``trend_months`` months (the month itself and the 11 before
it, by default) on the month number; at least ``trend_min_points`` points (6; and never fewer
than 3). The slope is per month, in the indicator's unit (percentage points a month for a
percentage); its interval is slope -/+ t(n - 2) x its standard error. The t quantile is computed
exactly for whole degrees of freedom (the closed forms of Abramowitz and Stegun 26.7.3-4, solved by
bisection): no dependency.

Everything is computed on a dense (indicator and unit) x month array, by array operations: no
Python loop over rows (the loops are over periods and over distinct degrees of freedom).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scorecard.calendar.periods import to_month, to_months
from scorecard.errors import UsageError
from scorecard.rating.rules import EPSILON, at_least, beyond
from scorecard.rating.vocabulary import (
    ASSURANCE_DTYPE,
    SPECIAL_CAUSE_DTYPE,
    TREND_DTYPE,
    VARIATION_DTYPE,
    Assurance,
    RatingState,
    SpecialCause,
    TrendDirection,
    Variation,
)
from scorecard.registry.model import Polarity

#: Limits are the centre -/+ this many mean moving ranges (3 / d2, d2 = 1.128 for n = 2).
LIMIT_FACTOR = 2.66
#: Two sigma: two thirds of the distance from the centre to a limit.
TWO_SIGMA_FACTOR = 2 * LIMIT_FACTOR / 3
#: A moving range of this many mean moving ranges or more is screened out (3.267 = D4 for n = 2).
SCREEN_FACTOR = 3.267

#: The columns :func:`add_spc` adds, in order.
SPC_COLUMNS = [
    "spc_point", "spc_centre", "spc_lower", "spc_upper", "spc_special_cause", "spc_variation",
    "spc_assurance", "spc_note", "trend_slope", "trend_low", "trend_high", "trend_direction",
    "trend_points",
]  # fmt: skip

#: Rating states whose months are never points (no value, or a figure that does not apply).
_NEVER_POINTS = {
    RatingState.NOT_APPLICABLE.value: "the indicator does not apply to the unit",
    RatingState.EXTRACT_ABSENT.value: "not computable",
    RatingState.NO_DATA.value: "no value",
}


def _month_or_none(value: object, name: str) -> pd.Period | None:
    if value is None:
        return None
    try:
        return to_month(value)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"SpcSettings.{name}: {exc}") from None


@dataclass(frozen=True)
class SpcSettings:
    """How the SPC columns are computed (see the module doc). Months are ``YYYY-MM`` text or
    monthly Periods; a bad value is a :class:`~scorecard.errors.UsageError`.

    ``baseline_start``/``baseline_end``: the months whose points set the first period's centre
    and limits (``None``: from the first / to the last month of the period). ``rebaseline``:
    months from which the process is re-baselined (each starts a period with its own limits).
    """

    baseline_start: pd.Period | str | None = None
    baseline_end: pd.Period | str | None = None
    rebaseline: tuple[pd.Period | str, ...] = ()
    min_baseline_points: int = 12
    screen_moving_ranges: bool = False
    shift_points: int | None = 7
    trend_points: int | None = 6
    two_of_three: bool = True
    include_partial: bool = False
    include_below_minimum: bool = False
    trend_months: int = 12
    trend_min_points: int = 6
    confidence: float = 0.95
    _months: tuple[pd.Period | None, pd.Period | None, tuple[pd.Period, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        start = _month_or_none(self.baseline_start, "baseline_start")
        end = _month_or_none(self.baseline_end, "baseline_end")
        if isinstance(self.rebaseline, (str, pd.Period)):
            raise UsageError("SpcSettings.rebaseline: a sequence of months, e.g. ('2015-04',)")
        rebase = tuple(sorted({_month_or_none(m, "rebaseline") for m in self.rebaseline}))  # type: ignore[type-var]
        if start is not None and end is not None and start > end:
            raise UsageError(f"SpcSettings: the baseline starts ({start}) after it ends ({end})")
        if start is not None and rebase and rebase[0] <= start:
            raise UsageError(
                f"SpcSettings: re-baselining month {rebase[0]} is not after the baseline start "
                f"{start}"
            )
        for name, low in (("min_baseline_points", 2), ("trend_months", 3), ("trend_min_points", 3)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise UsageError(
                    f"SpcSettings.{name}: a whole number of at least {low}, not {value!r}"
                )
        for name in ("shift_points", "trend_points"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 2):  # fmt: skip
                raise UsageError(f"SpcSettings.{name}: a whole number of at least 2, or None "
                                 f"(rule off), not {value!r}")  # fmt: skip
        if not (isinstance(self.confidence, float) and 0.5 <= self.confidence < 1):
            raise UsageError(f"SpcSettings.confidence: a fraction from 0.5 to 1, not "
                             f"{self.confidence!r}")  # fmt: skip
        object.__setattr__(self, "_months", (start, end, rebase))  # type: ignore[arg-type]

    @property
    def baseline(self) -> tuple[pd.Period | None, pd.Period | None]:
        """The first baseline's months as Periods (``None``: open)."""
        return self._months[0], self._months[1]

    @property
    def rebaseline_months(self) -> tuple[pd.Period, ...]:
        """The re-baselining months as Periods, in order."""
        return self._months[2]

    def check_months(self, months: pd.PeriodIndex) -> None:
        """Raise :class:`~scorecard.errors.UsageError` when a baseline given (``baseline_start``
        or ``baseline_end``) holds fewer of ``months`` than ``min_baseline_points``: no limit
        could be computed."""
        start, end = self.baseline
        if start is None and end is None:
            return
        cut = self.rebaseline_months[0] if self.rebaseline_months else None
        inside = [m for m in months if (start is None or m >= start) and (end is None or m <= end)
                  and (cut is None or m < cut)]  # fmt: skip
        if len(inside) < self.min_baseline_points:
            said = f"{start or 'the first month'} to {end or 'the last month'}"
            raise UsageError(
                f"the SPC baseline {said} holds {len(inside)} of the months computed "
                f"({months[0]} to {months[-1]}), fewer than the {self.min_baseline_points} "
                "needed for process limits"
            )

    @classmethod
    def parse_baseline(cls, text: str) -> SpcSettings:
        """Settings from ``FROM:TO`` (either side may be empty), as ``--spc-baseline`` takes."""
        first, sep, last = str(text).partition(":")
        if not sep:
            raise UsageError(f"--spc-baseline {text!r}: expected FROM:TO, e.g. 2014-04:2015-03")
        try:
            return cls(baseline_start=first.strip() or None, baseline_end=last.strip() or None)
        except UsageError as exc:
            raise UsageError(f"--spc-baseline {text!r}: {exc}") from None


# --- the t distribution, exactly, for whole degrees of freedom -----------------------------------


def _t_two_sided(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with ``df`` degrees of freedom (Abramowitz and Stegun 26.7.3
    for odd, 26.7.4 for even ``df``)."""
    theta = math.atan(t / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    if df % 2:
        total, term = 0.0, c
        for k in range(1, (df - 1) // 2 + 1):
            total += term
            term *= c * c * (2 * k) / (2 * k + 1)
        return 2 / math.pi * (theta + s * total) if df > 1 else 2 * theta / math.pi
    total, term = 0.0, 1.0
    for k in range(1, df // 2 + 1):
        total += term
        term *= c * c * (2 * k - 1) / (2 * k)
    return s * total


#: Doublings of the upper end of the search (2 ** 60 is far beyond any t value of a confidence
#: below 1 with at least one degree of freedom: the 99.9999% point with df = 1 is about 6.4e5).
_MAX_DOUBLINGS = 60


def t_quantile(confidence: float, df: int) -> float:
    """The t value with ``confidence`` of Student's t between -t and t (``df`` >= 1 whole):
    ``t_quantile(0.95, 10)`` is 2.228..., the 97.5% point."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, not {df}")
    low, high = 0.0, 1.0
    for _ in range(_MAX_DOUBLINGS):  # bounded: a probability that never reaches ``confidence``
        if _t_two_sided(high, df) >= confidence:  # is an error, not an endless loop
            break
        high *= 2
    else:
        raise ValueError(f"no t value reaches {confidence} with {df} degrees of freedom")
    for _ in range(200):
        mid = (low + high) / 2
        if _t_two_sided(mid, df) < confidence:
            low = mid
        else:
            high = mid
        if high - low <= 1e-13 * high:
            break
    return (low + high) / 2


# --- the computation ------------------------------------------------------------------------------


def _flags(column: pd.Series) -> np.ndarray:
    """A yes/no column as booleans, a missing flag (NA, None or NaN, whatever the dtype) as no."""
    return column.astype("boolean").fillna(False).to_numpy(dtype=bool)


_REQUIRED = ["indicator", "unit", "month", "value", "polarity"]


def _runs(values: np.ndarray) -> np.ndarray:
    """For a 2-D integer array, the length of the run of equal values (along each row) that
    each cell belongs to."""
    rows, cols = values.shape
    flat = values.ravel()
    start = np.ones(flat.size, dtype=bool)
    if cols > 1:
        same = values[:, 1:] == values[:, :-1]
        start.reshape(rows, cols)[:, 1:] = ~same
    run = np.cumsum(start) - 1
    return np.bincount(run)[run].reshape(rows, cols) if flat.size else np.zeros_like(values)


def _shift_left(values: np.ndarray, k: int, fill: object) -> np.ndarray:
    """``values[:, t + k]`` at ``t`` (``fill`` past the end)."""
    out = np.full_like(values, fill)
    if k < values.shape[1]:
        out[:, : values.shape[1] - k] = values[:, k:]
    return out


def _shift_right(values: np.ndarray, k: int, fill: object) -> np.ndarray:
    """``values[:, t - k]`` at ``t`` (``fill`` before the start)."""
    out = np.full_like(values, fill)
    if k < values.shape[1]:
        out[:, k:] = values[:, : values.shape[1] - k]
    return out


def add_spc(rated: pd.DataFrame, settings: SpcSettings | None = None) -> pd.DataFrame:
    """``rated`` with the SPC and regression columns (see the module doc) for every indicator,
    unit and month; the same index and row order, the input not modified. ``rated`` needs
    ``indicator, unit, month, value, polarity``; ``state``, ``partial``, ``suppressed`` and the
    threshold columns (``target``, ``green_lower``, ``green_upper``, ``benchmark``,
    ``tolerance``) are used when present."""
    settings = settings if settings is not None else SpcSettings()
    if not isinstance(settings, SpcSettings):
        raise UsageError(f"spc: expected SpcSettings, got {type(settings).__name__}")
    if not isinstance(rated, pd.DataFrame):
        raise UsageError(f"add_spc() needs a rated DataFrame, got {type(rated).__name__}")
    missing = [c for c in _REQUIRED if c not in rated.columns]
    if missing:
        raise UsageError(f"add_spc(): the frame lacks column(s) {', '.join(missing)}")
    out = rated.drop(columns=[c for c in SPC_COLUMNS if c in rated.columns])
    n = len(out)
    if n == 0:
        return _empty_columns(out)
    try:
        months = to_months(out["month"].reset_index(drop=True))
    except ValueError as exc:
        raise UsageError(f"add_spc(): column month: {exc}") from None
    ordinal = pd.PeriodIndex(months).asi8
    # one series per indicator and unit (numbered from each column's codes: no MultiIndex)
    indicators, indicator_names = pd.factorize(
        out["indicator"].astype(str).to_numpy(), use_na_sentinel=False
    )
    units, unit_names = pd.factorize(out["unit"].astype(str).to_numpy(), use_na_sentinel=False)
    series, _ = pd.factorize(indicators.astype(np.int64) * len(unit_names) + units)
    first_ordinal = int(ordinal.min())
    col = ordinal - first_ordinal
    n_series, n_months = int(series.max()) + 1, int(col.max()) + 1
    cell = series * n_months + col
    if len(np.unique(cell)) != n:
        raise UsageError("add_spc(): more than one row for an indicator, unit and month")

    # --- which months are points, and why not -------------------------------------------------
    value = out["value"].to_numpy(dtype=float, na_value=np.nan)
    state = (
        out["state"].astype("string").fillna("").to_numpy(dtype=object)
        if "state" in out.columns
        else np.full(n, "", dtype=object)
    )
    polarity = out["polarity"].astype("string").to_numpy(dtype=object)
    known = np.isin(polarity, [p.value for p in Polarity])
    if not known.all():
        shown = sorted({str(p) for p in polarity[~known]})[:5]
        raise UsageError(f"add_spc(): column polarity: unknown value(s) {shown} (H, L or T)")
    never = np.isin(state, list(_NEVER_POINTS))
    no_value = ~np.isfinite(value)
    hidden = (
        _flags(out["suppressed"])
        if "suppressed" in out.columns
        else np.zeros(n, dtype=bool)
    )
    below = (state == RatingState.BELOW_MINIMUM.value) & (not settings.include_below_minimum)
    partial = (
        _flags(out["partial"])
        if "partial" in out.columns and not settings.include_partial
        else np.zeros(n, dtype=bool)
    )
    reasons = [  # a withheld month says nothing more (its state would tell a small count)
        (hidden, "not a point: withheld (small numbers)"),
        *((state == name, f"not a point: {why}") for name, why in _NEVER_POINTS.items()),
        (no_value, "not a point: no value"),
        (below, "not a point: denominator below the minimum"),
        (partial, "not a point: partial figure"),
    ]
    point_note = np.select([c for c, _ in reasons], [w for _, w in reasons], "").astype(object)
    eligible = point_note == ""

    values = np.full((n_series, n_months), np.nan)
    values.ravel()[cell[eligible]] = value[eligible]
    point = np.isfinite(values)

    # --- periods and baselines ----------------------------------------------------------------
    month_ordinals = first_ordinal + np.arange(n_months)
    rebase = np.array([m.ordinal for m in settings.rebaseline_months], dtype=np.int64)
    period = np.searchsorted(rebase, month_ordinals, side="right")  # 0 before the first
    n_periods = len(rebase) + 1
    start, end = settings.baseline
    in_baseline = period > 0
    first = period == 0
    lo = start.ordinal if start is not None else np.iinfo(np.int64).min
    hi = end.ordinal if end is not None else np.iinfo(np.int64).max
    in_baseline |= first & (month_ordinals >= lo) & (month_ordinals <= hi)
    base = point & in_baseline[None, :]

    group = np.arange(n_series)[:, None] * n_periods + period[None, :]  # (series, period)
    n_groups = n_series * n_periods
    count = np.bincount(group.ravel(), weights=base.ravel(), minlength=n_groups)
    total = np.bincount(group.ravel(), weights=np.where(base, values, 0.0).ravel(),
                        minlength=n_groups)  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    ranges = np.full((n_series, n_months), np.nan)
    pairs_ok = np.zeros((n_series, n_months), dtype=bool)
    if n_months > 1:
        pairs_ok[:, 1:] = base[:, 1:] & base[:, :-1] & (period[1:] == period[:-1])[None, :]
        ranges[:, 1:] = np.abs(values[:, 1:] - values[:, :-1])
    mr_bar, mr_count = _mean_ranges(ranges, pairs_ok, group, n_groups)
    if settings.screen_moving_ranges:
        kept = pairs_ok & (ranges < SCREEN_FACTOR * mr_bar[group])
        mr_bar, mr_count = _mean_ranges(ranges, kept, group, n_groups)
    has_limits = (count >= settings.min_baseline_points) & (mr_count >= 1)
    centre = np.where(has_limits, mean, np.nan)[group]
    spread = np.where(has_limits, mr_bar, np.nan)[group]
    lower, upper = centre - LIMIT_FACTOR * spread, centre + LIMIT_FACTOR * spread
    limited = has_limits[group]
    few = (~has_limits)[group]
    baseline_count = count[group]

    # --- special-cause rules over points with limits -------------------------------------------
    on = point & limited
    v = np.where(on, values, np.nan)
    # comparisons up to floating-point noise (29 / 100 * 100 is 28.999999999999996), as in rating
    side_limit = np.where(on & beyond(v, upper), 1, np.where(on & beyond(-v, -lower), -1, 0))
    side_centre = np.where(beyond(v, centre), 1, np.where(beyond(-v, -centre), -1, 0))
    side_centre = np.where(on, side_centre, 0).astype(np.int64)
    # a run never crosses a period: add a period offset so equal signs of two periods differ
    tagged = np.where(side_centre != 0, side_centre + 4 * period[None, :], 0)
    shift = np.zeros_like(side_centre)
    if settings.shift_points is not None:
        long_run = (side_centre != 0) & (_runs(tagged) >= settings.shift_points)
        shift = np.where(long_run, side_centre, 0)

    trend = np.zeros_like(side_centre)
    if settings.trend_points is not None and n_months > 1:
        step = np.zeros_like(side_centre)
        joined = on[:, 1:] & on[:, :-1] & (period[1:] == period[:-1])[None, :]
        now, before = v[:, 1:], v[:, :-1]
        rise = np.where(beyond(now, before), 1, np.where(beyond(before, now), -1, 0))
        step[:, 1:] = np.where(joined, rise, 0)
        tagged_step = np.where(step != 0, step + 4 * period[None, :], 0)
        step_run = (step != 0) & (_runs(tagged_step) >= settings.trend_points - 1)
        ends_here = np.where(step_run, step, 0)  # the run reaches this point from the last
        starts_here = _shift_left(np.where(step_run, step, 0), 1, 0)  # ... goes on to the next
        trend = np.where(starts_here != 0, starts_here, ends_here)

    two = np.zeros_like(side_centre)
    if settings.two_of_three:
        high = on & beyond(v, centre + TWO_SIGMA_FACTOR * spread)
        low = on & beyond(-v, -(centre - TWO_SIGMA_FACTOR * spread))
        same_period = _shift_right(period[None, :].repeat(n_series, 0), 2, -1) == period[None, :]
        window = on & _shift_right(on, 1, False) & _shift_right(on, 2, False) & same_period
        for flags, side in ((high, 1), (low, -1)):
            count3 = (
                flags.astype(int) + _shift_right(flags, 1, False) + _shift_right(flags, 2, False)
            )
            qualifies = window & (count3 >= 2)  # the window of three ending here
            part = qualifies | _shift_left(qualifies, 1, False) | _shift_left(qualifies, 2, False)
            two = np.where(flags & part & (two == 0), side, two)

    causes = [
        (side_limit == 1, SpecialCause.ABOVE_UPPER), (side_limit == -1, SpecialCause.BELOW_LOWER),
        (trend == 1, SpecialCause.RUN_INCREASING), (trend == -1, SpecialCause.RUN_DECREASING),
        (two == 1, SpecialCause.TWO_OF_THREE_HIGH), (two == -1, SpecialCause.TWO_OF_THREE_LOW),
        (shift == 1, SpecialCause.RUN_ABOVE), (shift == -1, SpecialCause.RUN_BELOW),
    ]  # fmt: skip
    cause = np.select([c for c, _ in causes], [k.value for _, k in causes], "").astype(object)
    side = np.select([c for c, _ in causes], [k.side for _, k in causes], 0)

    # --- back to the rows -----------------------------------------------------------------------
    def at(grid: np.ndarray) -> np.ndarray:
        return grid.ravel()[cell]

    row_on = at(on)
    row_cause = at(cause)
    sign = np.select([polarity == p.value for p in Polarity], [p.sign for p in Polarity], np.nan)
    row_side = at(side)
    variation = np.select(
        [~row_on, row_side == 0, sign == 0, row_side * sign > 0],
        [None, Variation.COMMON_CAUSE.value, Variation.NEITHER.value, Variation.IMPROVEMENT.value],
        Variation.CONCERN.value,
    )
    row_lower, row_upper, row_centre = at(lower), at(upper), at(centre)
    assurance = _assurance(out, sign, row_lower, row_upper)
    applies = ~never | (state == RatingState.NO_DATA.value)  # limits go on through a gap
    row_few = at(few) & applies
    counts = pd.Series(at(baseline_count).astype(int)).astype(str)
    few_note = ("no limits: " + counts + f" baseline point(s), fewer than "
                f"{settings.min_baseline_points}").to_numpy(dtype=object)  # fmt: skip
    limits_note = np.where(row_few, few_note, "").astype(object)
    joined = np.where((point_note != "") & (limits_note != ""), "; ", "")
    note = point_note + joined + limits_note
    note = np.where(note == "", None, note)

    slope, lo_ci, hi_ci, used = _regression(values, point, settings)
    row_slope = np.where(at(point), at(slope), np.nan)
    row_low, row_high = (
        np.where(at(point), at(lo_ci), np.nan),
        np.where(at(point), at(hi_ci), np.nan),
    )
    row_used = np.where(at(point), at(used), 0)
    direction = _direction(row_slope, row_low, row_high, sign)

    keep = applies  # rows whose indicator does not apply carry no SPC figures
    added = {
        "spc_point": at(point),
        "spc_centre": np.where(keep, row_centre, np.nan),
        "spc_lower": np.where(keep, row_lower, np.nan),
        "spc_upper": np.where(keep, row_upper, np.nan),
        "spc_special_cause": pd.Categorical(
            np.where(row_cause == "", None, row_cause), dtype=SPECIAL_CAUSE_DTYPE
        ),
        "spc_variation": pd.Categorical(variation, dtype=VARIATION_DTYPE),
        "spc_assurance": pd.Categorical(np.where(keep, assurance, None), dtype=ASSURANCE_DTYPE),
        "spc_note": pd.array(note, dtype="string"),
        "trend_slope": row_slope,
        "trend_low": row_low,
        "trend_high": row_high,
        "trend_direction": pd.Categorical(direction, dtype=TREND_DTYPE),
        "trend_points": pd.array(np.where(row_used > 0, row_used, None), dtype="Int64"),
    }
    frame = pd.DataFrame(added, index=out.index)
    return pd.concat([out, frame], axis=1)


def _empty_columns(out: pd.DataFrame) -> pd.DataFrame:
    empty = {
        "spc_point": pd.Series(dtype=bool),
        **{c: pd.Series(dtype=float) for c in ("spc_centre", "spc_lower", "spc_upper",
                                               "trend_slope", "trend_low", "trend_high")},
        "spc_special_cause": pd.Series(dtype=SPECIAL_CAUSE_DTYPE),
        "spc_variation": pd.Series(dtype=VARIATION_DTYPE),
        "spc_assurance": pd.Series(dtype=ASSURANCE_DTYPE),
        "spc_note": pd.Series(dtype="string"),
        "trend_direction": pd.Series(dtype=TREND_DTYPE),
        "trend_points": pd.Series(dtype="Int64"),
    }  # fmt: skip
    return out.assign(**{c: empty[c].set_axis(out.index[:0]) for c in SPC_COLUMNS})


def _mean_ranges(ranges: np.ndarray, used: np.ndarray, group: np.ndarray,
                 n_groups: int) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Mean moving range and number of ranges per (series, period) group."""
    count = np.bincount(group.ravel(), weights=used.ravel(), minlength=n_groups)
    total = np.bincount(group.ravel(), weights=np.where(used, ranges, 0.0).ravel(),
                        minlength=n_groups)  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count, count


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _assurance(frame: pd.DataFrame, sign: np.ndarray, lower: np.ndarray,
               upper: np.ndarray) -> np.ndarray:  # fmt: skip
    """Assurance per row (object array, None without limits or target)."""
    green_lower, green_upper = _column(frame, "green_lower"), _column(frame, "green_upper")
    target = _column(frame, "target")
    benchmark, tolerance = _column(frame, "benchmark"), _column(frame, "tolerance")
    banded = np.isfinite(green_lower) | np.isfinite(green_upper)
    benchmarked = ~banded & ~np.isfinite(target) & np.isfinite(benchmark)
    goal = np.where(benchmarked, benchmark + sign * np.nan_to_num(tolerance), target)
    has_limits = np.isfinite(lower) & np.isfinite(upper)
    directed = np.isfinite(sign) & (sign != 0)
    s = np.where(directed, sign, 0.0)
    # H and L in "higher is better" terms: the worse limit reaches the goal, or the better does not
    worse, better = np.minimum(s * lower, s * upper), np.maximum(s * lower, s * upper)
    passes = at_least(worse, s * goal)
    fails = beyond(s * goal, better)
    # bands: both limits inside the Green band, or both beyond one of its edges
    gl = np.where(np.isfinite(green_lower), green_lower, -np.inf)
    gu = np.where(np.isfinite(green_upper), green_upper, np.inf)
    inside = at_least(lower, gl) & at_least(-upper, -gu)
    outside = beyond(gl, upper) | beyond(lower, gu)
    judged_band = banded & has_limits
    judged_goal = ~banded & directed & np.isfinite(goal) & has_limits
    kinds = [
        (judged_band & inside, Assurance.PASSING), (judged_band & outside, Assurance.FAILING),
        (judged_band, Assurance.HIT_AND_MISS),
        (judged_goal & passes, Assurance.PASSING), (judged_goal & fails, Assurance.FAILING),
        (judged_goal, Assurance.HIT_AND_MISS),
    ]  # fmt: skip
    result = np.select([c for c, _ in kinds], [k.value for _, k in kinds], "").astype(object)
    return np.where(result == "", None, result)


def _regression(values: np.ndarray, point: np.ndarray,
                settings: SpcSettings) -> tuple[np.ndarray, ...]:  # fmt: skip
    """Least squares over the trailing window of each month: slope, interval, points used."""
    rows, cols = values.shape
    x = np.broadcast_to(np.arange(cols, dtype=float), (rows, cols))
    counted = point.sum(axis=1, keepdims=True)
    summed = np.where(point, values, 0.0).sum(axis=1, keepdims=True)
    centre_y = summed / np.maximum(counted, 1)
    w = point.astype(float)
    y = np.where(point, values - centre_y, 0.0)  # shifting y leaves slope and residuals alone
    xs = x - cols / 2  # and so does shifting x

    def window(a: np.ndarray) -> np.ndarray:
        c = np.cumsum(a, axis=1)
        return c - _shift_right(c, settings.trend_months, 0.0)

    n = window(w)
    sx, sy = window(w * xs), window(y)
    sxx, sxy, syy = window(w * xs * xs), window(w * xs * y), window(y * y)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = sx / n, sy / n
        dxx = sxx - n * mx * mx
        dxy = sxy - n * mx * my
        dyy = syy - n * my * my
        slope = dxy / dxx
        residual = np.maximum(dyy - slope * dxy, 0.0)
        se = np.sqrt(residual / (n - 2) / dxx)
    enough = (n >= max(settings.trend_min_points, 3)) & (dxx > EPSILON)
    df = np.where(enough, n - 2, 0).astype(int)
    q = np.full(df.shape, np.nan)
    for k in np.unique(df[enough]):
        q[df == k] = t_quantile(settings.confidence, int(k))
    slope = np.where(enough, slope, np.nan)
    half = q * se
    return slope, slope - half, slope + half, np.where(enough, n, 0).astype(int)


def _direction(slope: np.ndarray, low: np.ndarray, high: np.ndarray,
               sign: np.ndarray) -> np.ndarray:  # fmt: skip
    """Trend direction per row (object array, None without a slope)."""
    rising = np.isfinite(low) & (low > 0)
    falling = np.isfinite(high) & (high < 0)
    kinds = [
        (~np.isfinite(slope), None),
        (rising & (sign == 0), TrendDirection.RISING.value),
        (falling & (sign == 0), TrendDirection.FALLING.value),
        (rising & (sign > 0) | falling & (sign < 0), TrendDirection.IMPROVING.value),
        (rising & (sign < 0) | falling & (sign > 0), TrendDirection.WORSENING.value),
    ]
    return np.select([c for c, _ in kinds], [k for _, k in kinds],
                     TrendDirection.NO_CLEAR_CHANGE.value).astype(object)  # fmt: skip


def published_spc(frame: pd.DataFrame, settings: SpcSettings | None = None) -> pd.DataFrame:
    """The SPC columns of a frame as published (``frame``: a publication frame, with
    ``suppressed``): computed from the published values only, a withheld month being no point,
    so that no centre, limit, special cause or slope gives a withheld figure away (a centre that
    included a withheld month would let it be worked out from the others). Returns ``frame``
    itself when it already has the columns and withholds nothing."""
    has_all = all(c in frame.columns for c in SPC_COLUMNS)
    hides = "suppressed" in frame.columns and bool(_flags(frame["suppressed"]).any())
    if has_all and not hides:
        return frame
    return add_spc(frame, settings)


def spc_words(row: dict[str, object]) -> tuple[str, str]:
    """Short words for one row of a frame with the SPC columns: ``(variation and assurance,
    trend)``, e.g. ``("Common cause; hit and miss", "No clear change")``; ``-`` where there is
    none."""

    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None or bool(pd.isna(value)) else str(value)  # type: ignore[call-overload]

    spc = "; ".join(p for p in (text("spc_variation"), text("spc_assurance")) if p)
    spc = spc[:1].upper() + spc[1:] if spc else "-"
    trend = text("trend_direction")
    return spc, (trend[:1].upper() + trend[1:]) if trend else "-"
