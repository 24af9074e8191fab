"""What ``import scorecard`` and ``scorecard --help`` load (issue 12, item 4), pinned without timing.

``import scorecard`` loads no pandas and nothing heavier: each public name is imported from its
module on first use (PEP 562), and the DataFrame accessor is registered when pandas is imported.
The command line imports pandas, the engine, importers and report writers inside the commands, so
``--help`` answers without them. Each check runs in a fresh interpreter, since this test session
has imported everything already. The times themselves are measured in benchmarks/, never here.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys

import pytest

import scorecard
from scorecard import cli
from scorecard.measures.compute import DEFAULT_COUNTY
from tests.conftest import REPO

#: Libraries that only some uses need: validation, calendar, YAML, Excel, plotting, templates,
#: test and benchmark tools.
HEAVY = ["pandas", "numpy", "pyarrow", "pandera", "holidays", "yaml", "openpyxl", "xlsxwriter", "matplotlib", "PIL", "jinja2",
         "hypothesis", "duckdb", "rich"]  # fmt: skip
#: The engine's packages: none is needed to register the accessor or to print a help page.
ENGINE = ["scorecard.extracts", "scorecard.measures", "scorecard.calendar", "scorecard.rating",
          "scorecard.registry", "scorecard.pipeline", "scorecard.importers", "scorecard.synth",
          "scorecard.reports.model", "scorecard.reports.build", "scorecard.reports.workbook",
          "scorecard.reports.html", "scorecard.reports.charts"]  # fmt: skip

#: The public API and where each name comes from (as ``import scorecard`` imported them before the
#: lazy imports): ``from scorecard import *`` gives these names.
HOMES = {
    "scorecard.errors": ["DataError", "OutputError", "ScorecardError", "UsageError"],
    "scorecard.extracts": ["Extracts", "ExtractValidationError", "Manifest", "ManifestError",
                           "load_extracts", "validate_extracts"],
    "scorecard.measures": ["Computation", "month_range"],
    "scorecard.convenience": ["compute", "rate"],
    "scorecard.pipeline": ["CoverageError", "Scorecard", "compute_scorecard"],
    "scorecard.rating": ["RAG", "Direction", "RatingState", "ResultsError", "applicable_rows",
                         "compare_ratings", "summary_counts", "summary_sentence"],
    "scorecard.registry": ["Polarity", "Registry", "RegistryError", "default_registry_path",
                           "load_registry"],
    "scorecard.measures.compute": ["NotComputedError", "UnknownNameError"],
    "scorecard.rating.spc": ["SpcSettings", "add_spc"],
    "scorecard.registry.benchmarks": ["load_benchmarks"],
    "scorecard.reports.commentary": ["CommentaryError", "load_commentary"],
    "scorecard.reports.movement": ["movements"],
}  # fmt: skip
PUBLIC = [name for names in HOMES.values() for name in names]

_REPORT = """
import json, sys
print(json.dumps(sorted(m for m in sys.modules if m in {watch})))
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python *args`` in a fresh interpreter (``-c CODE`` unless the first argument is an
    option)."""
    command = list(args) if args[0].startswith("-") else ["-c", *args]
    return subprocess.run([sys.executable, *command], cwd=REPO, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def _loaded_after(code: str, *args: str) -> list[str]:
    """The modules of HEAVY and ENGINE loaded after running ``code`` in a fresh interpreter
    (warnings are errors: registering the accessor twice would warn)."""
    watch = repr(set(HEAVY + ENGINE))
    script = f"import atexit\natexit.register(lambda: exec({_REPORT.format(watch=watch)!r}))\n"
    done = _run("-W", "error", "-c", script + code, *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_watch_list_names_real_modules() -> None:
    """A misspelt name would make the tests below pass whatever is imported."""
    # duckdb is only in the `bench` extra (CI installs `test` only): watched when installed
    optional = [name for name in ("duckdb",) if importlib.util.find_spec(name) is None]
    extra = ", ".join(name for name in ("hypothesis", "duckdb", "PIL", "openpyxl", "matplotlib",
                                        "rich")
                      if name not in optional)  # fmt: skip
    loaded = _loaded_after("import scorecard as sc; sc.compute_scorecard; sc.load_extracts; "
                           "import scorecard.cli, scorecard.reports.build, scorecard.importers, "
                           f"scorecard.synth, {extra}")  # fmt: skip
    assert loaded == sorted(name for name in HEAVY + ENGINE if name not in optional)


def test_import_scorecard_loads_nothing_heavy() -> None:
    assert _loaded_after("import scorecard") == []


def test_import_scorecard_waits_for_pandas_with_one_finder() -> None:
    code = """import sys, scorecard, importlib
