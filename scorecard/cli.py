"""Command line: ``scorecard build``, ``compute``, ``rate``, ``check``, ``compare`` and ``import``.

A user's mistake never ends in a traceback: every :class:`~scorecard.errors.ScorecardError`
becomes one message on standard error and the exit code of its class (usage 2, data and output 1),
and so do click's usage errors (2) and a file that cannot be read or written (1). ``--debug``
(before the command: ``scorecard --debug build ...``) shows the traceback as well.

Progress goes to standard error, never standard output: the steps the library reports
(:mod:`scorecard.progress`) are shown with ``rich`` while they run, when standard error is a
terminal and ``--quiet`` is not given (``rich`` is imported only then); ``--verbose`` also prints
each finished step with its time, terminal or not. Warnings are printed as one line each
(``warning: ...``), without Python's file and source line.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import signal
import stat
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, assert_never

import click

from scorecard.bundled import COUNTY as BUNDLED_COUNTY
from scorecard.bundled import LAST_MONTH as BUNDLED_LAST_MONTH
from scorecard.errors import DataError, OutputError, ScorecardError, UsageError

# pandas, the engine, the importers and the report writers (validation, calendar, Excel, charts)
# are imported inside the commands that use them, so that `scorecard --help` and a usage mistake
# answer at once; tests/test_import_cost.py checks what --help loads.
if TYPE_CHECKING:
    import pandas as pd

    from scorecard.pipeline import Scorecard
    from scorecard.registry import Registry

#: Name of the whole authority when neither ``--county`` nor the folder's manifest gives one: the
#: engine's default, scorecard.measures.compute.DEFAULT_COUNTY (written here so that --help need
#: not import the engine; a test checks that the two agree).
DEFAULT_COUNTY = "County"

#: The date formats of ``--date-format`` (scorecard.extracts.spec.DateFormat's values, written
#: here so that --help need not import the extracts; a test checks that they agree).
DATE_FORMATS = ("YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY")

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


#: The largest results CSV the command line reads (a county's 13 months are a few MB).
RESULTS_MAX_BYTES = 256 * 1024 * 1024
_RESULTS_COLUMNS = "indicator,unit,month,numerator,denominator,value"


class _Month(click.ParamType):
    """A month written ``YYYY-MM`` (``2015-05``); anything else is a usage error (exit 2)."""

    name = "YYYY-MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from scorecard.calendar.periods import to_month

        try:
            return str(to_month(value))  # the one rule for months (scorecard.calendar.periods)
        except UsageError as exc:
            self.fail(str(exc), param, ctx)


class _Date(click.ParamType):
    """A calendar date written ``YYYY-MM-DD``; anything else is a usage error (exit 2)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.fail(f"{value!r} is not a date: write it YYYY-MM-DD, e.g. 2015-05-31", param, ctx)
        try:
            date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a calendar date (no such day)", param, ctx)
        return text


class _Name(click.ParamType):
    """A name shown in the reports: not blank, one line."""

    name = "NAME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not text or any(c in text for c in "\r\n\0"):
            self.fail(f"{value!r}: give the name of the authority, on one line", param, ctx)
        return text


class _DateFormat(click.ParamType):
    """One of :data:`DATE_FORMATS`, in any letter case."""

    name = "|".join(DATE_FORMATS)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip().upper()
        if text not in DATE_FORMATS:
            self.fail(f"{value!r} is not a date format: give one of {', '.join(DATE_FORMATS)}",
                      param, ctx)  # fmt: skip
        return text


MONTH = _Month()
DATE = _Date()
NAME = _Name()


