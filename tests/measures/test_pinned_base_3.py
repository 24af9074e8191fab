"""``MeasureInput.param``, ``_repeat_over`` (through ``in_period``) and ``explained``
(``scorecard.measures.base``) worked by hand (mutation testing; see docs/mutation.md)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from scorecard.measures import MeasureInput, in_period
from scorecard.measures.base import explained
from scorecard.registry import load_registry

REGISTRY = load_registry()
YTD = REGISTRY["re_referrals_12m"]  # period YTD


def test_param_of_a_measure_nobody_registered_is_refused_by_name() -> None:
    """An indicator whose measure is not registered declares no parameter: reading one is the
    same programming error as reading an undeclared one (a LookupError naming both), not an
    AttributeError from looking into a measure that is not there."""
    indicator = dataclasses.replace(YTD, id="orphan", measure="no_measure_by_this_name")
    inp = MeasureInput(None, pd.PeriodIndex(["2015-05"], freq="M"), indicator)  # type: ignore[arg-type]
    with pytest.raises(LookupError) as caught:
        inp.param("lookback_months")
    assert caught.value.args[0] == (
        "measure 'no_measure_by_this_name' reads parameter 'lookback_months', "
        "which it does not declare"
    )


def test_in_period_adds_only_the_month_and_numbers_rows_afresh() -> None:
    """Events with an index of their own (10, 20, 30): the result has the event columns plus
    ``month`` and nothing else (no ``index`` column from either side), and a new RangeIndex.
    YTD, months April and May 2015: 10 April is in both windows (1 April - 30 April, 1 April -
    31 May); 20 May only in May's; 1 March 2015 belongs to 2014/15, in neither."""
    events = pd.DataFrame(
        {"event": ["a", "b", "c"],
         "date": pd.to_datetime(["2015-04-10", "2015-05-20", "2015-03-01"])},
        index=[10, 20, 30],
    )  # fmt: skip
    inp = MeasureInput(None, pd.PeriodIndex(["2015-04", "2015-05"], freq="M"), YTD)  # type: ignore[arg-type]
    rows = in_period(events, "date", inp)
    assert list(rows.columns) == ["event", "date", "month"]
    assert rows.index.equals(pd.RangeIndex(3))
    assert rows["event"].tolist() == ["a", "a", "b"]
    assert [str(m) for m in rows["month"]] == ["2015-04", "2015-05", "2015-05"]


def test_explained_with_a_date_keeps_only_the_columns_asked_for() -> None:
    """``columns`` chooses what ``in_period`` is given: a frame that carries a ``month`` column
    of its own (say, the month a record was logged) can still be counted by another date when
    ``columns`` leaves ``month`` out (``in_period`` refuses events with a ``month`` column).
    Event of 10 April 2015, YTD, months April and May: one record row in each month."""
    frame = pd.DataFrame(
        {"record": ["r1"], "team": ["T1"], "child_id": ["c1"],
         "date": pd.to_datetime(["2015-04-10"]), "n": [1.0], "month": ["logged in March"]}
    )  # fmt: skip
    inp = MeasureInput(None, pd.PeriodIndex(["2015-04", "2015-05"], freq="M"), YTD)  # type: ignore[arg-type]
    out = explained(
        inp,
        frame,
        lambda f: pytest.fail("why is called only for a drill-down"),
        record_id="record",
        numerator="n",
        date="date",
        columns=["record", "team", "child_id", "date", "n"],
    )
    assert [str(m) for m in out["month"]] == ["2015-04", "2015-05"]
    assert out["record_id"].tolist() == ["r1", "r1"]
    assert out["numerator"].tolist() == [1.0, 1.0]
    assert out["denominator"].tolist() == [1.0, 1.0]


def test_an_absent_extract_is_named_in_the_refusal() -> None:
    """``compute`` shows the refusal as the indicator's note ("not computable: ..."): it must
    name the missing extract."""
    from scorecard.measures.base import NotComputable

    inp = MeasureInput({}, pd.PeriodIndex(["2015-05"], freq="M"), YTD)  # type: ignore[arg-type]
    with pytest.raises(NotComputable) as caught:
        inp.extract("referrals")
    assert str(caught.value) == "extract 'referrals' is absent"


RECORD = pd.DataFrame(
    {"month": pd.PeriodIndex(["2015-05", "2015-05"], freq="M"), "team": ["T1", "T2"],
     "id": ["r1", "r2"], "child_id": ["c1", "c2"]}
)  # fmt: skip


def test_records_count_each_row_once_in_the_denominator_by_default() -> None:
    """Without a denominator each record counts 1 in it (a rate over records)."""
    from scorecard.measures.base import records

    out = records(RECORD, record_id="id", numerator=1.0)
    assert out["denominator"].tolist() == [1.0, 1.0]
    assert out["numerator"].tolist() == [1.0, 1.0]


def test_records_without_child_or_denominator_keep_their_column_types() -> None:
    """``child_id=None``: a text column of missing values (dtype ``string``, as the identifiers
    of other records, so that the measures' rows concatenate into one text column);
    ``denominator=None``: a float column of NaN (a count, not a rate), like the numerator."""
    from scorecard.measures.base import records

    out = records(RECORD, record_id="id", numerator=1.0, denominator=None, child_id=None)
    assert out["child_id"].dtype == "string"
    assert out["child_id"].isna().all()
    assert out["denominator"].dtype == "float64"
    assert out["denominator"].isna().all()