importlib.reload(scorecard)
print([type(f).__name__ for f in sys.meta_path if type(f).__module__ == "scorecard"])
"""
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['_AccessorAfterPandas']"]


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["build", "--help"], ["compute", "--help"], ["rate", "--help"],
     ["check", "--help"], ["compare", "--help"], ["import", "--help"],
     ["import", "ssda903", "--help"], ["import", "cin-census", "--help"],
     ["import", "annex-a", "--help"], ["import", "all", "--help"], ["nope"], [],
     ["build", "--extracts", "."], ["build", "--as-of", "2015-02-30"]],
    ids=" ".join,
)  # fmt: skip
def test_help_and_usage_mistakes_load_nothing_heavy(args: list[str]) -> None:
    code = "import sys; sys.argv[0] = 'scorecard'; from scorecard.cli import main; main()"
    assert _loaded_after(f"try:\n    {code}\nexcept SystemExit:\n    pass", *args) == []


def test_help_pages_show_the_defaults() -> None:
    """build and compute state the one rule for --county (issue 14)."""
    rule = ("(default: the 'authority' the extracts' manifest.yaml names, Kent for the bundled "
            "data; else 'County')")  # fmt: skip
    for command in ("build", "compute"):
        done = _run("from scorecard.cli import main; main()", command, "--help")
        assert done.returncode == 0
        assert rule in " ".join(done.stdout.split())


def test_the_command_line_default_county_is_the_engines() -> None:
    assert cli.DEFAULT_COUNTY == DEFAULT_COUNTY == "County"


def test_a_wrong_month_is_still_a_usage_error() -> None:
    """--month is checked by the calendar's rule, imported when the option is read."""
    done = _run("from scorecard.cli import main; main()", "rate", "--month", "2015-13",
                str(REPO / "data" / "published" / "scs_2015_05_results.csv"))  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "Invalid value for '--month'" in done.stderr


@pytest.mark.parametrize(
    "imports",
    ["import pandas as pd; import scorecard", "import scorecard; import pandas as pd",
     "import scorecard; import scorecard.reports.safety; import pandas as pd",
     "import scorecard, importlib.util; importlib.util.find_spec('pandas'); import pandas as pd"],
    ids=["pandas first", "scorecard first", "pandas by scorecard", "looked up first"],
)  # fmt: skip
def test_the_accessor_is_registered_by_import_scorecard(imports: str) -> None:
    """A rated CSV read back with pandas has ``.scorecard`` after a plain ``import scorecard``
    (before any other scorecard name is used), and its views import what they need; the finder
    that waits for pandas is gone afterwards and pandas' loader is its own again; no warning."""
    results = REPO / "data" / "published" / "scs_2015_05_results.csv"
    code = f"""{imports}
import sys
assert not [f for f in sys.meta_path if type(f).__module__ == "scorecard"], sys.meta_path
assert "exec_module" not in vars(pd.__spec__.loader)
accessor = pd.DataFrame.scorecard.__module__, pd.DataFrame.scorecard.__name__
assert "scorecard.rating" not in sys.modules
rated = scorecard.rate(pd.read_csv({str(results)!r}))
print(accessor)
print(rated.scorecard.summary("Kent", "2015-05"))
print(rated.scorecard.table("Kent", "2015-05")["Ref"].tolist() == list(range(1, 45)))
print("#E8494A" in rated.scorecard.style("Kent", "2015-05").to_html())
"""
    done = _run("-W", "error", "-c", code)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "('scorecard.reports.notebook', 'ScorecardAccessor')"
    assert lines[1].startswith("As at 31/05/2015, Kent has 20 indicators rated as Green")
    assert lines[2:] == ["True", "True"]


def test_public_names_are_their_modules_objects() -> None:
    assert sorted(scorecard.__all__) == sorted(PUBLIC)
    for home, names in HOMES.items():
        module = importlib.import_module(home)
        for name in names:
            assert getattr(scorecard, name) is getattr(module, name), name


def test_dir_lists_the_public_names_and_subpackages() -> None:
    """In this session (other subpackages may be loaded by now): the public names, the
    subpackages, the loaded submodules and the dunders, nothing else, in order."""
    names = dir(scorecard)
    packages = {"calendar", "errors", "extracts", "measures", "pipeline", "rating", "registry",
                "reports", "cli"}  # fmt: skip
    assert set(PUBLIC) | packages | {"__version__", "__all__"} <= set(names)
    others = {n for n in names if not n.startswith("__")} - set(PUBLIC)
    assert all(n in packages or f"scorecard.{n}" in sys.modules for n in others), others
    assert names == sorted(names)


def test_dir_of_a_fresh_import() -> None:
    """Tab completion offers the public names and subpackages before any is loaded."""
    code = "import scorecard; print(' '.join(n for n in dir(scorecard) if n[:2] != '__'))"
    done = _run(code)
    assert done.returncode == 0, done.stderr
    packages = ["calendar", "errors", "extracts", "measures", "pipeline", "rating", "registry",
                "reports"]  # fmt: skip
    assert done.stdout.split() == sorted(PUBLIC + packages)


def test_fresh_import_gives_every_name_subpackage_and_star() -> None:
    code = """import scorecard
print(scorecard.calendar.to_month("2015-05"), scorecard.registry.__name__)
from scorecard import rate, Scorecard, RAG
print(rate.__module__, Scorecard.__module__, RAG.GREEN.value)
ns = {}
exec("from scorecard import *", ns)
print(sorted(k for k in ns if not k.startswith("__")) == sorted(scorecard.__all__))
"""
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "2015-05 scorecard.registry",
        "scorecard.convenience scorecard.pipeline G",
        "True",
    ]


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'scorecard' has no attribute 'rat'"):
        _ = scorecard.rat
    with pytest.raises(ImportError, match="cannot import name 'rat'"):
        from scorecard import rat  # noqa: F401


def test_a_failure_to_register_the_accessor_does_not_break_pandas() -> None:
    code = """import sys, warnings, scorecard
sys.modules["scorecard.reports.notebook"] = None  # its import now fails
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import pandas as pd
print(pd.DataFrame({"a": [1]}).shape, hasattr(pd.DataFrame, "scorecard"))
print([str(w.message) for w in caught if w.category is RuntimeWarning])
"""
    done = _run(code)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == "(1, 1) False"
    assert "the DataFrame accessor .scorecard is not available: ModuleNotFoundError" in second
