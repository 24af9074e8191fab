"""The folder manifest: when the extracts were taken, from where, and from which date they are whole.

Every extract folder may hold a small ``manifest.yaml`` (written by the synthetic generator, by the
bundled data, by :func:`~scorecard.extracts.write_extracts`, or by hand)::

    extraction_date: 2015-05-31      # the day the extracts were taken (YYYY-MM-DD)
    first_date_covered: 2011-04-01   # records are complete from this day on (YYYY-MM-DD)
    source: "Case management system, monthly extract"
    authority: Shire                 # the name of the whole authority in the reports (optional)
    date_format: DD/MM/YYYY          # how the CSV files write dates (optional; default YYYY-MM-DD)

``extraction_date`` and ``first_date_covered`` are required, ``source``, ``notes`` and
``authority`` are optional text, ``date_format`` one of ``YYYY-MM-DD``, ``DD/MM/YYYY``,
``MM/DD/YYYY`` (:class:`~scorecard.extracts.spec.DateFormat`); any other key is an error (so a misspelt key is not ignored). The file is read safely: a
regular file of at most :data:`MAX_MANIFEST_BYTES`, inside the folder, YAML without anchors or
aliases, one mapping of plain values; every problem is reported at once, naming the file, line
and key (:class:`ManifestError`).

When a folder has no manifest, :func:`infer_manifest` infers one from the records, with an
:class:`~scorecard.extracts.ExtractWarning` saying so (``Manifest.inferred`` is ``True``):

* extraction date: the last day of the month of the latest date that dates a record (each
  extract's ``dated_by`` column, e.g. ``referral_date``, ``visit_date``), or the ``as_of`` date
  given when loading if that is earlier;
* first date covered: the earliest date that dates a record.

The pipeline refuses a reporting month ending after the extraction date; it refuses a month whose
look-back reaches before the first date covered only when the manifest was declared (an inferred
first date cannot tell a short history from a quiet one: such figures are marked partial instead);
see ``docs/extracts.md``, *Folder manifest*.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import yaml

from scorecard.errors import DataError
from scorecard.extracts.spec import DateFormat

if TYPE_CHECKING:
    from scorecard.extracts.container import Extracts

#: File name of the manifest in an extract folder.
MANIFEST_NAME = "manifest.yaml"

#: A manifest is a few lines; anything larger is not one.
MAX_MANIFEST_BYTES = 64 * 1024

REQUIRED_KEYS = ("extraction_date", "first_date_covered")
OPTIONAL_KEYS = ("source", "notes", "authority", "date_format")

#: ``source`` of an inferred manifest.
INFERRED_SOURCE = "not recorded (no manifest.yaml: inferred from the records)"


class ManifestError(DataError):
    """A ``manifest.yaml`` that cannot be used (every problem listed, with file, line and key)."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """What is known of an extract folder: ``extraction_date`` (the day the extracts were taken),
    ``first_date_covered`` (records are complete from this day on), ``source``, ``notes``,
    whether it was ``inferred`` from the records (no manifest file), ``authority`` (the name of
    the whole authority: the command line's default ``--county``) and ``date_format`` (how the
    folder's CSV files write dates; ``None``: ``YYYY-MM-DD``)."""

    extraction_date: dt.date
    first_date_covered: dt.date
    source: str | None = None
    notes: str | None = None
    inferred: bool = False
    authority: str | None = None
    date_format: DateFormat | None = None

    def __post_init__(self) -> None:
        if self.date_format is not None and not isinstance(self.date_format, DateFormat):
            object.__setattr__(self, "date_format", DateFormat.parse(self.date_format))
        for name in REQUIRED_KEYS:
            value = getattr(self, name)
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                raise TypeError(f"Manifest.{name} must be a datetime.date, not {value!r}")
        if self.first_date_covered > self.extraction_date:
            raise ValueError(
                f"first_date_covered {self.first_date_covered} is after extraction_date "
                f"{self.extraction_date}"
            )

    def to_yaml(self) -> str:
        """The manifest as ``manifest.yaml`` text (``inferred`` is not written)."""
        lines = [
            "# Extract folder manifest: see docs/extracts.md, 'Folder manifest'.",
            f"extraction_date: {self.extraction_date:%Y-%m-%d}",
            f"first_date_covered: {self.first_date_covered:%Y-%m-%d}",
        ]
        for key in OPTIONAL_KEYS:
            value = getattr(self, key)
            if isinstance(value, DateFormat):
                value = value.value
            if value is not None:
                lines.append(yaml.safe_dump({key: value}, allow_unicode=True, width=1000).strip())
        return "\n".join(lines) + "\n"


def manifest_path(folder: str | os.PathLike[str]) -> Path:
    return Path(folder) / MANIFEST_NAME


def _read_text(path: Path, folder: Path) -> str:
    """The manifest's text: a regular file inside ``folder``, at most MAX_MANIFEST_BYTES, UTF-8."""
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
        info = path.stat()
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if not inside:
        raise ManifestError(f"{path}: links outside the extract folder; not read")
    if not stat.S_ISREG(info.st_mode):
        raise ManifestError(f"{path}: not a regular file; not read")
    if info.st_size > MAX_MANIFEST_BYTES:
        raise ManifestError(
            f"{path}: {info.st_size} bytes, more than a manifest's {MAX_MANIFEST_BYTES}; not read"
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{path}: more than a manifest's {MAX_MANIFEST_BYTES} bytes; not read")
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManifestError(f"{path}: line {line}: not UTF-8 text") from None


_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(text: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` date from a scalar's text (quoted or not); ``None`` for anything else."""
    if not _DATE_TEXT.fullmatch(text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_manifest(text: str, path: str | os.PathLike[str] = MANIFEST_NAME) -> Manifest:
    """A :class:`Manifest` from the text of a ``manifest.yaml``; :class:`ManifestError` listing
    every problem (file, line, key) otherwise."""
    where = str(path)
    try:
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ManifestError(f"{where}: {line}not valid YAML: {problem}") from None
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ManifestError(
                f"{where}: line {event.start_mark.line + 1}: YAML anchors and aliases are not "
                "allowed in a manifest"
            )
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        raise ManifestError(
            f"{where}: a manifest is a mapping of keys ({', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}) "
            "to values"
        )
    problems: list[str] = []
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    known = (*REQUIRED_KEYS, *OPTIONAL_KEYS)
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in known:
            problems.append(f"line {line}: unknown key {key!r} (known: {', '.join(known)})")
            continue
        if key in values:
            problems.append(f"line {line}: key {key!r} given twice")
            continue
        if not isinstance(value_node, yaml.ScalarNode):
            problems.append(f"line {line}: key {key!r}: a single value is expected")
            continue
        if key in REQUIRED_KEYS:
            values[key] = value_node.value  # the text as written: dates must be YYYY-MM-DD
        else:
            values[key] = yaml.SafeLoader("").construct_object(value_node)  # type: ignore[no-untyped-call]
        lines[key] = line
    dates: dict[str, dt.date] = {}
    for key in REQUIRED_KEYS:
        if key not in values:
            problems.append(f"key {key!r} is missing (a date, YYYY-MM-DD)")
            continue
        parsed = _date(str(values[key]))
        if parsed is None:
            problems.append(
                f"line {lines[key]}: key {key!r}: {values[key]!r} is not a date (YYYY-MM-DD)"
            )
        else:
            dates[key] = parsed
    texts: dict[str, str | None] = {}
    for key in OPTIONAL_KEYS:
        value = values.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"line {lines[key]}: key {key!r}: {value!r} is not text")
        texts[key] = value if isinstance(value, str) else None
    if texts["authority"] is not None and (
        not texts["authority"].strip() or any(c in texts["authority"] for c in "\r\n\0")
    ):
        problems.append(f"line {lines['authority']}: key 'authority': give the name on one line")
    date_format: DateFormat | None = None
    if texts["date_format"] is not None:
        try:
            date_format = DateFormat.parse(texts["date_format"])
        except ValueError as exc:
            problems.append(f"line {lines['date_format']}: key 'date_format': {exc}")
    if len(dates) == 2 and dates["first_date_covered"] > dates["extraction_date"]:
        problems.append(
            f"line {lines['first_date_covered']}: key 'first_date_covered': "
            f"{dates['first_date_covered']} is after the extraction_date {dates['extraction_date']}"
        )
    if problems:
        raise ManifestError(f"{where}: " + "; ".join(problems))
    authority = texts["authority"].strip() if texts["authority"] is not None else None
    return Manifest(
        dates["extraction_date"],
        dates["first_date_covered"],
        texts["source"],
        texts["notes"],
        authority=authority,
        date_format=date_format,
    )


def read_manifest(folder: str | os.PathLike[str]) -> Manifest | None:
    """The manifest of an extract folder, or ``None`` when it has no ``manifest.yaml``."""
    root = Path(folder)
    path = root / MANIFEST_NAME
    if not path.exists() and not path.is_symlink():
        return None
    return parse_manifest(_read_text(path, root), path)


def write_manifest(manifest: Manifest, folder: str | os.PathLike[str]) -> Path:
    """Write ``manifest.yaml`` into ``folder``; returns its path. An inferred manifest is refused:
    writing it would turn a guess into a statement."""
    if manifest.inferred:
        raise ValueError("an inferred manifest is not written; give the dates explicitly")
    path = manifest_path(folder)
    path.write_text(manifest.to_yaml(), encoding="utf-8")
    return path


def _dating_dates(extracts: Extracts) -> pd.Series:
    """Every date that dates a record (each present extract's ``dated_by`` column)."""
    from scorecard.extracts.schemas import SPECS

    parts = []
    for name, spec in SPECS.items():
        frame = extracts.get(name) if name != "organisation" else None
        if frame is None or spec.dated_by is None or spec.dated_by not in frame.columns:
            continue
        column = frame[spec.dated_by]
        parts.append(pd.Series([column.min(), column.max()]))
    return pd.to_datetime(pd.concat(parts), errors="coerce").dropna() if parts else pd.Series()


def infer_manifest(extracts: Extracts, as_of: object | None = None) -> Manifest | None:
    """A manifest inferred from the records (``inferred=True``; see the module doc for the rule),
    or ``None`` when no record is dated (nothing to infer from)."""
    dates = _dating_dates(extracts)
    if dates.empty:
        return None
    latest, earliest = dates.max(), dates.min()
    extraction = (latest + pd.offsets.MonthEnd(0)).date()
    from scorecard.extracts.quality import to_as_of

    limit = to_as_of(as_of)
    if limit is not None:
        extraction = min(extraction, limit.date())
    first = min(earliest.date(), extraction)
    return Manifest(extraction, first, INFERRED_SOURCE, inferred=True)


def warn_inferred(manifest: Manifest | None, where: str) -> None:
    """The :class:`ExtractWarning` that a manifest was inferred (or could not be)."""
    from scorecard.extracts.validate import ExtractWarning

    if manifest is None:
        message = (
            f"{where}: no {MANIFEST_NAME} and no dated record: the period the extracts cover is "
            "unknown and cannot be checked"
        )
    else:
        message = (
            f"{where}: no {MANIFEST_NAME}; inferred from the records: extraction date "
            f"{manifest.extraction_date} (end of the month of the latest record, or as_of), first "
            f"date covered {manifest.first_date_covered} (the earliest record). Write a "
            f"{MANIFEST_NAME} to state them (docs/extracts.md, 'Folder manifest')"
        )
    warnings.warn(message, ExtractWarning, stacklevel=4)


def manifest_for(
    extracts: Extracts, folder: str | os.PathLike[str] | None, as_of: object | None
) -> Manifest | None:
    """The folder's manifest if it has one, else one inferred from ``extracts`` (with a warning)."""
    if folder is not None:
        found = read_manifest(folder)
        if found is not None:
            return found
    inferred = infer_manifest(extracts, as_of)
    warn_inferred(inferred, str(folder) if folder is not None else "extracts")
    return inferred


__all__: list[str] = [
    "MANIFEST_NAME",
    "Manifest",
    "ManifestError",
    "infer_manifest",
    "manifest_for",
    "parse_manifest",
    "read_manifest",
    "write_manifest",
]