#: Examples shown at the end of each command's --help (click keeps the lines of a paragraph that
#: starts with \b as they are).
EXAMPLES: dict[str, str] = {
    "scorecard": """
scorecard build                # the bundled synthetic county, its latest month, into out/
scorecard build --extracts extracts/ --month 2016-01 --county Shire
scorecard rate data/published/scs_2015_05_results.csv --out rated.csv
scorecard build --help         # the options and examples of one command""",
    "rate": """
scorecard rate data/published/scs_2015_05_results.csv --out rated.csv
scorecard rate results.csv --month 2015-04 --registry my/indicators.yaml""",
    "check": """
scorecard check                                # the bundled registry and its rules
scorecard check --registry my/indicators.yaml  # rated by my/rag_rules/""",
    "compare": """
mkdir -p /tmp/before && git archive HEAD indicators.yaml rag_rules | tar -x -C /tmp/before
scorecard compare data/published/scs_2015_05_results.csv \\
    --before /tmp/before/indicators.yaml --after indicators.yaml --out diff.csv""",
    "compute": """
scorecard compute --extracts extracts/ --from 2014-05 --to 2015-05 --out rated.csv
scorecard compute --extracts uk_dates/ --from 2015-05 --date-format DD/MM/YYYY""",
    "build": """
scorecard build                # the bundled synthetic county, May 2015, into out/
scorecard build --extracts extracts/ --month 2016-01 --county Shire --suppress-below 6
scorecard build --extracts uk_dates/ --month 2016-01 --date-format DD/MM/YYYY --verbose
scorecard build --commentary commentary.csv   # the service's words in the exception reports""",
    "import": """
scorecard import all --ssda903 903/ --cin-census cin/ --annex-a annex_a.xlsx --out extracts/
scorecard import ssda903 903/ --out extracts/ --authority Shire""",
    "ssda903": """
scorecard import ssda903 903/2016/ 903/2017/ --out extracts/ --authority Shire
scorecard import ssda903 903/ --out extracts/ --teams teams.csv --organisation org.csv""",
    "cin-census": """
scorecard import cin-census cin/ --out extracts/ --authority Shire
scorecard import cin-census cin_2017.xml --out extracts/ --exclude-invalid""",
    "annex-a": """
scorecard import annex-a annex_a.xlsx --out extracts/ --request-date 2017-03-31
scorecard import annex-a annex_a.xlsx --out extracts/ --team-from worker --teams teams.csv \\
    --organisation org.csv""",
    "all": """
scorecard import all --ssda903 903/ --cin-census cin/ --annex-a annex_a.xlsx --out extracts/ \\
    --authority Shire --teams teams.csv --organisation org.csv""",
}


def _examples(command: str) -> str:
    """The epilog of ``command``'s --help: its examples, each line as written."""
    lines = EXAMPLES[command].strip("\n").splitlines()
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _load(registry: Path | None, rules: Path | None) -> Registry:
    from scorecard.measures.base import contracts
    from scorecard.progress import step
    from scorecard.registry import load_registry

    if registry is not None and rules is None and not (registry.parent / "rag_rules").is_dir():
        # one clear message, not one "rule ... does not exist" per indicator
        raise UsageError(f"{registry}: no rag_rules/ folder beside it to rate by: put the rules "
                         "there or give --rules DIR (e.g. --rules rag_rules)")  # fmt: skip
    # the loader names a file that is not UTF-8 (and every other problem) in a RegistryError; the
    # measures' declarations are checked too (an indicator without a measure, a misspelt parameter)
    with step("loading the registry"):
        return load_registry(registry, rules, measures=contracts())


def _read_results(path: Path) -> pd.DataFrame:
    """A results CSV as text columns, or a :class:`DataError` saying what is wrong with the file:
    not a regular file, too large, not UTF-8, empty, unreadable as CSV, months not ``YYYY-MM``."""
    import pandas as pd

    try:
        info = path.stat()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{path}: not a regular file: give a results CSV file")
    if info.st_size > RESULTS_MAX_BYTES:
        raise DataError(f"{path}: {info.st_size:,} bytes, more than the "
                        f"{RESULTS_MAX_BYTES:,} a results file may have")  # fmt: skip
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}; "
            "Excel's plain 'CSV' is Windows-1252): save it as 'CSV UTF-8'"
        ) from None
    if not text.strip():
        raise DataError(f"{path}: the file is empty: expected a header line "
                        f"{_RESULTS_COLUMNS} and one line per result")  # fmt: skip
    try:
        frame = pd.read_csv(io.StringIO(text),
                            dtype={"indicator": "string", "unit": "string", "month": "string"})  # fmt: skip
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a readable CSV file: {exc}") from None
    if len(frame.columns) == 1 and ";" in str(frame.columns[0]):
        raise DataError(f"{path}: the values are separated by ';' (Excel in some languages): "
                        "save it as 'CSV UTF-8' with commas")  # fmt: skip
    if frame.empty:
        raise DataError(f"{path}: no results: the file has a header line but no rows")
    if "month" in frame.columns:
        months = frame["month"].str.strip()
        valid = months.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False).astype(bool)
        if not valid.all():
            bad = frame.index[~valid]
            lines = ", ".join(str(i + 2) for i in bad[:5]) + (" ..." if len(bad) > 5 else "")
            values = ", ".join(repr(v) for v in pd.unique(frame.loc[bad[:5], "month"]))
            raise DataError(f"{path}: month must be YYYY-MM (e.g. 2015-05): not so at "
                            f"line(s) {lines}: {values}")  # fmt: skip
    return frame


