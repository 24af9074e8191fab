"""DfE code lists used by the importers of the national returns, with the years they are valid.

Each :class:`CodeList` names the return, table and field, the guide it was written from and, per
code, the collection years in which it is valid (``None``: every year this library supports, from
2014-15 on). Years are written as the year a collection year ends (``2015`` = 2014-15, 1 April 2014
to 31 March 2015), as the DfE names its returns.

Source of the SSDA903 lists: DfE, *Children looked after return (SSDA903) guide*, the 2014 to 2015
guide and the later yearly guides up to 2022 to 2023 (the codes the canonical vocabularies of
``scorecard.extracts.schemas`` were written from). Validity years are given only where the guides
withdraw or introduce a code in the years the library supports; where this module gives none, the
code is accepted for every year. Codes withdrawn before 2014-15 that the canonical vocabularies still
accept (placement types A1/A2, "placed for adoption" before the 2014-15 split) are marked as valid up
to 2013-14 so that their use in a later year is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

GUIDE_903 = "DfE SSDA903 guide 2014-15 to 2022-23"


@dataclass(frozen=True)
class CodeList:
    """The codes of one field of a return: ``code -> (first year, last year)`` (either ``None``)."""

    table: str
    field: str
    codes: Mapping[str, tuple[int | None, int | None]]
    source: str

    def valid(self, values: pd.Series, years: pd.Series | None = None) -> pd.Series:
        """Whether each (non-missing) value is a code of the list, valid in its row's collection
        year (``years``: year-end integers, missing = year unknown: only membership is checked).
        Missing values are reported as valid (blank is checked elsewhere)."""
        known = values.isna() | values.isin(list(self.codes))
        if years is None:
            return known
        ok = known.to_numpy(copy=True)
        year = pd.to_numeric(years, errors="coerce").to_numpy(dtype="float64")
        for code, (first, last) in self.codes.items():
            if first is None and last is None:
                continue
            rows = values.eq(code).fillna(False).to_numpy(dtype=bool)
            with np.errstate(invalid="ignore"):  # a missing year compares False: not checked
                early = year < first if first is not None else np.zeros(len(year), dtype=bool)
                late = year > last if last is not None else np.zeros(len(year), dtype=bool)
            bad = rows & (early | late)
            ok &= ~bad
        return pd.Series(ok, index=values.index)


def _codes(*codes: str, **limited: tuple[int | None, int | None]) -> Mapping[str, tuple]:
    table: dict[str, tuple[int | None, int | None]] = {c: (None, None) for c in codes}
    table.update(limited)
    return MappingProxyType(table)


#: 903 episodes RNE: reason for new episode.
RNE = CodeList("episodes", "RNE", _codes("S", "L", "P", "T", "U", "B"), GUIDE_903)
#: 903 episodes LS: legal status.
LS = CodeList(
    "episodes",
    "LS",
    _codes("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"),
    GUIDE_903,
)
#: 903 episodes CIN: category of need (not mapped; checked and reported only).
CIN = CodeList("episodes", "CIN", _codes(*(f"N{i}" for i in range(1, 9))), GUIDE_903)
#: 903 episodes PLACE (PL in the XML): placement type. A1/A2 (placed for adoption, before the
#: 2014-15 split into A3-A6) are valid up to 2013-14.
PLACE = CodeList(
    "episodes",
    "PLACE",
    _codes(
        "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
        "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
        A1=(None, 2014),
        A2=(None, 2014),
    ),
    GUIDE_903,
)  # fmt: skip
#: 903 episodes PLACE_PROVIDER.
PLACE_PROVIDER = CodeList(
    "episodes", "PLACE_PROVIDER", _codes("PR0", "PR1", "PR2", "PR3", "PR4", "PR5"), GUIDE_903
)
#: 903 episodes REC: reason episode ceased (E41, residence order, and its successors E45-E48
#: are both accepted for every year: the canonical vocabulary holds them all).
REC = CodeList(
    "episodes",
    "REC",
    _codes(
        "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E4A", "E4B", "E41",
        "E45", "E46", "E47", "E48", "E5", "E6", "E7", "E8", "E9", "X1",
    ),
    GUIDE_903,
)  # fmt: skip
#: 903 episodes REASON_PLACE_CHANGE (not mapped; checked and reported only).
REASON_PLACE_CHANGE = CodeList(
    "episodes",
    "REASON_PLACE_CHANGE",
    _codes(
        "ALLEG", "APPRR", "CARPL", "CHILD", "CLOSE", "CREQB", "CREQO", "CUSTOD", "LAREQ",
        "OTHER", "PLACE", "STAND",
    ),
    GUIDE_903,
)  # fmt: skip
#: 903 reviews REVIEW_CODE: participation.
REVIEW_CODE = CodeList("reviews", "REVIEW_CODE", _codes(*(f"PN{i}" for i in range(8))), GUIDE_903)
#: 903 header SEX: 1 male, 2 female.
SEX = CodeList("header", "SEX", _codes("1", "2"), GUIDE_903)
#: 903 header ETHNIC (not mapped; checked and reported only).
ETHNIC = CodeList(
    "header",
    "ETHNIC",
    _codes(
        "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
        "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
    ),
    GUIDE_903,
)  # fmt: skip
#: 903 OC3 IN_TOUCH.
IN_TOUCH = CodeList(
    "oc3", "IN_TOUCH", _codes("YES", "NO", "DIED", "REFU", "NREQ", "RHOM"), GUIDE_903
)
#: 903 OC3 ACTIV (0: not known / not applicable).
ACTIV = CodeList(
    "oc3", "ACTIV", _codes("F1", "P1", "F2", "P2", "F3", "P3", "G4", "G5", "G6", "0"), GUIDE_903
)
#: 903 OC3 ACCOM: a type letter and a suitability digit (1 suitable, 2 not suitable), or 0 (not
#: known / not applicable).
ACCOM = CodeList(
    "oc3",
    "ACCOM",
    _codes("0", *(t + s for t in "BCDEGHKRSTUVWXYZ" for s in "12")),
    GUIDE_903,
)
#: 903 AD1 FOSTER_CARE (1 adopted by the foster carer, 0 not).
FOSTER_CARE = CodeList("ad1", "FOSTER_CARE", _codes("0", "1"), GUIDE_903)

#: Every list, by (table, field).
CODE_LISTS: Mapping[tuple[str, str], CodeList] = MappingProxyType(
    {
        (c.table, c.field): c
        for c in (
            RNE, LS, CIN, PLACE, PLACE_PROVIDER, REC, REASON_PLACE_CHANGE, REVIEW_CODE, SEX,
            ETHNIC, IN_TOUCH, ACTIV, ACCOM, FOSTER_CARE,
        )
    }
)  # fmt: skip
