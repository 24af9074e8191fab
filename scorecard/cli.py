"""Command line: ``scorecard build``, ``compute``, ``rate``, ``check`` and ``compare``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd

from scorecard.extracts import ExtractValidationError
from scorecard.measures.compute import DEFAULT_COUNTY
from scorecard.bundled import COUNTY as BUNDLED_COUNTY
from scorecard.bundled import LAST_MONTH as BUNDLED_LAST_MONTH
from scorecard.bundled import bundled_extracts
from scorecard.calendar.periods import to_month
from scorecard.pipeline import Scorecard, compute_scorecard
from scorecard.reports.build import write_outputs
from scorecard.rating import ResultsError, compare_ratings, rate, summary_sentence
from scorecard.registry import Registry, RegistryError, load_registry
from scorecard.reports.safety import guard_formulas

_registry_option = click.option(
    "--registry",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Indicator registry (default: the bundled indicators.yaml).",
)
_rules_option = click.option(
    "--rules",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of rating rules (default: rag_rules/ beside the registry).",
)


def _load(registry: Path | None, rules: Path | None) -> Registry:
    try:
        return load_registry(registry, rules)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None


def _read_results(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"indicator": "string", "unit": "string", "month": "string"},
                       encoding="utf-8-sig")  # fmt: skip


_allow_partial_option = click.option(
    "--allow-partial", is_flag=True, default=False,
    help="Compute months the data do not wholly cover (after the extraction date, or a look-back "
    "before the first date covered) and mark those figures partial, instead of refusing.",
)  # fmt: skip
_strict_option = click.option(
    "--strict", is_flag=True, default=False,
    help="Refuse to run if an absent or unreadable extract leaves any indicator uncomputed.",
)  # fmt: skip


def _tell_missing(card: Scorecard) -> None:
    """On stderr: each absent or unreadable extract and the indicators it disables; partial."""
    for item in card.disabled:
        click.echo(f"not computed: {item.describe(card.registry)}", err=True)
    partial = card.frame.loc[card.frame["partial"], ["indicator", "month"]].drop_duplicates()
    if len(partial):
        click.echo(f"partial: {len(partial)} indicator-month figure(s) computed over a period the "
                   "data only partly cover (see the partial_note column)", err=True)  # fmt: skip


def _write(frame: pd.DataFrame, out: Path | None) -> None:
    safe = guard_formulas(frame)
    if out is None:
        safe.to_csv(sys.stdout, index=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    safe.to_csv(out, index=False)


@click.group()
@click.version_option(package_name="scorecard")
def main() -> None:
    """Children's social care performance scorecard."""


@main.command("rate")
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the rated CSV (default: standard output).")  # fmt: skip
@click.option("--month", default=None, help="Month of the summary, YYYY-MM (default: the latest).")
@_registry_option
@_rules_option
def rate_command(
    results: Path, out: Path | None, month: str | None, registry: Path | None, rules: Path | None
) -> None:
    """Rate a CSV of results (indicator, unit, month, numerator, denominator, value).

    Writes the rated rows (thresholds in force, RAG, directions of travel) and prints the summary
    sentence of every unit for the month.
    """
    reg = _load(registry, rules)
    try:
        rated = rate(_read_results(results), reg)
    except ResultsError as exc:
        raise click.ClickException(f"{results}: {exc}") from None
    _write(rated, out)
    chosen = to_month(month) if month else rated["month"].max()
    echo = click.echo if out is not None else (lambda text: click.echo(text, err=True))
    for unit in pd.unique(rated.loc[rated["month"] == chosen, "unit"]):
        echo(summary_sentence(rated, unit, chosen))
    if out is not None:
        echo(f"Wrote {len(rated)} rated rows to {out}")


@main.command("check")
@_registry_option
@_rules_option
def check_command(registry: Path | None, rules: Path | None) -> None:
    """Check a registry and its rules; list every problem with file and line."""
    reg = _load(registry, rules)
    click.echo(f"OK: {len(reg)} indicators, {len(reg.rules)} rules, "
               f"financial years {', '.join(fy.label for fy in reg.financial_years)}")  # fmt: skip


