"""The rating kernels of ``scorecard.rating.rules`` called directly (mutation testing).

Worked by hand from the rules' definitions: "at or better than" is ``>=`` on sign-adjusted values
(sign +1 for H, -1 for L), two numbers closer than 1e-9 relative to the threshold (at least 1e-9)
are equal, a T value is rated by the band around the target it falls in, and a missing value or
threshold gives no RAG.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.rating.rules import EPSILON, at_least, beyond, direction_codes, rag_codes

NAN = np.nan
A = np.asarray


class TestNoise:
    def test_the_slack_is_1e_9_relative_to_the_threshold_and_at_least_1e_9(self) -> None:
        assert EPSILON == 1e-9
        # threshold 85: slack 85e-9; threshold 0.5: slack 1e-9 (the floor of 1)
        t = A([85.0, 85.0, 0.5, 0.5, -85.0, -85.0])
        v = A([85 - 0.9 * 85e-9, 85 - 1.1 * 85e-9, 0.5 - 0.9e-9, 0.5 - 1.1e-9,
               -85 - 0.9 * 85e-9, -85 - 1.1 * 85e-9])  # fmt: skip
        assert at_least(v, t).tolist() == [True, False, True, False, True, False]
        w = A([85 + 0.9 * 85e-9, 85 + 1.1 * 85e-9, 0.5 + 0.9e-9, 0.5 + 1.1e-9,
               -85 + 0.9 * 85e-9, -85 + 1.1 * 85e-9])  # fmt: skip
        assert beyond(w, t).tolist() == [False, True, False, True, False, True]

    def test_missing_is_neither(self) -> None:
        assert at_least(A([NAN, 1.0]), A([1.0, NAN])).tolist() == [False, False]
        assert beyond(A([NAN, 2.0]), A([1.0, NAN])).tolist() == [False, False]


def joined(rows: list[dict]) -> pd.DataFrame:
    columns = ["value", "method", "sign", "on_boundary", "target", "floor", "green_lower",
               "green_upper", "amber_lower", "amber_upper", "benchmark", "tolerance"]  # fmt: skip
    return pd.DataFrame([{c: r.get(c, NAN) for c in columns} for r in rows])


def tf(value, sign=1, on="better", target=85.0, floor=76.5):
    return {"value": value, "method": "target_floor", "sign": sign, "on_boundary": on,
            "target": target, "floor": floor}  # fmt: skip


def bands(value, on="better"):
    return {
        "value": value,
        "method": "bands",
        "sign": 0,
        "on_boundary": on,
        "target": 7.5,
        "green_lower": 5.0,
        "green_upper": 10.0,
        "amber_lower": 2.0,
        "amber_upper": 13.0,
    }


def bench(value, sign=1, on="better"):
    return {
        "value": value,
        "method": "benchmark",
        "sign": sign,
        "on_boundary": on,
        "benchmark": 60.0,
        "tolerance": 2.0,
    }


class TestRagCodes:
    def test_target_floor_high_and_low_on_each_boundary(self) -> None:
        rows = [tf(85), tf(76.5), tf(76.4), tf(85, on="worse"), tf(76.5, on="worse"),
                tf(90, on="worse"),
                # L: target 15, floor 20 (lower is better)
                tf(15, -1, target=15, floor=20), tf(20, -1, target=15, floor=20),
                tf(20.1, -1, target=15, floor=20), tf(15, -1, "worse", 15, 20),
                tf(14.9, -1, "worse", 15, 20)]  # fmt: skip
        assert rag_codes(joined(rows)).tolist() == ["G", "A", "R", "A", "R", "G",
                                                    "G", "A", "R", "A", "G"]  # fmt: skip

    def test_bands_on_each_edge(self) -> None:
        # green 5-10, amber 2-13: the edges go to the better band unless boundaries go worse
        values = [7.5, 5, 10, 4.9, 10.1, 2, 13, 1.9, 13.1]
        got = rag_codes(joined([bands(v) for v in values])).tolist()
        assert got == ["G", "G", "G", "A", "A", "A", "A", "R", "R"]
        worse = rag_codes(joined([bands(v, "worse") for v in values])).tolist()
        assert worse == ["G", "A", "A", "A", "A", "R", "R", "R", "R"]

    def test_benchmark_with_a_tolerance(self) -> None:
        # 60 +/- 2: H Green from 62, Amber from 58; L Green to 58, Amber to 62
        values = [62, 61.9, 58, 57.9]
        assert rag_codes(joined([bench(v) for v in values])).tolist() == ["G", "A", "A", "R"]
        low = [62.1, 62, 58, 57.9]  # L: 62 itself is the Amber edge, 58 the Green edge
        assert rag_codes(joined([bench(v, -1) for v in low])).tolist() == ["R", "A", "G", "G"]
        assert rag_codes(joined([bench(v, 1, "worse") for v in values])).tolist() == [
            "A", "A", "R", "R"]  # fmt: skip

    def test_no_method_or_no_value_gives_none(self) -> None:
        rows = [tf(NAN), {**tf(90), "method": None}, tf(90)]
        assert rag_codes(joined(rows)).tolist() == [None, None, "G"]

    def test_one_frame_mixing_every_method(self) -> None:
        rows = [bench(57), tf(80), bands(12), tf(90), bench(70), bands(6)]
        assert rag_codes(joined(rows)).tolist() == ["R", "A", "A", "G", "G", "G"]


class TestDirections:
    def test_h_l_and_t(self) -> None:
        value = A([80.0, 80.0, 80.0, 10.0, 10.0, 8.0, 7.0, 8.0, NAN, 5.0, 6.0])
        other = A([70.0, 90.0, 80.0, 12.0, 8.0, 9.0, 8.0, 7.0, 5.0, NAN, 9.0])
        sign = A([1, 1, 1, -1, -1, 0, 0, 0, 1, 1, 0], dtype=float)
        target = A([NAN, NAN, NAN, NAN, NAN, 7.5, 7.5, 7.5, NAN, NAN, NAN])
        # H up, H down, H same, L down (better), L up (worse); T: 8 vs 9 (0.5 vs 1.5 from 7.5,
        # closer), 7 vs 8 (0.5 vs 0.5: same), 8 vs 7 (0.5 vs 0.5: same); missing value or other;
        # T without a target
        assert direction_codes(value, other, sign, target).tolist() == [
            "improved", "worsened", "same", "improved", "worsened", "improved", "same", "same",
            None, None, None]  # fmt: skip

    def test_noise_is_the_same(self) -> None:
        value, other = A([29 / 100 * 100, 85.0]), A([29.0, 85.0 + 1e-12])
        got = direction_codes(value, other, A([1.0, -1.0]), A([NAN, NAN]))
        assert got.tolist() == ["same", "same"]


def test_a_value_exactly_at_the_edge_of_the_slack_reaches_the_threshold() -> None:
    # at_least is value >= threshold - slack: the edge itself (85 - 85e-9) counts
    edge = 85.0 - EPSILON * 85.0
    assert at_least(A([edge]), A([85.0])).tolist() == [True]


def test_a_value_exactly_at_the_edge_of_the_slack_is_not_beyond() -> None:
    # beyond is value > threshold + slack: the edge itself (85 + 85e-9) is not beyond
    edge = 85.0 + EPSILON * 85.0
    assert beyond(A([edge]), A([85.0])).tolist() == [False]
