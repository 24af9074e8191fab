"""The CI profile of Hypothesis has no deadline (issue 11): a deadline failure was seen under load."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def _deadline_under(profile_env: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    env.update(profile_env)
    code = "import tests.conftest; from hypothesis import settings; print(settings.default.deadline)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout.strip()


def test_ci_profile_has_no_deadline() -> None:
    assert _deadline_under({"HYPOTHESIS_PROFILE": "ci"}) == "None"
    assert _deadline_under({"CI": "true"}) == "None"


def test_dev_profile_keeps_hypothesis_deadline() -> None:
    assert _deadline_under({}) != "None"


def test_ci_script_chooses_the_ci_profile() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "export HYPOTHESIS_PROFILE=ci" in script
    assert script.index("HYPOTHESIS_PROFILE=ci") < script.rindex("make test")


def test_make_test_chooses_the_ci_profile_unless_one_is_set() -> None:
    """`make test` runs on several workers sharing the cores: no deadlines, unless asked."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("\ntest:"):].split("\n\n")[0]
    assert "HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci}" in recipe and "-m pytest" in recipe
