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
