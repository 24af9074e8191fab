"""Importer of the DfE children in need (CIN) census: XML returns of one or several years.

``import_cin_census(paths)`` reads CIN census XML files (the schemas of 2017-18 to 2025-26: the
element ``<GenderCurrent>`` (1/2/0/9) became ``<Sex>`` (M/F/U) in 2024-25; both are read) and
returns the canonical extracts ``children``, ``referrals``, ``assessments``, ``cin_plans``,
``s47_enquiries``, ``cp_plans`` and ``cp_reviews`` (:class:`~scorecard.importers.ImportResult`,
source ``"cin_census"``; ``team`` is left blank: the census has no team).

Mapping (docs/extracts.md has the per-column table):

- ``<Child>``: ``<LAchildID>`` -> ``child_id``; ``<PersonBirthDate>``, ``<ExpectedPersonBirthDate>``;
  ``<Sex>`` M/F/U or ``<GenderCurrent>`` 1 -> M, 2 -> F, 0/9 -> U (missing -> U, counted);
  ``<Disability>``: any code other than NONE -> ``disabled`` true, only NONE -> false, no
  ``<Disabilities>`` -> blank; ``uasc`` is true when an assessment of the child records factor 9A
  (unaccompanied asylum-seeking child), false otherwise (the census has no other UASC field).
- ``<CINdetails>`` -> ``referrals``, id ``<LAchildID>-<CINreferralDate>``.
- ``<Assessments>`` -> ``assessments``, id ``<referral_id>-A-<AssessmentActualStartDate>``
  (``child_seen`` and ``child_missing`` blank: not in the census; the factors are not mapped,
  except 9A as above).
- ``<CINPlanDates>`` -> ``cin_plans``, id ``<referral_id>-CIN-<CINPlanStartDate>``.
- ``<Section47>`` -> ``s47_enquiries``, id ``<referral_id>-S47-<S47ActualStartDate>``; its
  ``<DateOfInitialCPC>`` -> ``icpc_date``; ``icpc_outcome_cp_plan`` is true when a CP plan of the
  child starts on the ICPC date, false when none does, blank without an ICPC. ``completed_date``
  and ``child_seen`` are blank (not in the census). A ``<DateOfInitialCPC>`` of ``<CINdetails>``
  itself (an ICPC with no S47 module) is not mapped (counted): an enquiry needs its start.
- ``<ChildProtectionPlans>`` -> ``cp_plans``, id ``<referral_id>-CPP-<CPPstartDate>``;
  ``<Reviews>/<CPPreviewDate>`` -> ``cp_reviews``, id ``<cp_plan_id>-R-<CPPreviewDate>``.

Ids end in fixed-length dates, so two different records never get the same id.

Several years. Files are ordered by their census reference date (``<ReferenceDate>``, or 31 March
of ``<Year>``). Two files of one collection year are refused (the same bytes twice are read once).
The same child in several files is one child: each characteristic is taken from the latest file
that records it (differences between files are counted, ``repaired``). The same referral, module
or review (same id) in several files is one record: the latest file's record is kept (a later
census completes an episode still open in an earlier one; differences are counted).

Dates. A date element must hold a calendar date written ``YYYY-MM-DD`` (years 1678-2261), a
record's start is required, and an end date may not be before its start (closure before referral,
authorisation before start, plan end before start, ICPC before the S47 start). Every such *invalid
record* is listed at once in one :class:`ReturnImportError` (file, line, ``LAchildID``, record and
element; values shown by their shape only), and nothing is imported: the default,
``invalid="fail"``. With ``invalid="exclude"`` the invalid records are left out instead, each with
the records inside it (an invalid ``<Child>`` takes its referrals, an invalid ``<CINdetails>`` its
modules, a CP plan its reviews), and counted in the report (``excluded``), so the other children
can be imported. Independently of that choice, as the loader does with records after the
extraction date: a record whose own date (referral, start of a module, review) is after its file's
reference date is out of the census and left out (``excluded``, counted); an end date (closure,
authorisation, plan end, ICPC) after the reference date is blanked, since the census describes
the case at its reference date (``repaired``, counted).

Codes are checked against the DfE code lists of these years (below): an unknown code is counted
(``unknown_code``) and the row kept; a ``<Sex>`` written as a ``<GenderCurrent>`` code (or the
reverse) is read as such; another unknown sex is U. Files are parsed with the standard library's
expat without entity expansion: a file with a document type declaration (``<!DOCTYPE``, where
entities are declared) is refused.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import assert_never
from xml.parsers import expat

import pandas as pd

from scorecard.errors import UsageError
from scorecard.extracts import SPECS
from scorecard.extracts.load import MAX_FILE_BYTES, UnreadableFileError, read_regular_file
from scorecard.extracts.validate import shape_of
from scorecard.importers.base import ImportResult, ReturnImportError, report_row, report_rows

SOURCE = "cin_census"

#: <Sex> codes (from 2024-25) and <GenderCurrent> codes (to 2023-24) -> canonical sex.
SEX_CODES = {"M": "M", "F": "F", "U": "U"}
GENDER_CURRENT_CODES = {"1": "M", "2": "F", "0": "U", "9": "U"}
#: <Disability> codes (unchanged 2017-18 to 2025-26).
DISABILITY_CODES = frozenset(
    {"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"}
)
#: <AssessmentFactors> codes of 2017-18 to 2025-26 (18B/C, 19B/C from 2020-21, 24A from 2021-22;
#: 18A/19A kept for earlier years).
ASSESSMENT_FACTOR_CODES = frozenset(
    [
        "1A",
        "1B",
        "1C",
        "2A",
        "2B",
        "2C",
        "3A",
        "3B",
        "3C",
        "4A",
        "4B",
        "4C",
        "5A",
        "5B",
        "5C",
        "6A",
        "6B",
        "6C",
        "7A",
        "8B",
        "8C",
        "8D",
        "8E",
        "8F",
        "9A",
        "10A",
        "11A",
        "12A",
        "13A",
        "14A",
        "15A",
        "16A",
        "17A",
        "18A",
        "18B",
        "18C",
        "19A",
        "19B",
        "19C",
        "20",
        "21",
        "22A",
        "23A",
        "24A",
    ]
)
#: The assessment factor of an unaccompanied asylum-seeking child.
UASC_FACTOR = "9A"

#: How many record ids a report detail names before "and N more".
_DETAIL_IDS = 20


class InvalidRecords(StrEnum):
    """What :func:`import_cin_census` does with invalid records (bad or missing dates)."""

    FAIL = "fail"  #: raise one ReturnImportError listing every invalid record; nothing imported
    EXCLUDE = "exclude"  #: leave them out (with the records inside them), counted in the report


@dataclass(frozen=True)
class _Level:
    """One kind of record of the return: its element, extract, id and dates."""

    element: str
    extract: str
    id_column: str
    id_tag: str  # "" for a referral (<LAchildID>-<date>), else "-A-", "-CIN-", ...
    start: str
    end: str | None
    start_column: str
    end_column: str | None


REFERRAL = _Level(
    "CINdetails",
    "referrals",
    "referral_id",
    "-",
    "CINreferralDate",
    "CINclosureDate",
    "referral_date",
    "closure_date",
)
MODULES = (
    _Level(
        "Assessments",
        "assessments",
        "assessment_id",
        "-A-",
        "AssessmentActualStartDate",
        "AssessmentAuthorisationDate",
        "start_date",
        "authorised_date",
    ),
    _Level(
        "CINPlanDates",
        "cin_plans",
        "cin_plan_id",
        "-CIN-",
        "CINPlanStartDate",
        "CINPlanEndDate",
        "start_date",
        "end_date",
    ),
    _Level(
        "Section47",
        "s47_enquiries",
        "s47_id",
        "-S47-",
        "S47ActualStartDate",
        "DateOfInitialCPC",
        "start_date",
        "icpc_date",
    ),
    _Level(
        "ChildProtectionPlans",
        "cp_plans",
        "cp_plan_id",
        "-CPP-",
        "CPPstartDate",
        "CPPendDate",
        "start_date",
        "end_date",
    ),
)
REVIEW = _Level(
    "CPPreviewDate", "cp_reviews", "cp_review_id", "-R-", "CPPreviewDate", None, "review_date", None
)
_CPP = MODULES[3]
MODULES_ELEMENTS = tuple(m.element for m in MODULES)

#: Elements read ("Parent/Tag"); every other element is counted as not mapped.
_READ = frozenset(
    {
        "/Message",
        "Message/Header",
        "Message/Children",
        "Children/Child",
        "Child/ChildIdentifiers",
        "ChildIdentifiers/LAchildID",
        "ChildIdentifiers/PersonBirthDate",
        "ChildIdentifiers/ExpectedPersonBirthDate",
        "ChildIdentifiers/Sex",
        "ChildIdentifiers/GenderCurrent",
        "Child/ChildCharacteristics",
        "ChildCharacteristics/Disabilities",
        "Disabilities/Disability",
        "Child/CINdetails",
        "CINdetails/CINreferralDate",
        "CINdetails/CINclosureDate",
        "Assessments/FactorsIdentifiedAtAssessment",
        "ChildProtectionPlans/Reviews",
        "Reviews/CPPreviewDate",
    }
    | {f"CINdetails/{m.element}" for m in MODULES}
    | {f"{m.element}/{m.start}" for m in MODULES}
    | {f"{m.element}/{m.end}" for m in MODULES}
)
_NOT_MAPPED_WHY = {
    "CINdetails/DateOfInitialCPC": "an ICPC with no <Section47> in the episode: s47_enquiries "
    "needs the enquiry's start",
    "FactorsIdentifiedAtAssessment/AssessmentFactors": "factors are not in the canonical "
    "extracts; 9A (UASC) sets children.uasc",
}


# --------------------------------------------------------------------------------------------------
# Reading a file (expat, no DTD, no entities)
# --------------------------------------------------------------------------------------------------


class _Node:
    __slots__ = ("children", "line", "parts", "tag")

    def __init__(self, tag: str, line: int) -> None:
        self.tag = tag
        self.line = line
        self.parts: list[str] = []
        self.children: list[_Node] = []

    def all(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]

    def first(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def text(self) -> str | None:
        return "".join(self.parts).strip() or None


class _Refused(Exception):
    pass


@dataclass
class _Return:
    """One file: its header and its records as raw text rows."""

    name: str
    digest: str
    reference_date: dt.date | None = None
    year: str | None = None
    rows: dict[str, list[tuple]] | None = None
    problems: list[dict] | None = None
    tags: Counter | None = None

    @property
    def collection_year(self) -> str:
        start = _year_start(self.reference_date)
        return f"{start.year}/{(start.year + 1) % 100:02d}"


def _year_start(day: dt.date | None) -> dt.date:
    assert day is not None
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _parse(data: bytes) -> tuple[_Node, Counter]:
    """The tree of a file (without the <Child> elements, which go to ``on_child``), tag counts."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    roots: list[_Node] = []
    tags: Counter = Counter()

    def refuse_dtd(*_: object) -> None:
        raise _Refused(
            f"has a document type declaration (<!DOCTYPE>, line {parser.CurrentLineNumber}): "
            "refused (a DTD can declare entities that expand or read other files); a CIN census "
            "file has none"
        )

    def refuse_entity(*_: object) -> None:
        raise _Refused(f"declares an entity (line {parser.CurrentLineNumber}): refused")

    def start(tag: str, _attrs: object) -> None:
        node = _Node(tag, parser.CurrentLineNumber)
        tags[f"{stack[-1].tag if stack else ''}/{tag}"] += 1
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack and not stack[-1].children:
            stack[-1].parts.append(data)

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small nodes: the collector would rescan them all
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _Refused(
            f"not well-formed XML (line {exc.lineno}, column {exc.offset}): "
            f"{expat.errors.messages[exc.code] if exc.code else exc}"
        ) from exc
    finally:
        if collecting:
            gc.enable()
    return roots[0], tags


