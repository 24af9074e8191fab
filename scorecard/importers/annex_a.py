"""Import the Ofsted Annex A workbook (ILACS, lists 1-11) to canonical extracts.

``import_annex_a(path)`` reads the workbook (``.xlsx``, read with openpyxl: cached values of formula
cells, Excel dates as dates) and returns an :class:`~scorecard.importers.base.ImportResult` with
source ``"annex_a"``.

**Sheets.** A sheet is list *n* when its name, in any letter case and with ``_``, ``-``, ``.`` or
spaces, starts with ``List`` and the number: ``List 3``, ``List_3 Referrals``, ``LIST3``,
``list 3 - referrals``. Other sheets (a cover sheet, notes) are reported as not read. A workbook
with no such sheet is not Annex A (:class:`ReturnImportError`); two sheets for one list are an
error. A list that is absent leaves the extracts it feeds absent (reported).

**Headers.** The header row is the first of the first 10 rows that holds the child's id header
(``Child Unique ID``; list 11: ``Individual adopter identifier``). Headers are compared after
folding letter case, removing apostrophes, turning every other run of punctuation or spaces into
one space and dropping a trailing ``(Y/N)``; a few alternative names are known (``Child ID``,
``Sex``, ``DOB``, ``Team``, ...). Every header matched other than exactly as Ofsted writes it is
reported (``mapped``, ``header variant: ...``); headers not used are reported (``not_mapped``). A
list without one of its required columns is an error naming the sheet and the headers found.

**Values.** Coded answers lose their ``a) `` prefix and are mapped: ``Male``/``Female`` -> M/F
(``Not stated/recorded``, ``Unknown``, ``Indeterminate`` and a blank -> U); ``Yes``/``No`` (also
``Y``/``N``) -> true/false; DfE codes are the leading code of the answer (``f) U6: Foster placement
- not FFA`` -> U6) checked against the extract's code list; words for leaving-care eligibility, LA
in touch and suitability of accommodation. An unknown coded answer is reported (``unknown_code``):
in an optional column the value is left blank and the row kept; in a required one (legal status,
placement type, eligibility, LA in touch) the row is excluded. Excel error values (``#N/A``) are
read as blank and reported. Dates: Excel dates, Excel serial numbers, text ``dd/mm/yyyy`` (also
``d/m/yyyy``) or ``yyyy-mm-dd``; any other date value is an error naming the sheet, the row and
the column (every bad date of the workbook at once, shown by its shape: ``99.99.9999``).

**What each list feeds.**

- List 1 (contacts), 2 (early help), 11 (adopters): no canonical extract (not mapped); lists 1-2
  still give the children's details (below) and dates for the coverage.
- List 3 -> ``referrals`` (one row per referral, ``Date of Referral``). List 6 (children in need)
  completes them: a list 6 row whose ``CIN Start Date`` is a list 3 referral date of the same child
  is that referral's CIN episode and gives its ``CIN Closure Date`` (and its team, being the
  current one); the other list 6 rows (episodes that started before the 12 months) are referrals
  of their own. A list 3 referral marked ``Referral NFA?`` = Yes and not in list 6 closed on its
  referral date (no further action). Without list 3, ``referrals`` is absent.
- List 4 -> ``assessments`` (start, authorisation, child seen); list 5 -> ``s47_enquiries`` (start,
  ICPC date, ICPC outcome); list 7 -> ``cp_plans`` (start, end).
- List 8 -> ``cic_episodes``: **one episode per child, the current (or last) one**, starting on the
  latest of ``Date Started to be Looked After``, ``Start date of current legal status`` and ``Start
  Date of Most Recent Placement``; its reason for a new episode is derived (S when that is the start
  of the period of care; B when legal status and placement both changed then; L legal status; P
  placement); it ends on ``Date Ceased to be Looked After`` with its reason. Earlier episodes are
  not in Annex A, so placement moves and periods before the current episode are missing (see
  :data:`LATEST_ONLY`).
- List 9 -> ``care_leavers`` (eligibility) and ``care_leaver_contacts`` (the latest contact: a row
  only when ``Latest Date of Contact`` and ``LA in Touch`` are given).
- List 10 -> ``adoptions`` (the milestone dates; ``moved_in_with_carer_date`` from the FFA /
  concurrent planning placement date). List 10 has no team.
- ``children``: every child of those extracts, with date of birth and sex from the first list (in
  list order 1-10) that gives them, ``disabled`` true if any list says yes (else false if one says
  no, else blank), ``uasc`` true if list 8 or 9 says yes (else false). Lists that disagree about a
  child are reported (``repaired``, naming the children).
- List 7 -> ``cp_reviews``: the latest review conference of each plan (``Date of latest review
  conference``); list 8 -> ``health_checks``: the latest health assessment and dental check.
- Extracts holding the latest event only (:data:`LATEST_ONLY`: CP reviews, CIC episodes, health
  checks, care-leaver contacts) describe the position at the request date: indicators over earlier
  months need the history from the SSDA903 return or the case management system.
- Not mapped: visits (lists 6-8 give the last visit only; the visit indicators measure the gaps
  between visits), CIC reviews (list 8 latest review, no participation code), allocations (the
  current worker, no start date), CIN plans (list 6 case status, no dates).

**Teams.** ``team`` is the ``Allocated Team`` value as written (surrounding spaces removed) where the
list has that column and the cell is not blank; otherwise missing (the combine step assigns teams).
With ``team_from="worker"`` it is the ``Allocated Worker`` instead (same rules), for a mapping of
workers to teams. The worker is not otherwise used: allocations need start dates Annex A lacks.

**Identifiers** (stable: the same workbook gives the same ids, whatever its row or column order):
``<child>-<date>`` with the date as ``YYYY-MM-DD``: referrals by referral date (list 3) or CIN start
date (list 6), assessments, S47 enquiries, CP plans and CIC episodes by their start date,
care-leaver contacts by contact date, CP reviews ``<cp_plan_id>-<date>``, health checks
``<child>-health_assessment-<date>`` / ``<child>-dental-<date>``, adoptions by ``Date the Child Entered Care`` (``<child>``
alone when blank). Child ids are the ``Child Unique ID`` as text (whole numbers without ``.0``).
Two rows of one list with the same id keep the first in the order of their other values and
``-2``, ``-3``... for the next ones (reported); exact copies are excluded (reported).

**Coverage.** Annex A covers the 12 months before the date of Ofsted's request. Without
``request_date``, the extraction date is the latest date in the lists 1-10 other than dates of
birth (the request came on or after it), and the first date covered is the day after the same
day 12 months earlier (``2021-03-15`` -> ``2020-03-16``). With ``request_date`` those are the
request date and the day after it 12 months earlier.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from scorecard.errors import UsageError
from scorecard.extracts import SPECS
from scorecard.importers.base import ImportResult, ReturnImportError, report_row, report_rows

SOURCE = "annex_a"

#: Extracts this importer fills with the latest event of each child only (not a history).
LATEST_ONLY: Mapping[str, str] = {
    "cp_reviews": "list 7 gives the latest review conference of each plan only",
    "cic_episodes": "list 8 gives the current (or last) episode of each child only",
    "health_checks": "list 8 gives the latest health assessment and dental check only",
    "care_leaver_contacts": "list 9 gives the latest contact of each care leaver only",
}

#: Largest workbook read (an Annex A workbook of a large authority is a few MB).
MAX_BYTES = 256 * 1024 * 1024

_EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA"}
)


@dataclass(frozen=True)
class Col:
    """A column of a list: internal name, Ofsted's header, other known names, kind, required."""

    key: str
    header: str
    kind: str  # id, date, text, team, answer
    required: bool = False
    aliases: tuple[str, ...] = ()


