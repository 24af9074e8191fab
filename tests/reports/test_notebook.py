"""Notebook display: the .scorecard accessor, the Styler and Scorecard's rich display."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import scorecard as sc
from tests.conftest import REPO


@pytest.fixture(scope="module")
def rated() -> pd.DataFrame:
    return sc.rate(pd.read_csv(REPO / "data" / "published" / "scs_2015_05_results.csv"))


def test_accessor_table_is_the_published_table(rated, shared) -> None:
    published = pd.read_csv(shared / "reference" / "scs_scorecard_2015_05.csv")
    table = rated.scorecard.table("Kent", "2015-05")
    assert table["Ref"].tolist() == list(range(1, 45))
    units = {"%": "%", "count": "", "days": "", "caseload": ""}
    expected = [f"{r:,.0f}" if u == "count" else f"{r:.1f}{units[u]}"
                for r, u in zip(published["latest_result"], published["unit"], strict=True)]  # fmt: skip
    assert table["Result"].tolist() == expected
    # the one unrated row is ref 9 (2 of 3: below the minimum denominator, as published "NR");
    # it says why instead of a blank
    assert published.loc[published["rag"].isna(), "ref"].tolist() == [9]
    expected_rag = published["rag"].fillna("below the minimum denominator").tolist()
    assert table["RAG"].tolist() == expected_rag


def test_style_colours_by_rag_and_escapes(rated) -> None:
    evil = rated.copy()
    evil["title"] = evil["title"].where(evil["ref"] != 1, "<script>alert(1)</script>")
    page = evil.scorecard.style("Kent", "2015-05").to_html()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # three Red rows (refs 8, 14, 33): their result and RAG cells are filled red
    # a rule's selectors start after a brace (or at the start): looking only there keeps the
    # search linear (from every position of the long table it went on to the end of the page)
    (red_rule,) = re.findall(r"(?:(?<=[{}])|^)([^{}]+)\{\s*background-color: #E8494A;\s*\}", page)
    assert len(re.findall(r"#T_\w+", red_rule)) == 2 * 3


def test_accessor_refuses_frames_that_are_not_rated() -> None:
    with pytest.raises(AttributeError, match="not a rated results frame"):
        _ = pd.DataFrame({"a": [1]}).scorecard


def test_scorecard_rich_display(rated) -> None:
    card = sc.Scorecard(rated, computation=None, registry=sc.load_registry(), county="Kent")
    page = card._repr_html_()
    assert page.startswith("<p>As at 31/05/2015, Kent has 20 indicators rated as Green")
    assert "Scorecard - Kent, May 2015" in page
    assert card.table()["Ref"].size == 44