def _one(node: _Node, tag: str, where: dict, problems: list[dict]) -> tuple[str | None, int]:
    """The text of the single ``tag`` child of ``node`` (and its line); repeated -> a problem."""
    found = node.all(tag)
    if not found:
        return None, node.line
    values = {f.text() for f in found}
    if len(values) > 1:
        problems.append(
            {**where, "line": found[1].line, "element": tag, "problem": "appears more than once"}
        )
    return found[0].text(), found[0].line


def _read_children(root: _Node, rows: dict[str, list[tuple]], problems: list[dict]) -> None:
    children = root.first("Children")
    for c, child in enumerate(children.all("Child") if children is not None else [], start=1):
        base = {"c": c, "r": 0, "kind": "", "k": 0, "v": 0, "child": None, "where": f"Child {c}"}
        ids = child.first("ChildIdentifiers") or _Node("ChildIdentifiers", child.line)
        la_id, _ = _one(ids, "LAchildID", base, problems)
        base["child"] = la_id
        if la_id is None:
            problems.append(
                {**base, "line": ids.line, "element": "LAchildID", "problem": "is missing"}
            )
        dob, dob_line = _one(ids, "PersonBirthDate", base, problems)
        edob, edob_line = _one(ids, "ExpectedPersonBirthDate", base, problems)
        sex, _ = _one(ids, "Sex", base, problems)
        sex_element = "Sex"
        if sex is None:
            sex, _ = _one(ids, "GenderCurrent", base, problems)
            sex_element = "GenderCurrent" if sex is not None else ""
        characteristics = child.first("ChildCharacteristics")
        disabilities_node = characteristics.first("Disabilities") if characteristics else None
        disabilities = (
            "|".join(d.text() or "" for d in disabilities_node.all("Disability"))
            if disabilities_node is not None
            else None
        )
        rows["Child"].append(
            (c, child.line, la_id, dob, dob_line, edob, edob_line, sex, sex_element, disabilities)
        )
        for r, episode in enumerate(child.all(REFERRAL.element), start=1):
            where = {**base, "r": r, "where": f"Child {c} > CINdetails {r}"}
            start, start_line = _one(episode, REFERRAL.start, where, problems)
            end, end_line = _one(episode, REFERRAL.end, where, problems)
            rows[REFERRAL.element].append(
                (c, r, 0, 0, episode.line, la_id, start, start_line, end, end_line, None)
            )
            for level in MODULES:
                for k, module in enumerate(episode.all(level.element), start=1):
                    at = {**where, "kind": level.element, "k": k}
                    at["where"] = f"{where['where']} > {level.element} {k}"
                    start, start_line = _one(module, level.start, at, problems)
                    end, end_line = _one(module, level.end or "", at, problems)
                    extra = None
                    if level.element == "Assessments":
                        factors = module.first("FactorsIdentifiedAtAssessment")
                        extra = "|".join(
                            f.text() or ""
                            for f in (factors.all("AssessmentFactors") if factors else [])
                        )
                    rows[level.element].append(
                        (c, r, k, 0, module.line, la_id, start, start_line, end, end_line, extra)
                    )
                    if level is not _CPP:
                        continue
                    reviews = module.first("Reviews")
                    for v, review in enumerate(reviews.all("CPPreviewDate") if reviews else [], 1):
                        rows[REVIEW.element].append(
                            (
                                c,
                                r,
                                k,
                                v,
                                review.line,
                                la_id,
                                review.text(),
                                review.line,
                                None,
                                0,
                                None,
                            )
                        )


