"""Catalogue rows 100-115 and 127 (docs/bad-input.md, "Catalogue: registry and results"): registry files
that are wrong or hostile, each shown through ``scorecard check``.

Every test writes a small registry (one indicator, valid as given in :data:`VALID`) with one
change, runs ``scorecard check --registry FILE`` with click's CliRunner and checks: a non-zero exit
code, the file and line of the problem, and the example message of the catalogue row.
"""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.registry import RegistryError, load_registry
from tests.catalogue import documented
from tests.conftest import REPO

RULES = REPO / "rag_rules"

VALID = textwrap.dedent(
    """\
    financial_years: ["2015/16"]
    groups: [Tests]
    defaults:
      min_denominator: {value: 5, inferred: "test"}
    indicators:
      - ref: 1
        id: visits_in_time
        measure: cin_seen_28_days
        title: "% of visits in time"
        group: Tests
        polarity: H
        period: YTD
        unit: percent
        numerator: visits in time
        denominator: visits
        source: test
        counted_in: the team of the visit
        applies_to:
          levels: [county, area, team]
          team_types: [assessment_and_family_support]
          reason: "visits are made by assessment teams"
        rated_at: [county, area, team]
        rule: target_floor
        thresholds:
          "2015/16":
            target: {value: 85, published: "report p.3"}
            floor: {value: 76.5, published: "report p.3"}
    """
)


def changed(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle`` (the expected line)."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--registry", str(path), "--rules", str(RULES)])
    return result.exit_code, result.output


def shown_by_check(request, tmp_path: Path, text: str, needle: str) -> str:
    """``scorecard check`` on ``text`` fails naming the file and the line of ``needle``."""
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = check(path)
    assert code != 0, output
    assert f"{path}:{line_of(text, needle)}:" in output, output
    documented(request, output)
    return output


def test_quality_the_base_registry_is_valid(tmp_path: Path) -> None:
    # the base of every row below is valid: only the change of each row is wrong
    path = tmp_path / "indicators.yaml"
    path.write_text(VALID, encoding="utf-8")
    code, output = check(path)
    assert code == 0, output


def test_registry_target_nan(request, tmp_path: Path) -> None:
    text = changed("target: {value: 85,", "target: {value: .nan,")
    shown_by_check(request, tmp_path, text, "value: .nan")


def test_registry_target_inf(request, tmp_path: Path) -> None:
    text = changed("target: {value: 85,", "target: {value: .inf,")
    shown_by_check(request, tmp_path, text, "value: .inf")


def test_registry_target_huge_literal(request, tmp_path: Path) -> None:
    # 10**400 written out: a whole number that no float can hold
    text = changed("target: {value: 85,", f"target: {{value: {10**400},")
    shown_by_check(request, tmp_path, text, "target: {value: 1000")


def test_registry_min_denominator_inf(request, tmp_path: Path) -> None:
    text = changed("min_denominator: {value: 5,", "min_denominator: {value: .inf,")
    shown_by_check(request, tmp_path, text, "min_denominator")


def test_registry_min_denominator_negative(request, tmp_path: Path) -> None:
    text = changed("min_denominator: {value: 5,", "min_denominator: {value: -1,")
    shown_by_check(request, tmp_path, text, "min_denominator")


def test_registry_yaml_alias_bomb(request, tmp_path: Path) -> None:
    # "billion laughs": 9 levels of 9 aliases each would expand to 9**9 strings
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")
    )
    assert len(bomb) < 400
    started = time.perf_counter()
    shown_by_check(request, tmp_path, bomb, "a: &a")
    assert time.perf_counter() - started < 1.0


def test_registry_is_dev_zero(request) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    started = time.perf_counter()
    code, output = check(Path("/dev/zero"))
    assert code != 0 and "/dev/zero:1:" in output, output
    assert time.perf_counter() - started < 1.0
    documented(request, output)


