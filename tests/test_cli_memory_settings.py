"""The command line sets numpy's and pyarrow's memory settings (``NUMPY_MADVISE_HUGEPAGE=1``,
and on Linux ``ARROW_DEFAULT_MEMORY_POOL=jemalloc``) unless the user set them or the library is already
imported; each case runs ``scorecard`` in a fresh interpreter, since the libraries read the
variables when imported (or on their first allocation) and this test session has imported them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scorecard.cli import MEMORY_SETTINGS
from tests.conftest import REPO

PROBE = """
import json, os, sys
from scorecard.cli import MEMORY_SETTINGS, main
VARIABLES = list(MEMORY_SETTINGS)
try:
    main(["rate", "--help"], standalone_mode=False)
except SystemExit:
    pass
import numpy, pyarrow
setter = getattr(numpy._core.multiarray, "_set_madvise_hugepage", None)
advised = None if setter is None else bool(setter(True))  # returns the setting numpy had
print(json.dumps({"variables": {v: os.environ.get(v) for v in VARIABLES}, "advised": advised,
                  "pool": pyarrow.default_memory_pool().backend_name}))
"""


def _probe(given: dict[str, str], *, first: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in MEMORY_SETTINGS}
    env.update(given)
    code = (f"import {first}\n" if first else "") + PROBE
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_settings() -> None:
    pool = {"ARROW_DEFAULT_MEMORY_POOL": ("jemalloc", "pyarrow")}  # in pyarrow's Linux wheels
    assert MEMORY_SETTINGS == {
        "NUMPY_MADVISE_HUGEPAGE": ("1", "numpy"),
        **(pool if sys.platform == "linux" else {}),
    }


@pytest.mark.skipif(sys.platform != "linux", reason="madvise and jemalloc are Linux's here")
def test_the_command_line_sets_both_and_the_libraries_follow() -> None:
    found = _probe({})
    assert found["variables"] == {
        "NUMPY_MADVISE_HUGEPAGE": "1",
        "ARROW_DEFAULT_MEMORY_POOL": "jemalloc",
    }
    assert found["pool"] == "jemalloc"
    if found["advised"] is not None:
        assert found["advised"] is True


@pytest.mark.skipif(sys.platform != "linux", reason="the pool is set on Linux only")
def test_a_setting_of_the_user_is_kept() -> None:
    found = _probe({"NUMPY_MADVISE_HUGEPAGE": "0", "ARROW_DEFAULT_MEMORY_POOL": "system"})
    assert found["variables"] == {
        "NUMPY_MADVISE_HUGEPAGE": "0",
        "ARROW_DEFAULT_MEMORY_POOL": "system",
    }
    assert found["pool"] == "system"
    if found["advised"] is not None:
        assert found["advised"] is False


@pytest.mark.parametrize(("library", "variable"), [("numpy", "NUMPY_MADVISE_HUGEPAGE"),
                                                   ("pyarrow", "ARROW_DEFAULT_MEMORY_POOL")])  # fmt: skip
def test_a_library_imported_before_is_left_as_it_is(library: str, variable: str) -> None:
    if variable not in MEMORY_SETTINGS:
        pytest.skip(f"{variable} is not set on {sys.platform}")
    # its variable would no longer change anything: it is not set, so as not to mislead
    found = _probe({}, first=library)
    assert found["variables"][variable] is None