def _read_file(path: Path, max_file_bytes: int) -> _Return:
    try:
        data = read_regular_file(path, max_file_bytes)
    except UnreadableFileError as exc:
        raise _Refused(str(exc)) from exc
    ret = _Return(name=str(path), digest=hashlib.sha256(data).hexdigest())
    root, ret.tags = _parse(data)
    if root.tag != "Message":
        raise _Refused(f"the root element is <{root.tag}>, not <Message>: not a CIN census file")
    details = (root.first("Header") or _Node("", 0)).first("CollectionDetails") or _Node("", 0)
    collection = details.first("Collection")
    if collection is not None and collection.text() not in (None, "CIN"):
        raise _Refused(f"<Collection> is {collection.text()!r}, not 'CIN': not a CIN census file")
    year = details.first("Year")
    ret.year = year.text() if year is not None else None
    reference = details.first("ReferenceDate")
    if reference is not None and reference.text() is not None:
        try:
            ret.reference_date = dt.date.fromisoformat(reference.text() or "")
        except ValueError:
            raise _Refused(
                f"<ReferenceDate> {reference.text()!r} (line {reference.line}) is not a date "
                "YYYY-MM-DD"
            ) from None
    elif ret.year is not None and ret.year.isdigit() and len(ret.year) == 4:
        ret.reference_date = dt.date(int(ret.year), 3, 31)
    else:
        raise _Refused(
            "the header gives neither <ReferenceDate> nor <Year> (Header > CollectionDetails): "
            "the collection year is not known"
        )
    if root.first("Children") is None:
        raise _Refused("has no <Children> element: not a CIN census file")
    ret.rows = {
        name: [] for name in ("Child", REFERRAL.element, *MODULES_ELEMENTS, "CPPreviewDate")
    }
    ret.problems = []
    _read_children(root, ret.rows, ret.problems)
    return ret


