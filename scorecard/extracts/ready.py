"""The last check before computing: validated extracts, and unit names that cannot be confused.

:func:`check_ready` is called at the start of :func:`scorecard.compute`. It refuses

- extracts that did not go through :func:`~scorecard.extracts.load_extracts` or
  :func:`~scorecard.extracts.validate_extracts` (an ``Extracts(...)`` built by hand skipped every
  check, and its raw text dates would fail deep inside a measure), and frames swapped in with
  ``dataclasses.replace`` that are not in canonical form (:class:`~scorecard.errors.UsageError`);
- extracts without the organisation table (:class:`~scorecard.errors.DataError`, saying why it
  is absent: no file, or why its file was not read);
- an area or a team with the name of the county: the county, its areas and its teams are reported
  side by side as units named by their names, so a name used twice would merge two units
  (:class:`~scorecard.extracts.ExtractValidationError`, naming the organisation rows). A team with
  the name of an area is already an error of the organisation table (``team_named_like_area``).
"""

from __future__ import annotations

import pandas as pd

from scorecard.errors import DataError, UsageError
from scorecard.extracts.categories import held_as_category
from scorecard.extracts.container import Extracts
from scorecard.extracts.schemas import SPECS
from scorecard.extracts.validate import ExtractValidationError, Source, failure_frame

_HOW = "build them with sc.load_extracts(folder) or sc.validate_extracts({name: frame, ...})"


def _canonical_problem(extracts: Extracts) -> str | None:
    """The first present frame whose columns or dtypes are not the canonical ones, in words."""
    for name, frame in extracts.frames().items():
        spec = SPECS[name]
        if list(frame.columns) != list(spec.columns):
            return f"extracts.{name} does not have the columns of the extract"
        for field in spec.fields:
            dtype = frame[field.name].dtype
            if dtype != field.dtype and not held_as_category(field, dtype):
                return (
                    f"extracts.{name}.{field.name} has dtype {dtype}, not the "
                    f"canonical {field.dtype}"
                )
    return None


def check_ready(extracts: object, county: object) -> None:
    """Refuse extracts that were not validated, and a county named like one of its units.

    Raises :class:`~scorecard.errors.UsageError` for extracts not built by the loader (or frames
    replaced by non-canonical ones) and for a county that is not a non-blank string;
    :class:`~scorecard.errors.DataError` without an organisation table;
    :class:`~scorecard.extracts.ExtractValidationError` when an area or a team has the county's
    name.
    """
    if not isinstance(extracts, Extracts):
        raise UsageError(f"compute needs validated Extracts, not {type(extracts).__name__}: {_HOW}")
    if not extracts.validated:
        raise UsageError(
            f"these Extracts were built by hand and never validated (Extracts(...)): {_HOW}"
        )
    problem = _canonical_problem(extracts)
    if problem is not None:
        raise UsageError(f"{problem} (a frame replaced after validation?): {_HOW}")
    if not isinstance(county, str) or not county.strip():
        raise UsageError(f"county must be the name of the local authority, not {county!r}")
    organisation = extracts.organisation
    if organisation is None:
        why = extracts.not_loaded.get("organisation", "not supplied")
        raise DataError(
            f"the organisation table (team -> area) is required to compute results ({why}): add "
            "organisation.csv to the extract folder or pass organisation="
        )
    spec = SPECS["organisation"]
    source = Source("frame", extracts.sources.get("organisation"))
    failures = []
    for column in ("area", "team"):
        clash = organisation[column].eq(county).fillna(False).to_numpy(dtype=bool)
        if clash.any():
            failures.append(
                failure_frame(
                    spec,
                    source,
                    column,
                    f"{column}_named_like_county",
                    f"{column} has the name of the county ({county!r}); the county, areas and "
                    "teams are reported side by side, so each needs its own name",
                    organisation.index[clash],
                    None,  # the name is in the detail
                    organisation,
                )
            )
    if failures:
        raise ExtractValidationError(pd.concat(failures, ignore_index=True))