_county_option = click.option(
    "--county", type=NAME, default=None,
    help=f"Name of the whole authority in the results (default: the 'authority' the extracts' "
    f"manifest.yaml names, {BUNDLED_COUNTY} for the bundled data; else {DEFAULT_COUNTY!r}).",
)  # fmt: skip
_date_format_option = click.option(
    "--date-format", type=_DateFormat(), default=None,
    help="How the CSV extracts write dates (default: the 'date_format' of the folder's "
    "manifest.yaml, else YYYY-MM-DD). ISO dates are always read; a date that does not fit is an "
    "error, never guessed.",
)  # fmt: skip


def _county(given: str | None, folder: Path) -> str:
    """``--county`` if given, else the authority named in the folder's manifest, else
    :data:`DEFAULT_COUNTY`."""
    if given is not None:
        return given
    from scorecard.extracts.manifest import read_manifest

    manifest = read_manifest(folder)
    return manifest.authority if manifest is not None and manifest.authority else DEFAULT_COUNTY


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
    """The CSV on standard output, or written to ``out`` in one step (a temporary file renamed
    over it), so that a failure leaves the previous file as it was. A device or pipe given as
    ``out`` (``/dev/stdout``) is written to as it is, never replaced."""
    from scorecard.reports.safety import guard_formulas

    safe = guard_formulas(frame)
    if out is None:
        safe.to_csv(sys.stdout, index=False)
        return
    tmp: str | None = None
    try:
        if out.exists() and not out.is_file():
            with out.open("w", encoding="utf-8", newline="") as stream:
                safe.to_csv(stream, index=False)
            return
        target = Path(os.path.realpath(out))  # a link to a file: the file it points to is replaced
        blocked = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        if blocked is not None:
            raise OutputError(f"cannot write {out}: {blocked} is a file, not a folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            safe.to_csv(stream, index=False)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.lexists(tmp):
            os.unlink(tmp)


@contextmanager
def _terminate_like_interrupt() -> Iterator[None]:
    """SIGTERM stops a build as Ctrl-C does ("Aborted!", exit 1), so that the build removes its
    temporary folder; the published outputs are whole either way (see scorecard.reports.publish)."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _one_line(text: object) -> str:
    """``text`` on one line (line breaks and runs of spaces made single spaces)."""
    return " ".join(str(text).split())


class _Display:
    """Shows the steps reported by :mod:`scorecard.progress` on standard error, and warnings.

    ``live``: a rich progress display while steps run (a terminal, not ``--quiet``); ``verbose``:
    a line per finished step with its time. The display is started by the first step and stopped
    when no step is left, so that anything else printed between steps is never overwritten.
    """

    def __init__(self, live: bool, verbose: bool) -> None:
        self.live = live
        self.verbose = verbose
        self._progress: Any = None
        self._tasks: dict[int, Any] = {}

    def __call__(self, event: Any) -> None:
        from scorecard.progress import EventKind

        match event.kind:
            case EventKind.STARTED:
                if self.live:
                    self._display().start()
                    description = "  " * event.depth + event.label
                    self._tasks[event.key] = self._progress.add_task(description,
                                                                     total=event.total)  # fmt: skip
            case EventKind.ADVANCED:
                if event.key in self._tasks:
                    self._progress.update(self._tasks[event.key], completed=event.done,
                                          description="  " * event.depth + event.label)  # fmt: skip
            case EventKind.FINISHED | EventKind.FAILED:
                if event.key in self._tasks:
                    self._progress.remove_task(self._tasks.pop(event.key))
                    if not self._tasks:
                        self.stop()
                if self.verbose and event.kind is EventKind.FINISHED:
                    self.echo(f"{'  ' * event.depth}{event.label} ({event.seconds:.2f} s)")
            case _:
                assert_never(event.kind)

    def _display(self) -> Any:
        if self._progress is None:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
                redirect_stdout=False, redirect_stderr=False,
            )  # fmt: skip
        return self._progress

    def echo(self, text: str) -> None:
        """A line on standard error, above the progress display if it is showing."""
        if self._progress is not None and self._tasks:
            self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(text, err=True)

    def warning(self, message: Warning | str, category: type[Warning], filename: str,
                lineno: int, file: Any = None, line: str | None = None) -> None:  # fmt: skip
        """``warnings.showwarning``: one line, ``warning: ...``, without file and source line."""
        self.echo(f"warning: {_one_line(message)}")

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._tasks.clear()


@contextmanager
def _session(ctx: click.Context) -> Iterator[None]:
    """Run a command with progress shown (or not) as ``--quiet``/``--verbose`` say, and warnings
    printed as one line each."""
    import warnings

    from scorecard.progress import reporting

    options = ctx.find_root().params
    quiet, verbose = bool(options.get("quiet")), bool(options.get("verbose"))
    if quiet and verbose:
        raise click.UsageError("give --quiet or --verbose, not both")
    live = not quiet and _stderr_is_terminal()
    display = _Display(live=live, verbose=verbose)
    with warnings.catch_warnings(), _without_hypothesis():
        warnings.showwarning = display.warning
        try:
            with reporting(display if live or verbose else None):
                yield
        finally:
            display.stop()


@contextmanager
def _without_hypothesis() -> Iterator[None]:
    """Run a command with ``hypothesis`` hidden from the libraries it imports, unless something
    imported it already (a test session: then nothing changes).

    pandera's built-in checks import its data-synthesis strategies, which import ``hypothesis``
    when it is installed (a test dependency here; about 0.15 s of CPU, a twentieth of a build);
    without it pandera only leaves its synthesis (``schema.strategy()``, never used by a command)
    unavailable. Hidden the standard way (``sys.modules[name] = None``: importing it raises
    ImportError, which pandera expects) and shown again afterwards. pandera's modules imported
    meanwhile remember that it was missing: a program that runs a command in its own process
    (``main([...])``) and later asks pandera for ``schema.strategy()`` must import ``hypothesis``
    first (then it is not hidden)."""
    if "hypothesis" in sys.modules:
        yield
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if "hypothesis" in sys.modules and sys.modules["hypothesis"] is None:
            del sys.modules["hypothesis"]


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


def _set_root(name: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def set_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.find_root().params[name] = True

    return set_flag


class _Command(click.Command):
    """A command: ``--quiet`` and ``--verbose`` also after its name; runs in :func:`_session`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params += [
            click.Option(["--quiet", "-q"], is_flag=True, expose_value=False,
                         callback=_set_root("quiet"), help="No progress on standard error."),
            click.Option(["--verbose", "-v"], is_flag=True, expose_value=False,
                         callback=_set_root("verbose"),
                         help="Also print each finished step with its time (on standard error)."),
        ]  # fmt: skip

    def invoke(self, ctx: click.Context) -> Any:
        with _session(ctx):
            return super().invoke(ctx)


class _Commands(click.Group):
    """The command group: turns a user's mistake into one message and an exit code."""

    command_class = _Command
    group_class = type  # a group inside it (import) is one of these too

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except ScorecardError as exc:
            _fail(ctx, str(exc), exc.exit_code)
        except UnicodeDecodeError as exc:
            _fail(ctx, f"a file is not UTF-8 text ({exc.reason} at byte {exc.start}): "
                       "save it as UTF-8 ('CSV UTF-8' in Excel)", 1)  # fmt: skip
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(ctx, f"{where}{exc.strerror or exc}", 1)


class _Failure(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _fail(ctx: click.Context, message: str, exit_code: int) -> None:
    if ctx.find_root().params.get("debug"):
        traceback.print_exc(file=sys.stderr)
    raise _Failure(message, exit_code) from None


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().params["debug"] = True


#: ``--debug`` is accepted after the command too (``scorecard build --debug``).
_debug_option = click.option("--debug", is_flag=True, hidden=True, expose_value=False,
                             is_eager=True, callback=_set_debug)  # fmt: skip


@click.group(cls=_Commands, epilog=_examples("scorecard"))
@click.version_option(package_name="scorecard")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an error too.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on standard error.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also print each finished step with its time (on standard error).")  # fmt: skip
def main(debug: bool, quiet: bool, verbose: bool) -> None:
    """Children's social care performance scorecard.

    Progress is shown on standard error when it is a terminal (--quiet: never). Exit codes: 0
    done; 1 the inputs cannot be used or the outputs cannot be written; 2 a wrong command, option
    or value.
    """
    _memory_settings()


#: The settings of numpy and pyarrow (each read when that library is imported, or first
#: allocates) that the command line gives unless they are set: variable -> (value, library).
#: pyarrow's jemalloc is built into its Linux wheels only: elsewhere its default pool is kept.
MEMORY_SETTINGS = {
    "NUMPY_MADVISE_HUGEPAGE": ("1", "numpy"),
    **({"ARROW_DEFAULT_MEMORY_POOL": ("jemalloc", "pyarrow")} if sys.platform == "linux" else {}),
}


def _memory_settings() -> None:
    """How numpy and pyarrow get memory, for the command line's large, short-lived arrays: each
    variable of :data:`MEMORY_SETTINGS` is set unless the user set it, or its library is already
    imported (then it is left as it is). The figures are the same either way.

    * ``NUMPY_MADVISE_HUGEPAGE=1`` (numpy's own default on Linux, written out so that the
      choice is seen): numpy advises the kernel to back its large arrays with transparent huge
      pages, so that a large array's first touch costs one page fault per 2 MB instead of one
      per 4 KB. Where the kernel must first compact fragmented memory to find a huge page, that
      touch can stall instead (seen on another machine on 2026-12-04): set
      ``NUMPY_MADVISE_HUGEPAGE=0`` there.
    * ``ARROW_DEFAULT_MEMORY_POOL=jemalloc`` (Linux): pyarrow allocates from its bundled
      jemalloc, which keeps freed memory for the next columns read instead of asking the kernel
      for fresh pages each time (the C library's ``malloc`` maps and unmaps each large block;
      mimalloc held more memory).

    Side by side on the benchmark machine (2026-12-05, the same code, 2 runs each): load +
    compute + rate at scale 60 took 24.0-25.8 s instead of 30.8-31.1 s with the earlier
    settings (advice off, the C library's ``malloc``), the kernel's time 8.0-9.1 s instead of
    13.4-13.9 s, at the same peak memory (3.5-3.6 GiB); six indicators at scale 60 4.6-4.7 s
    instead of 5.9-6.0 s from Parquet. ``benchmarks/README.md``, "Memory settings".
    """
    for variable, (value, library) in MEMORY_SETTINGS.items():
        if variable not in os.environ and library not in sys.modules:
            os.environ[variable] = value


@main.command("rate", epilog=_examples("rate"))
@_debug_option
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the rated CSV (default: standard output).")  # fmt: skip
@click.option("--month", type=MONTH, default=None,
              help="Month of the summary, YYYY-MM (default: the latest).")  # fmt: skip
@_registry_option
@_rules_option
def rate_command(
    results: Path, out: Path | None, month: str | None, registry: Path | None, rules: Path | None
) -> None:
    """Rate a CSV of results (indicator, unit, month, numerator, denominator, value).

    Writes the rated rows (thresholds in force, RAG, directions of travel) and prints the summary
    sentence of every unit for the month.
    """
    import pandas as pd

    from scorecard.calendar.periods import to_month
    from scorecard.rating import rate, summary_sentence

    reg = _load(registry, rules)
    frame = _read_results(results)
    try:
        rated = rate(frame, reg)
    except DataError as exc:
        raise DataError(f"{results}: {exc}") from exc
    chosen = to_month(month) if month else rated["month"].max()
    if month and not (rated["month"] == chosen).any():
        raise UsageError(f"--month {month}: {results} has no results for that month")
    _write(rated, out)
    echo = click.echo if out is not None else (lambda text: click.echo(text, err=True))
    for unit in pd.unique(rated.loc[rated["month"] == chosen, "unit"]):
        echo(summary_sentence(rated, unit, chosen))
    if out is not None:
        echo(f"Wrote {len(rated)} rated rows to {out}")


@main.command("check", epilog=_examples("check"))
@_debug_option
@_registry_option
@_rules_option
def check_command(registry: Path | None, rules: Path | None) -> None:
    """Check a registry and its rules; list every problem with file and line."""
    reg = _load(registry, rules)
    click.echo(f"OK: {len(reg)} indicators, {len(reg.rules)} rules, "
               f"financial years {', '.join(fy.label for fy in reg.financial_years)}")  # fmt: skip


@main.command("compare", epilog=_examples("compare"))
@_debug_option
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
    from scorecard.rating import compare_ratings

    frame = _read_results(results)
    before_reg, after_reg = _load(before, rules), _load(after, rules)
    try:
        diff = compare_ratings(frame, before_reg, after_reg)
    except DataError as exc:
        raise DataError(f"{results}: {exc}") from exc
    _write(diff, out)
    click.echo(f"{len(diff)} row(s) differ", err=True)


@main.command("compute", epilog=_examples("compute"))
@_debug_option
@click.option("--extracts", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              required=True, help="Folder of extract files (CSV or Parquet).")  # fmt: skip
@click.option("--from", "first", type=MONTH, required=True, help="First reporting month, YYYY-MM.")
@click.option("--to", "last", type=MONTH, default=None,
              help="Last reporting month, YYYY-MM (default: --from).")  # fmt: skip
@_date_format_option
@_county_option
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
    date_format: str | None,
    county: str | None,
    out: Path | None,
    allow_partial: bool,
    strict: bool,
    registry: Path | None,
    rules: Path | None,
) -> None:
    """Compute and rate every indicator from a folder of extracts, for every unit and month."""
    import pandas as pd

    if last is not None and pd.Period(last, freq="M") < pd.Period(first, freq="M"):
        raise UsageError(f"--to {last} is before --from {first}: the last month comes last")
    from scorecard.pipeline import compute_scorecard

    reg = _load(registry, rules)
    card = compute_scorecard(folder, first, last, registry=reg, county=_county(county, folder),
                             allow_partial=allow_partial, strict=strict,
                             date_format=date_format)  # fmt: skip
    _tell_missing(card)
    _write(card.frame, out)
    echo = click.echo if out is not None else (lambda text: click.echo(text, err=True))
    echo(card.summary_sentence())
    missing = card.frame.loc[card.frame["note"].notna(), ["indicator", "note"]].drop_duplicates()
    for indicator, note in missing.itertuples(index=False):
        echo(f"{indicator}: {note}")
    if out is not None:
        echo(f"Wrote {len(card.frame)} rated rows to {out}")


@main.command("build", epilog=_examples("build"))
@_debug_option
@click.option("--month", type=MONTH, default=None,
              help="Reporting month, YYYY-MM (default: the bundled data's latest month).")  # fmt: skip
@click.option("--extracts", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of extracts (default: the bundled synthetic county).")  # fmt: skip
@_date_format_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the reports to.")  # fmt: skip
@_county_option
@click.option("--suppress-below", type=click.IntRange(min=1), default=None,
              help="Withhold counts from 1 to N-1 in the published outputs (DfE convention).")  # fmt: skip
@click.option("--as-of", type=DATE, default=None,
              help="Extraction date, YYYY-MM-DD: later records are excluded and counted "
              "(default: the end of the month).")  # fmt: skip
@click.option("--spc-baseline", "spc_baseline", default=None, metavar="FROM:TO",
              help="Months whose points set the SPC centre and limits, e.g. 2014-05:2015-04 "
              "(either side may be empty; default: every month computed). See docs/spc.md.")  # fmt: skip
@_allow_partial_option
@_strict_option
@_registry_option
@_rules_option
@click.option("--formats", "formats", multiple=True, metavar="KIND[,KIND...]",
              help="Only these outputs: workbook, html, results, data_quality (comma-separated "
              "or repeated; default: all). The manifest is always written.")  # fmt: skip
@click.option("--units", "units", multiple=True, metavar="NAME",
              help="Only these units in the workbook and HTML report (repeat for more; any "
              "case; default: every unit). The CSVs cover every unit.")  # fmt: skip
@click.option("--commentary", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Commentary file (CSV: indicator, unit, month, text) shown in "
              "the exception reports instead of the sentences drafted from the figures.")  # fmt: skip
def build_command(
    month: str | None,
    folder: Path | None,
    date_format: str | None,
    out: Path,
    county: str | None,
    suppress_below: int | None,
    as_of: str | None,
    allow_partial: bool,
    strict: bool,
    registry: Path | None,
    rules: Path | None,
    formats: tuple[str, ...] = (),
    units: tuple[str, ...] = (),
    commentary: Path | None = None,
    spc_baseline: str | None = None,
) -> None:
    """Build the month's scorecard: Excel workbook, HTML report, results CSV, data quality.

    With no options, runs on the bundled synthetic county (generated on first use) for its
    latest month. Months: the 13 months up to the reporting month (trend and directions of travel).
    """
    options = {"month": month, "extracts": "bundled" if folder is None else "given",
               "date_format": date_format, "county": county, "suppress_below": suppress_below, "as_of": as_of,
               "allow_partial": allow_partial, "strict": strict,
               "registry": "bundled" if registry is None else "given",
               "rules": "bundled" if rules is None else "given"}  # fmt: skip
    kinds = [kind.strip() for text in formats for kind in text.split(",") if kind.strip()]
    options.update(formats=kinds or None, units=list(units) or None,
                   commentary=None if commentary is None else "given")  # fmt: skip
    if folder is not None and month is None:
        raise click.UsageError("--month is required with --extracts")
    known = ("workbook", "html", "results", "data_quality")  # reports.build.OUTPUT_FORMATS
    unknown = [kind for kind in kinds if kind not in known]
    if formats and (unknown or not kinds):  # checked now, not after computing
        said = (f"unknown output format(s) {', '.join(repr(k) for k in unknown)}" if unknown
                else "no output format chosen")  # fmt: skip
        raise click.BadParameter(f"{said} (formats: {', '.join(known)})", param_hint="--formats")
    from scorecard.rating.spc import SpcSettings

    spc = SpcSettings.parse_baseline(spc_baseline) if spc_baseline is not None else None
    if spc_baseline is not None:
        options["spc_baseline"] = spc_baseline
    from scorecard.bundled import bundled_extracts
    from scorecard.calendar.periods import to_month
    from scorecard.pipeline import compute_scorecard
    from scorecard.progress import step
    from scorecard.registry import default_registry_path
    from scorecard.reports.build import manifest_facts, write_outputs
    from scorecard.reports.publish import output_lock

    if folder is None:
        folder = bundled_extracts()  # generated on first use (shown as a step), else silent
        month = month or BUNDLED_LAST_MONTH
    # a second build into the same folder fails now, not after computing
    with _terminate_like_interrupt(), output_lock(out):
        reg = _load(registry, rules)
        period = to_month(month)
        card = compute_scorecard(folder, period - 12, period, registry=reg,
                                 county=_county(county, folder), as_of=as_of,
                                 allow_partial=allow_partial, strict=strict,
                                 date_format=date_format, spc=spc)  # fmt: skip
        _tell_missing(card)
        if commentary is not None:
            card = card.with_commentary(commentary)
        about = manifest_facts(card, registry=registry or default_registry_path(), rules=rules,
                               extracts=folder, options=options)  # fmt: skip
        with step(f"writing the reports into {out}/"):
            paths = write_outputs(card, period, out, suppress_below=suppress_below,
                                  quality=card.quality, about=about, formats=kinds or None,
                                  units=units or None)  # fmt: skip
    click.echo(card.summary_sentence())
    for kind, path in paths.items():
        click.echo(f"{kind}: {path}")


# --------------------------------------------------------------------------------------------------
# scorecard import: the national returns to an extract folder (docs/importers.md)

#: source -> (module, function, file suffixes it reads, whether folders are accepted). The modules
#: are imported when a command needs them.
IMPORTERS: dict[str, tuple[str, str, tuple[str, ...], bool]] = {
    "ssda903": ("scorecard.importers.ssda903", "import_ssda903", (".csv", ".xml"), True),
    "cin_census": ("scorecard.importers.cin_census", "import_cin_census", (".xml",), True),
    "annex_a": ("scorecard.importers.annex_a", "import_annex_a", (".xlsx",), False),
}


def load_importer(source: str, **options: Any) -> Callable[[list[Path]], Any]:
    """The importer of ``source`` as a function of a list of paths (imported on first use), with
    the importer's own keyword ``options`` (e.g. ``invalid="exclude"`` for the CIN census)."""
    from scorecard.importers.coverage import SOURCE_TITLES

    module_name, function_name, _, _ = IMPORTERS[source]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise UsageError(f"the {SOURCE_TITLES[source]} importer is not part of this version of "
                         "scorecard") from None  # fmt: skip
    function = getattr(module, function_name)
    if source == "annex_a":
        return lambda paths: function(paths[0], **options)  # one workbook
    return lambda paths: function(paths, **options)


def _check_source_paths(source: str, paths: Sequence[Path]) -> list[Path]:
    """The paths, or a :class:`UsageError` for one that is not a file of ``source``'s kind."""
    from scorecard.importers.coverage import SOURCE_TITLES

    _, _, suffixes, folders = IMPORTERS[source]
    kinds = " or ".join(suffixes) + (" files, or folders of them" if folders else " file")
    for path in paths:
        if path.is_dir() and folders:
            continue
        if path.is_dir() or path.suffix.lower() not in suffixes:
            raise UsageError(f"{path}: not read: {SOURCE_TITLES[source]} input is {kinds}")
    return list(paths)


def _run_import(
    inputs: dict[str, list[Path]],
    out: Path,
    teams: Path | None,
    organisation: Path | None,
    authority: str,
    importer_options: dict[str, dict[str, Any]] | None = None,
) -> None:
    from scorecard.importers import assign_teams, combine, report_summary, write_import
    from scorecard.importers.combine import check_out
    from scorecard.importers.coverage import coverage_table, format_coverage

    check_out(out)  # before reading anything
    checked = {source: _check_source_paths(source, paths) for source, paths in inputs.items()}
    chosen = importer_options or {}
    results = [load_importer(source, **chosen.get(source, {}))(paths)
               for source, paths in checked.items()]  # fmt: skip
    assigned = assign_teams(combine(results), team_map=teams, organisation=organisation,
                            authority=authority)  # fmt: skip
    for note in assigned.result.notes:
        click.echo(f"note: {note}", err=True)
    write_import(assigned.result, out, organisation=assigned.organisation, authority=authority)
    click.echo(report_summary(assigned.result.report))
    click.echo(format_coverage(coverage_table(inputs)))
    click.echo(f"Wrote {out} (import report: {out / 'import_report.csv'})")


def _import_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
                     help="Extract folder to write (new or empty)."),
        click.option("--teams", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     default=None, help="Team mapping CSV: kind,value,team (kind: child, worker "
                     "or annex_a_team)."),
        click.option("--organisation", type=click.Path(exists=True, dir_okay=False,
                     path_type=Path), default=None,
                     help="Organisation CSV: team,area,team_type."),
        click.option("--authority", type=NAME, default="Local authority", show_default=True,
                     help="Name of the authority (the one unit when no teams are given)."),
        _debug_option,
    ]):  # fmt: skip
        command = option(command)
    return command


