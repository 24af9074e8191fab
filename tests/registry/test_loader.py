"""The registry loader: a valid hand-built registry loads; every kind of problem is reported, all at
once, with file and line."""

from __future__ import annotations

import dataclasses
import shutil
import textwrap
from pathlib import Path

import pytest

from scorecard.calendar.periods import FinancialYear
from scorecard.registry import (
    Polarity,
    ProvenanceKind,
    RegistryError,
    RuleMethod,
    load_registry,
)
from tests.conftest import REPO

VALID = textwrap.dedent(
    """\
    financial_years: ["2015/16"]
    groups: [Tests]
    defaults:
      min_denominator: {value: 5, inferred: "test"}
    indicators:
      - ref: 1
        id: visits_in_time
        title: "% of visits in time"
        group: Tests
        polarity: H
        period: YTD
        unit: percent
        numerator: visits in time
        denominator: visits
        source: test
        rule: target_floor
        thresholds:
          "2015/16":
            target: {value: 85, published: "report p.3"}
            floor: {value: 76.5, published: "report p.3"}
      - ref: 2
        id: repeat_plans
        title: "% repeat plans"
        group: Tests
        polarity: T
        period: YTD
        unit: percent
        numerator: repeat plans
        denominator: plans
        source: test
        rule: target_bands
        thresholds:
          "2015/16":
            target: {value: 7.5, published: "report p.4"}
            green: {lower: 5, upper: 10, published: "report p.4"}
            amber: {lower: 2, upper: 13, published: "report p.4"}
      - ref: 3
        id: unallocated
        title: Unallocated cases
        group: Tests
        polarity: L
        period: SS
        unit: count
        numerator: open cases without a worker
        source: test
        rule: target_floor
        thresholds:
          "2015/16":
            target: {value: 0, published: "report"}
            floor: {value: 5, inferred: "a guess"}
    """
)


@pytest.fixture()
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rag_rules"
    shutil.copytree(REPO / "rag_rules", target)
    return target


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, occurrence: int = 0) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``: the expected line."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence]


def problems(path: Path, rules_dir: Path) -> list[str]:
    with pytest.raises(RegistryError) as caught:
        load_registry(path, rules_dir)
    return [str(issue) for issue in caught.value.issues]


def test_valid_registry_loads(tmp_path: Path, rules_dir: Path) -> None:
    registry = load_registry(write(tmp_path, VALID), rules_dir)
    assert registry.ids == ("visits_in_time", "repeat_plans", "unallocated")
    first = registry["visits_in_time"]
    assert first.polarity is Polarity.HIGH
    fy = FinancialYear(2015)
    assert first.thresholds[fy].floor.value == 76.5
    assert first.thresholds[fy].floor.provenance.kind is ProvenanceKind.PUBLISHED
    assert first.thresholds[fy].floor.location.line == line_of(VALID, "floor: {value: 76.5")
    assert first.min_denominator.value == 5
    assert registry["unallocated"].min_denominator is None  # counts have no denominator
    assert registry.rule_of(registry["repeat_plans"]).method is RuleMethod.BANDS


