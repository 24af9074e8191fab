"""The extracts as the engine computes on them: linking identifiers coded.

Measures join, sort, deduplicate and group extracts on identifiers such as ``child_id``,
``referral_id`` and ``team``. On Arrow-backed strings pandas does this by hashing or comparing the
text each time, which dominates the computation at scale. :func:`coded_extracts` gives the
computation a view of the extracts in which each linking identifier (see
:mod:`scorecard.extracts.identifiers`) is an ordered ``Categorical`` with one dtype shared by all
extracts, so that pandas joins, sorts and groups on integer codes; the categories are sorted, so
orderings (and ``min``/``max``) are those of the text. Values and missing values are unchanged,
and the extracts given to :func:`~scorecard.measures.compute` are not modified. The loader's codes
are reused when they still apply to the frames; otherwise the identifiers are coded here.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from scorecard.extracts.container import Extracts
from scorecard.extracts.identifiers import code_identifiers, linking_identifiers


def coded_extracts(extracts: Extracts) -> Extracts:
    """``extracts`` with every linking identifier as a shared, sorted, ordered ``Categorical``."""
    frames = extracts.frames()
    replacements: dict[str, dict[str, pd.Series]] = {}
    for column in linking_identifiers():
        holders = {name: f for name, f in frames.items() if column in f.columns}
        kept = {name: extracts.identifiers.get(name, f, column) for name, f in holders.items()}
        coded = {name: c for name, c in kept.items() if c is not None}
        if len(coded) < len(holders):  # some frame is not the one the loader coded: code afresh
            coded = dict(code_identifiers(holders, (column,)).columns.get(column, {}))
        for name, values in coded.items():
            series = pd.Series(values, index=holders[name].index, name=column, copy=False)
            replacements.setdefault(name, {})[column] = series
    changed = {name: frames[name].assign(**columns) for name, columns in replacements.items()}
    return dataclasses.replace(extracts, **changed) if changed else extracts