_PATHS = click.Path(exists=True, path_type=Path)


@main.group("import", epilog=_examples("import"))
def import_group() -> None:
    """Import the national returns (SSDA903, CIN census, Annex A) into an extract folder.

    Writes the canonical extracts (Parquet), organisation.csv, manifest.yaml and
    import_report.csv into --out (new or empty), checks that the folder loads, then prints the
    import report's summary and which indicators the sources can feed. Several sources into one
    folder: `scorecard import all`.
    """


@import_group.command("ssda903", epilog=_examples("ssda903"))
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@_import_options
def import_ssda903_command(paths: tuple[Path, ...], **options: Any) -> None:
    """SSDA903 CSV or XML files (or folders of them), one or many collection years."""
    _run_import({"ssda903": list(paths)}, **options)


_exclude_invalid_option = click.option(
    "--exclude-invalid", is_flag=True, default=False,
    help="CIN census: leave out records with invalid dates (counted in the import report) "
    "instead of refusing the import.")  # fmt: skip
_request_date_option = click.option(
    "--request-date", type=DATE, default=None,
    help="Annex A: the date Ofsted asked for the workbook, YYYY-MM-DD (default: the latest date "
    "in the lists); the workbook covers the 12 months before it.")  # fmt: skip
_team_from_option = click.option(
    "--team-from", type=click.Choice(["team", "worker"]), default="team", show_default=True,
    help="Annex A: take the team from 'Allocated Team', or the worker from 'Allocated Worker' "
    "(then map workers to teams with --teams).")  # fmt: skip