def _files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xml")
            if not inside:
                raise ReturnImportError(f"CIN census: {path}: a folder with no .xml file")
            found.extend(inside)
        else:
            found.append(path)
    if not found:
        raise UsageError("CIN census: no file given")
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------------------------------
# Frames, checks and the merge
# --------------------------------------------------------------------------------------------------

_RAW = ["c", "r", "k", "v", "line", "child", "start", "start_line", "end", "end_line", "extra"]


def _dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parsed dates (NaT where blank or invalid) and where a value is given but is no date."""
    text = values.astype("string").str.strip()
    shaped = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    year = pd.to_numeric(text.str.slice(0, 4).where(shaped), errors="coerce")
    shaped &= year.between(1678, 2261).fillna(False).astype(bool)
    parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce")
    parsed = parsed.astype("datetime64[ns]")
    return parsed, (text.notna() & parsed.isna()).astype(bool)


def _problems(
    frame: pd.DataFrame, mask: pd.Series, element: str, problem: str | pd.Series, line: str
) -> pd.DataFrame:
    """Problem rows (file, record key, child, record, line, element, problem) of ``mask``."""
    part = frame.loc[mask.to_numpy()]
    out = part[["f", "key", "child", "where"]].copy()
    out["line"] = part[line].to_numpy()
    out["element"] = element
    out["problem"] = problem if isinstance(problem, str) else problem.reindex(part.index).to_numpy()
    return out


def _where(frame: pd.DataFrame, level: _Level) -> pd.Series:
    text = "Child " + frame["c"].astype(str)
    if level is REFERRAL or level in MODULES or level is REVIEW:
        text += " > CINdetails " + frame["r"].astype(str)
    if level in MODULES or level is REVIEW:
        element = "ChildProtectionPlans" if level is REVIEW else level.element
        text += f" > {element} " + frame["k"].astype(str)
    if level is REVIEW:
        text += " > CPPreviewDate " + frame["v"].astype(str)
    return text


def _check_dates(frame: pd.DataFrame, level: _Level) -> list[pd.DataFrame]:
    """Parse the start and end of ``level``'s rows; the invalid ones as problem rows."""
    out = []
    frame["start_date"], bad_start = _dates(frame["start"])
    frame["end_date"], bad_end = _dates(frame["end"])
    missing = frame["start"].isna()
    out.append(_problems(frame, missing, level.start, "is missing", "start_line"))
    for bad, element, column in ((bad_start, level.start, "start"), (bad_end, level.end, "end")):
        if element is None:
            continue
        shapes = frame.loc[bad, column].map(_not_a_date)
        out.append(_problems(frame, bad, element, shapes, f"{column}_line"))
    if level.end is not None:
        before = (frame["end_date"] < frame["start_date"]).fillna(False).astype(bool)
        out.append(_problems(frame, before, level.end, f"is before <{level.start}>", "end_line"))
    return out


def _not_a_date(value: object) -> str:
    return f"{shape_of(value)!r} is not a date YYYY-MM-DD (years 1678-2261)"


