"""The indicator registry: what each indicator is, and the thresholds and rules that rate it."""

from scorecard.registry.contract import (
    ContractIssue,
    MeasureContract,
    Parameter,
    ParameterKind,
    contract_issues,
)
from scorecard.registry.loader import (
    RegistryError,
    RegistryIssue,
    default_registry_path,
    load_registry,
)
from scorecard.registry.model import (
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
    ValueUnit,
    YearThresholds,
)

__all__ = [
    "Band",
    "ContractIssue",
    "Indicator",
    "Location",
    "MeasureContract",
    "OnBoundary",
    "Parameter",
    "ParameterKind",
    "Period",
    "Polarity",
    "Provenance",
    "ProvenanceKind",
    "RagRule",
    "Registry",
    "RegistryError",
    "RegistryIssue",
    "Responsibility",
    "RuleMethod",
    "Threshold",
    "ValueUnit",
    "YearThresholds",
    "contract_issues",
    "default_registry_path",
    "load_registry",
]