def test_registry_objects_are_immutable(tmp_path: Path, rules_dir: Path) -> None:
    registry = load_registry(write(tmp_path, VALID), rules_dir)
    indicator = registry["visits_in_time"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        indicator.title = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        indicator.thresholds[FinancialYear(2016)] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        registry.rules["x"] = None  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        registry.indicators = ()  # type: ignore[misc]


def broken(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_every_problem_is_reported_at_once_with_file_and_line(
    tmp_path: Path, rules_dir: Path
) -> None:
    text = broken(
        VALID,
        [
            # 1 unknown key (line 8)
            ("    id: visits_in_time\n", "    id: visits_in_time\n    colour: blue\n"),
            # 2 floor on the wrong side of the target for H (line 21)
            ("floor: {value: 76.5, published", "floor: {value: 90, published"),
            # 3 bands out of order: green wider than amber (line 37)
            ("amber: {lower: 2, upper: 13", "amber: {lower: 6, upper: 13"),
            # 4 a rule that does not exist (line 51)
            ("    rule: target_floor\n    thresholds:\n      \"2015/16\":\n        target: {value: 0",
             "    rule: traffic_lights\n    thresholds:\n      \"2015/16\":\n        target: {value: 0"),
            # 5 duplicate id (line 41)
            ("    id: unallocated", "    id: visits_in_time"),
            # 6 invalid polarity (line 27)
            ("    polarity: T", "    polarity: X"),
            # 7 threshold without provenance (line 34)
            ('target: {value: 7.5, published: "report p.4"}', "target: {value: 7.5}"),
            # 8 wrong type (line 49)
            ("numerator: open cases without a worker", "numerator: 12"),
        ],
    )
    # 9 a financial year listed but missing from every indicator (line 1 reported per indicator)
    text = text.replace('financial_years: ["2015/16"]', 'financial_years: ["2015/16", "2016/17"]')
    path = write(tmp_path, text)
    found = problems(path, rules_dir)
    file = str(path)
    expected = [
        (line_of(text, "colour: blue"), "unknown key 'colour'"),
        (line_of(text, "floor: {value: 90"), "floor 90 is above the target 85"),
        (line_of(text, "amber: {lower: 6"), "bands overlap or are out of order"),
        (line_of(text, "rule: traffic_lights"), "rule 'traffic_lights' does not exist"),
        (line_of(text, "id: visits_in_time", 1),
         f"duplicate id 'visits_in_time' (first at line {line_of(text, 'id: visits_in_time')})"),
        (line_of(text, "polarity: X"), "polarity 'X' is not one of: H, L, T"),
        (line_of(text, "target: {value: 7.5}"),
         "give exactly one of 'published: <source>' or 'inferred: <reasoning>'"),
        (line_of(text, "numerator: 12"), "numerator must be non-empty text, got int 12"),
        (line_of(text, "thresholds:"), "no thresholds for financial year 2016/17"),
    ]
    for line, message in expected:
        assert any(p.startswith(f"{file}:{line}:") and message in p for p in found), (
            line, message, found,
        )
    assert len(found) >= len(expected)


@pytest.mark.parametrize(
    ("replacements", "needle", "message"),
    [
        ([('financial_years: ["2015/16"]', 'financial_years: ["2015/17"]')],
         ("2015/17", 0), "2015/ must be followed by 16"),
        ([("  - ref: 2\n", "  - ref: 1\n")], ("ref: 1", 1), "duplicate ref 1 (first at line 6)"),
        ([("    rule: target_bands", "    rule: target_floor")], ("rule: target_floor", 1),
         "rule 'target_floor' rates H/L indicators, not T"),
        ([("        target: {value: 85, published: \"report p.3\"}\n", "")],
         ('"2015/16":', 0), "rule 'target_floor' (target_floor) needs 'target'"),
        ([("target: {value: 7.5,", "target: {value: 11,")], ("green: {lower: 5", 0),
         "target 11 lies outside the green band [5, 10]"),
        ([("target: {value: 85, published", "target: {value: 185, published")],
         ("value: 185", 0), "target 185 is not a percentage in [0, 100]"),
        ([("    id: repeat_plans", "    id: Repeat-Plans")], ("Repeat-Plans", 0),
         "must be a slug"),
        ([("    unit: count\n", "    unit: count\n    denominator: everything\n")],
         ("denominator: everything", 0), "a count indicator has no denominator"),
        ([("floor: {value: 5, inferred", "floor: {value: -1, inferred")], ("value: -1", 0),
         "floor -1 is below the target 0"),
        ([("    period: SS", "    period: QTR")], ("QTR", 0),
         "period 'QTR' is not one of: YTD, SS, R12M"),
        ([("    source: test\n    rule: target_floor\n", "    rule: target_floor\n")],
         ("- ref: 1", 0), "missing required key 'source'"),
        ([("    id: visits_in_time\n", "    id: visits_in_time\n    id: again\n")],
         ("id: again", 0), "duplicate key"),
        ([("min_denominator: {value: 5,", "min_denominator: {value: 2.5,")], ("value: 2.5", 0),
         "min_denominator must be a whole number >= 0"),
        ([("        floor: {value: 5, inferred: \"a guess\"}",
           ("        floor: {value: 5, inferred: \"a guess\"}\n"
            "        green: {lower: 0, upper: 1, inferred: x}"))], ("green: {lower: 0", 0),
         "'green' is not used"),
        ([("    title: \"% of visits in time\"", "    title: visits: in time")],
         ("visits: in time", 0),
         "not valid YAML"),
    ],
)
def test_each_kind_of_problem(
    tmp_path: Path,
    rules_dir: Path,
    replacements: list[tuple[str, str]],
    needle: tuple[str, int],
    message: str,
) -> None:
    text = broken(VALID, replacements)
    path = write(tmp_path, text)
    found = problems(path, rules_dir)
    line = line_of(text, *needle)
    assert any(p.startswith(f"{path}:{line}:") and message in p for p in found), (line, found)


def test_problems_in_rule_files_are_reported_with_those_of_the_registry(
    tmp_path: Path, rules_dir: Path
) -> None:
    rule_file = rules_dir / "target_bands.yaml"
    rule_file.write_text(
        rule_file.read_text().replace("polarities: [T]", "polarities: [T, H]")
        .replace("method: bands", "method: bands\ncolour: red")
    )
    path = write(tmp_path, VALID.replace("    polarity: H", "    polarity: Q", 1))
    found = problems(path, rules_dir)
    assert any(str(rule_file) in p and "unknown key 'colour'" in p for p in found), found
    assert any(str(rule_file) in p and "rates T indicators only" in p for p in found), found
    assert any(str(path) in p and "polarity 'Q'" in p for p in found), found


def test_rule_id_must_match_its_file(tmp_path: Path, rules_dir: Path) -> None:
    (rules_dir / "copy.yaml").write_text((rules_dir / "benchmark.yaml").read_text())
    found = problems(write(tmp_path, VALID), rules_dir)
    assert any("copy.yaml:" in p and "differs from its file name 'copy'" in p for p in found)


def test_error_message_lists_every_issue(tmp_path: Path, rules_dir: Path) -> None:
    text = VALID.replace("    polarity: H", "    polarity: Q").replace("    period: SS", "    period: Z")
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, text), rules_dir)
    message = str(caught.value)
    assert message.startswith("2 problems in the registry:")
    assert "polarity 'Q'" in message and "period 'Z'" in message
