"""Load and check the indicator registry (``indicators.yaml``) and the rating rules (``rag_rules/``).

The loader reads with ``yaml.safe_load`` (see :mod:`scorecard.registry.yaml_source`), rejects unknown
keys, checks types and meaning, and collects **every** problem in every file before raising one
:class:`RegistryError` that lists them all with file and line.

Checks of meaning:

* ids are unique slugs and refs are unique;
* every referenced rule exists and accepts the indicator's polarity;
* every financial year listed under ``financial_years`` has thresholds for every indicator that
  has ``thresholds`` (one without is *direction only*: shown with its directions of travel, never
  rated), and each year gives exactly the thresholds its rule's method needs;
* the floor is on the worse side of the target for the polarity (below it for H, above it for L);
* bands are ordered and nested without overlap: amber lower <= green lower <= target <= green upper
  <= amber upper;
* percentages lie in [0, 100], tolerances and minimum denominators are not negative;
* every threshold says where it comes from: ``published: <source>`` or ``inferred: <reasoning>``;
* every number is finite (no ``.nan``, ``.inf`` or a literal too large for a float);
* ``applies_to`` names known levels (county, area, team) and team types (the organisation's
  ``team_type`` codes), and an indicator's own ``rated_at`` lists only levels it applies to.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from scorecard.calendar.periods import FinancialYear
from scorecard.errors import DataError
from scorecard.extracts.schemas import TEAM_TYPES
from scorecard.registry.contract import MeasureContract, contract_issues
from scorecard.registry.model import (
    ALL_LEVELS,
    Applicability,
    Band,
    Indicator,
    Location,
    OnBoundary,
    Period,
    Polarity,
    Provenance,
    ProvenanceKind,
    RagRule,
    Registry,
    Responsibility,
    RuleMethod,
    Threshold,
    UnitLevel,
    ValueUnit,
    YearThresholds,
)
from scorecard.registry.yaml_source import PathKey, YamlSource, YamlSyntaxError, read_yaml

E = TypeVar("E", bound=Enum)

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAMETER_NAME = _SLUG

_TOP_KEYS = {"financial_years": True, "groups": True, "defaults": False, "indicators": True}
_DEFAULTS_KEYS = {"min_denominator": False, "applies_to": False, "rated_at": False,
                  "carry_forward": False, "responsibility": False}  # fmt: skip
_RESPONSIBILITY_KEYS = {"division": False, "director": False, "cabinet_member": False,
                        "portfolio": False}  # fmt: skip
_APPLIES_KEYS = {"levels": False, "team_types": False, "reason": False}
_INDICATOR_KEYS = {
    "ref": True,
    "id": True,
    "title": True,
    "group": True,
    "polarity": True,
    "period": True,
    "unit": True,
    "numerator": True,
    "denominator": False,
    "source": True,
    "rule": True,
    "thresholds": False,  # absent: a direction-only indicator (never rated)
    "min_denominator": False,
    "parameters": False,
    "notes": False,
    "applies_to": False,
    "rated_at": False,
    "counted_in": False,
    "carry_forward": False,
    "unit_thresholds": False,
    "measure": False,
    "supplied": False,
    "responsibility": False,
}
_THRESHOLD_KEYS = {"value": True, "published": False, "inferred": False}
_BAND_KEYS = {"lower": True, "upper": True, "published": False, "inferred": False}
_YEAR_KEYS = {"target": False, "floor": False, "green": False, "amber": False,
              "benchmark": False, "tolerance": False}  # fmt: skip
_BAND_NAMES = ("green", "amber")
_RULE_KEYS = {"id": True, "method": True, "polarities": True, "description": True,
              "on_boundary": False}  # fmt: skip


@dataclass(frozen=True, order=True)
class RegistryIssue:
    """One problem found in a registry file."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f" {self.path}:" if self.path else ""
        return f"{self.file}:{self.line}:{where} {self.message}"


class RegistryError(DataError):
    """Raised once with every problem found; ``issues`` holds them in file and line order."""

    def __init__(self, issues: Iterable[RegistryIssue]) -> None:
        self.issues = tuple(sorted(issues))
        count = len(self.issues)
        lines = "\n".join(f"  {issue}" for issue in self.issues)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the registry:\n{lines}")


