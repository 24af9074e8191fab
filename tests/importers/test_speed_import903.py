"""The SSDA903 reader's and mapper's short cuts (issue 10, speed) give what the long way gives."""

from __future__ import annotations

from scorecard.importers import ssda903


def test_problems_of_tables_stacked_side_by_side_are_listed_in_the_order_of_the_tables(
    tmp_path,
) -> None:
    """The tables are stacked and their dates parsed in two threads; the problems are listed in
    the order of the tables (the order their first files were read in), each table's in its
    order: blank values, then bad dates column by column."""
    import pytest

    from scorecard.importers.base import ReturnImportError

    (tmp_path / "reviews_2017.csv").write_text(
        "CHILD,REVIEW,REVIEW_CODE\n1,32/01/2017,PN1\n,01/02/2017,PN1\n"
    )
    (tmp_path / "episodes_2017.csv").write_text(
        "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n1,01/01/2017,L,C2,U1,1/2/17x,E11\n"
    )
    (tmp_path / "header_2017.csv").write_text("CHILD,SEX,DOB\n1,1,\n")
    with pytest.raises(ReturnImportError) as error:
        ssda903.import_ssda903([tmp_path / "reviews_2017.csv", tmp_path / "episodes_2017.csv",
                                tmp_path / "header_2017.csv"])  # fmt: skip
    lines = str(error.value).splitlines()
    assert lines[0] == "4 problem(s) in the SSDA903 return:"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  - reviews",
        "  - reviews",
        "  - episodes",
        "  - header",
    ]
    assert "CHILD is blank" in lines[1] and "REVIEW is not a date" in lines[2]
    assert "DEC is not a date" in lines[3] and "DOB is blank" in lines[4]


def test_a_record_is_named_in_one_step_as_in_four() -> None:
    """``_child_where`` joins CHILD, file and line by pyarrow for CSV rows, and falls back to the
    pandas sum for XML rows (no line): the same texts either way, written out by hand here."""
    import numpy as np
    import pandas as pd

    csv = pd.DataFrame(
        {"CHILD": ["7", "12"], "_file": ["episodes_2017.csv", "e.csv"], "_line": [2, 31]},
        index=[5, 9],
    )
    fast = ssda903._child_where(csv)
    assert fast.tolist() == ["CHILD 7 (episodes_2017.csv line 2)", "CHILD 12 (e.csv line 31)"]
    assert fast.dtype == "string" and fast.index.tolist() == [5, 9]
    assert fast.tolist() == ("CHILD " + csv["CHILD"] + " (" + ssda903._where(csv) + ")").tolist()
    xml = pd.DataFrame({"CHILD": ["7"], "_file": ["r.xml"], "_line": [pd.NA]})
    assert ssda903._child_where(xml).tolist() == ["CHILD 7 (r.xml (XML))"]
    mixed = pd.DataFrame(
        {"CHILD": ["7", "8"], "_file": ["r.xml", "e.csv"], "_line": np.array([pd.NA, 3], object)}
    )
    assert ssda903._child_where(mixed).tolist() == [
        "CHILD 7 (r.xml (XML))",
        "CHILD 8 (e.csv line 3)",
    ]


def test_the_file_of_each_row_is_coded_by_the_names_of_the_files_to_read() -> None:
    """``_file`` holds a code a row (a categorical of the files' names), not the name in each
    row; its values are the names, and frames of two files stack without losing the coding."""
    import pandas as pd

    source = ssda903._Source(names=pd.CategoricalDtype(["episodes.csv", "header.csv"]))
    header = source.file_column("header.csv", 3)
    assert isinstance(header, pd.Categorical) and list(header) == ["header.csv"] * 3
    stacked = pd.concat(
        [pd.Series(header), pd.Series(source.file_column("episodes.csv", 1))], ignore_index=True
    )
    assert stacked.dtype == source.names
    assert stacked.astype("string").tolist() == ["header.csv"] * 3 + ["episodes.csv"]
    assert source.file_column("other.csv", 2) == "other.csv"  # not a file to read: the name
    assert ssda903._Source().file_column("header.csv", 2) == "header.csv"


