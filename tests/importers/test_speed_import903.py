"""The SSDA903 reader's and mapper's short cuts (issue 10, speed) give what the long way gives."""

from __future__ import annotations

import pyarrow as pa

from scorecard.importers import ssda903


def _column(*values: str) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(list(values), pa.large_string())])


def test_a_column_without_spaces_at_its_values_edges_needs_no_stripping() -> None:
    assert not ssda903._may_need_trim(_column("A1", "E 1", "", "x"))  # a space inside only
    assert not ssda903._may_need_trim(pa.chunked_array([], pa.large_string()))


def test_a_space_or_a_non_ascii_byte_at_either_edge_of_a_value_needs_stripping() -> None:
    for value in (" A1", "A1 ", "\tA1", "A1\r", "\x1fA1", "A1\u00a0", "\u00e9A1", " "):
        assert ssda903._may_need_trim(_column("B2", value)), repr(value)
    sliced = _column("B2", " A1", "C3").slice(1)  # a piece starting past its buffer's start
    assert ssda903._may_need_trim(sliced)
    assert not ssda903._may_need_trim(_column("B2", " A1", "C3").slice(2))


def test_stripped_as_pandas_strips_whether_or_not_stripping_is_needed() -> None:
    data = b"CHILD,LS,PL_POST\n1, C2,AB1 2CD\n2,E1 ,\n3,V2,  \n"
    frame = ssda903._arrow_frame(data)
    assert frame is not None
    assert frame["CHILD"].tolist() == ["1", "2", "3"]
    assert frame["LS"].tolist() == ["C2", "E1", "V2"]
    assert frame["PL_POST"].isna().tolist() == [False, True, True]
    assert frame["PL_POST"].iloc[0] == "AB1 2CD"
    accented = ssda903._arrow_frame("CHILD,ETHNIC\n1,\u00a0WBRI\n2,\u00e9t\u00e9\n".encode())
    assert accented is not None
    assert accented["ETHNIC"].tolist() == ["WBRI", "\u00e9t\u00e9"]


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