def _common(*extra: Col, disability: bool = True) -> tuple[Col, ...]:
    cols = [
        Col(
            "child_id",
            "Child Unique ID",
            "id",
            True,
            ("Child ID", "Unique Child ID", "Child Unique Identifier", "Child Identifier"),
        ),
        Col("sex", "Gender", "answer", aliases=("Sex",)),
        Col("date_of_birth", "Date of Birth", "date", aliases=("DOB",)),
    ]
    if disability:
        cols.append(
            Col("disabled", "Does the Child have a Disability", "answer", aliases=("Disability",))
        )
    return (*cols, *extra)


_TEAM = Col("team", "Allocated Team", "team", aliases=("Team",))
_WORKER = Col("worker", "Allocated Worker", "text", aliases=("Worker", "Allocated Social Worker"))

#: The lists: number -> (name, columns).
LISTS: dict[int, tuple[str, tuple[Col, ...]]] = {
    1: (
        "contacts",
        _common(Col("contact_date", "Date of Contact", "date", True), disability=False),
    ),
    2: (
        "early help",
        _common(
            Col("eh_start", "Assessment start date", "date"),
            Col("eh_end", "Assessment completion date", "date"),
            disability=False,
        ),
    ),
    3: (
        "referrals",
        _common(
            Col("referral_date", "Date of Referral", "date", True),
            Col("nfa", "Referral NFA?", "answer"),
            _TEAM,
            _WORKER,
            disability=False,
        ),
    ),
    4: (
        "assessments",
        _common(
            Col("start_date", "Continuous Assessment Start Date", "date", True),
            Col("child_seen", "Child Seen During Continuous Assessment", "answer"),
            Col("authorised_date", "Continuous Assessment Date of Authorisation", "date"),
            _TEAM,
            _WORKER,
        ),
    ),
    5: (
        "section 47 enquiries",
        _common(
            Col(
                "start_date",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "date",
                True,
            ),
            Col("icpc_date", "Date of Initial Child Protection Conference", "date"),
            Col(
                "icpc_outcome_cp_plan",
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                "answer",
            ),
            _TEAM,
            _WORKER,
        ),
    ),
    6: (
        "children in need",
        _common(
            Col("cin_start", "CIN Start Date", "date", True),
            Col("last_seen", "Date Child Was Last Seen", "date"),
            Col("closure_date", "CIN Closure Date", "date"),
            _TEAM,
            _WORKER,
        ),
    ),
    7: (
        "child protection",
        _common(
            Col("start_date", "Child Protection Plan Start Date", "date", True),
            Col("last_visit", "Date of the Last Statutory Visit", "date"),
            Col("latest_review", "Date of latest review conference", "date"),
            Col("end_date", "Child Protection Plan End Date", "date"),
            _TEAM,
            _WORKER,
        ),
    ),
    8: (
        "children in care",
        _common(
            Col(
                "uasc",
                "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
                "answer",
                aliases=("UASC",),
            ),
            Col("lac_start", "Date Started to be Looked After", "date", True),
            Col("legal_start", "Start date of current legal status", "date"),
            Col("legal_status", "Child's Legal Status", "answer", aliases=("Legal Status",)),
            Col("cic_latest_review", "Date of Latest Statutory Review", "date"),
            Col("last_visit", "Date of Last Social Work Visit", "date"),
            Col("health", "Date of Last Health Assessment", "date"),
            Col("dental", "Date of Last Dental Check", "date"),
            Col("ceased", "Date Ceased to be Looked After", "date"),
            Col("reason_ceased", "Reason Ceased to be Looked After", "answer"),
            Col("placement_start", "Start Date of Most Recent Placement", "date"),
            Col("placement_type", "Placement Type", "answer"),
            Col("placement_provider", "Placement Provider", "answer"),
            _TEAM,
            _WORKER,
        ),
    ),
    9: (
        "care leavers",
        _common(
            Col(
                "uasc",
                "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
                "answer",
                aliases=("UASC",),
            ),
            _TEAM,
            _WORKER,
            Col("eligibility", "Eligibility Category", "answer", True),
            Col("in_touch", "LA in Touch", "answer"),
            Col("contact_date", "Latest Date of Contact", "date"),
            Col("accommodation_type", "Type of Accommodation", "answer"),
            Col("accommodation_suitable", "Suitability of Accommodation", "answer"),
            Col("activity", "Activity Status", "answer"),
        ),
    ),
    10: (
        "adoption",
        _common(
            Col("entered_care", "Date the Child Entered Care", "date"),
            Col(
                "should_be_placed_date",
                "Date of Decision that Child Should be Placed for Adoption",
                "date",
            ),
            Col("placement_order_date", "Date of Placement Order", "date"),
            Col("match_date", "Date of Matching Child and Prospective Adopters", "date"),
            Col("placed_for_adoption_date", "Date Placed for Adoption", "date"),
            Col("adoption_order_date", "Date of Adoption Order", "date"),
            Col(
                "decision_reversed_date",
                "Date of Decision that Child Should No Longer be Placed for Adoption",
                "date",
            ),
            Col(
                "moved_in_with_carer_date",
                "Date the child was placed for fostering in FFA or concurrent planning placement",
                "date",
            ),
        ),
    ),
    11: (
        "adopters",
        (
            Col(
                "child_id",
                "Individual adopter identifier",
                "id",
                True,
                ("Adopter identifier", "Adopter ID"),
            ),
        ),
    ),
}