def _key_of(frame: pd.DataFrame, table: str) -> pd.Series:
    """The record's place in its file: ``f/c`` (a child), ``f/c/r`` (a referral),
    ``f/c/r/<module>/k`` (a module), ``f/c/r/ChildProtectionPlans/k/v`` (a review)."""
    key = frame["f"].astype(str) + "/" + frame["c"].astype(str)
    if table == "Child":
        return key
    key = key + "/" + frame["r"].astype(str)
    if table == REFERRAL.element:
        return key
    module = _CPP.element if table == REVIEW.element else table
    key = key + f"/{module}/" + frame["k"].astype(str)
    return key + "/" + frame["v"].astype(str) if table == REVIEW.element else key


def _ancestors(keys: pd.Series) -> list[pd.Series]:
    """The keys of the records holding each record, outermost first, the record's own last."""
    parts = keys.str.split("/")
    depth = int(parts.str.len().max()) if len(keys) else 2
    cut = {2: 2, 3: 3, 5: 5, 6: 6}
    out = [parts.str.slice(0, n).str.join("/") for n in sorted(cut) if n < depth]
    return [*out, keys]


def _parse_problems(problems: pd.DataFrame) -> pd.DataFrame:
    key = problems["f"].astype(str) + "/" + problems["c"].astype(str)
    key = key.where(problems["r"].eq(0), key + "/" + problems["r"].astype(str))
    key = key.where(
        problems["kind"].eq(""), key + "/" + problems["kind"] + "/" + problems["k"].astype(str)
    )
    return problems.assign(key=key)


def _ids(frame: pd.DataFrame, limit: int = _DETAIL_IDS) -> str:
    ids = list(dict.fromkeys(frame))
    text = ", ".join(str(i) for i in ids[:limit])
    return text + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _row(file: str, table: str, action: str, reason: str, rows: int, detail: str = "") -> dict:
    return report_row(SOURCE, file, table, action, reason, rows, detail)


def _frame(ret_index: int, rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=_RAW, dtype=object)
    frame.insert(0, "f", ret_index)
    for column in ("c", "r", "k", "v", "line", "start_line", "end_line"):
        frame[column] = pd.to_numeric(frame[column]).astype("int64")
    return frame


def _child_frame(ret_index: int, rows: list[tuple]) -> pd.DataFrame:
    columns = [
        "c",
        "line",
        "child",
        "dob",
        "dob_line",
        "edob",
        "edob_line",
        "sex",
        "sex_element",
        "disabilities",
    ]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.insert(0, "f", ret_index)
    for column in ("c", "line", "dob_line", "edob_line"):
        frame[column] = pd.to_numeric(frame[column]).astype("int64")
    frame[["r", "k", "v"]] = 0
    return frame


