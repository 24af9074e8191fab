"""The rating methods, vectorised over a frame of values joined with their thresholds.

Polarity is handled by sign: multiplying values and thresholds by ``sign`` (+1 for H, -1 for L) turns
"at or better than" into ``>=`` for both, so H and L share one code path. T indicators are rated by
the band (interval around the target) their value falls in.

Comparisons are made on unrounded values. To keep floating-point noise from deciding a boundary
(``29 / 100 * 100`` is ``28.999999999999996``), two numbers closer than ``EPSILON`` relative to the
threshold are treated as equal.
"""

from __future__ import annotations

from typing import assert_never

import numpy as np
import pandas as pd

from scorecard.rating.vocabulary import RAG, Direction
from scorecard.registry.model import OnBoundary, RuleMethod

EPSILON = 1e-9

FloatArray = np.ndarray


def _slack(threshold: FloatArray) -> FloatArray:
    return EPSILON * np.maximum(1.0, np.abs(threshold))


def at_least(value: FloatArray, threshold: FloatArray) -> FloatArray:
    """``value >= threshold`` up to floating-point noise (False where either is missing)."""
    with np.errstate(invalid="ignore"):
        return value >= threshold - _slack(threshold)


def beyond(value: FloatArray, threshold: FloatArray) -> FloatArray:
    """``value > threshold`` by more than floating-point noise (False where either is missing)."""
    with np.errstate(invalid="ignore"):
        return value > threshold + _slack(threshold)


def _passes(value: FloatArray, threshold: FloatArray, on_boundary_better: FloatArray) -> FloatArray:
    """Whether ``value`` reaches ``threshold``; a value on it reaches it when boundaries go better."""
    return np.where(on_boundary_better, at_least(value, threshold), beyond(value, threshold))


def rag_codes(frame: pd.DataFrame) -> np.ndarray:
    """RAG letters (object array, None where no method applies) for a joined frame.

    ``frame`` has, per row: ``value``, ``method`` (a :class:`RuleMethod` value or missing), ``sign``,
    ``on_boundary``, and the threshold columns ``target, floor, green_lower, green_upper,
    amber_lower, amber_upper, benchmark, tolerance``.
    """
    v = frame["value"].to_numpy(dtype=float)
    s = frame["sign"].to_numpy(dtype=float)
    better = (frame["on_boundary"] == OnBoundary.BETTER.value).to_numpy()
    method = frame["method"].to_numpy(dtype=object)
    green = np.zeros(len(frame), dtype=bool)
    amber = np.zeros(len(frame), dtype=bool)
    rated = np.zeros(len(frame), dtype=bool)

    def col(name: str) -> FloatArray:
        return frame[name].to_numpy(dtype=float)

    for kind in RuleMethod:
        rows = method == kind.value
        if not rows.any():
            continue
        match kind:
            case RuleMethod.TARGET_FLOOR:
                g = _passes(s * v, s * col("target"), better)
                a = _passes(s * v, s * col("floor"), better)
            case RuleMethod.BANDS:

                def inside(lower: FloatArray, upper: FloatArray) -> FloatArray:
                    return _passes(v, lower, better) & _passes(-v, -upper, better)

                g = inside(col("green_lower"), col("green_upper"))
                a = inside(col("amber_lower"), col("amber_upper"))
            case RuleMethod.BENCHMARK:
                b, tol = s * col("benchmark"), col("tolerance")
                g = _passes(s * v, b + tol, better)
                a = _passes(s * v, b - tol, better)
            case _:
                assert_never(kind)
        green |= rows & g
        amber |= rows & a
        rated |= rows
    rated &= ~np.isnan(v)
    codes = np.select([green, amber], [RAG.GREEN.value, RAG.AMBER.value], RAG.RED.value)
    return np.where(rated, codes.astype(object), None)


def direction_codes(
    value: FloatArray, other: FloatArray, sign: FloatArray, target: FloatArray
) -> np.ndarray:
    """Direction of travel from ``other`` (an earlier value) to ``value`` (object array).

    H and L: better by sign. T (sign 0): closer to ``target`` is better. Missing where either value
    (or, for T, the target) is missing.
    """
    with np.errstate(invalid="ignore"):
        is_t = sign == 0
        now = np.where(is_t, -np.abs(value - target), sign * value)
        before = np.where(is_t, -np.abs(other - target), sign * other)
    improved, worsened = beyond(now, before), beyond(before, now)
    known = ~(np.isnan(now) | np.isnan(before))
    codes = np.select(
        [improved, worsened], [Direction.IMPROVED.value, Direction.WORSENED.value], Direction.SAME.value
    ).astype(object)
    return np.where(known, codes, None)
