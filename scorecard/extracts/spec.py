"""Building blocks for describing a canonical extract: fields, keys, date orders, row rules.

An :class:`ExtractSpec` is the single source of truth for one extract. The pandera schema
(:mod:`scorecard.extracts.schemas`), the loader's type coercion (:mod:`scorecard.extracts.coerce`),
the cross-extract checks (:mod:`scorecard.extracts.validate`) and the reference documentation
(:mod:`scorecard.extracts.reference`, rendered into ``docs/extracts.md``) are all derived from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

import pandas as pd

#: What a check does with the rows it flags: ``error`` fails the load (the row is named in the
#: :class:`~scorecard.extracts.ExtractValidationError`); ``exclude`` removes the rows from the
#: extract and counts them in ``Extracts.quality``; ``warn`` keeps the rows and counts them there.
Severity = Literal["error", "exclude", "warn"]

#: Severities, in order of precedence.
SEVERITIES: tuple[str, ...] = ("error", "exclude", "warn")

#: Kinds of column. ``id`` and ``team`` are identifiers (strings); ``code`` is a string from a
#: closed vocabulary; ``text`` is any string; ``date`` is a calendar date (datetime64, midnight);
#: ``bool`` is a flag; ``number`` is a float.
Kind = Literal["id", "team", "text", "code", "date", "bool", "number"]

#: Canonical pandas dtype of each kind (``bool`` columns that may be blank use ``boolean``).
DTYPES: dict[str, str] = {
    "id": "str",
    "team": "str",
    "text": "str",
    "code": "str",
    "date": "datetime64[ns]",
    "bool": "bool",
    "number": "float64",
}


class DateFormat(Enum):
    """How the dates of an extract folder's text values are written (``--date-format``, or
    ``date_format`` in the folder's ``manifest.yaml``). ISO dates ``YYYY-MM-DD`` are read under
    every format (they cannot be misread); ``DD/MM/YYYY`` also reads day-first dates, as Excel
    writes them in the UK (``31/01/2015``, ``1/2/2015``), and ``MM/DD/YYYY`` month-first ones (US).
    A date that does not fit the format is an error, never guessed: a day-first date read as
    ``MM/DD/YYYY`` fails as soon as its day is above 12."""

    ISO = "YYYY-MM-DD"
    DAY_FIRST = "DD/MM/YYYY"
    MONTH_FIRST = "MM/DD/YYYY"

    @classmethod
    def parse(cls, value: DateFormat | str) -> DateFormat:
        """A :class:`DateFormat` from itself or its text (any letter case); ``ValueError``
        naming the formats otherwise."""
        if isinstance(value, DateFormat):
            return value
        text = str(value).strip().upper() if isinstance(value, str) else None
        for member in cls:
            if member.value == text:
                return member
        known = ", ".join(member.value for member in cls)
        raise ValueError(f"{value!r} is not a date format: give one of {known}")


#: Kinds of text with few distinct values, held as ordered ``Categorical`` columns of ``str``
#: categories in the loaded extracts (see :mod:`scorecard.extracts.categories`); ``str`` is
#: canonical for them too (frames given by an analyst).
CATEGORY_KINDS: tuple[str, ...] = ("code", "team")
#: Kinds whose columns may be held either as ``str`` or as a ``Categorical`` of ``str``: those of
#: :data:`CATEGORY_KINDS`, and identifiers (the loader holds the identifiers that link extracts
#: as their shared codes, see :mod:`scorecard.extracts.identifiers`).
TEXT_OR_CATEGORY_KINDS: tuple[str, ...] = (*CATEGORY_KINDS, "id")


def text_dtype_ok(values: pd.Series) -> bool:
    """True if ``values`` has a dtype a column of a :data:`TEXT_OR_CATEGORY_KINDS` kind may have:
    pandas' ``str``, or a ``Categorical`` whose categories are ``str``."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return bool(dtype == DTYPES["code"])


#: Kinds whose offending values may be printed in error messages. Dates, flags and free text can be
#: personal data about a child, so for them only the *shape* of a bad value is shown
#: (``99/99/9999``).
SHOWN_KINDS = frozenset({"id", "team", "code", "number"})

#: Written into the ``source`` of a field that no national return collects.
LOCAL = "Local record; no national equivalent."


