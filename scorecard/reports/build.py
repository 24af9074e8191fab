"""The monthly outputs of ``scorecard build``: workbook, HTML, long results CSV, data quality.

Everything written here is meant for publication: aggregates only (no record-level rows, no child
ids), counts below ``suppress_below`` withheld, text guarded against spreadsheet formulas and
escaped in HTML. The drill-down stays available to analysts through the Python API.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scorecard.calendar.periods import to_month
from scorecard.errors import UsageError
from scorecard.measures.compute import find_unit
from scorecard.rating.spc import SPC_COLUMNS
from scorecard.rating.vocabulary import RatingState
from scorecard.registry.benchmarks import BENCHMARK_COLUMNS
from scorecard.reports.csvfile import write_csv
from scorecard.reports.html import render_html
from scorecard.reports.model import (
    SUPPRESSED,
    Publication,
    publication_frame,
    publishable_text,
    quality_for_publication,
)
from scorecard.reports.publish import (
    MANIFEST_FORMAT,
    Writer,
    folder_fingerprint,
    new_build_id,
    publish,
    sha256_of,
)
from scorecard.reports.safety import guard_formulas
from scorecard.reports.workbook import write_workbook

if TYPE_CHECKING:  # reports read a Scorecard (the model); they do not run the pipeline
    from scorecard.pipeline import Scorecard

#: Columns of the long results CSV, in order.
RESULTS_CSV_COLUMNS = [
    "indicator", "ref", "title", "unit", "level", "team_type", "month", "numerator",
    "denominator", "value", "thresholds_year", "target", "floor", "green_lower", "green_upper",
    "amber_lower", "amber_upper", "rag",
    "rag_note", "previous_value", "dot_previous", "outturn_month", "outturn_value", "dot_outturn",
    "note", "state", "partial", "partial_note", "suppressed", "previous_suppressed",
    "outturn_suppressed",
]  # fmt: skip
RESULTS_CSV_COLUMNS += SPC_COLUMNS  # statistical process control (scorecard.rating.spc)
#: Columns of the results CSV shown as ``c`` in a withheld cell (and in a withheld previous or
#: outturn result and the direction of travel from it).
_CELL_COLUMNS = ["numerator", "denominator", "value", "rag", "rag_note", "dot_previous",
                 "dot_outturn"]  # fmt: skip
#: Columns left blank in the results CSV on a row whose indicator does not apply to the unit: a
#: figure there would be an artefact (a transferred case counted in the adoption team, a count
#: target on a team), so only the state and its words (``rag_note``) are published.
_INAPPLICABLE_BLANK = ["numerator", "denominator", "value", "rag", "previous_value", "dot_previous",
                       "outturn_value", "dot_outturn"]  # fmt: skip
_PREVIOUS_COLUMNS = {"previous": ["previous_value", "dot_previous"],
                     "outturn": ["outturn_value", "dot_outturn"]}  # fmt: skip


def results_for_publication(
    card: Scorecard, suppress_below: int | None, prepared: Publication | None = None
) -> pd.DataFrame:
    """The long results (every indicator, unit and month) as published: small numbers withheld
    over the organisation (see :mod:`scorecard.reports.suppression`) and shown as ``c`` (as are
    the rating, state and directions of a withheld cell, and a previous or outturn result whose
    own month is withheld, with the direction from it), each row's ``state`` and ``partial`` mark
    (a row whose indicator does not apply to the unit keeps its state and words, no figure),
    text free of record ids and paths, guarded against spreadsheet formulas. The statistical
    process control columns (:mod:`scorecard.rating.spc`) are computed from the published values
    only (a withheld month is no point of the chart). ``prepared``: what the build's outputs
    share (:class:`~scorecard.reports.model.Publication` of the same card and
    ``suppress_below``), whose frame is used instead of working it out again."""
    if prepared is None:
        frame = publication_frame(card, suppress_below)  # SPC from the published values only
    elif prepared.card is not card or prepared.suppress_below != suppress_below:
        raise ValueError(
            f"the prepared publication is for suppress_below {prepared.suppress_below} of "
            f"another scorecard, not for suppress_below {suppress_below} of this one"
        )
    else:
        frame = prepared.frame
    columns = [c for c in RESULTS_CSV_COLUMNS if c in frame.columns]
    columns += [c for c in BENCHMARK_COLUMNS if c in frame.columns]  # comparators, their sources
    shown_as_c = [c for c in columns if c in _CELL_COLUMNS or c.endswith("_value") or c == "state"]
    ordered = _by_ref_and_month(frame[columns])
    ordered = ordered.astype(dict.fromkeys(shown_as_c, object))
    # the cells shown as "c" or blank, set in object arrays (all of shown_as_c), then put back
    shown = {c: ordered[c].to_numpy(dtype=object, copy=True) for c in shown_as_c}

    def put(rows: np.ndarray, names: list[str], value: object) -> None:
        for name in names:
            if name in shown:
                shown[name][rows] = value

    hidden = ordered["suppressed"].to_numpy(dtype=bool)
    put(hidden, _CELL_COLUMNS, SUPPRESSED)
    if "state" in shown:
        put(hidden & pd.isna(shown["state"]), ["state"], SUPPRESSED)
    for name, previous in _PREVIOUS_COLUMNS.items():
        flag = f"{name}_suppressed"
        if flag in ordered.columns:
            put(ordered[flag].to_numpy(dtype=bool), previous, SUPPRESSED)
    if "state" in shown:  # where an indicator does not apply: its state, no figure
        state = pd.Series(shown["state"], dtype=object)
        put((state == RatingState.NOT_APPLICABLE.value).to_numpy(dtype=bool), _INAPPLICABLE_BLANK,
            None)  # fmt: skip
    ordered = ordered.assign(
        **{c: pd.Series(v, index=ordered.index, dtype=object) for c, v in shown.items()}
    )
    for column in ("note", "partial_note"):
        if column in ordered.columns:
            ordered[column] = publishable_text(ordered[column])
    return guard_formulas(ordered)


def _by_ref_and_month(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame.sort_values(["ref", "month"], kind="stable")``; for integer refs and monthly
    periods (none missing), by one ``np.lexsort`` of their numbers (stable, as that sort is)."""
    ref, month = frame["ref"], frame["month"]
    if (
        isinstance(ref.dtype, np.dtype)
        and ref.dtype.kind in "iu"
        and isinstance(month.dtype, pd.PeriodDtype)
        and not month.isna().any()
    ):
        return frame.take(np.lexsort((pd.PeriodIndex(month).asi8, ref.to_numpy())))
    return frame.sort_values(["ref", "month"], kind="stable")