def _cin_options(exclude_invalid: bool) -> dict[str, Any]:
    return {"invalid": "exclude" if exclude_invalid else "fail"}


def _annex_a_options(request_date: str | None, team_from: str) -> dict[str, Any]:
    return {"request_date": request_date, "team_from": team_from}


@import_group.command("cin-census", epilog=_examples("cin-census"))
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@_exclude_invalid_option
@_import_options
def import_cin_census_command(
    paths: tuple[Path, ...], exclude_invalid: bool, **options: Any
) -> None:
    """CIN census XML files (or folders of them), one or many years."""
    _run_import({"cin_census": list(paths)}, **options,
                importer_options={"cin_census": _cin_options(exclude_invalid)})  # fmt: skip


@import_group.command("annex-a", epilog=_examples("annex-a"))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_request_date_option
@_team_from_option
@_import_options
def import_annex_a_command(
    path: Path, request_date: str | None, team_from: str, **options: Any
) -> None:
    """An Ofsted Annex A workbook (.xlsx)."""
    _run_import({"annex_a": [path]}, **options,
                importer_options={"annex_a": _annex_a_options(request_date, team_from)})  # fmt: skip


@import_group.command("all", epilog=_examples("all"))
@click.option("--ssda903", "ssda903", multiple=True, type=_PATHS,
              help="SSDA903 file or folder (repeat the option for several).")  # fmt: skip
