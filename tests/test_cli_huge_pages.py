"""The command line asks numpy not to advise transparent huge pages (``NUMPY_MADVISE_HUGEPAGE=0``)
unless the user set the variable; each case runs ``scorecard`` in a fresh interpreter, since
numpy reads the variable when it is imported and this test session has imported it already."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

PROBE = """
import json, os, sys
from scorecard.cli import main
try:
    main(["rate", "--help"], standalone_mode=False)
except SystemExit:
    pass
import numpy
setter = getattr(numpy._core.multiarray, "_set_madvise_hugepage", None)
advised = None if setter is None else bool(setter(True))  # returns the setting numpy had
print(json.dumps({"variable": os.environ.get("NUMPY_MADVISE_HUGEPAGE"), "advised": advised}))
"""


def _probe(variable: str | None, *, numpy_first: bool = False) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if variable is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = variable
    code = ("import numpy\n" if numpy_first else "") + PROBE
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="madvise is Linux's")
def test_the_command_line_turns_numpys_huge_page_advice_off() -> None:
    found = _probe(None)
    assert found["variable"] == "0"
    if found["advised"] is not None:
        assert found["advised"] is False


def test_a_setting_of_the_user_is_kept() -> None:
    assert _probe("1")["variable"] == "1"
    assert _probe("0")["variable"] == "0"


def test_numpy_imported_before_is_left_as_it_is() -> None:
    # the variable would no longer change anything: it is not set, so as not to mislead
    assert _probe(None, numpy_first=True)["variable"] is None