#: The kinds of file ``write_outputs`` can write (``formats``), in the order they are written.
OUTPUT_FORMATS = ("workbook", "html", "results", "data_quality")


def write_outputs(
    card: Scorecard,
    month: object,
    out: Path | str,
    *,
    suppress_below: int | None = None,
    quality: pd.DataFrame | None = None,
    about: Mapping[str, Any] | None = None,
    formats: Collection[str] | None = None,
    units: Collection[str] | None = None,
) -> dict[str, Path]:
    """Publish the month's workbook, HTML report, results CSV and data-quality CSV into ``out``,
    all at once, with the build's manifest; return ``{kind: path}`` (kinds: ``workbook``,
    ``html``, ``results``, ``data_quality`` when ``quality`` is given, ``manifest``).

    ``formats``: the kinds to write (default: all of them, ``data_quality`` when ``quality`` is
    given), among :data:`OUTPUT_FORMATS`; the manifest is always written. ``units``: the units
    (team, area or county names, any case) the workbook and the HTML report show (default: every
    unit); the results and data-quality CSVs cover every unit, and small numbers are withheld
    over the whole organisation whichever units are shown. An unknown format or unit, or an
    empty choice, is a :class:`~scorecard.errors.UsageError` raised before anything is written.

    The files are written into a new build folder and switched into place together (see
    :mod:`scorecard.reports.publish` for the layout): a reader of ``out`` sees the previous
    complete set or the new one, never a mix, even if the build is killed. ``about``: what the
    manifest records beyond the library version and time, from :func:`manifest_facts` (default:
    the registry's file, extracts not recorded). Raises :class:`~scorecard.errors.OutputError`
    when ``out`` cannot be written or another build is writing into it.
    """
    period = to_month(month)
    kinds = chosen_formats(formats, has_quality=quality is not None)
    shown = chosen_units(card, units)
    now = datetime.now(UTC)
    facts = dict(about) if about is not None else manifest_facts(card)
    facts.update(month=str(period), county=card.county)
    build = new_build_id(str(period), now)
    note = footer_note(build, facts, now)
    stem = f"scorecard_{period}"
    names = {
        "workbook": f"{stem}.xlsx",
        "html": f"{stem}.html",
        "results": f"{stem}_results.csv",
        "data_quality": f"{stem}_data_quality.csv",
        "manifest": f"{stem}_manifest.json",
    }
    # what the workbook and the HTML report both show, worked out once
    prepared = Publication(card, period, suppress_below)
    writers: dict[str, Writer] = {}
    if "workbook" in kinds:
        writers[names["workbook"]] = lambda path: write_workbook(
            card, period, path, suppress_below=suppress_below, build_note=note, units=shown,
            prepared=prepared,
        )  # fmt: skip
    if "html" in kinds:
        page = render_html(card, period, suppress_below=suppress_below, units=shown,
                           prepared=prepared)  # fmt: skip
        page = page.replace(BUILD_MARK, f'<p class="build">{escape(note)}</p>', 1)
        writers[names["html"]] = lambda path: path.write_text(page, encoding="utf-8")
    if "results" in kinds:
        writers[names["results"]] = lambda path: write_csv(
            results_for_publication(card, suppress_below, prepared), path
        )
    if "data_quality" in kinds:
        assert quality is not None  # chosen_formats refuses it otherwise
        shown_quality = (  # made once when it is the card's own (the reports show it too)
            prepared.quality if quality is card.quality else quality_for_publication(quality)
        )
        writers[names["data_quality"]] = lambda path: shown_quality.to_csv(path, index=False)
    published = publish(out, writers, facts, manifest_name=names["manifest"], build=build, now=now)
    return {kind: published.paths[name] for kind, name in names.items() if name in published.paths}


