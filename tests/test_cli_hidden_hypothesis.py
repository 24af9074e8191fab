"""Commands run with ``hypothesis`` hidden from pandera (``scorecard.cli._without_hypothesis``):
pandera validates without importing it, it is importable again afterwards, and nothing changes
where it was imported already (this test session)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from scorecard import cli
from tests.conftest import REPO

_VALIDATE = """
import json, sys
from scorecard.cli import _without_hypothesis
with _without_hypothesis():
    import pandas as pd
    import pandera.pandas as pa
    schema = pa.DataFrameSchema({"a": pa.Column(int, pa.Check.isin([1, 2]))})
    schema.validate(pd.DataFrame({"a": [1, 2]}))
    loaded = sorted(m for m, v in sys.modules.items() if m.split(".")[0] == "hypothesis" and v)
    checked = "pandera.backends.pandas.builtin_checks" in sys.modules
after = "hypothesis" in sys.modules
import hypothesis.strategies
print(json.dumps([loaded, checked, after, hypothesis.strategies.__name__]))
"""


def test_pandera_validates_without_importing_hypothesis() -> None:
    done = subprocess.run([sys.executable, "-c", _VALIDATE], cwd=REPO, capture_output=True,
                          text=True, check=True)  # fmt: skip
    loaded, checked, after, strategies = json.loads(done.stdout.splitlines()[-1])
    assert checked, "pandera's built-in checks were not registered: the test shows nothing"
    assert loaded == []
    assert not after  # shown again: importable, as the last import shows
    assert strategies == "hypothesis.strategies"


def test_nothing_changes_where_hypothesis_is_imported() -> None:
    present = sys.modules["hypothesis"]  # this session's
    with cli._without_hypothesis():
        assert sys.modules["hypothesis"] is present
    assert sys.modules["hypothesis"] is present


def test_a_command_runs_with_hypothesis_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    load = cli._load

    def loading(*args: object) -> object:
        seen.append(sys.modules.get("hypothesis", "absent"))
        with pytest.raises(ImportError):
            import hypothesis  # noqa: F401
        return load(*args)

    monkeypatch.setattr(cli, "_load", loading)
    monkeypatch.delitem(sys.modules, "hypothesis")  # put back after the test
    result = CliRunner().invoke(cli.main, ["check", "--quiet"])
    assert result.exit_code == 0, result.output
    assert seen == [None]
    assert "hypothesis" not in sys.modules
