"""Measures of the domain Care leavers: refs 32-34 (DfE SSDA903 OC3 definitions).

The three indicators share one cohort and one contact per young person and birthday
(:func:`birthday_contacts`); they differ only in what the contact must show.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from scorecard.calendar.months import add_months
from scorecard.extracts.container import Extracts
from scorecard.measures.base import (
    MeasureInput,
    Shown,
    explained,
    in_period,
    measure,
    node,
    reasons,
    whole,
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