def chosen_formats(formats: Collection[str] | None, *, has_quality: bool) -> tuple[str, ...]:
    """The kinds of output to write, in :data:`OUTPUT_FORMATS` order: ``formats`` (one kind may
    be given as a string), checked, or every kind (``data_quality`` only ``has_quality``)."""
    if formats is None:
        return tuple(k for k in OUTPUT_FORMATS if has_quality or k != "data_quality")
    asked = [formats] if isinstance(formats, str) else list(formats)
    known = ", ".join(OUTPUT_FORMATS)
    if not asked:
        raise UsageError(f"no output format chosen (formats: {known})")
    unknown = [f for f in asked if f not in OUTPUT_FORMATS]
    if unknown:
        raise UsageError(
            f"unknown output format(s) {', '.join(repr(str(f)) for f in unknown)} "
            f"(formats: {known})"
        )
    if "data_quality" in asked and not has_quality:
        raise UsageError("the data_quality format needs the data-quality report (quality=...)")
    return tuple(k for k in OUTPUT_FORMATS if k in asked)


def chosen_units(card: Scorecard, units: Collection[str] | None) -> tuple[str, ...] | None:
    """The names of ``units`` as the scorecard spells them (any case; ``None``: every unit), or
    a :class:`~scorecard.errors.UsageError` for an empty choice or a unit it does not have."""
    if units is None:
        return None
    asked = [units] if isinstance(units, str) else list(units)
    if not asked:
        raise UsageError("no unit chosen (give at least one team, area or the county)")
    known = card.frame["unit"].unique()
    return tuple(dict.fromkeys(find_unit(known, unit) for unit in asked))


#: Where the HTML report's footer gets the build's note (a comment in the template's footer).
BUILD_MARK = "<!-- scorecard-build -->"


def registry_fingerprint(registry: Path, rules: Path | None = None) -> str:
    """SHA-256 over a registry file and its rules (``*.yaml`` of ``rules``, default: the
    ``rag_rules`` folder beside the registry), by file name and content."""
    rules_dir = rules if rules is not None else registry.parent / "rag_rules"
    rule_files = sorted(rules_dir.glob("*.yaml")) if rules_dir.is_dir() else []
    digest = hashlib.sha256()
    for label, path in [("registry", registry)] + [(f"rules/{p.name}", p) for p in rule_files]:
        digest.update(f"{label}\0{sha256_of(path)}\n".encode())
    return digest.hexdigest()


def manifest_facts(
    card: Scorecard,
    *,
    registry: Path | None = None,
    rules: Path | None = None,
    extracts: Path | None = None,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What a build's manifest records about its inputs (no path: only fingerprints).

    ``registry``/``rules``: the files the registry was loaded from (default: the registry's own
    source file); ``extracts``: the folder of extracts (``None``: given in memory, not recorded);
    ``options``: the options of the build, as given.
    """
    sources = [Path(p) for p in card.registry.sources]
    source = registry if registry is not None else next(iter(sources), None)
    extracts_sha, count = folder_fingerprint(extracts) if extracts is not None else (None, 0)
    registry_sha = (
        registry_fingerprint(source, rules) if source is not None and source.is_file() else None
    )
    return {
        "scorecard_manifest": MANIFEST_FORMAT,
        "library_version": _library_version(),
        "registry_sha256": registry_sha,
        "extracts_sha256": extracts_sha,
        "extracts_files": count,
        "options": dict(options or {}),
    }


def footer_note(build: str, facts: Mapping[str, Any], now: datetime) -> str:
    """One line for the footers of the HTML report and the workbook: which build this is."""
    registry = facts.get("registry_sha256")
    extracts = facts.get("extracts_sha256")
    parts = [
        f"Build {build}",
        f"scorecard {facts.get('library_version', _library_version())}",
        f"registry {registry[:12]}" if registry else "registry not recorded",
        f"extracts {extracts[:12]} ({facts.get('extracts_files', 0)} files)"
        if extracts
        else "extracts not recorded",
        f"built {now:%d/%m/%Y %H:%M} UTC",
    ]
    return " · ".join(parts)


def _library_version() -> str:
    try:
        return version("scorecard")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