@click.option("--cin-census", "cin_census", multiple=True, type=_PATHS,
              help="CIN census XML file or folder (repeat the option for several).")  # fmt: skip
@click.option("--annex-a", "annex_a", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Annex A workbook.")  # fmt: skip
@_exclude_invalid_option
@_request_date_option
@_team_from_option
@_import_options
def import_all_command(
    ssda903: tuple[Path, ...],
    cin_census: tuple[Path, ...],
    annex_a: Path | None,
    exclude_invalid: bool,
    request_date: str | None,
    team_from: str,
    **options: Any,
) -> None:
    """Several sources of one authority into one folder, merged by the rule of precedence of
    docs/importers.md (903 for care, CIN census for referrals to plans, Annex A fills gaps)."""
    inputs = {"ssda903": list(ssda903), "cin_census": list(cin_census),
              "annex_a": [annex_a] if annex_a else []}  # fmt: skip
    chosen = {source: paths for source, paths in inputs.items() if paths}
    if not chosen:
        raise click.UsageError("give at least one of --ssda903, --cin-census, --annex-a")
    _run_import(chosen, **options, importer_options={
        "cin_census": _cin_options(exclude_invalid),
        "annex_a": _annex_a_options(request_date, team_from),
    })  # fmt: skip


if __name__ == "__main__":  # pragma: no cover
    main()