def test_ids_joined_in_one_step_are_the_sum_of_their_parts() -> None:
    """``_joined`` gives what ``a.astype("string") + "-" + b ...`` gives: missing where a part
    is missing, ``string`` dtype, the columns' index (Arrow text joined by pyarrow; other columns
    summed by pandas)."""
    import pandas as pd

    child = pd.Series(["7", None, "12"], index=[3, 1, 2], dtype="str")
    day = pd.Series(["2017-01-02", "2017-02-03", None], index=[3, 1, 2], dtype="string")
    fast = ssda903._joined(child, "-", day, "-", child)
    assert fast.dtype == "string" and fast.index.tolist() == [3, 1, 2]
    assert fast.tolist() == ["7-2017-01-02-7", pd.NA, pd.NA]
    summed = child.astype("string") + "-" + day + "-" + child.astype("string")
    assert fast.equals(summed)
    plain = ssda903._joined(child.astype(object), "-", day)  # not Arrow text: summed by pandas
    assert plain.dtype == "string" and plain.tolist() == ["7-2017-01-02", pd.NA, pd.NA]


def test_episode_checks_put_back_in_place_exclude_and_blank_the_right_rows(tmp_path) -> None:
    """The REC check of the ended episodes and the PLACE_PROVIDER check are put back by position
    (not by index): child 1's ended episode with REC 'E99' and child 3's (DEC before DECOM) and
    child 4's (DEC, no REC) are excluded; child 2's open episode keeps its row with PLACE_PROVIDER
    'PR9' blanked, child 5's keeps PR1."""
    header = "CHILD,SEX,DOB\n" + "".join(f"{c},1,01/01/2010\n" for c in range(1, 6))
    (tmp_path / "header.csv").write_text(header)
    (tmp_path / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\n"
        "1,01/01/2017,S,C2,U4,PR1,01/02/2017,E99\n"
        "2,01/01/2017,S,C2,U4,PR9,,\n"
        "3,01/03/2017,S,C2,U4,PR1,01/02/2017,E11\n"
        "4,01/01/2017,S,C2,U4,PR1,01/02/2017,\n"
        "5,01/01/2017,S,C2,U4,PR1,01/02/2017,E3\n"
    )
    result = ssda903.import_ssda903([tmp_path], collection_years="2016/17")
    eps = result.extracts["cic_episodes"]
    assert eps["episode_id"].tolist() == ["2-2017-01-01", "5-2017-01-01"]
    assert eps["placement_provider"].isna().tolist() == [True, False]
    assert eps["reason_ceased"].tolist()[1] == "E3"
    report = result.report.set_index("reason")["detail"]
    details = {reason.split(":")[0]: detail for reason, detail in report.items()}
    assert details["REC"] == "CHILD 1 (episodes.csv line 2) 'E99'"
    assert details["PLACE_PROVIDER"] == "CHILD 2 (episodes.csv line 3) 'PR9'"
    assert details["DEC before DECOM"] == "CHILD 3 (episodes.csv line 4)"
    assert details["DEC given but REC blank"] == "CHILD 4 (episodes.csv line 5)"


def test_steps_side_by_side_or_in_turn_give_the_same_import(monkeypatch) -> None:
    """With two threads (the header, reviews and OC3 mapped beside the episodes; tables stacked
    and child ids checked two at a time) or one (each step in turn), the extracts and the import
    report are the same, rows and order."""
    from pandas.testing import assert_frame_equal

    from tests.conftest import SHARED

    fixture = SHARED / "fixtures" / "ssda903_fake"
    results = {}
    for threads in (2, 1):
        monkeypatch.setattr(ssda903, "_THREADS", threads)
        results[threads] = ssda903.import_ssda903([fixture])
    two, one = results[2], results[1]
    assert list(two.extracts) == list(one.extracts)
    for name in two.extracts:
        assert_frame_equal(two.extracts[name], one.extracts[name], check_exact=True)
    assert_frame_equal(two.report, one.report, check_exact=True)
    assert len(two.report) > 5 and "children" in two.extracts
