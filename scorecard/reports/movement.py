"""What moved a figure: the change since the previous month (or the outturn), split by the units
below, and a drafted sentence for the exception report.

For a unit with numerator ``N`` and denominator ``D`` (value ``p = N / D``, times 100 for
percentages) that moves to ``N'``, ``D'``, the change of the value splits exactly over the units
directly below it (an area's teams; the county's areas and the teams with no area), whose figures
add up to the unit's: with ``dn`` and ``dd`` a child's changes,

    p' - p = sum over children of (dn - p * dd) / D'      (times 100 for percentages)

so each child's *contribution*, in the value's own unit (points for percentages), is
``(dn - p * dd) / D'``; for counts it is simply ``dn``. The sentence names the units whose
contributions went most in the direction of the change (at least 0.05, so that none reads 0.0).

Publication safety. Give :func:`movements` the frame as it will be published (after
:func:`~scorecard.reports.suppression.suppress_results`): a withheld figure is missing there, so no
sentence uses it, and a unit whose figures are withheld is never named. Beyond that, with
``suppress_below`` no count from 1 to ``suppress_below - 1`` is written: such a count reads
"fewer than N" (a change of such a size too). The commentary file replaces a drafted sentence
where it has a text for the same indicator, unit and month.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from scorecard.calendar.periods import to_month
from scorecard.registry.model import ValueUnit
from scorecard.reports.model import format_value
from scorecard.reports.suppression import Hierarchy

Against = Literal["previous", "outturn"]

COLUMNS = [
    "indicator", "unit", "month", "against_month", "value_before", "value", "numerator_before",
    "numerator", "numerator_change", "denominator_before", "denominator", "denominator_change",
    "contributors", "sentence",
]  # fmt: skip


def _children(hierarchy: Hierarchy) -> pd.DataFrame:
    pairs = [(parent, child) for parent, children in hierarchy.groups for child in children]
    return pd.DataFrame(pairs, columns=["unit", "child"], dtype="string")


def movements(
    frame: pd.DataFrame,
    hierarchy: Hierarchy,
    month: object,
    against: Against = "previous",
    *,
    top: int = 2,
    suppress_below: int | None = None,
    only_red: bool = False,
) -> pd.DataFrame:
    """One row per indicator and unit of ``month`` in ``frame`` (a rated frame holding that
    month and the month compared with): the figures before and now, their changes, the units
    below that contributed most (``contributors``, text) and a drafted ``sentence``.

    ``against``: ``"previous"`` (the month before) or ``"outturn"`` (the frame's
    ``outturn_month``, March of the previous financial year). ``top``: how many contributing
    units the sentence names at most. ``only_red``: only the rows rated Red (those with an
    exception report); the units below are still read whatever their rating.
    """
    period = to_month(month)
    now = frame[frame["month"] == period]
    if against == "previous":
        before_month = pd.Series(period - 1, index=now.index)
    else:
        before_month = now["outturn_month"]
    key = ["indicator", "unit"]
    figures = ["numerator", "denominator", "value"]
    earlier = frame[key + ["month"] + figures].rename(
        columns={"month": "against_month", **{c: f"{c}_before" for c in figures}}
    )
    rows = now.assign(against_month=before_month).merge(
        earlier, on=[*key, "against_month"], how="left", validate="one_to_one"
    )
    rows["numerator_change"] = rows["numerator"] - rows["numerator_before"]
    rows["denominator_change"] = rows["denominator"] - rows["denominator_before"]
    described = rows[rows["rag"].eq("R").fillna(False)] if only_red else rows
    described = described.assign(
        contributors=_contributors(described, rows, hierarchy, top, suppress_below)
    )
    described["sentence"] = _sentences(described, suppress_below)
    return described[COLUMNS].reset_index(drop=True)


def _scale(units: pd.Series) -> np.ndarray:
    return units.map(lambda u: ValueUnit(u).scale).to_numpy(dtype=float)


def _contributors(
    rows: pd.DataFrame, everyone: pd.DataFrame, hierarchy: Hierarchy, top: int, below: int | None
) -> pd.Series:
    """For each of ``rows``, ``"Swale (-14.3 points: +1 of +2), Dover (...)"``: the children
    (among ``everyone``, the month's rows) whose contribution went most in the direction of the
    row's change."""
    links = _children(hierarchy)
    parents = rows[["indicator", "unit", "value_unit", "value", "value_before", "denominator",
                    "numerator_before", "denominator_before"]].astype({"unit": "string"})  # fmt: skip
    kids = everyone[["indicator", "unit", "numerator_change", "denominator_change"]].rename(
        columns={"unit": "child", "numerator_change": "dn", "denominator_change": "dd"}
    )
    kids = kids.astype({"child": "string"})
    pairs = parents.merge(links, on="unit").merge(kids, on=["indicator", "child"])
    scale = _scale(pairs["value_unit"])
    counts = pairs["value_unit"].eq(ValueUnit.COUNT.value).to_numpy()
    rate_before = (pairs["numerator_before"] / pairs["denominator_before"]).to_numpy(dtype=float)
    share = (pairs["dn"] - rate_before * pairs["dd"]) / pairs["denominator"] * scale
    pairs["contribution"] = np.where(counts, pairs["dn"], share)
    change = pairs["value"] - pairs["value_before"]
    # named only when it went the same way as the change and shows in the text (0.05 rounds to 0.1)
    visible = counts | (pairs["contribution"].abs() >= 0.05)
    going = (np.sign(pairs["contribution"]) == np.sign(change)) & visible
    pairs = pairs[going & pairs["contribution"].notna() & change.ne(0)]
    pairs = pairs.assign(size=pairs["contribution"].abs())
    pairs = pairs.sort_values(["indicator", "unit", "size", "child"],
                              ascending=[True, True, False, True])  # fmt: skip
    chosen = pairs.groupby(["indicator", "unit"], sort=False).head(top)
    text = [
        _contributor(child, contribution, unit, dn, dd, below)
        for child, contribution, unit, dn, dd in zip(
            chosen["child"],
            chosen["contribution"],
            chosen["value_unit"],
            chosen["dn"],
            chosen["dd"],
            strict=True,
        )
    ]
    joined = chosen.assign(text=text).groupby(["indicator", "unit"], sort=False)["text"].agg(_and)
    index = pd.MultiIndex.from_frame(rows[["indicator", "unit"]].astype({"unit": "string"}))
    return pd.Series(joined.reindex(index).to_numpy(), index=rows.index, dtype="string")


def _count(value: float, below: int | None, signed: bool = False) -> str:
    if below is not None and 0 < abs(value) < below:
        return f"{'+' if value > 0 and signed else '-' if value < 0 else ''}fewer than {below}"
    text = f"{abs(value):,.0f}" if float(value).is_integer() else f"{abs(value):,.1f}"
    return (("+" if value > 0 else "-" if value < 0 else "") if signed else "") + text


def _contributor(child: str, contribution: float, unit: str, dn: float, dd: float,
                 below: int | None) -> str:  # fmt: skip
    kind = ValueUnit(unit)
    if kind is ValueUnit.COUNT:
        return f"{child} ({_count(dn, below, signed=True)})"
    words = {ValueUnit.PERCENT: " points", ValueUnit.DAYS: " days"}.get(kind, "")
    return (f"{child} ({contribution:+.1f}{words}: {_count(dn, below, signed=True)}"
            f"{_word(kind)}{_count(dd, below, signed=True)})")  # fmt: skip


def _word(kind: ValueUnit) -> str:
    """How a numerator is put beside its denominator: "5 of 7" for a percentage (a part of a
    whole), "9,049 over 22" for an average (days per child, cases per worker)."""
    return " of " if kind is ValueUnit.PERCENT else " over "


def _and(items: pd.Series) -> str:
    names = list(items)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _month_name(month: pd.Period) -> str:
    return month.strftime("%B %Y")


def _sentences(rows: pd.DataFrame, below: int | None) -> list[str | None]:
    return [
        _sentence(row, below)
        for row in rows[
            [
                "ref",
                "value_unit",
                "value",
                "value_before",
                "numerator",
                "denominator",
                "numerator_before",
                "denominator_before",
                "against_month",
                "month",
                "contributors",
                "state",
            ]
        ].itertuples(index=False)
    ]


def _sentence(row: tuple, below: int | None) -> str | None:
    (ref, unit, value, before, num, den, num_before, den_before, against, month, contributors,
     state) = row  # fmt: skip
    if state in ("not applicable", "extract absent"):
        return None
    if pd.isna(value):
        return f"Ref {ref}: no published figure for {_month_name(month)}."
    has_denominator = ValueUnit(unit).has_denominator

    joined = _word(ValueUnit(unit))

    def of(n: float, d: float) -> str:
        return f" ({_count(n, below)}{joined}{_count(d, below)})" if has_denominator else ""

    shown = format_value(value, unit)
    if pd.isna(before) or pd.isna(against):
        where = _month_name(against) if not pd.isna(against) else "the month compared with"
        return f"Ref {ref} is {shown}{of(num, den)}; there is no published figure for {where}."
    was = format_value(before, unit)
    # as the reader sees them: a change that rounds away is "stayed"
    verb = "stayed" if was == shown else "rose" if value > before else "fell"
    text = (f"Ref {ref} {verb} from {was} to {shown}" if verb != "stayed"
            else f"Ref {ref} stayed at {shown}")  # fmt: skip
    if has_denominator:
        text += (
            f" ({_count(num, below)}{joined}{_count(den, below)}, was "
            f"{_count(num_before, below)}{joined}{_count(den_before, below)})"
        )
    text += f" since {_month_name(against)}"
    if isinstance(contributors, str) and contributors:
        text += f"; the largest contributions came from {contributors}"
    return text + "."


def exception_texts(
    card: object, frame: pd.DataFrame, month: object, suppress_below: int | None
) -> dict[tuple[str, str], tuple[str, bool]]:
    """``{(indicator, unit): (text, drafted)}`` for ``month``: the commentary file's text where
    ``card.commentary`` has one (``drafted`` False), else, for the rows rated Red, the sentence
    drafted from ``frame`` (the publication frame: withheld figures missing) by
    :func:`movements`."""
    period = to_month(month)
    units = getattr(getattr(card, "computation", None), "units", None)
    hierarchy = (
        Hierarchy.from_units(units)
        if units is not None and {"team", "unit", "level"} <= set(units.columns)
        else Hierarchy.flat()
    )
    drafted = movements(frame, hierarchy, period, suppress_below=suppress_below, only_red=True)
    texts = {
        (str(i), str(u)): (str(t), True)
        for i, u, t in zip(drafted["indicator"], drafted["unit"], drafted["sentence"], strict=True)
        if isinstance(t, str)
    }
    commentary = getattr(card, "commentary", None)
    if commentary is not None:
        mine = commentary[commentary["month"] == period]
        for i, u, t in zip(mine["indicator"], mine["unit"], mine["text"], strict=True):
            texts[(str(i), str(u))] = (str(t), False)
    return texts