def _repository_root() -> Path:
    return Path(__file__).resolve().parents[2]


def default_registry_path() -> Path:
    """``indicators.yaml`` at the repository root, or the copy inside an installed wheel."""
    packaged = Path(__file__).resolve().parents[1] / "_defaults" / "indicators.yaml"
    return packaged if packaged.exists() else _repository_root() / "indicators.yaml"


def load_registry(
    path: Path | str | None = None,
    rules_dir: Path | str | None = None,
    *,
    text: str | None = None,
    measures: Mapping[str, MeasureContract] | None = None,
) -> Registry:
    """Load and check a registry; raise :class:`RegistryError` listing every problem.

    ``path`` defaults to the bundled ``indicators.yaml``; ``rules_dir`` defaults to the ``rag_rules``
    folder beside it. ``text``, if given, is parsed instead of the file's content (it is still
    reported as ``path``): handy for trying a change to a registry in a test or a notebook.
    ``measures``, if given (measure id -> :class:`MeasureContract`, e.g.
    ``scorecard.measures.contracts()``), is checked against the registry too: every indicator has a
    measure or says it is supplied, every parameter is declared by its measure and in range.
    """
    path = Path(path) if path is not None else default_registry_path()
    rules_dir = Path(rules_dir) if rules_dir is not None else path.parent / "rag_rules"
    issues: list[RegistryIssue] = []

    rules: dict[str, RagRule] = {}
    rule_files = sorted(rules_dir.glob("*.yaml")) if rules_dir.is_dir() else []
    if not rule_files:
        issues.append(RegistryIssue(str(rules_dir), 1, "", "no rule files (*.yaml) found"))
    for rule_file in rule_files:
        reader = _open(rule_file, None, issues)
        if reader is not None:
            rule = reader.rule(rule_file.stem)
            if rule is not None:
                if rule.id in rules:
                    reader.issue(("id",), f"rule id {rule.id!r} is defined twice")
                rules[rule.id] = rule
            issues.extend(reader.issues)

    reader = _open(path, text, issues)
    if reader is None:
        raise RegistryError(issues)
    registry = reader.registry(rules)
    issues.extend(reader.issues)
    if registry is not None and measures is not None:
        issues.extend(RegistryIssue(i.file, i.line, i.path, i.message)
                      for i in contract_issues(registry, measures))  # fmt: skip
    if issues or registry is None:
        raise RegistryError(issues)
    return registry


