"""``Extracts``: the validated, canonical extracts handed to the indicator engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

import pandas as pd

from scorecard.extracts.identifiers import IdentifierCodes
from scorecard.extracts.manifest import Manifest
from scorecard.extracts.quality import empty_findings, empty_quality
from scorecard.extracts.schemas import EXTRACT_NAMES


def _frozen_mapping() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, eq=False)
class Extracts:
    """One attribute per canonical extract (a DataFrame, or ``None`` when absent).

    Built by :func:`~scorecard.extracts.load_extracts` or
    :func:`~scorecard.extracts.validate_extracts` only after every check passed. A present extract
    with no rows (a header-only file) is an empty DataFrame: the data exists and holds no records.
    An absent extract is ``None``: indicators that need it cannot be computed.

    ``sources`` maps each present extract (and ``organisation``) to the file it was read from, or to
    ``"<DataFrame>"``; ``unknown_files`` lists files of the folder that are not extracts; ``notes``
    lists checks that could not run (e.g. child ids not checked because ``children`` is absent) and
    other non-fatal findings. :attr:`not_loaded` says why each absent extract is absent (``"no
    file"``, ``"not supplied"`` or why the file named like it was not read).

    ``validated`` is set by the loader only: :func:`scorecard.compute` refuses extracts built by
    hand (``Extracts(referrals=df)``), which skipped every check. ``dataclasses.replace`` keeps it:
    a frame swapped in that way must itself be canonical.

    ``as_of`` is the extraction date the records were checked against (``None``: not checked).
    ``quality`` has one row per extract, column and check that excluded or counted rows, skipped a
    check, ignored blank lines or dropped a column (columns ``extract, file, column, check, action,
    rows, detail, examples``); ``findings`` lists every excluded or counted record (the columns of
    ``ExtractValidationError.failures`` plus ``action``). Both name records by their ids only. See
    :func:`scorecard.extracts.quality_report` for the reader's summary.
    """

    organisation: pd.DataFrame | None = None
    children: pd.DataFrame | None = None
    referrals: pd.DataFrame | None = None
    assessments: pd.DataFrame | None = None
    cin_plans: pd.DataFrame | None = None
    s47_enquiries: pd.DataFrame | None = None
    cp_plans: pd.DataFrame | None = None
    cp_reviews: pd.DataFrame | None = None
    visits: pd.DataFrame | None = None
    allocations: pd.DataFrame | None = None
    cic_episodes: pd.DataFrame | None = None
    cic_reviews: pd.DataFrame | None = None
    health_checks: pd.DataFrame | None = None
    adoptions: pd.DataFrame | None = None
    care_leavers: pd.DataFrame | None = None
    care_leaver_contacts: pd.DataFrame | None = None
    pf_arrangements: pd.DataFrame | None = None
    quality_audits: pd.DataFrame | None = None
    workforce: pd.DataFrame | None = None
    population: pd.DataFrame | None = None
    assessment_types: pd.DataFrame | None = None
    sources: Mapping[str, str] = field(default_factory=_frozen_mapping)
    unknown_files: tuple[str, ...] = ()
    #: Why an absent extract was not loaded, by name, when the loader knows (see ``not_loaded``).
    unloaded: Mapping[str, str] = field(default_factory=_frozen_mapping)
    #: True when built by ``load_extracts``/``validate_extracts`` (every check passed).
    validated: bool = field(default=False, repr=False)
    notes: tuple[str, ...] = ()
    as_of: pd.Timestamp | None = None
    quality: pd.DataFrame = field(default_factory=empty_quality)
    findings: pd.DataFrame = field(default_factory=empty_findings)
    #: Codes of the linking identifiers, kept by the loader for the engine (see
    #: :mod:`scorecard.extracts.identifiers`); they apply to a frame only while it is the one coded.
    identifiers: IdentifierCodes = field(default_factory=IdentifierCodes, repr=False)
    #: The folder's ``manifest.yaml`` (extraction date, first date covered, source), or one
    #: inferred from the records (``manifest.inferred``); ``None`` when not known (see
    #: :mod:`scorecard.extracts.manifest`).
    manifest: Manifest | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        object.__setattr__(self, "unloaded", MappingProxyType(dict(self.unloaded)))
        object.__setattr__(self, "unknown_files", tuple(self.unknown_files))
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def present(self) -> tuple[str, ...]:
        """Names of the case-level extracts that were supplied (possibly with zero rows)."""
        return tuple(name for name in EXTRACT_NAMES if getattr(self, name) is not None)

    @property
    def absent(self) -> tuple[str, ...]:
        """Names of the case-level extracts that were not supplied."""
        return tuple(name for name in EXTRACT_NAMES if getattr(self, name) is None)

    @property
    def not_loaded(self) -> dict[str, str]:
        """Every absent extract (and the organisation table, if absent) -> why it was not loaded.

        ``"no file"`` (a folder without it), ``"not supplied"`` (in-memory frames without it), or
        the reason its file was not read (``"referrals.xlsx: not read: save as CSV UTF-8 or
        Parquet"``). The indicators each one disables follow from the measures' declarations
        (:func:`scorecard.measures.base.extract_users`).
        """
        names = ("organisation", *EXTRACT_NAMES)
        return {
            name: self.unloaded.get(name, "not supplied")
            for name in names
            if getattr(self, name) is None
        }

    def has(self, *names: str) -> bool:
        """True if every named extract (or ``organisation``) is present."""
        return all(self.get(name) is not None for name in names)

    def get(self, name: str) -> pd.DataFrame | None:
        """The extract called ``name`` (``None`` if absent); ``KeyError`` for an unknown name."""
        if name != "organisation" and name not in EXTRACT_NAMES:
            raise KeyError(
                f"unknown extract {name!r}; known: organisation, {', '.join(EXTRACT_NAMES)}"
            )
        return getattr(self, name)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The present extracts (and the organisation table, if any) by name."""
        names = ("organisation", *EXTRACT_NAMES)
        return {name: frame for name in names if (frame := getattr(self, name)) is not None}

    def __repr__(self) -> str:
        parts = [f"{name}={len(frame)} rows" for name, frame in self.frames().items()]
        return f"Extracts({', '.join(parts)}; absent: {', '.join(self.absent) or 'none'})"


#: Attributes of :class:`Extracts` that are not extracts.
META_FIELDS = (
    "sources",
    "unknown_files",
    "unloaded",
    "validated",
    "notes",
    "as_of",
    "quality",
    "findings",
    "identifiers",
    "manifest",
)

#: Attribute names of :class:`Extracts` holding frames (kept in step with the schemas).
FRAME_FIELDS = tuple(f.name for f in fields(Extracts) if f.name not in META_FIELDS)
assert FRAME_FIELDS == ("organisation", *EXTRACT_NAMES), "Extracts fields out of step with SPECS"