#: Lists whose rows are not mapped to any extract, and why.
NOT_MAPPED_LISTS = {
    1: "contacts: no canonical extract (children's details and dates used only)",
    2: "early help assessments: no canonical extract (children's details and dates used only)",
    11: "adopters: no canonical extract",
}

#: Columns read but not mapped to an extract, and why (one report row per list).
NOT_MAPPED_COLUMNS = {
    "worker": "allocations need the allocation's start date, which Annex A does not give",
    "last_seen": "visits: Annex A gives the latest visit only; visit indicators need the history",
    "last_visit": "visits: Annex A gives the latest visit only; visit indicators need the history",
    "cic_latest_review": "CIC reviews need the child's participation code, not in Annex A",
}


# --------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------


def normalise_header(text: object) -> str:
    """Fold a header for comparison: letter case, apostrophes, punctuation and spacing, and a
    trailing ``(Y/N)``. ``"Child's  Legal_Status"`` -> ``"childs legal status"``."""
    folded = str(text if text is not None else "").lower().replace("\u00a0", " ")
    folded = re.sub(r"['\u2018\u2019`]", "", folded)
    folded = re.sub(r"[^0-9a-z]+", " ", folded).strip()
    return re.sub(r"(?: y n)+$", "", folded).strip()


def list_number(sheet_name: str) -> int | None:
    """The Annex A list a sheet holds, from its name (``List_3 Referrals`` -> 3), or None."""
    match = re.match(
        r"^\s*list[\s_.\-]*0*(\d{1,2})(?![0-9A-Za-z])", sheet_name, flags=re.IGNORECASE
    )
    if match and 1 <= int(match.group(1)) <= 11:
        return int(match.group(1))
    return None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _shape(value: object) -> str:
    """A value shown by its shape only (digits 9, letters a): no child-level value in messages."""
    text = str(value)
    return re.sub(r"[A-Za-z]", "a", re.sub(r"\d", "9", text))[:40]


# --------------------------------------------------------------------------------------------------
# Reading the workbook
# --------------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    number: int
    title: str
    frame: pd.DataFrame  # one column per key found, plus "_row" (Excel row number)
    headers: dict[str, str]  # key -> header as written
    letters: dict[str, str]  # key -> column letter


def _open(path: Path):
    import openpyxl  # imported here: the rest of the library does not need it

    if not path.is_file():
        raise ReturnImportError(f"{path.name}: not found or not a regular file")
    if path.stat().st_size > MAX_BYTES:
        raise ReturnImportError(
            f"{path.name}: {path.stat().st_size} bytes, more than the {MAX_BYTES} an Annex A "
            "workbook may have"
        )
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ReturnImportError(
            f"{path.name}: not an Excel workbook (.xlsx) that can be read: {error}; "
            "save it from Excel as 'Excel Workbook (.xlsx)'"
        ) from error


def _read_sheet(number: int, title: str, rows: list[tuple], file: str) -> tuple[_Sheet, list]:
    """The list's columns as a frame; report rows for header variants and unused headers."""
    cols = LISTS[number][1]
    id_names = {normalise_header(n) for n in (cols[0].header, *cols[0].aliases)}
    header_at = next(
        (
            i
            for i, row in enumerate(rows[:10])
            if any(normalise_header(v) in id_names for v in row if v is not None)
        ),
        None,
    )
    if header_at is None:
        raise ReturnImportError(
            f"{file}: sheet {title!r} (list {number}): no header row with {cols[0].header!r} "
            "in its first 10 rows"
        )
    header = rows[header_at]
    n_rows = sum(1 for r in rows[header_at + 1 :] if any(v not in (None, "") for v in r))
    found = {normalise_header(v): i for i, v in reversed(list(enumerate(header))) if v is not None}
    report: list[dict] = []
    positions: dict[str, int] = {}
    for col in cols:
        names = [normalise_header(col.header), *(normalise_header(a) for a in col.aliases)]
        at = next((found[n] for n in names if n in found), None)
        if at is None:
            continue
        positions[col.key] = at
        written = str(header[at])
        if written != col.header:
            report.append(
                _row(
                    file,
                    number,
                    "mapped",
                    f"header variant: {written!r} read as {col.header!r}",
                    n_rows,
                )
            )
    missing = [c.header for c in cols if c.required and c.key not in positions]
    if missing:
        raise ReturnImportError(
            f"{file}: sheet {title!r} (list {number}) has no column {missing!r} (letter case, "
            f"spacing and punctuation aside); its headers are {[h for h in header if h]!r}"
        )
    unused = [str(h) for i, h in enumerate(header) if h is not None and i not in positions.values()]
    if unused:
        report.append(_row(file, number, "not_mapped", "columns not used: " + "; ".join(unused), 0))
    body = [r for r in rows[header_at + 1 :] if any(v not in (None, "") for v in r)]
    excel_rows = [
        header_at + 2 + i
        for i, r in enumerate(rows[header_at + 1 :])
        if any(v not in (None, "") for v in r)
    ]
    data = {key: [r[at] if at < len(r) else None for r in body] for key, at in positions.items()}
    frame = pd.DataFrame(data, dtype=object).assign(_row=excel_rows)
    return (
        _Sheet(
            number,
            title,
            frame,
            {k: str(header[i]) for k, i in positions.items()},
            {k: _column_letter(i) for k, i in positions.items()},
        ),
        report,
    )


def _row(
    file: str, number: int | None, action: str, reason: str, rows: int, detail: str = ""
) -> dict:
    table = f"list {number}" if number is not None else "workbook"
    return report_row(SOURCE, file, table, action, reason, rows, detail)


# --------------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------------


def strip_prefix(values: pd.Series) -> pd.Series:
    """Text with the ``a) `` prefix of coded answers removed and spaces trimmed; blank -> NA."""
    text = values.astype("string").str.replace("\u00a0", " ", regex=False).str.strip()
    text = text.str.replace(r"^[A-Za-z]{1,2}\)\s*", "", regex=True).str.strip()
    return text.mask(text == "")