def test_registry_is_a_fifo(request, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    fifo = tmp_path / "indicators.yaml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    code, output = check(fifo)  # nobody writes to it: reading would wait for ever
    assert code != 0 and f"{fifo}:1:" in output, output
    assert time.perf_counter() - started < 1.0
    documented(request, output)


def test_registry_latin1(request, tmp_path: Path) -> None:
    path = tmp_path / "indicators.yaml"
    text = changed('source: test', 'source: "Liberi, caf\u00e9"')
    path.write_bytes(text.encode("latin-1"))
    code, output = check(path)
    assert code != 0, output
    assert f"{path}:{line_of(text, 'caf')}:" in output and "Traceback" not in output, output
    documented(request, output)


def test_registry_too_large(request, tmp_path: Path) -> None:
    path = tmp_path / "indicators.yaml"
    path.write_text(VALID + "#" * (6 * 1024 * 1024) + "\n", encoding="utf-8")
    code, output = check(path)
    assert code != 0 and f"{path}:1:" in output, output
    documented(request, output)


def test_registry_unknown_level(request, tmp_path: Path) -> None:
    text = changed("levels: [county, area, team]", "levels: [county, region, team]")
    shown_by_check(request, tmp_path, text, "region")


def test_registry_unknown_team_type(request, tmp_path: Path) -> None:
    text = changed("team_types: [assessment_and_family_support]",
                   "team_types: [assessment_and_family_support, duty]")  # fmt: skip
    shown_by_check(request, tmp_path, text, "duty")


def test_registry_rated_where_not_applicable(request, tmp_path: Path) -> None:
    text = changed("levels: [county, area, team]", "levels: [county]")
    shown_by_check(request, tmp_path, text, "rated_at:")


def test_registry_applies_to_without_reason(request, tmp_path: Path) -> None:
    text = changed('      reason: "visits are made by assessment teams"\n', "")
    shown_by_check(request, tmp_path, text, "applies_to:")


def test_registry_unknown_applies_to_key(request, tmp_path: Path) -> None:
    text = changed("      team_types:", "      teams: [x]\n      team_types:")
    shown_by_check(request, tmp_path, text, "teams: [x]")


def test_registry_carry_forward_not_a_flag(request, tmp_path: Path) -> None:
    text = changed("    rule: target_floor", "    carry_forward: \"2015/16\"\n    rule: target_floor")
    shown_by_check(request, tmp_path, text, "carry_forward")


def test_quality_every_registry_problem_at_once(tmp_path: Path) -> None:
    # the kinds above in one file: all reported together, each with its own line
    text = VALID.replace("target: {value: 85,", "target: {value: .nan,").replace(
        "levels: [county, area, team]", "levels: [county, region, team]"
    ).replace("team_types: [assessment_and_family_support]", "team_types: [duty]")
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(path, RULES)
    lines = sorted(issue.line for issue in caught.value.issues)
    assert lines == sorted([line_of(text, ".nan"), line_of(text, "region"), line_of(text, "duty")])


def test_registry_parameter_inf(request, tmp_path: Path) -> None:
    # a local standard such as lookback_months: .inf (a measure would crash on int(inf))
    text = changed("    source: test\n", "    source: test\n    parameters: {lookback_months: .inf}\n")
    shown_by_check(request, tmp_path, text, "lookback_months")


def test_quality_aliases_in_a_rule_file_are_refused(tmp_path: Path) -> None:
    rules = tmp_path / "rag_rules"
    rules.mkdir()
    for rule in RULES.glob("*.yaml"):
        (rules / rule.name).write_text(rule.read_text(encoding="utf-8"), encoding="utf-8")
    bands = rules / "target_bands.yaml"
    bands.write_text(bands.read_text().replace("polarities: [T]", "polarities: &p [T]"))
    path = tmp_path / "indicators.yaml"
    path.write_text(VALID, encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(path, rules)
    (issue,) = caught.value.issues
    assert issue.file == str(bands) and "anchors and aliases" in issue.message
    assert issue.line == line_of(bands.read_text(), "&p")


def test_quality_aliases_in_registry_text_are_refused(tmp_path: Path) -> None:
    text = VALID.replace("target: {value: 85,", "target: &t {value: 85,")
    with pytest.raises(RegistryError, match="anchors and aliases"):
        load_registry(tmp_path / "indicators.yaml", RULES, text=text)


# -- groups (issue 11): declared, contiguous in ref order, in the declared order ---------------------

TWO_GROUPS = changed("groups: [Tests]", "groups: [Tests, Visits]")


def second_indicator(ref: int, group: str, ident: str = "second") -> str:
    """The first indicator again under another ref, id and group."""
    body = VALID.split("indicators:\n", 1)[1]
    return (body.replace("- ref: 1", f"- ref: {ref}", 1)
                .replace("id: visits_in_time", f"id: {ident}", 1)
                .replace("group: Tests", f"group: {group}  # {ident}", 1))  # fmt: skip


def test_registry_unknown_group(request, tmp_path: Path) -> None:
    # "Child Protection" beside "Child protection": a report would show two sections
    text = changed("group: Tests", "group: tests")
    output = shown_by_check(request, tmp_path, text, "group: tests")
    assert "did you mean 'Tests'?" in output


def test_registry_groups_missing(request, tmp_path: Path) -> None:
    text = changed("groups: [Tests]\n", "")
    shown_by_check(request, tmp_path, text, "financial_years")


def test_registry_group_declared_twice(request, tmp_path: Path) -> None:
    text = changed("groups: [Tests]", "groups: [Tests, Tests]")
    shown_by_check(request, tmp_path, text, "groups:")


def test_registry_group_not_contiguous(request, tmp_path: Path) -> None:
    # refs 1 and 3 in Tests, ref 2 in Visits between them (the file lists them as 1, 3, 2)
    text = TWO_GROUPS + second_indicator(3, "Tests", "third") + second_indicator(2, "Visits")
    output = shown_by_check(request, tmp_path, text, "group: Tests  # third")
    assert "ref 3 follows ref 2 ('Visits') but ref 1 is already in 'Tests'" in output


def test_registry_groups_out_of_order(request, tmp_path: Path) -> None:
    # declared [Tests, Visits] but ref 1 is in Visits and ref 2 in Tests
    text = changed("group: Tests", "group: Visits")
    text = text.replace("groups: [Tests]", "groups: [Tests, Visits]") + second_indicator(2, "Tests")
    output = shown_by_check(request, tmp_path, text, "groups:")
    assert "appear in ref order as 'Visits', 'Tests'" in output


def test_quality_contiguous_groups_in_order_pass(tmp_path: Path) -> None:
    text = TWO_GROUPS + second_indicator(2, "Visits")
    registry = load_registry(tmp_path / "indicators.yaml", RULES, text=text)
    assert registry.groups == ("Tests", "Visits")
    assert [i.group for i in registry] == ["Tests", "Visits"]


def test_quality_bundled_groups_are_declared() -> None:
    registry = load_registry()
    assert {i.group for i in registry} <= set(registry.groups)


# -- the contract between the registry and the measures (issue 11) ----------------------------------


def test_registry_parameter_misspelt(request, tmp_path: Path) -> None:
    # lookback_month for lookback_months passed `scorecard check`, then aborted compute (KeyError)
    text = changed("    source: test\n", "    source: test\n    parameters: {visit_window_day: 28}\n")
    output = shown_by_check(request, tmp_path, text, "visit_window_day")
    assert "did you mean 'visit_window_days'?" in output


def test_registry_parameter_out_of_range(request, tmp_path: Path) -> None:
    text = changed("    source: test\n", "    source: test\n    parameters: {visit_window_days: 0}\n")
    shown_by_check(request, tmp_path, text, "visit_window_days")


def test_registry_parameter_wrong_kind(request, tmp_path: Path) -> None:
    text = changed("    source: test\n", "    source: test\n    parameters: {visit_window_days: 27.5}\n")
    shown_by_check(request, tmp_path, text, "visit_window_days")


def test_registry_indicator_without_measure(request, tmp_path: Path) -> None:
    text = changed("measure: cin_seen_28_days", "measure: cin_seen_28_day")
    output = shown_by_check(request, tmp_path, text, "measure: cin_seen_28_day")
    assert "did you mean 'cin_seen_28_days'?" in output


def test_registry_measure_and_supplied(request, tmp_path: Path) -> None:
    text = changed("measure: cin_seen_28_days", "measure: cin_seen_28_days\n    supplied: HR system")
    shown_by_check(request, tmp_path, text, "supplied: HR system")


def test_quality_supplied_indicator_needs_no_measure(tmp_path: Path) -> None:
    text = changed("measure: cin_seen_28_days", "supplied: the HR system's monthly return")
    from scorecard.measures.base import contracts

    registry = load_registry(tmp_path / "indicators.yaml", RULES, text=text, measures=contracts())
    assert registry["visits_in_time"].supplied == "the HR system's monthly return"


def test_quality_every_contract_problem_at_once(tmp_path: Path) -> None:
    from scorecard.measures.base import contracts

    text = changed("    source: test\n",
                   "    source: test\n    parameters: {visit_window_day: 28, extra: x}\n")  # fmt: skip
    with pytest.raises(RegistryError) as caught:
        load_registry(tmp_path / "indicators.yaml", RULES, text=text, measures=contracts())
    messages = [issue.message for issue in caught.value.issues]
    assert len(messages) == 2 and all("has no parameter" in m for m in messages)
