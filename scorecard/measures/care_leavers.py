"""Measures of the domain Care leavers: refs 32-34 (DfE SSDA903 OC3 definitions).

The three indicators share one cohort and one contact per young person and birthday
(:func:`birthday_contacts`); they differ only in what the contact must show.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from scorecard.calendar.months import add_months
from scorecard.extracts.container import Extracts
from scorecard.measures.base import (
    MeasureInput,
    Shown,
    explained,
    in_period,
    measure,
    month_positions,
    node,
    reasons,
    whole,
)
from scorecard.measures.kernels import (
    NS_PER_DAY,
    joint_codes,
    lookup_table,
    run_starts,
    take_values,
    unique_key,
)
from scorecard.registry.contract import Parameter, ParameterKind

#: The parameters of the birthday cohort shared by refs 32-34.
BIRTHDAY_PARAMETERS = (
    whole("window_months_before", "months before a birthday in which a contact counts", 3),
    whole("window_months_after", "months after a birthday in which a contact counts", 1),
    whole("youngest_age", "the youngest birthday in the cohort", 17, maximum=25),
    whole("oldest_age", "the oldest birthday in the cohort", 21, maximum=25),
    whole("younger_ages_below", "birthdays below this age count only from younger_ages_from", 19,
          maximum=25),
    Parameter("younger_ages_from", ParameterKind.DATE,
              "the date from which the younger birthdays count", "2015-04-01"),
)

#: The OC3 cohort: former relevant care leavers.
FORMER_RELEVANT = "former_relevant"
#: OC3 IN_TOUCH code for "in touch".
IN_TOUCH = "YES"
#: OC3 activity codes in education, employment or training (G4-G6 are not).
EET_ACTIVITIES = ("F1", "P1", "F2", "P2", "F3", "P3")
#: What a contact records.
CONTACT_FIELDS = ("contact_date", "in_touch", "accommodation_suitable", "activity")


def birthday_contacts(inp: MeasureInput) -> pd.DataFrame:
    """One row per reporting month, cohort member and birthday in the month's 12-month window,
    with the contact that counts for it (its columns missing when there is none).

    Cohort: care leavers whose eligibility is former relevant, with a date of birth, and a 17th to
    21st birthday (``youngest_age``..``oldest_age``) in the R12M window; birthdays at ages below
    ``younger_ages_below`` (19) count only from ``younger_ages_from`` (1 April 2015, when the OC3
    return added 17 and 18 year olds). A birthday is the date of birth plus whole years (29 February
    birthdays fall on 28 February in other years). Columns: ``month, record_id, child_id, team,
    age, birthday`` and ``contact_id, contact_date, in_touch, accommodation_suitable, activity``.
    """
    return _birthday_contacts(inp.extracts, inp)


@node
def _birthday_contacts(extracts: Extracts, inp: MeasureInput) -> pd.DataFrame:
    leavers = inp.extract("care_leavers")
    children = inp.extract("children")
    contacts = inp.extract("care_leaver_contacts")
    if not unique_key(children["child_id"]):  # not the extract's key (the loader refuses it)
        return _joined_birthday_contacts(inp)
    (leaver_child, known_child), size = joint_codes(leavers["child_id"], children["child_id"])
    before, after = int(inp.param("window_months_before")), int(inp.param("window_months_after"))
    youngest, oldest = int(inp.param("youngest_age")), int(inp.param("oldest_age"))
    younger_below = int(inp.param("younger_ages_below"))
    younger_from = pd.Timestamp(inp.param("younger_ages_from"))

    # The cohort (the leavers in order, with their child's date of birth), then each of its
    # birthdays: positions and arrays only, no join on the identifiers' text.
    child_row = lookup_table(known_child, size)(leaver_child)  # the children are unique: a table
    former = leavers["eligibility"].eq(FORMER_RELEVANT).to_numpy(dtype=bool, na_value=False)
    leaver = np.flatnonzero(former & (child_row >= 0))
    born = children["date_of_birth"].to_numpy()[child_row[leaver]]
    known = ~np.isnat(born)
    leaver, born = leaver[known], born[known]
    ages = np.arange(youngest, oldest + 1, dtype=np.int64)
    leaver = np.repeat(leaver, len(ages))
    age = np.tile(ages, len(born))
    birthday = add_months(pd.Series(np.repeat(born, len(ages))), pd.Series(age * 12))
    kept = np.flatnonzero((age >= younger_below) | (birthday >= younger_from).to_numpy())
    leaver, age = leaver[kept], age[kept]
    birthdays = pd.DataFrame(
        {"_birthday": np.arange(len(kept)), "birthday": birthday.to_numpy()[kept]}
    )

    # The birthdays in each month's period: each a run of rows (its months), worked on once
    rows = in_period(birthdays, "birthday", inp)
    which = rows["_birthday"].to_numpy()
    first = run_starts(which)
    run, used = np.cumsum(first) - 1, which[first]
    leaver, age = leaver[used], age[used]
    child = take_values(leavers["child_id"], leaver)
    window_start = add_months(birthdays["birthday"].take(used), -before).to_numpy()
    window_end = add_months(birthdays["birthday"].take(used), after).to_numpy()
    # The contact that counts: asked once per birthday for its whole window, and again for each
    # row whose month ends before the window does (contacts after the month end do not count).
    month_end = inp.calendar["month_end"].to_numpy()[month_positions(rows["month"], inp.months)]
    cut = np.flatnonzero(month_end < window_end[run])
    (asked, theirs), _ = joint_codes(child, contacts["child_id"])
    answers = latest_in_windows(
        theirs, contacts["contact_date"], contacts["in_touch"].eq(IN_TOUCH).to_numpy(
            dtype=bool, na_value=False), contacts["contact_id"],
        np.concatenate([asked, asked[run[cut]]]),
        np.concatenate([window_start, window_start[run[cut]]]),
        np.concatenate([window_end, month_end[cut]]),
    )  # fmt: skip
    chosen = answers[run]
    chosen[cut] = answers[len(used) :]

    wanted = ["contact_id", *CONTACT_FIELDS]
    found = contacts[wanted].reset_index(drop=True).reindex(chosen).reset_index(drop=True)
    out = pd.DataFrame(
        {
            "month": rows["month"],
            "record_id": take_values(record_ids(child, age), run),
            "child_id": take_values(leavers["child_id"], leaver[run]),
            "team": take_values(leavers["team"], leaver[run]),
            "age": age[run],
            "birthday": rows["birthday"],
        },
        index=rows.index,
    )
    return pd.concat([out, found], axis=1)


def _joined_birthday_contacts(inp: MeasureInput) -> pd.DataFrame:
    """:func:`birthday_contacts` by joins on the identifiers: for a ``children`` extract whose
    ``child_id`` repeats or is missing (the loader refuses it)."""
    leavers = inp.extract("care_leavers")
    children = inp.extract("children")[["child_id", "date_of_birth"]]
    contacts = inp.extract("care_leaver_contacts")
    before, after = int(inp.param("window_months_before")), int(inp.param("window_months_after"))
    youngest, oldest = int(inp.param("youngest_age")), int(inp.param("oldest_age"))
    younger_below = int(inp.param("younger_ages_below"))
    younger_from = pd.Timestamp(inp.param("younger_ages_from"))

    cohort = leavers.loc[leavers["eligibility"] == FORMER_RELEVANT, ["child_id", "team"]]
    cohort = cohort.merge(children, on="child_id")
    cohort = cohort[cohort["date_of_birth"].notna()]
    ages = pd.DataFrame({"age": range(youngest, oldest + 1)})
    birthdays = cohort.merge(ages, how="cross")
    birthdays["birthday"] = add_months(birthdays["date_of_birth"], birthdays["age"] * 12)
    birthdays = birthdays[
        (birthdays["age"] >= younger_below) | (birthdays["birthday"] >= younger_from)
    ]
    birthdays["record_id"] = (
        birthdays["child_id"].astype("string") + "/" + birthdays["age"].astype(str)
    )

    rows = in_period(birthdays, "birthday", inp)
    rows = rows.merge(inp.calendar[["month", "month_end"]], on="month")
    rows["window_start"] = add_months(rows["birthday"], -before)
    rows["window_end"] = add_months(rows["birthday"], after)

    wanted = ["contact_id", "child_id", *CONTACT_FIELDS]
    pairs = rows[
        ["month", "record_id", "child_id", "window_start", "window_end", "month_end"]
    ].merge(contacts[wanted], on="child_id")
    counted = (
        (pairs["contact_date"] >= pairs["window_start"])
        & (pairs["contact_date"] <= pairs["window_end"])
        & (pairs["contact_date"] <= pairs["month_end"])
    )
    pairs = pairs[counted].assign(_in_touch=lambda p: p["in_touch"].eq(IN_TOUCH))
    chosen = pairs.sort_values(["_in_touch", "contact_date", "contact_id"]).drop_duplicates(
        ["month", "record_id"], keep="last"
    )
    chosen = chosen[["month", "record_id", "contact_id", *CONTACT_FIELDS]]
    out = rows[["month", "record_id", "child_id", "team", "age", "birthday"]].merge(
        chosen, on=["month", "record_id"], how="left"
    )
    return out


def record_ids(child_id: pd.Series, age: np.ndarray) -> pd.Series:
    """``child_id.astype("string") + "/" + pd.Series(age).astype(str)`` (the record id of a
    birthday, ``<child>/<age>``; missing for a missing child), with a new RangeIndex: for coded
    identifiers only the categories used are turned into text."""
    child_id = child_id.reset_index(drop=True)
    if isinstance(child_id.dtype, pd.CategoricalDtype):
        codes = child_id.cat.codes.to_numpy()
        used, at = np.unique(codes, return_inverse=True)
        text = pd.Series(child_id.cat.categories.take(np.maximum(used, 0))).astype("string")
        if len(used) and used[0] < 0:  # -1, a missing identifier, sorts first
            text[0] = pd.NA
        child_id = text.take(at.reshape(-1)).reset_index(drop=True)
    return child_id.astype("string") + "/" + pd.Series(age).astype(str)


def latest_in_windows(
    groups: np.ndarray,
    dates: pd.Series,
    preferred: np.ndarray,
    ids: pd.Series,
    asked_groups: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> np.ndarray:
    """For each question ``i``, the position of the item of group ``asked_groups[i]`` dated from
    ``starts[i]`` to ``ends[i]`` (both included) that sorts last by (``preferred``, date, id), or
    -1 if there is none: the latest preferred item in the window, else the latest item.

    Items: ``groups`` (integers, e.g. from :func:`joint_codes`), ``dates``, ``preferred`` (flags)
    and ``ids``, aligned. A missing date or bound matches nothing; ids sort as pandas sorts them
    (missing last) and items alike in all three by their order. The same choice as
    ``questions.merge(items, on="group")`` filtered to the windows, then
    ``.sort_values(["preferred", "date", "id"]).drop_duplicates("question", keep="last")``; by
    binary search in the items sorted by group and date, with no pairing (ids are compared only
    between items of one group on one date).
    """
    item_dates = dates.to_numpy(dtype="datetime64[ns]")
    starts = np.asarray(starts, dtype="datetime64[ns]")
    ends = np.asarray(ends, dtype="datetime64[ns]")
    usable = np.flatnonzero(~np.isnat(item_dates))
    if not len(usable) or not len(asked_groups):
        return np.full(len(asked_groups), -1, dtype=np.int64)
    # number the dates (items' and bounds') in their order: days when all are at midnight
    every = np.concatenate([item_dates[usable], starts, ends]).view(np.int64)
    known = every != np.iinfo(np.int64).min  # NaT
    if not (every[known] % NS_PER_DAY).any():
        numbers = every // NS_PER_DAY
        numbers -= numbers[known].min()
    else:
        _, numbers = np.unique(every, return_inverse=True)
        numbers = numbers.reshape(-1).astype(np.int64)
    span = int(numbers[known].max()) + 1
    numbers = np.where(known, numbers, 0)
    mine = numbers[: len(usable)]
    low = numbers[len(usable) : len(usable) + len(starts)]
    high = numbers[len(usable) + len(starts) :]
    # the groups numbered densely when group x date might not fit an int64
    item_groups = np.asarray(groups, dtype=np.int64)[usable]
    asked = np.asarray(asked_groups, dtype=np.int64)
    if int(max(item_groups.max(), asked.max())) + 1 > np.iinfo(np.int64).max // span - 1:
        _, dense = np.unique(np.concatenate([item_groups, asked]), return_inverse=True)
        item_groups, asked = dense[: len(item_groups)], dense[len(item_groups) :]
    # the items by group and date, then (only where one group has several on one date) by id
    keys = item_groups * span + mine
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    tied = np.flatnonzero(keys[1:] == keys[:-1])
    if len(tied):
        slots = np.union1d(tied, tied + 1)  # the sorted positions of the tied items
        ties = pd.DataFrame(
            {"key": keys[slots], "id": ids.take(usable[order[slots]]).reset_index(drop=True),
             "item": order[slots]}
        ).sort_values(["key", "id"], kind="stable")  # fmt: skip
        order[slots] = ties["item"].to_numpy()
    first = np.searchsorted(keys, asked * span + low, side="left")
    stop = np.searchsorted(keys, asked * span + high, side="right")
    # the last preferred item at or before each sorted position
    flagged = np.asarray(preferred, dtype=bool)[usable][order]
    last_preferred = np.maximum.accumulate(np.where(flagged, np.arange(len(order)), -1))
    last = np.maximum(stop - 1, 0)
    pick = np.where(last_preferred[last] >= first, last_preferred[last], last)
    missing = np.isnat(starts) | np.isnat(ends)
    return np.where((stop > first) & ~missing, usable[order][pick], -1)


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def _contact_shown(
    inp: MeasureInput, counted: pd.Series, shows: str, field: str
) -> Callable[[pd.DataFrame], Shown]:
    """For a drill-down of refs 32-34: the birthday, the window, the contact that counts and what
    it records (``field``), and why the young person is in the numerator (``counted``: the contact
    ``shows`` it) or not."""

    def why(rows: pd.DataFrame) -> Shown:
        before = int(inp.param("window_months_before"))
        after = int(inp.param("window_months_after"))
        window = f"from {_months(before)} before to {_months(after)} after the birthday"
        return Shown(
            reasons(
                [
                    (counted, f"the contact {window} {shows}"),
                    (rows["contact_date"].notna(), f"the contact {window} does not show this"),
                ],
                f"no contact {window} (by the month end)",
                rows.index,
            ),
            {"birthday": "birthday",
             "window_start": add_months(rows["birthday"], -before),
             "window_end": add_months(rows["birthday"], after),
             "contact_date": "contact_date", field: field},
        )  # fmt: skip

    return why


@measure("care_leavers_in_touch", needs=("care_leavers", "care_leaver_contacts", "children"),
         parameters=BIRTHDAY_PARAMETERS)
def care_leavers_in_touch(inp: MeasureInput) -> pd.DataFrame:
    """Former relevant care leavers (``care_leavers`` eligibility) whose 17th, 18th, 19th, 20th or
    21st birthday falls in the 12 months ending with the reporting month (R12M), one row per young
    person and birthday (record id ``<child>/<age>``); in the numerator when the authority was in
    touch (SSDA903 OC3 code YES) in a contact dated from ``window_months_before`` (3) months before
    to ``window_months_after`` (1) month after the birthday (calendar months, both ends included).
    The denominator is the whole cohort. 17th and 18th birthdays count from 1 April 2015, when the
    OC3 return added them. Team: the care leaver's (``care_leavers.team``).

    Choice: of several contacts in the window, the one that counts is the latest in which the
    authority was in touch, or if there is none the latest contact. Contacts dated after the end
    of the reporting month are not counted (they were not known when the month was reported, so a
    past month's figure does not change when later contacts are recorded).
    """
    rows = birthday_contacts(inp)
    in_touch = rows["in_touch"].eq(IN_TOUCH)
    why = _contact_shown(inp, in_touch, "records the authority in touch", "in_touch")
    return explained(inp, rows, why, record_id="record_id", numerator=in_touch)


@measure(
    "care_leavers_suitable_accommodation",
    needs=("care_leavers", "care_leaver_contacts", "children"),
    parameters=BIRTHDAY_PARAMETERS,
)
def care_leavers_suitable_accommodation(inp: MeasureInput) -> pd.DataFrame:
    """Former relevant care leavers whose 17th to 21st birthday falls in the 12 months ending with
    the reporting month (R12M; the cohort, window and contact of ref 32); in the numerator when the
    contact that counts records the accommodation as suitable. The denominator is the whole
    cohort, including those who refuse contact, could not be reached, have no contact in the window
    or whose accommodation is not known. Team: the care leaver's.

    Choice: as ref 32 (the latest in-touch contact in the window, else the latest contact; none
    after the end of the reporting month). Suitability blank = not known = not in the numerator.
    """
    rows = birthday_contacts(inp)
    suitable = rows["accommodation_suitable"].astype("boolean").fillna(False)
    why = _contact_shown(inp, suitable, "records suitable accommodation", "accommodation_suitable")
    return explained(inp, rows, why, record_id="record_id", numerator=suitable)


@measure("care_leavers_eet", needs=("care_leavers", "care_leaver_contacts", "children"),
         parameters=BIRTHDAY_PARAMETERS)
def care_leavers_eet(inp: MeasureInput) -> pd.DataFrame:
    """Former relevant care leavers whose 17th to 21st birthday falls in the 12 months ending with
    the reporting month (R12M; the cohort, window and contact of ref 32); in the numerator when the
    contact that counts records an activity in education, employment or training (OC3 F1/P1 higher
    education, F2/P2 other education, F3/P3 training or employment; not G4-G6 or blank). The
    denominator is the whole cohort. Team: the care leaver's.

    Choice: as ref 32 (the latest in-touch contact in the window, else the latest contact; none
    after the end of the reporting month).
    """
    rows = birthday_contacts(inp)
    eet = rows["activity"].isin(EET_ACTIVITIES)
    why = _contact_shown(inp, eet, "records education, employment or training", "activity")
    return explained(inp, rows, why, record_id="record_id", numerator=eet)