@main.command("compare")
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--before", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="Registry before the change.")  # fmt: skip
@click.option("--after", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="Registry after the change.")  # fmt: skip
@_rules_option
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the differing rows (default: standard output).")  # fmt: skip
def compare_command(
    results: Path, before: Path, after: Path, rules: Path | None, out: Path | None
) -> None:
    """Rows of RESULTS whose thresholds or RAG differ between two registries."""
    try:
        diff = compare_ratings(_read_results(results), _load(before, rules), _load(after, rules))
    except ResultsError as exc:
        raise click.ClickException(f"{results}: {exc}") from None
    _write(diff, out)
    click.echo(f"{len(diff)} row(s) differ", err=True)


@main.command("compute")
@click.option("--extracts", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              required=True, help="Folder of extract files (CSV or Parquet).")  # fmt: skip
@click.option("--from", "first", required=True, help="First reporting month, YYYY-MM.")
@click.option("--to", "last", default=None, help="Last reporting month, YYYY-MM (default: --from).")
@click.option("--county", default=DEFAULT_COUNTY, show_default=True,
              help="Name of the whole authority in the results.")  # fmt: skip
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the rated results CSV (default: standard output).")  # fmt: skip
@_allow_partial_option
@_strict_option
@_registry_option
@_rules_option
def compute_command(
    folder: Path,
    first: str,
    last: str | None,
    county: str,
    out: Path | None,
    allow_partial: bool,
    strict: bool,
    registry: Path | None,
    rules: Path | None,
) -> None:
    """Compute and rate every indicator from a folder of extracts, for every unit and month."""
    reg = _load(registry, rules)
    try:
        card = compute_scorecard(folder, first, last, registry=reg, county=county,
                                 allow_partial=allow_partial, strict=strict)  # fmt: skip
    except ExtractValidationError as exc:
        raise click.ClickException(str(exc)) from None
    _tell_missing(card)
    _write(card.frame, out)
    echo = click.echo if out is not None else (lambda text: click.echo(text, err=True))
    echo(card.summary_sentence())
    missing = card.frame.loc[card.frame["note"].notna(), ["indicator", "note"]].drop_duplicates()
    for indicator, note in missing.itertuples(index=False):
        echo(f"{indicator}: {note}")
    if out is not None:
        echo(f"Wrote {len(card.frame)} rated rows to {out}")


@main.command("build")
@click.option("--month", default=None,
              help="Reporting month, YYYY-MM (default: the bundled data's latest month).")  # fmt: skip
@click.option("--extracts", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of extracts (default: the bundled synthetic county).")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the reports to.")  # fmt: skip
@click.option("--county", default=None,
              help=f"Name of the whole authority (default: {BUNDLED_COUNTY} for the bundled data, "
              f"else {DEFAULT_COUNTY!r}).")  # fmt: skip
@click.option("--suppress-below", type=click.IntRange(min=1), default=None,
              help="Withhold counts from 1 to N-1 in the published outputs (DfE convention).")  # fmt: skip
@click.option("--as-of", default=None,
              help="Extraction date, YYYY-MM-DD: later records are excluded and counted "
              "(default: the end of the month).")  # fmt: skip
@_allow_partial_option
@_strict_option
@_registry_option
@_rules_option
def build_command(
    month: str | None,
    folder: Path | None,
    out: Path,
    county: str | None,
    suppress_below: int | None,
    as_of: str | None,
    allow_partial: bool,
    strict: bool,
    registry: Path | None,
    rules: Path | None,
) -> None:
    """Build the month's scorecard: Excel workbook, HTML report, results CSV, data quality.

    With no options, runs on the bundled synthetic county (generated on first use) for its
    latest month. Months: the 13 months up to the reporting month (trend and directions of travel).
    """
    if folder is None:
        click.echo("Using the bundled synthetic data (generated on first use) ...", err=True)
        folder = bundled_extracts()
        month = month or BUNDLED_LAST_MONTH
        county = county or BUNDLED_COUNTY
    elif month is None:
        raise click.UsageError("--month is required with --extracts")
    reg = _load(registry, rules)
    period = to_month(month)
    try:
        card = compute_scorecard(folder, period - 12, period, registry=reg,
                                 county=county or DEFAULT_COUNTY, as_of=as_of,
                                 allow_partial=allow_partial, strict=strict)  # fmt: skip
    except ExtractValidationError as exc:
        raise click.ClickException(str(exc)) from None
    _tell_missing(card)
    paths = write_outputs(card, period, out, suppress_below=suppress_below, quality=card.quality)
    click.echo(card.summary_sentence())
    for kind, path in paths.items():
        click.echo(f"{kind}: {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