def import_cin_census(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    invalid: InvalidRecords | str = InvalidRecords.FAIL,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> ImportResult:
    """The canonical extracts of CIN census XML files (one or several years, in any order).

    ``paths``: files, or folders whose ``*.xml`` files are read. ``invalid``: ``"fail"`` (raise
    one :class:`ReturnImportError` listing every invalid record) or ``"exclude"`` (leave them out,
    counted in the report). See the module documentation for every rule.
    """
    try:
        mode = InvalidRecords(invalid)
    except ValueError:
        raise UsageError(f"invalid must be 'fail' or 'exclude', not {invalid!r}") from None
    returns, refused = [], []
    for path in _files(paths):
        try:
            returns.append(_read_file(path, max_file_bytes))
        except _Refused as exc:
            refused.append(f"  - {path}: {exc}")
    if refused:
        raise ReturnImportError(
            f"CIN census: {len(refused)} file(s) cannot be imported:\n" + "\n".join(refused)
        )
    notes: list[str] = []
    report: list[dict] = []
    unique: dict[str, _Return] = {}
    for ret in sorted(returns, key=lambda r: r.name):
        if ret.digest in unique:
            notes.append(f"{ret.name} is the same file as {unique[ret.digest].name}: read once")
            continue
        unique[ret.digest] = ret
    returns = sorted(unique.values(), key=lambda r: (r.reference_date, r.name))
    by_year: dict[str, list[str]] = {}
    for ret in returns:
        by_year.setdefault(ret.collection_year, []).append(ret.name)
    twice = [f"  - {year}: {', '.join(names)}" for year, names in by_year.items() if len(names) > 1]
    if twice:
        raise ReturnImportError(
            "CIN census: two different files of one collection year (give one return per year):\n"
            + "\n".join(twice)
        )
    names = [Path(r.name).name for r in returns]
    if len(set(names)) < len(names):
        names = [r.name for r in returns]
    for ret, name in zip(returns, names, strict=True):
        if ret.year and ret.year != str(_year_start(ret.reference_date).year + 1):
            notes.append(
                f"{name}: <Year> {ret.year} does not match <ReferenceDate> "
                f"{ret.reference_date.isoformat()}: collection year {ret.collection_year} taken "
                "from the reference date"
            )
    starts = [_year_start(r.reference_date) for r in returns]
    for before, after, later in zip(starts, starts[1:], returns[1:], strict=False):
        if after.year - before.year > 1:
            notes.append(
                f"no return between {before.year}/{(before.year + 1) % 100:02d} and "
                f"{later.collection_year}: episodes that opened and closed in between are missing"
            )
    return _combine(returns, names, mode, notes, report)


def _combine(
    returns: list[_Return],
    names: list[str],
    mode: InvalidRecords,
    notes: list[str],
    report: list[dict],
) -> ImportResult:
    levels = (REFERRAL, *MODULES, REVIEW)
    children = pd.concat(
        [_child_frame(i, r.rows["Child"]) for i, r in enumerate(returns)], ignore_index=True
    )
    raw = {
        level.element: pd.concat(
            [_frame(i, r.rows[level.element]) for i, r in enumerate(returns)], ignore_index=True
        )
        for level in levels
    }
    reference = pd.Series(
        pd.to_datetime([r.reference_date for r in returns]).astype("datetime64[ns]")
    )
    file_names = pd.Series(names)
    for i, (ret, name) in enumerate(zip(returns, names, strict=True)):
        for table in ("Child", *(level.element for level in levels)):
            count = len(ret.rows[table])
            report.append(_row(name, table, "read", "", count))
        for tag, count in sorted(ret.tags.items()):
            if tag not in _READ and not tag.startswith(
                ("Header/", "CollectionDetails/", "Source/")
            ):
                why = _NOT_MAPPED_WHY.get(tag, "not part of the canonical extracts")
                report.append(_row(name, tag, "not_mapped", why, count))
    # -- problems ------------------------------------------------------------------------------
    tables = {"Child": children, **raw}
    for name, frame in tables.items():
        frame["key"] = _key_of(frame, name)
    problems = [
        _parse_problems(pd.DataFrame(ret.problems).assign(f=i))
        for i, ret in enumerate(returns)
        if ret.problems
    ]
    children["where"] = "Child " + children["c"].astype(str)
    children["date_of_birth"], bad_dob = _dates(children["dob"])
    children["expected_date_of_birth"], bad_edob = _dates(children["edob"])
    for bad, element, column in (
        (bad_dob, "PersonBirthDate", "dob"),
        (bad_edob, "ExpectedPersonBirthDate", "edob"),
    ):
        shapes = children.loc[bad, column].map(_not_a_date)
        problems.append(_problems(children, bad, element, shapes, f"{column}_line"))
    no_birth = children["dob"].isna() & children["edob"].isna()
    problems.append(
        _problems(
            children,
            no_birth,
            "PersonBirthDate",
            "is missing (and so is <ExpectedPersonBirthDate>)",
            "line",
        )
    )
    for level in levels:
        frame = raw[level.element]
        frame["where"] = _where(frame, level)
        problems.extend(_check_dates(frame, level))
    problems = [p for p in problems if len(p)]
    found = pd.concat(problems, ignore_index=True) if problems else None
    if found is not None:
        found = found.sort_values(["f", "line", "element"], kind="mergesort")
        match mode:
            case InvalidRecords.FAIL:
                raise ReturnImportError(
                    _invalid_message(found, pd.Series([r.name for r in returns]))
                )
            case InvalidRecords.EXCLUDE:
                pass
            case _:
                assert_never(mode)
    # -- exclusions: invalid records (exclude mode), records after the reference date ----------
    invalid = pd.Index(found["key"].unique() if found is not None else [], dtype=object)
    what = (
        ("<" + found["element"] + "> " + found["problem"]).groupby(found["key"]).agg("; ".join)
        if found is not None
        else pd.Series(dtype=object)
    )
    late = pd.Index(
        pd.concat(
            [
                frame.loc[(frame["start_date"] > reference.reindex(frame["f"]).to_numpy()), "key"]
                for frame in (raw[level.element] for level in levels)
            ]
        ).unique(),
        dtype=object,
    )
    for name, frame in tables.items():
        ancestors = _ancestors(frame["key"])
        reason = pd.Series(pd.NA, index=frame.index, dtype="string")
        for depth, ancestor in enumerate(ancestors):
            own = depth == len(ancestors) - 1
            for keys, why, inner in (
                (invalid, "invalid", "inside an invalid record"),
                (
                    late,
                    "dated after the census reference date",
                    "inside a record dated after the census reference date",
                ),
            ):
                hit = ancestor.isin(keys) & reason.isna()
                reason[hit] = why if own else inner
        frame["excluded"] = reason
        gone = frame[reason.notna()]
        for (f, why), part in gone.groupby(["f", "excluded"], sort=True):
            named = part["child"].fillna("(no LAchildID)") + " " + part["where"]
            if why == "invalid":
                named = named + ": " + part["key"].map(what)
            detail = _ids(named)
            report.append(_row(file_names[f], name, "excluded", str(why), len(part), detail))
        tables[name] = frame[reason.isna()].copy()
    children = tables["Child"]
    raw = {level.element: tables[level.element] for level in levels}
    # -- end dates after the reference date: blanked -----------------------------------------
    for level in levels:
        if level.end is None:
            continue
        frame = raw[level.element]
        late = (frame["end_date"] > reference.reindex(frame["f"]).to_numpy()).to_numpy()
        for f, part in frame[late].groupby("f"):
            report.append(
                _row(
                    file_names[f],
                    level.element,
                    "repaired",
                    f"<{level.end}> after the census reference date: blanked (open at that date)",
                    len(part),
                    _ids(part["child"] + " " + part["where"]),
                )
            )
        frame.loc[late, "end_date"] = pd.NaT
    extracts = _merge(children, raw, file_names, report)
    for name, frame in extracts.items():
        report.append(_row("", name, "mapped", "", len(frame)))
    notes.append(
        "the CIN census has no team: team is blank in every extract (assigned when the extracts "
        "are combined); S47 completion, child seen and child missing are not in the census"
    )
    first = min(_year_start(r.reference_date) for r in returns) if returns else None
    last = max(r.reference_date for r in returns) if returns else None
    return ImportResult(
        source=SOURCE,
        extracts=extracts,
        report=report_rows(report),
        collection_years=tuple(r.collection_year for r in returns),
        first_date_covered=first,
        extraction_date=last,
        notes=tuple(notes),
    )


def _invalid_message(found: pd.DataFrame, files: pd.Series) -> str:
    head = (
        f"CIN census: {len(found)} invalid date(s) or missing element(s) in "
        f"{found['f'].nunique()} file(s); nothing imported (import with invalid='exclude' to "
        "leave these records out, with the records inside them, and count them in the report):"
    )
    lines = [head]
    for f, part in found.groupby("f", sort=True):
        lines.append(f"{files[f]}:")
        for item in part.itertuples(index=False):
            child = item.child if isinstance(item.child, str) else "(no LAchildID)"
            lines.append(
                f"  - line {item.line}, child {child}, {item.where}: <{item.element}> "
                f"{item.problem}"
            )
    return "\n".join(lines)


def _latest(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame.sort_values([key, "f", "c", "r", "k", "v"], kind="mergesort")


def _merge(
    children: pd.DataFrame, raw: dict[str, pd.DataFrame], files: pd.Series, report: list[dict]
) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    # ids
    referrals = raw[REFERRAL.element]
    referrals["referral_id"] = referrals["child"] + "-" + referrals["start"].str.strip()
    parent_ids = referrals.set_index(["f", "c", "r"])["referral_id"]
    for level in MODULES:
        frame = raw[level.element]
        parent = parent_ids.reindex(pd.MultiIndex.from_frame(frame[["f", "c", "r"]]))
        frame["referral_id"] = parent.to_numpy()
        frame[level.id_column] = frame["referral_id"] + level.id_tag + frame["start"].str.strip()
    plans = raw[_CPP.element].set_index(["f", "c", "r", "k"])["cp_plan_id"]
    reviews = raw[REVIEW.element]
    reviews["cp_plan_id"] = plans.reindex(
        pd.MultiIndex.from_frame(reviews[["f", "c", "r", "k"]])
    ).to_numpy()
    reviews["cp_review_id"] = reviews["cp_plan_id"] + REVIEW.id_tag + reviews["start"].str.strip()
    # one record per id: the latest file's
    for level in (REFERRAL, *MODULES, REVIEW):
        frame = _latest(raw[level.element], level.id_column)
        columns = [level.start_column] + ([level.end_column] if level.end_column else [])
        frame = frame.rename(
            columns={"start_date": level.start_column, "end_date": level.end_column}
            if level.end_column
            else {"start_date": level.start_column}
        )
        dropped = frame.duplicated(level.id_column, keep="last")
        if dropped.any():
            report.append(
                _row(
                    "",
                    level.extract,
                    "repaired",
                    "the same record in several files (or twice in one): the latest file's kept",
                    int(dropped.sum()),
                    _ids(frame.loc[dropped, level.id_column]),
                )
            )
            differ = frame.groupby(level.id_column)[columns].nunique(dropna=False).gt(1).any(axis=1)
            if differ.any():
                report.append(
                    _row(
                        "",
                        level.extract,
                        "repaired",
                        "the files disagree about the record's dates: the latest file's kept",
                        int(differ.sum()),
                        _ids(differ[differ].index),
                    )
                )
        raw[level.element] = frame[~dropped].sort_values(level.id_column).reset_index(drop=True)
    # children
    children = children.copy()
    mapped = children["sex"].map(SEX_CODES).where(children["sex_element"] == "Sex")
    mapped = mapped.fillna(
        children["sex"].map(GENDER_CURRENT_CODES).where(children["sex_element"] == "GenderCurrent")
    )
    crossed = mapped.isna() & children["sex"].notna()
    cross = children["sex"].map(GENDER_CURRENT_CODES).where(children["sex_element"] == "Sex")
    cross = cross.fillna(
        children["sex"].map(SEX_CODES).where(children["sex_element"] == "GenderCurrent")
    )
    for (f, element, code), part in children[crossed].groupby(["f", "sex_element", "sex"]):
        other = "GenderCurrent" if element == "Sex" else "Sex"
        value = cross[part.index[0]]
        what = (
            f"kept: read as a <{other}> code ({code} -> {value})"
            if isinstance(value, str)
            else "kept: sex U (not known)"
        )
        report.append(
            _row(
                files[f],
                f"ChildIdentifiers/{element}",
                "unknown_code",
                f"{code!r} is not a code of <{element}>",
                len(part),
                f"{what}; {_ids(part['child'])}",
            )
        )
    children["sex_code"] = mapped.fillna(cross)
    codes = children["disabilities"].str.split("|")
    exploded = codes.explode()
    unknown = exploded.notna() & ~exploded.isin(DISABILITY_CODES)
    for (f, code), part in (
        exploded[unknown]
        .to_frame("code")
        .assign(f=children["f"], child=children["child"])
        .groupby(["f", "code"])
    ):
        report.append(
            _row(
                files[f],
                "Disabilities/Disability",
                "unknown_code",
                f"{code!r} is not a code of <Disability>",
                len(part),
                f"kept, read as no information; {_ids(part['child'])}",
            )
        )
    known = exploded.where(~unknown)
    any_known = known.notna().groupby(level=0).any()
    any_disability = (known.notna() & known.ne("NONE")).groupby(level=0).any()
    disabled = pd.Series(pd.NA, index=children.index, dtype="boolean")
    disabled[any_known] = any_disability[any_known]
    children["disabled"] = disabled
    assessments = raw["Assessments"]
    factors = assessments["extra"].str.split("|").explode()
    factors = factors[factors.notna() & factors.ne("")]
    bad_factor = ~factors.isin(ASSESSMENT_FACTOR_CODES)
    frame = factors[bad_factor].to_frame("code").join(assessments[["f", "assessment_id"]])
    for (f, code), part in frame.groupby(["f", "code"]):
        report.append(
            _row(
                files[f],
                "FactorsIdentifiedAtAssessment/AssessmentFactors",
                "unknown_code",
                f"{code!r} is not an assessment factor code",
                len(part),
                f"kept (factors are not mapped); {_ids(part['assessment_id'])}",
            )
        )
    uasc_children = set(assessments.loc[factors[factors.eq(UASC_FACTOR)].index, "child"])
    fields = {
        "date_of_birth": "PersonBirthDate",
        "expected_date_of_birth": "ExpectedPersonBirthDate",
        "sex_code": "Sex",
        "disabled": "Disability",
    }
    ordered = children.sort_values(["child", "f", "c"], kind="mergesort")
    grouped = ordered.groupby("child", sort=True)
    merged = grouped[list(fields)].last()
    differ = grouped[list(fields)].nunique().gt(1)
    if differ.any(axis=None):
        detail = [
            f"{child}: {', '.join(fields[c] for c in differ.columns[row])}"
            for child, row in zip(differ.index, differ.to_numpy(), strict=True)
            if row.any()
        ]
        report.append(
            _row(
                "",
                "children",
                "repaired",
                "the files disagree about the child: the latest file that records "
                "each characteristic is kept",
                len(detail),
                "; ".join(detail[:_DETAIL_IDS])
                + (f" and {len(detail) - _DETAIL_IDS} more" if len(detail) > _DETAIL_IDS else ""),
            )
        )
    repeated = grouped.size().gt(1)
    if repeated.any():
        report.append(
            _row(
                "",
                "children",
                "repaired",
                "the same child in several files (or twice in one): one child",
                int(repeated.sum()),
                _ids(repeated[repeated].index),
            )
        )
    no_sex = merged["sex_code"].isna()
    if no_sex.any():
        report.append(
            _row(
                "",
                "children",
                "repaired",
                "no usable <Sex> / <GenderCurrent>: sex U",
                int(no_sex.sum()),
                _ids(merged.index[no_sex]),
            )
        )
    out["children"] = pd.DataFrame(
        {
            "child_id": merged.index.astype(object),
            "date_of_birth": merged["date_of_birth"].astype("datetime64[ns]").to_numpy(),
            "expected_date_of_birth": merged["expected_date_of_birth"]
            .astype("datetime64[ns]")
            .to_numpy(),
            "sex": merged["sex_code"].fillna("U").to_numpy(dtype=object),
            "uasc": merged.index.isin(list(uasc_children)),
            "uasc_ceased_date": pd.Series(pd.NaT, index=range(len(merged)), dtype="datetime64[ns]"),
            "disabled": merged["disabled"].astype("boolean").to_numpy(),
        }
    )
    # the other extracts
    for level in (REFERRAL, *MODULES, REVIEW):
        frame = raw[level.element]
        spec = SPECS[level.extract]
        table = pd.DataFrame(index=frame.index)
        for field in spec.fields:
            name = field.name
            if name in frame.columns:
                table[name] = frame[name]
            elif name == "child_id":
                table[name] = frame["child"]
            else:
                kind = field.kind
                table[name] = pd.Series(
                    pd.NA,
                    index=frame.index,
                    dtype={"date": "datetime64[ns]", "bool": "boolean"}.get(kind, object),
                )
        out[level.extract] = table
    s47 = out["s47_enquiries"]
    plans = out["cp_plans"]
    held = pd.MultiIndex.from_frame(plans[["child_id", "start_date"]])
    outcome = pd.Series(
        pd.MultiIndex.from_frame(s47[["child_id", "icpc_date"]]).isin(held),
        index=s47.index,
        dtype="boolean",
    )
    s47["icpc_outcome_cp_plan"] = outcome.where(s47["icpc_date"].notna(), pd.NA)
    return out