def _blank_errors(sheet: _Sheet, file: str, report: list) -> None:
    """Excel error values (``#N/A``) become blanks, counted per column."""
    for key in [c for c in sheet.frame.columns if c != "_row"]:
        values = sheet.frame[key]
        is_error = values.map(lambda v: isinstance(v, str) and v.strip() in _EXCEL_ERRORS)
        if is_error.any():
            sheet.frame[key] = values.mask(is_error, None)
            report.append(
                _row(
                    file,
                    sheet.number,
                    "repaired",
                    f"Excel error value (#N/A, ...) read as blank in {sheet.headers[key]!r}",
                    int(is_error.sum()),
                )
            )


def _dates(sheet: _Sheet, key: str, epoch: dt.datetime, problems: list[str]) -> pd.Series:
    """Dates of one column (datetime64, NaT for blanks); bad values appended to ``problems``."""
    from openpyxl.utils.datetime import from_excel

    values = sheet.frame[key]
    out = pd.Series(pd.NaT, index=sheet.frame.index, dtype="datetime64[ns]")
    blank = values.map(lambda v: v is None or (isinstance(v, str) and v.strip() == ""))
    is_dt = values.map(lambda v: isinstance(v, (dt.datetime, dt.date)))
    if is_dt.any():
        days = values[is_dt].map(lambda v: v.date() if isinstance(v, dt.datetime) else v)
        out[is_dt] = pd.to_datetime(days).astype("datetime64[ns]")
    is_num = values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    if is_num.any():
        serials = values[is_num].map(lambda v: _serial(v, epoch, from_excel))
        out[is_num] = pd.to_datetime(serials).astype("datetime64[ns]")
    is_text = values.map(lambda v: isinstance(v, str)) & ~blank
    if is_text.any():
        text = values[is_text].astype("string").str.strip()
        dmy = pd.to_datetime(
            text.where(text.str.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}")),
            format="%d/%m/%Y",
            errors="coerce",
        )
        iso = pd.to_datetime(
            text.where(text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")), format="%Y-%m-%d", errors="coerce"
        )
        out[is_text] = dmy.fillna(iso).astype("datetime64[ns]")
    out = out.where(out.dt.year.between(1900, 2261))
    invalid = ~blank & out.isna()
    for index in invalid[invalid].index:
        problems.append(
            f"sheet {sheet.title!r} row {sheet.frame.at[index, '_row']} column "
            f"{sheet.letters[key]} ({sheet.headers[key]!r}): not a date "
            f"(dd/mm/yyyy or an Excel date): {_shape(values[index])!r}"
        )
    return out


def _serial(value: float, epoch: dt.datetime, from_excel: Callable) -> object:
    if not 1 <= value <= 2958465 or value != int(value):
        return pd.NaT
    return from_excel(value, epoch=epoch).date()


def _child_ids(sheet: _Sheet) -> pd.Series:
    """``Child Unique ID`` as text: whole numbers without ``.0``; blanks NA."""

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return pd.NA
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        text = str(v).replace("\u00a0", " ").strip()
        return text or pd.NA

    return sheet.frame["child_id"].map(one).astype("string")


def _answers(
    sheet: _Sheet, key: str, mapping: Callable[[pd.Series], pd.Series], file: str, report: list
) -> tuple[pd.Series, pd.Series]:
    """(mapped values, unknown mask) of a coded column; unknowns reported by value."""
    if key not in sheet.frame:
        index = sheet.frame.index
        return pd.Series(pd.NA, index=index, dtype="object"), pd.Series(False, index=index)
    raw = strip_prefix(sheet.frame[key])
    mapped = mapping(raw)
    unknown = raw.notna() & mapped.isna()
    if unknown.any():
        counts = raw[unknown].value_counts()
        for value, n in counts.items():
            report.append(
                _row(
                    file,
                    sheet.number,
                    "unknown_code",
                    f"{sheet.headers[key]!r}: unknown answer {value!r}",
                    int(n),
                    detail="rows "
                    + ", ".join(str(r) for r in sheet.frame.loc[unknown & (raw == value), "_row"]),
                )
            )
    return mapped, unknown


def _words(table: Mapping[str, object]) -> Callable[[pd.Series], pd.Series]:
    def mapping(raw: pd.Series) -> pd.Series:
        keys = raw.map(lambda v: normalise_header(v) if isinstance(v, str) else v)
        return keys.map(lambda v: table.get(v, pd.NA) if isinstance(v, str) else pd.NA)

    return mapping


def _codes(codes: Iterable[str]) -> Callable[[pd.Series], pd.Series]:
    allowed = set(codes)

    def mapping(raw: pd.Series) -> pd.Series:
        token = raw.str.extract(r"^([A-Za-z0-9]+)(?:\s*[:\-\u2013]|\s|$)", expand=False)
        token = token.str.upper()
        return token.where(token.isin(allowed))

    return mapping


_YES_NO = _words({"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False})
_SEX = _words(
    {
        "male": "M",
        "m": "M",
        "female": "F",
        "f": "F",
        "not stated recorded": "U",
        "not stated": "U",
        "not recorded": "U",
        "unknown": "U",
        "not known": "U",
        "indeterminate": "U",
        "u": "U",
    }
)
_ELIGIBILITY = _words(
    {
        "eligible": "eligible",
        "eligible child": "eligible",
        "relevant": "relevant",
        "relevant child": "relevant",
        "former relevant": "former_relevant",
        "former relevant child": "former_relevant",
        "qualifying": "qualifying",
        "qualifying care leaver": "qualifying",
        "qualifying child": "qualifying",
    }
)
_IN_TOUCH = _words(
    {
        "yes": "YES",
        "y": "YES",
        "no": "NO",
        "n": "NO",
        "died": "DIED",
        "refu": "REFU",
        "refused": "REFU",
        "young person refuses contact": "REFU",
        "nreq": "NREQ",
        "not required": "NREQ",
        "no longer requires services": "NREQ",
        "rhom": "RHOM",
        "returned home": "RHOM",
    }
)
_SUITABLE = _words(
    {
        "suitable": True,
        "unsuitable": False,
        "not suitable": False,
        "yes": True,
        "no": False,
        "1": True,
        "2": False,
    }
)


def _bool(series: pd.Series) -> pd.Series:
    return series.astype("boolean")


def _day(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%Y-%m-%d")


def _with_ids(
    frame: pd.DataFrame, key: str, base: pd.Series, number: int, file: str, report: list
) -> pd.DataFrame:
    """Give ``frame`` the id column ``key`` from ``base``; exact copies excluded, repeats of an id
    numbered ``-2``, ``-3``... in the order of the other values (stable, whatever the row order)."""
    frame = frame.assign(**{key: base})
    content = [c for c in frame.columns if c not in ("_row",)]
    copies = frame.duplicated(subset=content, keep="first")
    if copies.any():
        report.append(
            _row(
                file,
                number,
                "excluded",
                "exact copy of another row",
                int(copies.sum()),
                "rows " + ", ".join(str(r) for r in frame.loc[copies, "_row"]),
            )
        )
        frame = frame[~copies]
    repeated = frame[key].duplicated(keep=False)
    if repeated.any():
        others = [c for c in content if c != key]
        ordered = frame.assign(
            _text=frame[others].astype("string").fillna("").agg("|".join, axis=1)
        )
        ordered = ordered.sort_values([key, "_text"], kind="stable")
        rank = ordered.groupby(key, sort=False).cumcount() + 1
        suffix = rank.map(lambda n: "" if n == 1 else f"-{n}")
        frame = frame.assign(**{key: (ordered[key] + suffix).reindex(frame.index)})
        report.append(
            _row(
                file,
                number,
                "repaired",
                f"two or more rows with the same {key}: numbered -2, -3, ...",
                int(repeated.sum()),
                ", ".join(sorted(set(base[repeated.index][repeated]))),
            )
        )
    return frame


def _team(sheet: _Sheet) -> pd.Series:
    if "team" not in sheet.frame:
        return pd.Series(pd.NA, index=sheet.frame.index, dtype="string")
    text = sheet.frame["team"].map(lambda v: v if v is None else str(v)).astype("string")
    text = text.str.strip()
    return text.mask(text == "")


# --------------------------------------------------------------------------------------------------
# The import
# --------------------------------------------------------------------------------------------------


def import_annex_a(
    path: str | Path,
    *,
    request_date: dt.date | str | None = None,
    team_from: Literal["team", "worker"] = "team",
) -> ImportResult:
    """Read an Ofsted Annex A workbook into canonical extracts (see the module's documentation for
    every rule). ``request_date``: the date of Ofsted's request, if known (sets the coverage).
    ``team_from="worker"``: ``team`` holds the ``Allocated Worker`` as written instead of the
    ``Allocated Team``, for a worker -> team mapping applied afterwards (the combine step).

    Raises :class:`ReturnImportError` for a file that is not an Annex A workbook, a list without a
    required column, or invalid dates (every one named by sheet, row and column)."""
    path = Path(path)
    file = path.name
    workbook = _open(path)
    report: list[dict] = []
    sheets: dict[int, _Sheet] = {}
    try:
        epoch = workbook.epoch
        seen: dict[int, str] = {}
        for ws in workbook.worksheets:
            number = list_number(ws.title)
            if number is None:
                report.append(
                    _row(
                        file,
                        None,
                        "not_mapped",
                        f"sheet {ws.title!r} is not an Annex A list: not read",
                        0,
                    )
                )
                continue
            if number in seen:
                raise ReturnImportError(
                    f"{file}: sheets {seen[number]!r} and {ws.title!r} are both list {number}"
                )
            seen[number] = ws.title
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
            sheet, header_report = _read_sheet(number, ws.title, rows, file)
            report.extend(header_report)
            if normalise_header(ws.title) != f"list {number}":
                report.append(
                    _row(
                        file,
                        number,
                        "mapped",
                        f"sheet {ws.title!r} read as list {number}",
                        len(sheet.frame),
                    )
                )
            sheets[number] = sheet
    finally:
        workbook.close()
    if not sheets:
        raise ReturnImportError(
            f"{file}: not an Annex A workbook: no sheet named 'List 1' to 'List 11' "
            f"(sheets: {', '.join(repr(s) for s in _titles(report))})"
        )
    for number in sorted(LISTS):
        if number not in sheets:
            report.append(
                _row(
                    file,
                    number,
                    "not_mapped",
                    f"list {number} ({LISTS[number][0]}) is not in the workbook",
                    0,
                )
            )

    if team_from not in ("team", "worker"):
        raise UsageError(f"team_from must be 'team' or 'worker', not {team_from!r}")
    if team_from == "worker":
        for number, sheet in sheets.items():
            sheet.frame = sheet.frame.drop(columns=["team"], errors="ignore")
            if "worker" in sheet.frame:
                sheet.frame = sheet.frame.rename(columns={"worker": "team"})
                sheet.headers["team"] = sheet.headers.pop("worker")
                sheet.letters["team"] = sheet.letters.pop("worker")
                report.append(
                    _row(
                        file,
                        number,
                        "mapped",
                        "team from 'Allocated Worker' (team_from='worker')",
                        len(sheet.frame),
                    )
                )
    problems: list[str] = []
    dates: dict[int, dict[str, pd.Series]] = {}
    for number, sheet in sheets.items():
        _blank_errors(sheet, file, report)
        report.append(
            _row(
                file,
                number,
                "read",
                f"rows of list {number} ({LISTS[number][0]})",
                len(sheet.frame),
            )
        )
        dates[number] = {
            c.key: _dates(sheet, c.key, epoch, problems)
            for c in LISTS[number][1]
            if c.kind == "date" and c.key in sheet.frame
        }
    if problems:
        raise ReturnImportError(
            f"{file}: {len(problems)} invalid date(s):\n" + "\n".join(f"  - {p}" for p in problems)
        )

    ids: dict[int, pd.Series] = {}
    for number, sheet in sheets.items():
        child = _child_ids(sheet)
        blank = child.isna()
        if blank.any():
            report.append(
                _row(
                    file,
                    number,
                    "excluded",
                    "no Child Unique ID",
                    int(blank.sum()),
                    "rows " + ", ".join(str(r) for r in sheet.frame.loc[blank, "_row"]),
                )
            )
        ids[number] = child
    keep = {n: ids[n].notna() for n in sheets}

    extracts: dict[str, pd.DataFrame] = {}
    for number, reason in NOT_MAPPED_LISTS.items():
        if number in sheets:
            report.append(_row(file, number, "not_mapped", reason, int(keep[number].sum())))
    for number, sheet in sheets.items():
        for key, why in NOT_MAPPED_COLUMNS.items():
            if key in sheet.frame and number not in NOT_MAPPED_LISTS:
                report.append(
                    _row(file, number, "not_mapped", f"{sheet.headers[key]!r} not used: {why}", 0)
                )

    def frame_of(number: int) -> pd.DataFrame:
        sheet = sheets[number]
        return pd.DataFrame({"child_id": ids[number], "_row": sheet.frame["_row"]})[keep[number]]

    if 3 in sheets:
        extracts["referrals"] = _referrals(sheets, dates, frame_of, file, report)
    elif 6 in sheets:
        report.append(
            _row(file, 6, "not_mapped", "CIN episodes: referrals need list 3", int(keep[6].sum()))
        )
    if 4 in sheets:
        s, d = sheets[4], dates[4]
        seen, _ = _answers(s, "child_seen", _YES_NO, file, report)
        frame = frame_of(4).assign(
            team=_team(s),
            referral_id=pd.NA,
            start_date=d["start_date"],
            authorised_date=d.get("authorised_date", _nat(s)),
            child_seen=_bool(seen),
            child_missing=pd.Series(pd.NA, index=s.frame.index, dtype="boolean"),
        )[keep[4]]
        extracts["assessments"] = _finish(
            "assessments",
            "assessment_id",
            frame,
            frame["child_id"] + "-" + _day(frame["start_date"]),
            4,
            file,
            report,
        )
    if 5 in sheets:
        s, d = sheets[5], dates[5]
        outcome, _ = _answers(s, "icpc_outcome_cp_plan", _YES_NO, file, report)
        frame = frame_of(5).assign(
            team=_team(s),
            referral_id=pd.NA,
            start_date=d["start_date"],
            completed_date=_nat(s),
            child_seen=pd.Series(pd.NA, index=s.frame.index, dtype="boolean"),
            icpc_date=d.get("icpc_date", _nat(s)),
            icpc_outcome_cp_plan=_bool(outcome),
        )[keep[5]]
        extracts["s47_enquiries"] = _finish(
            "s47_enquiries",
            "s47_id",
            frame,
            frame["child_id"] + "-" + _day(frame["start_date"]),
            5,
            file,
            report,
        )
    if 7 in sheets:
        s, d = sheets[7], dates[7]
        frame = frame_of(7).assign(
            team=_team(s),
            referral_id=pd.NA,
            start_date=d["start_date"],
            end_date=d.get("end_date", _nat(s)),
        )[keep[7]]
        plans = _finish(
            "cp_plans",
            "cp_plan_id",
            frame,
            frame["child_id"] + "-" + _day(frame["start_date"]),
            7,
            file,
            report,
        )
        extracts["cp_plans"] = plans
        if "latest_review" in d:
            reviews = frame.assign(
                cp_plan_id=plans["cp_plan_id"].to_numpy(), review_date=d["latest_review"][keep[7]]
            )
            reviews = reviews[reviews["review_date"].notna()]
            extracts["cp_reviews"] = _finish(
                "cp_reviews",
                "cp_review_id",
                reviews,
                reviews["cp_plan_id"] + "-" + _day(reviews["review_date"]),
                7,
                file,
                report,
            )
    if 8 in sheets:
        extracts["cic_episodes"] = _episodes(sheets[8], dates[8], frame_of(8), file, report)
        extracts["health_checks"] = _health_checks(sheets[8], dates[8], frame_of(8), file, report)
    if 9 in sheets:
        leavers, contacts = _care_leavers(sheets[9], dates[9], frame_of(9), file, report)
        extracts["care_leavers"] = leavers
        extracts["care_leaver_contacts"] = contacts
    if 10 in sheets:
        s, d = sheets[10], dates[10]
        frame = frame_of(10).assign(team=pd.Series(pd.NA, index=s.frame.index, dtype="string"))
        for col in SPECS["adoptions"].columns:
            if SPECS["adoptions"].field(col).kind == "date":
                frame[col] = d.get(col, _nat(s))[keep[10]]
        frame["foster_carer_adoption"] = pd.Series(pd.NA, index=frame.index, dtype="boolean")
        entered = d.get("entered_care", _nat(s))[keep[10]]
        base = frame["child_id"] + ("-" + _day(entered)).fillna("")
        extracts["adoptions"] = _finish("adoptions", "adoption_id", frame, base, 10, file, report)

    if extracts:
        extracts["children"] = _children(sheets, dates, ids, keep, extracts, file, report)
    extraction, first = _coverage(sheets, dates, request_date, file)
    how = "the request date given" if request_date is not None else "the latest date in the lists"
    notes = (
        (
            "Annex A gives the latest event only for: "
            + "; ".join(f"{k} ({v})" for k, v in LATEST_ONLY.items() if k in extracts),
            f"coverage from {how}: the 12 months before the request date ({first} to {extraction})",
        )
        if extraction is not None
        else ()
    )
    return ImportResult(
        source=SOURCE,
        extracts=extracts,
        report=report_rows(report),
        first_date_covered=first,
        extraction_date=extraction,
        notes=notes,
    )


def _titles(report: list[dict]) -> list[str]:
    return [
        re.search(r"sheet '(.*)' is not", r["reason"]).group(1)
        for r in report
        if r["reason"].startswith("sheet '") and "not an Annex A" in r["reason"]
    ]


def _nat(sheet: _Sheet) -> pd.Series:
    return pd.Series(pd.NaT, index=sheet.frame.index, dtype="datetime64[ns]")


def _finish(
    name: str, key: str, frame: pd.DataFrame, base: pd.Series, number: int, file: str, report: list
) -> pd.DataFrame:
    """Ids, canonical columns in order, a fresh index; the mapped rows reported."""
    frame = _with_ids(frame, key, base, number, file, report)
    report.append(_row(file, number, "mapped", f"-> {name}", len(frame)))
    out = frame[list(SPECS[name].columns)].reset_index(drop=True)
    for col in SPECS[name].columns:
        kind = SPECS[name].field(col).kind
        if kind in ("id", "team", "code", "text"):
            out[col] = out[col].astype("string")
    return out


def _referrals(sheets, dates, frame_of, file, report) -> pd.DataFrame:
    s3 = sheets[3]
    nfa, _ = _answers(s3, "nfa", _YES_NO, file, report)
    l3 = frame_of(3).assign(
        team=_team(s3)[frame_of(3).index],
        referral_date=dates[3]["referral_date"],
        nfa=nfa.astype("boolean").fillna(False),
    )
    l3 = l3[l3.index.isin(frame_of(3).index)]
    closure = pd.Series(pd.NaT, index=l3.index, dtype="datetime64[ns]")
    l3 = l3.assign(closure_date=closure)
    if 6 in sheets:
        s6 = sheets[6]
        l6 = frame_of(6).assign(
            team6=_team(s6),
            cin_start=dates[6]["cin_start"],
            closure6=dates[6].get("closure_date", _nat(s6)),
        )
        l6 = l6[l6.index.isin(frame_of(6).index)]
        twice = l6.duplicated(["child_id", "cin_start"], keep="first")
        if twice.any():
            report.append(
                _row(
                    file,
                    6,
                    "excluded",
                    "another row for the same CIN episode (child and CIN Start Date): the first "
                    "row in the sheet is used",
                    int(twice.sum()),
                    "rows " + ", ".join(str(r) for r in l6.loc[twice, "_row"]),
                )
            )
            l6 = l6[~twice]
        merged = (
            l3.reset_index()
            .merge(
                l6[["child_id", "cin_start", "team6", "closure6"]],
                left_on=["child_id", "referral_date"],
                right_on=["child_id", "cin_start"],
                how="left",
            )
            .set_index("index")
        )
        matched = merged["cin_start"].notna()
        l3 = l3.assign(
            closure_date=merged["closure6"],
            team=merged["team6"].fillna(merged["team"]).astype("string"),
        )
        report.append(
            _row(
                file,
                6,
                "mapped",
                "CIN episode of a list 3 referral (closure date, team)",
                int(matched.sum()),
            )
        )
        nfa_closed = l3["nfa"] & ~matched
        l3.loc[nfa_closed, "closure_date"] = l3.loc[nfa_closed, "referral_date"]
        used = pd.MultiIndex.from_frame(l3[["child_id", "referral_date"]])
        own = l6[~pd.MultiIndex.from_frame(l6[["child_id", "cin_start"]]).isin(used)]
        extra = pd.DataFrame(
            {
                "child_id": own["child_id"],
                "team": own["team6"],
                "referral_date": own["cin_start"],
                "closure_date": own["closure6"],
                "_row": own["_row"],
            }
        )
        report.append(
            _row(file, 6, "mapped", "-> referrals (CIN episodes not in list 3)", len(extra))
        )
    else:
        nfa_closed = l3["nfa"]
        l3.loc[nfa_closed, "closure_date"] = l3.loc[nfa_closed, "referral_date"]
        extra = pd.DataFrame(columns=["child_id", "team", "referral_date", "closure_date", "_row"])
    if nfa_closed.any():
        report.append(
            _row(
                file,
                3,
                "mapped",
                "Referral NFA? = Yes: closed on the referral date",
                int(nfa_closed.sum()),
            )
        )
    l3 = l3[["child_id", "team", "referral_date", "closure_date", "_row"]]
    l3 = _with_ids(
        l3, "referral_id", l3["child_id"] + "-" + _day(l3["referral_date"]), 3, file, report
    )
    report.append(_row(file, 3, "mapped", "-> referrals", len(l3)))
    if len(extra):
        extra = _with_ids(
            extra,
            "referral_id",
            extra["child_id"] + "-" + _day(extra["referral_date"]),
            6,
            file,
            report,
        )
        frame = pd.concat([l3, extra], ignore_index=True)
    else:
        frame = l3.reset_index(drop=True)
    frame = frame.astype({"referral_date": "datetime64[ns]", "closure_date": "datetime64[ns]"})
    out = frame[list(SPECS["referrals"].columns)].reset_index(drop=True)
    return out.astype({"referral_id": "string", "child_id": "string", "team": "string"})


def _episodes(s, d, base, file, report) -> pd.DataFrame:
    spec = SPECS["cic_episodes"]
    legal, legal_bad = _answers(
        s, "legal_status", _codes(spec.field("legal_status").codes), file, report
    )
    place, place_bad = _answers(
        s, "placement_type", _codes(spec.field("placement_type").codes), file, report
    )
    provider, _ = _answers(
        s, "placement_provider", _codes(spec.field("placement_provider").codes), file, report
    )
    reason, reason_bad = _answers(
        s, "reason_ceased", _codes(spec.field("reason_ceased").codes), file, report
    )
    lac = d["lac_start"]
    legal_start = d.get("legal_start", _nat(s))
    place_start = d.get("placement_start", _nat(s))
    start = pd.concat([lac, legal_start, place_start], axis=1).max(axis=1)
    rne = np.select(
        [start == lac, (start == legal_start) & (start == place_start), start == legal_start],
        ["S", "B", "L"],
        "P",
    )
    ceased = d.get("ceased", _nat(s))
    frame = base.assign(
        team=_team(s),
        start_date=start,
        end_date=ceased,
        reason_new_episode=rne,
        legal_status=legal,
        placement_type=place,
        placement_provider=provider,
        reason_ceased=reason,
        distance_miles=np.nan,
    ).loc[base.index]
    drop = pd.Series(False, index=frame.index)
    for mask, why in (
        (frame["legal_status"].isna(), "no known Child's Legal Status: episode not mapped"),
        (frame["placement_type"].isna(), "no known Placement Type: episode not mapped"),
        (
            frame["end_date"].notna() & frame["reason_ceased"].isna(),
            "Date Ceased to be Looked After without a known reason: episode not mapped",
        ),
        (
            frame["reason_ceased"].notna() & frame["end_date"].isna(),
            "Reason Ceased to be Looked After without a date: episode not mapped",
        ),
    ):
        new = mask & ~drop
        if new.any():
            report.append(
                _row(
                    file,
                    8,
                    "excluded",
                    why,
                    int(new.sum()),
                    "rows " + ", ".join(str(r) for r in frame.loc[new, "_row"]),
                )
            )
        drop |= mask
    del legal_bad, place_bad, reason_bad
    frame = frame[~drop]
    return _finish(
        "cic_episodes",
        "episode_id",
        frame,
        frame["child_id"] + "-" + _day(frame["start_date"]),
        8,
        file,
        report,
    )


def _health_checks(s, d, base, file, report) -> pd.DataFrame:
    """The latest health assessment and dental check of each child of list 8 (when given)."""
    parts = []
    for key, check_type in (("health", "health_assessment"), ("dental", "dental")):
        if key in d:
            part = base.assign(check_type=check_type, check_date=d[key][base.index])
            parts.append(part[part["check_date"].notna()])
    frame = pd.concat(parts) if parts else base.assign(check_type="", check_date=pd.NaT).iloc[:0]
    frame = frame.reset_index(drop=True)
    ids = frame["child_id"] + "-" + frame["check_type"] + "-" + _day(frame["check_date"])
    return _finish("health_checks", "health_check_id", frame, ids, 8, file, report)


def _care_leavers(s, d, base, file, report) -> tuple[pd.DataFrame, pd.DataFrame]:
    spec = SPECS["care_leaver_contacts"]
    eligibility, _ = _answers(s, "eligibility", _ELIGIBILITY, file, report)
    in_touch, _ = _answers(s, "in_touch", _IN_TOUCH, file, report)
    accommodation, _ = _answers(
        s, "accommodation_type", _codes(spec.field("accommodation_type").codes), file, report
    )
    suitable, _ = _answers(s, "accommodation_suitable", _SUITABLE, file, report)
    activity, _ = _answers(s, "activity", _codes(spec.field("activity").codes), file, report)
    frame = base.assign(team=_team(s), eligibility=eligibility).loc[base.index]
    no_category = frame["eligibility"].isna()
    if no_category.any():
        report.append(
            _row(
                file,
                9,
                "excluded",
                "no known Eligibility Category: not a care leaver",
                int(no_category.sum()),
                "rows " + ", ".join(str(r) for r in frame.loc[no_category, "_row"]),
            )
        )
    frame = frame[~no_category]
    twice = frame["child_id"].duplicated(keep=False)
    if twice.any():
        raise ReturnImportError(
            f"{file}: list 9 names a care leaver more than once (Child Unique ID "
            f"{', '.join(sorted(set(frame.loc[twice, 'child_id'])))}, rows "
            f"{', '.join(str(r) for r in frame.loc[twice, '_row'])}): which row holds?"
        )
    leavers = frame[["child_id", "team", "eligibility"]].reset_index(drop=True).astype("string")
    report.append(_row(file, 9, "mapped", "-> care_leavers", len(leavers)))
    contacts = base.assign(
        contact_date=d.get("contact_date", _nat(s)),
        in_touch=in_touch,
        accommodation_type=accommodation,
        accommodation_suitable=_bool(suitable),
        activity=activity,
    ).loc[frame.index]
    usable = contacts["contact_date"].notna() & contacts["in_touch"].notna()
    if (~usable).any():
        report.append(
            _row(
                file,
                9,
                "not_mapped",
                "no 'Latest Date of Contact' or no known 'LA in Touch': no contact row",
                int((~usable).sum()),
            )
        )
    contacts = contacts[usable]
    return leavers, _finish(
        "care_leaver_contacts",
        "contact_id",
        contacts,
        contacts["child_id"] + "-" + _day(contacts["contact_date"]),
        9,
        file,
        report,
    )


def _children(sheets, dates, ids, keep, extracts, file, report) -> pd.DataFrame:
    parts = []
    for number, sheet in sorted(sheets.items()):
        if number == 11:
            continue
        sex, _ = _answers(sheet, "sex", _SEX, file, report)
        disabled, _ = _answers(sheet, "disabled", _YES_NO, file, report)
        uasc, _ = _answers(sheet, "uasc", _YES_NO, file, report)
        parts.append(
            pd.DataFrame(
                {
                    "child_id": ids[number],
                    "list": number,
                    "date_of_birth": dates[number].get("date_of_birth", _nat(sheet)),
                    "sex": sex.astype("string"),
                    "disabled": disabled.astype("boolean"),
                    "uasc": uasc.astype("boolean"),
                }
            )[keep[number]]
        )
    known = pd.concat(parts, ignore_index=True)
    wanted = pd.concat([f["child_id"] for f in extracts.values()]).dropna().unique()
    known = known[known["child_id"].isin(wanted)]
    for col in ("date_of_birth", "sex", "disabled"):
        counts = known.dropna(subset=[col]).groupby("child_id")[col].nunique()
        differ = sorted(counts[counts > 1].index)
        if differ:
            rule = (
                "true if any list says yes"
                if col == "disabled"
                else "the first list (1 to 10) that gives it is used"
            )
            report.append(
                _row(
                    file,
                    None,
                    "repaired",
                    f"lists disagree about {col}: {rule}",
                    len(differ),
                    "children " + ", ".join(differ),
                )
            )
    grouped = known.groupby("child_id", sort=True)
    first = grouped[["date_of_birth", "sex"]].first()
    disabled = grouped["disabled"].agg(lambda v: v.any() if v.notna().any() else pd.NA)
    uasc = grouped["uasc"].agg(lambda v: bool(v.fillna(False).any()))
    children = pd.DataFrame(
        {
            "child_id": first.index.astype("string"),
            "date_of_birth": first["date_of_birth"].to_numpy(dtype="datetime64[ns]"),
            "expected_date_of_birth": pd.Series(pd.NaT, index=first.index).to_numpy(
                dtype="datetime64[ns]"
            ),
            "sex": first["sex"].fillna("U").to_numpy(),
            "uasc": uasc.reindex(first.index).to_numpy(dtype=bool),
            "uasc_ceased_date": pd.Series(pd.NaT, index=first.index).to_numpy(
                dtype="datetime64[ns]"
            ),
            "disabled": disabled.reindex(first.index).astype("boolean").to_numpy(),
        }
    ).astype({"sex": "string", "disabled": "boolean"})
    no_birth = sorted(first.index[first["date_of_birth"].isna()])
    if no_birth:
        report.append(
            _row(
                file,
                None,
                "mapped",
                "no Date of Birth in any list (Annex A has no expected date of birth for an "
                "unborn child): validation will ask for one",
                len(no_birth),
                "children " + ", ".join(no_birth),
            )
        )
    missing_sex = int(first["sex"].isna().sum())
    if missing_sex:
        report.append(
            _row(file, None, "repaired", "no Gender in any list: sex U (unknown)", missing_sex)
        )
    report.append(_row(file, None, "mapped", "-> children", len(children)))
    return children


def _coverage(sheets, dates, request_date, file) -> tuple[dt.date | None, dt.date | None]:
    if request_date is not None:
        extraction = pd.Timestamp(request_date).date()
    else:
        latest = [
            series.max()
            for number, by_key in dates.items()
            if number != 11
            for key, series in by_key.items()
            if key != "date_of_birth" and series.notna().any()
        ]
        if not latest:
            return None, None
        extraction = max(latest).date()
    first = (pd.Timestamp(extraction) - pd.DateOffset(months=12) + pd.Timedelta(days=1)).date()
    return extraction, first