@dataclass(frozen=True, slots=True)
class Field:
    """One column of an extract.

    ``nullable`` columns must be present but may be blank; other columns need a value in every row.
    ``codes`` is the closed vocabulary of a ``code`` column. ``minimum`` bounds a ``number`` column
    (``minimum_inclusive=False`` for a strict bound such as FTE > 0), ``maximum`` (inclusive) from
    above; a ``number`` is always finite (``inf`` is an error, ``not_finite``). ``source`` names the
    corresponding field of the DfE CIN census, the SSDA903 return or Ofsted Annex A.
    ``may_be_future`` marks a date that may legitimately lie after the extraction date (an expected
    date of birth, a due date): it is not checked against ``as_of``.
    """

    name: str
    kind: Kind
    description: str
    source: str = LOCAL
    nullable: bool = False
    codes: tuple[str, ...] = ()
    minimum: float | None = None
    minimum_inclusive: bool = True
    maximum: float | None = None
    may_be_future: bool = False

    @property
    def range_text(self) -> str | None:
        """The allowed range in words (``> 0 and <= 1``), or ``None`` if unbounded."""
        parts = []
        if self.minimum is not None:
            parts.append(f"{'>=' if self.minimum_inclusive else '>'} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"<= {self.maximum:g}")
        return " and ".join(parts) or None

    @property
    def dtype(self) -> str:
        """The canonical pandas dtype (nullable flags are ``boolean``)."""
        if self.kind == "bool" and self.nullable:
            return "boolean"
        return DTYPES[self.kind]

    @property
    def type_label(self) -> str:
        """Short type name for documentation."""
        if self.kind == "code":
            return "code"
        return {
            "id": "string (id)",
            "team": "string (team)",
            "text": "string",
            "date": "date",
            "bool": "boolean",
            "number": "number",
        }[self.kind]


@dataclass(frozen=True, slots=True)
class DateOrder:
    """``later`` must not be before ``earlier`` when both are present (e.g. end >= start)."""

    earlier: str
    later: str
    check: str = "end_before_start"
    severity: Severity = "error"

    @property
    def detail(self) -> str:
        return f"{self.later} is before {self.earlier}"


@dataclass(frozen=True, slots=True)
class RowRule:
    """A named row-level rule. ``fails(frame)`` is True for the offending rows (vectorised).

    ``columns`` are the columns the rule reads (the rule is skipped if one is missing); the failure
    is reported against ``column``.
    """

    check: str
    column: str
    detail: str
    columns: tuple[str, ...]
    fails: Callable[[pd.DataFrame], pd.Series]
    severity: Severity = "error"


@dataclass(frozen=True, slots=True)
class NoOverlap:
    """Periods (``start``, ``end``; end blank = open) of one ``group`` value must not overlap.

    A period ending on day d and the next starting on d do not overlap (SSDA903 convention).
    """

    group: str
    start: str
    end: str
    what: str
    severity: Severity = "error"

    @property
    def detail(self) -> str:
        return f"overlaps an earlier {self.what} with the same {self.group}"


@dataclass(frozen=True, slots=True)
class Reference:
    """``column`` (when present) must be a ``target_column`` value of extract ``target``.

    ``same`` lists columns that must also agree with the referenced row (e.g. a CP review's
    ``child_id`` must be the child of its plan). ``severity`` applies to orphans (values not in the
    target). Whatever the severity, a row referring to a target row that was *excluded* is excluded
    too (``parent_excluded``), so that an exclusion never leaves orphans behind.
    """

    column: str
    target: str
    target_column: str
    same: tuple[str, ...] = ()
    severity: Severity = "error"


@dataclass(frozen=True, slots=True)
class NotAfter:
    """``column`` must not be after the extraction date ``as_of`` (checked only when it is given).

    A record whose *own* date (the spec's ``dated_by``, e.g. a visit's ``visit_date``) is after
    ``as_of`` has not happened yet as far as the extract is concerned (a planned visit, a booked
    review): it is excluded. Any other date after ``as_of`` (e.g. a closure date recorded after the
    end of the reporting period) is kept and counted.
    """

    column: str
    severity: Severity = "exclude"
    check: str = "after_as_of"

    def detail(self, as_of: pd.Timestamp) -> str:
        when = f"{as_of:%Y-%m-%d}"
        if self.severity == "exclude":
            return f"{self.column} is after the as_of date {when}: the record has not happened yet"
        if self.severity == "warn":
            return f"{self.column} is after the as_of date {when}; the row is kept as recorded"
        return f"{self.column} is after the as_of date {when}"


@dataclass(frozen=True, slots=True)
class ExtractSpec:
    """A canonical case-level extract: its columns, key and checks."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    date_orders: tuple[DateOrder, ...] = ()
    rules: tuple[RowRule, ...] = ()
    no_overlap: tuple[NoOverlap, ...] = ()
    references: tuple[Reference, ...] = ()
    #: The date that dates a record (its event or start date): a record dated after ``as_of`` is
    #: excluded. ``None`` for tables that are not records of events (children, care leavers).
    dated_by: str | None = None
    #: What happens to an exact copy of an earlier row (every column equal): by default the copy is
    #: excluded and counted (no information is lost). Two different rows sharing a key stay an error.
    duplicate_rows: Severity = "exclude"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def not_after(self) -> tuple[NotAfter, ...]:
        """The ``as_of`` checks: every date column except those that ``may_be_future``.

        The ``dated_by`` column excludes its rows; other dates are kept and counted (``warn``).
        """
        return tuple(
            NotAfter(f.name, "exclude" if f.name == self.dated_by else "warn")
            for f in self.fields
            if f.kind == "date" and not f.may_be_future
        )

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")

    def has(self, name: str) -> bool:
        return name in self.columns