def _open(path: Path, text: str | None, issues: list[RegistryIssue]) -> _Reader | None:
    try:
        return _Reader(read_yaml(path, text))
    except YamlSyntaxError as exc:
        issues.append(RegistryIssue(exc.file, exc.line, "", exc.message))
    except OSError as exc:
        issues.append(RegistryIssue(str(path), 1, "", f"cannot be read: {exc.strerror or exc}"))
    return None


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Reader:
    """Typed access to one YAML file's data that records problems instead of raising."""

    def __init__(self, source: YamlSource) -> None:
        self.source = source
        self.issues: list[RegistryIssue] = [
            RegistryIssue(source.file, line, _dotted(path), "duplicate key (the later one is ignored)")
            for path, line in source.duplicate_keys
        ]

    # -- recording ------------------------------------------------------------------------------
    def issue(self, path: PathKey, message: str) -> None:
        self.issues.append(RegistryIssue(self.source.file, self.source.line(path), _dotted(path), message))

    def location(self, path: PathKey) -> Location:
        return Location(self.source.file, self.source.line(path))

    # -- generic typed access -------------------------------------------------------------------
    def mapping(self, value: Any, path: PathKey, keys: Mapping[str, bool]) -> dict[str, Any] | None:
        """``value`` as a mapping with only ``keys`` (True = required); None if it is not one."""
        if not isinstance(value, dict):
            self.issue(path, f"expected a mapping, got {_kind(value)}")
            return None
        data = {str(k): v for k, v in value.items()}
        for key in data:
            if key not in keys:
                allowed = ", ".join(sorted(keys))
                self.issue((*path, key), f"unknown key {key!r} (allowed: {allowed})")
        for key, required in keys.items():
            if required and key not in data:
                self.issue(path, f"missing required key {key!r}")
        return data

    def text(self, data: dict[str, Any], key: str, path: PathKey) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.issue((*path, key), f"{key} must be non-empty text, got {_kind(value)}")
            return None
        return value.strip()

    def number(self, data: dict[str, Any], key: str, path: PathKey) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.issue((*path, key), f"{key} must be a number, got {_kind(value)}")
            return None
        try:
            number = float(value)
        except OverflowError:  # a whole number literal beyond float range, e.g. 10**400
            self.issue((*path, key), f"{key} must be a finite number, got a number of "
                                     f"{len(str(abs(value)))} digits")  # fmt: skip
            return None
        if not math.isfinite(number):
            self.issue((*path, key), f"{key} must be a finite number, got {value!r}")
            return None
        return number

    def integer(self, data: dict[str, Any], key: str, path: PathKey) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.issue((*path, key), f"{key} must be a whole number, got {_kind(value)}")
            return None
        return value

    def flag(self, data: dict[str, Any], key: str, path: PathKey) -> bool | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.issue((*path, key), f"{key} must be true or false, got {_kind(value)}")
            return None
        return value

    def levels(self, value: Any, path: PathKey) -> frozenset[UnitLevel] | None:
        """A non-empty list of unit levels (county, area, team); unknown ones are reported."""
        allowed = ", ".join(level.value for level in UnitLevel)
        if not isinstance(value, list) or not value:
            self.issue(path, f"expected a non-empty list of levels ({allowed}), got {_kind(value)}")
            return None
        found: set[UnitLevel] = set()
        ok = True
        for i, item in enumerate(value):
            try:
                found.add(UnitLevel(item))
            except ValueError:
                self.issue((*path, i), f"level {item!r} is not one of: {allowed}")
                ok = False
        return frozenset(found) if ok else None

    def team_types(self, value: Any, path: PathKey) -> frozenset[str] | None:
        """A non-empty list of the organisation's team types; unknown ones are reported."""
        if not isinstance(value, list) or not value:
            self.issue(path, f"expected a non-empty list of team types, got {_kind(value)}")
            return None
        ok = True
        for i, item in enumerate(value):
            if item not in TEAM_TYPES:
                self.issue((*path, i), f"team type {item!r} is not one of: {', '.join(TEAM_TYPES)}")
                ok = False
        return frozenset(value) if ok else None

    def applicability(
        self, data: dict[str, Any], path: PathKey, default: Applicability, *, own: bool
    ) -> Applicability | None:
        """``applies_to`` and ``rated_at`` of ``data`` over ``default``: keys given replace the
        default's. ``own``: an indicator's, which must give a ``reason`` when it has
        ``applies_to`` and may list in ``rated_at`` only levels it applies to."""
        levels, team_types, reason = default.levels, default.team_types, default.reason
        ok = True
        if "applies_to" in data:
            where = (*path, "applies_to")
            applies = self.mapping(data["applies_to"], where, _APPLIES_KEYS)
            if applies is None:
                return None
            if "levels" in applies:
                found = self.levels(applies["levels"], (*where, "levels"))
                ok &= found is not None
                levels = found or levels
            if "team_types" in applies:
                types = self.team_types(applies["team_types"], (*where, "team_types"))
                ok &= types is not None
                team_types = types or team_types
            reason = self.text(applies, "reason", where)
            if own and reason is None:
                self.issue(where, "applies_to needs a 'reason': why the indicator applies there")
        rated_at = default.rated_at & levels
        if "rated_at" in data:
            found = self.levels(data["rated_at"], (*path, "rated_at"))
            ok &= found is not None
            if found is not None:
                if own and not found <= levels:
                    extra = ", ".join(sorted(level.value for level in found - levels))
                    self.issue((*path, "rated_at"),
                               f"rated_at lists {extra}, where the indicator does not apply "
                               "(see applies_to.levels)")  # fmt: skip
                    ok = False
                rated_at = found & levels
        return Applicability(levels, team_types, rated_at, reason) if ok else None

    def enum(self, data: dict[str, Any], key: str, path: PathKey, kind: type[E]) -> E | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in kind)  # type: ignore[attr-defined]
            self.issue((*path, key), f"{key} {value!r} is not one of: {allowed}")
            return None

    def provenance(self, data: dict[str, Any], path: PathKey) -> Provenance | None:
        given = [k for k in ProvenanceKind if k.value in data]
        if len(given) != 1:
            self.issue(path, "give exactly one of 'published: <source>' or 'inferred: <reasoning>'")
            return None
        note = self.text(data, given[0].value, path)
        return Provenance(given[0], note) if note else None

    def threshold(self, value: Any, path: PathKey) -> Threshold | None:
        data = self.mapping(value, path, _THRESHOLD_KEYS)
        if data is None:
            return None
        number = self.number(data, "value", path)
        provenance = self.provenance(data, path)
        if number is None or provenance is None:
            return None
        return Threshold(number, provenance, self.location(path))

    def band(self, value: Any, path: PathKey) -> Band | None:
        data = self.mapping(value, path, _BAND_KEYS)
        if data is None:
            return None
        lower, upper = self.number(data, "lower", path), self.number(data, "upper", path)
        provenance = self.provenance(data, path)
        if lower is None or upper is None or provenance is None:
            return None
        if lower > upper:
            self.issue(path, f"band lower {lower:g} is above its upper {upper:g}")
        return Band(lower, upper, provenance, self.location(path))

    # -- rules ----------------------------------------------------------------------------------
    def rule(self, expected_id: str) -> RagRule | None:
        data = self.mapping(self.source.data, (), _RULE_KEYS)
        if data is None:
            return None
        rule_id = self.text(data, "id", ())
        if rule_id is not None and rule_id != expected_id:
            self.issue(("id",), f"rule id {rule_id!r} differs from its file name {expected_id!r}")
        method = self.enum(data, "method", (), RuleMethod)
        polarities = self.polarities(data.get("polarities"), ("polarities",))
        description = self.text(data, "description", ())
        on_boundary = self.enum(data, "on_boundary", (), OnBoundary) or OnBoundary.BETTER
        if method is RuleMethod.BANDS and polarities and polarities != {Polarity.TARGET}:
            self.issue(("polarities",), "the bands method rates T indicators only")
        if method in (RuleMethod.TARGET_FLOOR, RuleMethod.BENCHMARK) and Polarity.TARGET in (
            polarities or set()
        ):
            self.issue(("polarities",), f"the {method.value} method needs a direction: H or L only")
        if rule_id is None or method is None or not polarities or description is None:
            return None
        return RagRule(rule_id, method, frozenset(polarities), description, on_boundary,
                       self.location(()))  # fmt: skip

    def polarities(self, value: Any, path: PathKey) -> set[Polarity] | None:
        if not isinstance(value, list) or not value:
            self.issue(path, f"polarities must be a non-empty list of H, L, T, got {_kind(value)}")
            return None
        found = {self.enum({"polarity": v}, "polarity", (*path, i), Polarity) for i, v in enumerate(value)}
        return {p for p in found if p is not None} if None not in found else None

    # -- registry -------------------------------------------------------------------------------
    def registry(self, rules: Mapping[str, RagRule]) -> Registry | None:
        data = self.mapping(self.source.data, (), _TOP_KEYS)
        if data is None:
            return None
        years = self.financial_years(data.get("financial_years"))
        groups = self.groups(data.get("groups")) if "groups" in data else None
        default_min = None
        default_applies = _EVERYWHERE
        default_carry = False
        default_responsibility = None
        if "defaults" in data:
            defaults = self.mapping(data["defaults"], ("defaults",), _DEFAULTS_KEYS)
            if defaults and "min_denominator" in defaults:
                default_min = self.min_denominator(defaults["min_denominator"],
                                                   ("defaults", "min_denominator"))  # fmt: skip
            if defaults:
                found = self.applicability(defaults, ("defaults",), _EVERYWHERE, own=False)
                default_applies = found or _EVERYWHERE
                default_carry = bool(self.flag(defaults, "carry_forward", ("defaults",)))
            if defaults and "responsibility" in defaults:
                default_responsibility = self.responsibility(
                    defaults["responsibility"], ("defaults", "responsibility")
                )
        raw = data.get("indicators")
        if not isinstance(raw, list) or not raw:
            self.issue(("indicators",), f"indicators must be a non-empty list, got {_kind(raw)}")
            return None
        indicators = [
            self.indicator(
                item, ("indicators", i), rules, years, default_min, default_applies, default_carry,
                default_responsibility,
            )
            for i, item in enumerate(raw)
        ]
        self.check_unique()
        if groups is not None:
            self.check_groups(groups)
        if None in indicators:
            return None
        return Registry(
            indicators=tuple(i for i in indicators if i is not None),
            rules=MappingProxyType(dict(rules)),
            financial_years=tuple(years),
            sources=(self.source.file,),
            groups=tuple(groups or ()),
        )

    def groups(self, value: Any) -> list[str]:
        """The declared groups (the report's sections, in order): unique, non-empty names."""
        path: PathKey = ("groups",)
        if not isinstance(value, list) or not value:
            self.issue(path, "groups must be a non-empty list of the report's sections in order, "
                             "such as ['Referral and assessments', 'Children in need']")  # fmt: skip
            return []
        names: list[str] = []
        for i, name in enumerate(value):
            if not isinstance(name, str) or not name.strip():
                self.issue((*path, i), f"a group must be non-empty text, got {_kind(name)}")
            elif name.strip() in names:
                self.issue((*path, i), f"group {name.strip()!r} is declared twice")
            else:
                names.append(name.strip())
        return names

    def check_groups(self, declared: list[str]) -> None:
        """Every indicator's group is declared; a group's indicators are contiguous in ref order;
        groups appear in ref order in the order they are declared (the report's section order)."""
        raw = self.source.data.get("indicators", []) if isinstance(self.source.data, dict) else []
        rows: list[tuple[int, int, str]] = []  # (ref, position in the file, group)
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or not isinstance(item.get("group"), str):
                continue
            group = item["group"].strip()
            if group not in declared:
                close = difflib.get_close_matches(group, declared, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.issue(("indicators", i, "group"),
                           f"unknown group {group!r} (declared under groups: "
                           f"{', '.join(map(repr, declared))}){hint}")  # fmt: skip
                continue
            ref = item.get("ref")
            if isinstance(ref, int) and not isinstance(ref, bool):
                rows.append((ref, i, group))
        rows.sort()
        seen: dict[str, int] = {}  # group -> last ref seen in it
        previous: tuple[int, str] | None = None
        for ref, i, group in rows:
            if previous is not None and group != previous[1] and group in seen:
                self.issue(("indicators", i, "group"),
                           f"group {group!r} is not contiguous in ref order: ref {ref} follows "
                           f"ref {previous[0]} ({previous[1]!r}) but ref {seen[group]} is already "
                           f"in {group!r}; keep a group's indicators together (reports show one "
                           f"section per group)")  # fmt: skip
            seen[group] = ref
            previous = (ref, group)
        order = list(dict.fromkeys(group for _, _, group in rows))
        expected = [g for g in declared if g in order]
        if order != expected:
            self.issue(("groups",),
                       f"groups are declared in the order {', '.join(map(repr, expected))} but "
                       f"appear in ref order as {', '.join(map(repr, order))}; declare them in the "
                       f"order of the report's sections")  # fmt: skip

    def financial_years(self, value: Any) -> list[FinancialYear]:
        path: PathKey = ("financial_years",)
        if not isinstance(value, list) or not value:
            self.issue(path, "financial_years must be a non-empty list such as ['2015/16']")
            return []
        years = []
        for i, label in enumerate(value):
            try:
                years.append(FinancialYear.parse(str(label)))
            except ValueError as exc:
                self.issue((*path, i), str(exc))
        return years

    def min_denominator(self, value: Any, path: PathKey) -> Threshold | None:
        found = self.threshold(value, path)
        if found is not None and (found.value < 0 or found.value != int(found.value)):
            self.issue((*path, "value"), "min_denominator must be a whole number >= 0")
            return None
        return found

    def indicator(
        self,
        value: Any,
        path: PathKey,
        rules: Mapping[str, RagRule],
        years: list[FinancialYear],
        default_min: Threshold | None,
        default_applies: Applicability | None = None,
        default_carry: bool = False,
        default_responsibility: Responsibility | None = None,
    ) -> Indicator | None:
        data = self.mapping(value, path, _INDICATOR_KEYS)
        if data is None:
            return None
        ref = self.integer(data, "ref", path)
        ind_id = self.text(data, "id", path)
        if ind_id is not None and not _SLUG.match(ind_id):
            self.issue((*path, "id"), f"id {ind_id!r} must be a slug: lower case, digits, '_'")
        title = self.text(data, "title", path)
        group = self.text(data, "group", path)
        polarity = self.enum(data, "polarity", path, Polarity)
        period = self.enum(data, "period", path, Period)
        unit = self.enum(data, "unit", path, ValueUnit)
        numerator = self.text(data, "numerator", path)
        denominator = self.text(data, "denominator", path)
        source = self.text(data, "source", path)
        notes = self.text(data, "notes", path)
        counted_in = self.text(data, "counted_in", path)
        carry = self.flag(data, "carry_forward", path)
        applicability = self.applicability(data, path, default_applies or _EVERYWHERE, own=True)
        if unit is not None:
            if unit.has_denominator and denominator is None and "denominator" not in data:
                self.issue(path, f"a {unit.value} indicator needs a 'denominator' description")
            if not unit.has_denominator and "denominator" in data:
                self.issue((*path, "denominator"), "a count indicator has no denominator")
        rule_id = self.text(data, "rule", path)
        rule = rules.get(rule_id) if rule_id is not None else None
        if rule_id is not None and rule is None:
            known = ", ".join(sorted(rules)) or "none loaded"
            self.issue((*path, "rule"), f"rule {rule_id!r} does not exist in rag_rules/ ({known})")
        if rule is not None and polarity is not None and polarity not in rule.polarities:
            allowed = "/".join(sorted(p.value for p in rule.polarities))
            self.issue((*path, "rule"),
                       f"rule {rule.id!r} rates {allowed} indicators, not {polarity.value}")  # fmt: skip
        responsibility = default_responsibility
        if "responsibility" in data:
            own = self.responsibility(data["responsibility"], (*path, "responsibility"))
            responsibility = own.over(default_responsibility) if own is not None else None
        min_den = default_min
        if "min_denominator" in data:
            min_den = self.min_denominator(data["min_denominator"], (*path, "min_denominator"))
        parameters = self.parameters(data.get("parameters"), (*path, "parameters"))
        measure_id = self.text(data, "measure", path)
        if measure_id is not None and not _SLUG.match(measure_id):
            self.issue((*path, "measure"), f"measure must be the id of a measure (a slug), "
                                           f"got {measure_id!r}")  # fmt: skip
        supplied = self.text(data, "supplied", path)
        if measure_id is not None and supplied is not None:
            self.issue((*path, "supplied"), "give either 'measure' (the library computes the "
                                            "indicator) or 'supplied' (its figures come from "
                                            "outside), not both")  # fmt: skip
        key_lines = {key: self.source.line((*path, key))
                     for key in ("id", "measure", "supplied", "parameters") if key in data}  # fmt: skip
        key_lines |= {f"parameters.{name}": self.source.line((*path, "parameters", str(name)))
                      for name in parameters}  # fmt: skip
        thresholds: dict[FinancialYear, YearThresholds] | None = {}  # direction only
        if "thresholds" in data:
            thresholds = self.year_thresholds(data.get("thresholds"), (*path, "thresholds"),
                                              years, rule, polarity, unit)  # fmt: skip
        elif "unit_thresholds" in data:
            self.issue((*path, "unit_thresholds"), "a direction-only indicator (no 'thresholds') "
                                                   "has no unit thresholds either")  # fmt: skip
        unit_thresholds = self.unit_thresholds(data.get("unit_thresholds"),
                                               (*path, "unit_thresholds"), rule, polarity, unit)  # fmt: skip
        required = (ref, ind_id, title, group, polarity, period, unit, numerator, source, rule,
                    thresholds, applicability, unit_thresholds)  # fmt: skip
        if any(item is None for item in required):
            return None
        assert polarity is not None and period is not None and unit is not None  # for type checkers
        assert rule is not None and thresholds is not None
        return Indicator(
            ref=ref,  # type: ignore[arg-type]
            id=ind_id,  # type: ignore[arg-type]
            title=title,  # type: ignore[arg-type]
            group=group,  # type: ignore[arg-type]
            polarity=polarity,
            period=period,
            unit=unit,
            numerator=numerator,  # type: ignore[arg-type]
            denominator=denominator,
            source=source,  # type: ignore[arg-type]
            rule=rule.id,
            min_denominator=min_den if unit.has_denominator else None,
            thresholds=MappingProxyType(thresholds),
            parameters=MappingProxyType(parameters),
            notes=notes,
            location=self.location(path),
            applicability=applicability,
            counted_in=counted_in,
            carry_forward=default_carry if carry is None else carry,
            unit_thresholds=MappingProxyType(unit_thresholds or {}),
            measure=measure_id,
            supplied=supplied,
            key_lines=MappingProxyType(key_lines),
            responsibility=responsibility,
        )

    def responsibility(self, value: Any, path: PathKey) -> Responsibility | None:
        """``responsibility:``: division, director, cabinet_member, portfolio (texts, each
        optional); ``None`` after an issue."""
        data = self.mapping(value, path, _RESPONSIBILITY_KEYS)
        if data is None:
            return None
        fields = {key: self.text(data, key, path) for key in _RESPONSIBILITY_KEYS}
        if any(data.get(key) is not None and fields[key] is None for key in _RESPONSIBILITY_KEYS):
            return None
        return Responsibility(**fields)

    def parameters(self, value: Any, path: PathKey) -> dict[str, float | int | str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.issue(path, f"parameters must be a mapping of name: value, got {_kind(value)}")
            return {}
        out: dict[str, float | int | str] = {}
        for name, item in value.items():
            if not _PARAMETER_NAME.match(str(name)):
                self.issue((*path, str(name)), f"parameter name {name!r} must be a slug")
            elif isinstance(item, bool) or not isinstance(item, (int, float, str)):
                self.issue((*path, str(name)), f"parameter {name} must be a number or text")
            elif isinstance(item, float) and not math.isfinite(item):
                self.issue((*path, str(name)), f"parameter {name} must be a finite number, "
                                               f"got {item!r}")  # fmt: skip
            else:
                out[str(name)] = item
        return out

    def year_thresholds(
        self,
        value: Any,
        path: PathKey,
        years: list[FinancialYear],
        rule: RagRule | None,
        polarity: Polarity | None,
        unit: ValueUnit | None,
    ) -> dict[FinancialYear, YearThresholds] | None:
        if not isinstance(value, dict) or not value:
            self.issue(path, f"thresholds must map financial years to thresholds, got {_kind(value)}")
            return None
        out: dict[FinancialYear, YearThresholds] = {}
        labels = {str(label) for label in value}
        for label, item in value.items():
            year_path = (*path, str(label))
            try:
                fy = FinancialYear.parse(str(label))
            except ValueError as exc:
                self.issue(year_path, str(exc))
                continue
            parsed = self.one_year(item, year_path, fy, rule, polarity, unit)
            if parsed is not None:
                out[fy] = parsed
        for fy in years:
            if fy.label not in labels:
                self.issue(path, f"no thresholds for financial year {fy.label} "
                                 "(listed under financial_years)")  # fmt: skip
        return out if len(out) == len(value) else None

    def unit_thresholds(
        self,
        value: Any,
        path: PathKey,
        rule: RagRule | None,
        polarity: Polarity | None,
        unit: ValueUnit | None,
    ) -> dict[str, Mapping[FinancialYear, YearThresholds]] | None:
        """``unit_thresholds``: unit name -> financial year -> thresholds (no year is required)."""
        if value is None:
            return {}
        if not isinstance(value, dict) or not value:
            self.issue(path, "unit_thresholds must map unit names to thresholds per financial "
                             f"year, got {_kind(value)}")  # fmt: skip
            return None
        out: dict[str, Mapping[FinancialYear, YearThresholds]] = {}
        ok = True
        for name, years in value.items():
            where = (*path, str(name))
            if not isinstance(name, str) or not name.strip():
                self.issue(where, f"a unit name must be non-empty text, got {_kind(name)}")
                ok = False
                continue
            if not isinstance(years, dict) or not years:
                self.issue(where, f"expected thresholds per financial year, got {_kind(years)}")
                ok = False
                continue
            table: dict[FinancialYear, YearThresholds] = {}
            for label, item in years.items():
                try:
                    fy = FinancialYear.parse(str(label))
                except ValueError as exc:
                    self.issue((*where, str(label)), str(exc))
                    ok = False
                    continue
                parsed = self.one_year(item, (*where, str(label)), fy, rule, polarity, unit)
                ok &= parsed is not None
                if parsed is not None:
                    table[fy] = parsed
            out[name.strip()] = MappingProxyType(table)
        return out if ok else None

    def one_year(
        self,
        value: Any,
        path: PathKey,
        fy: FinancialYear,
        rule: RagRule | None,
        polarity: Polarity | None,
        unit: ValueUnit | None,
    ) -> YearThresholds | None:
        data = self.mapping(value, path, _YEAR_KEYS)
        if data is None:
            return None
        parsed: dict[str, Threshold | Band | None] = {}
        for key in data:
            if key in _BAND_NAMES:
                parsed[key] = self.band(data[key], (*path, key))
            elif key in _YEAR_KEYS:
                parsed[key] = self.threshold(data[key], (*path, key))
        if rule is not None:
            needed = rule.method.thresholds
            for key in needed:
                if key not in data and key not in rule.method.optional_thresholds:
                    self.issue(path, f"rule {rule.id!r} ({rule.method.value}) needs {key!r}")
            for key in data:
                if key in _YEAR_KEYS and key not in needed:
                    self.issue((*path, key),
                               f"{key!r} is not used by rule {rule.id!r} ({rule.method.value}), "
                               f"which takes: {', '.join(needed)}")  # fmt: skip
        complete = {k: v for k, v in parsed.items() if v is not None}
        year = YearThresholds(fy, location=self.location(path), **complete)  # type: ignore[arg-type]
        self.check_year(year, path, polarity, unit)  # checks what could be read, even if not all
        return year if len(complete) == len(parsed) else None

    def check_year(
        self, year: YearThresholds, path: PathKey, polarity: Polarity | None, unit: ValueUnit | None
    ) -> None:
        target, floor = year.target, year.floor
        if target is not None and floor is not None and polarity is not None:
            match polarity:
                case Polarity.HIGH | Polarity.LOW:
                    if polarity.sign * (floor.value - target.value) > 0:
                        side = "above" if polarity is Polarity.HIGH else "below"
                        self.issue((*path, "floor"),
                                   f"floor {floor.value:g} is {side} the target {target.value:g}: "
                                   f"for a {polarity.value} indicator the floor must be on the "
                                   "worse side of the target")  # fmt: skip
                case Polarity.TARGET:
                    pass  # a T indicator has bands, not a floor; the rule check reports a floor
        green, amber = year.green, year.amber
        if (green is not None and amber is not None
                and not (amber.lower <= green.lower and green.upper <= amber.upper)):
            self.issue((*path, "amber"),
                       f"bands overlap or are out of order: amber [{amber.lower:g}, "
                       f"{amber.upper:g}] must contain green [{green.lower:g}, "
                       f"{green.upper:g}]")  # fmt: skip
        if green is not None and target is not None and target.value not in green:
            self.issue((*path, "green"),
                       f"target {target.value:g} lies outside the green band "
                       f"[{green.lower:g}, {green.upper:g}]")  # fmt: skip
        if year.tolerance is not None and year.tolerance.value < 0:
            self.issue((*path, "tolerance"), "tolerance must not be negative")
        if unit is ValueUnit.PERCENT:
            values = [(k, t.value) for k in ("target", "floor", "benchmark")
                      if (t := getattr(year, k)) is not None]  # fmt: skip
            values += [(k, x) for k in _BAND_NAMES if (b := getattr(year, k)) is not None
                       for x in (b.lower, b.upper)]  # fmt: skip
            for key, number in values:
                if not 0 <= number <= 100:
                    self.issue((*path, key), f"{key} {number:g} is not a percentage in [0, 100]")

    def check_unique(self) -> None:
        raw = self.source.data.get("indicators", []) if isinstance(self.source.data, dict) else []
        for key in ("id", "ref"):
            first: dict[Any, int] = {}
            for i, item in enumerate(raw):
                if not isinstance(item, dict) or item.get(key) is None:
                    continue
                value = item[key]
                if value in first:
                    self.issue(("indicators", i, key),
                               f"duplicate {key} {value!r} (first at line "
                               f"{self.source.line(('indicators', first[value], key))})")  # fmt: skip
                else:
                    first[value] = i


#: Applicability when a registry says nothing: every level and team type, rated everywhere.
_EVERYWHERE = Applicability(ALL_LEVELS, frozenset(TEAM_TYPES), ALL_LEVELS)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f"{type(value).__name__} {value!r}"
