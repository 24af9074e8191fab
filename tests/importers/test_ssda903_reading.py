"""The SSDA903 importer reads CSV tables with pyarrow when it can, and with pandas otherwise: on any
bytes both readings give the same frame (values, blanks, dtypes, columns), or the pyarrow reading
declines and pandas reads (or refuses) the file as before."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from scorecard.importers.ssda903 import _arrow_frame, _pandas_frame

PATH = Path("episodes.csv")


def _reference(data: bytes) -> pd.DataFrame:
    """The importer's reading before pyarrow: pandas, every value stripped, blank -> missing."""
    frame = _pandas_frame(data, PATH)
    return frame.apply(lambda column: column.str.strip()).replace("", pd.NA)


def test_arrow_reading_strips_blanks_and_keeps_blank_lines():
    """Padded values are stripped, blank ones missing, a blank line is a row (so that line
    numbers count it), quotes and CRLF as pandas reads them, a BOM dropped."""
    data = '\ufeffCHILD,DECOM\r\n 1 ,"01/01/2017"\r\n\r\n"2",\t\r\n"a""b", x\r\n'.encode()
    frame = _arrow_frame(data)
    assert frame is not None
    assert frame.columns.tolist() == ["CHILD", "DECOM"]
    assert frame["CHILD"].isna().tolist() == [False, True, False, False]
    assert frame["CHILD"].dropna().tolist() == ["1", "2", 'a"b']
    assert frame["DECOM"].tolist()[0] == "01/01/2017"
    assert frame["DECOM"].isna().tolist() == [False, True, True, False]
    assert_frame_equal(frame, _reference(data))


def test_arrow_reading_declines_what_pandas_reads_differently():
    """A short row (pandas fills it), a long row, a blank or repeated column name (pandas renames
    them), bad UTF-8 and an empty file: the pyarrow reading declines; pandas decides."""
    for data in (
        b"A,B\n1\n",
        b"A,B\n1,2,3\n",
        b"A,,B\n1,2,3\n",
        b"A,A\n1,2\n",
        b"A,B\n\xff,2\n",
        b"",
    ):
        assert _arrow_frame(data) is None, data


TEXT = st.lists(
    st.sampled_from(["a", "1", ",", '"', " ", "\t", "\n", "\r", "\u00a0", "\u2003", "é", ""]),
    max_size=6,
).map("".join)
FIELD = st.one_of(TEXT, TEXT.map(lambda t: '"' + t.replace('"', '""') + '"'))
ROW = st.lists(FIELD, min_size=1, max_size=4).map(",".join)


@settings(max_examples=600, deadline=None)
@given(
    header=st.sampled_from(["A,B", "A,B,C", '"A","B"', " a , b ", "A", "A,B\r\n"]),
    rows=st.lists(ROW, max_size=6),
    end=st.sampled_from(["\n", "\r\n", "\r"]),
    tail=st.sampled_from(["", "\n", '"', "a"]),
)
def test_arrow_reading_equals_pandas_reading(header, rows, end, tail):
    """Random tables (fields plain or quoted, holding commas, quotes, newlines, spaces): where the
    pyarrow reading accepts one, it equals the pandas reading."""
    data = (end.join([header, *rows]) + tail).encode()
    fast = _arrow_frame(data)
    if fast is None:
        return
    assert_frame_equal(fast, _reference(data))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["1", "2", "10", None]),
            st.sampled_from([pd.Timestamp("2017-01-01"), pd.Timestamp("2018-02-03"), pd.NaT]),
            st.sampled_from(["PN1", "", None]),
            st.integers(0, 2),
        ),
        max_size=30,
    ),
    limit=st.sampled_from([2, 7, 50, 2**62]),
)
def test_row_ids_equal_exactly_for_equal_rows(rows, limit):
    """_row_ids (which finds exact repeats when years are combined) gives two rows one id iff
    ``duplicated`` calls them equal (missing equals missing), also when the ids are renumbered
    for lack of bits (a small limit forces it)."""
    from scorecard.importers import ssda903

    frame = pd.DataFrame(rows, columns=["CHILD", "DECOM", "CODE", "YEAR"]).astype(
        {"CHILD": "str", "CODE": "str", "DECOM": "datetime64[ns]"}
    )
    saved, ssda903._ID_LIMIT = ssda903._ID_LIMIT, limit
    try:
        ids = pd.Series(ssda903._row_ids([ssda903._coded(frame[c]) for c in frame.columns]))
    finally:
        ssda903._ID_LIMIT = saved
    for keep in ("first", "last", False):
        assert ids.duplicated(keep=keep).tolist() == frame.duplicated(keep=keep).tolist()


def test_episodes_by_child_and_start_sorts_when_not_sorted():
    """Episodes out of order (which _combine never gives) are still sorted by CHILD and DECOM,
    stably, as sort_values does; in order, they are returned as they are."""
    from scorecard.importers.ssda903 import _by_child_and_start

    eps = pd.DataFrame(
        {
            "CHILD": pd.array(["2", "10", "2", "10"], dtype="str"),
            "DECOM": pd.to_datetime(["2017-05-01", "2016-01-01", "2017-01-01", "2016-01-01"]),
            "n": [1, 2, 3, 4],
        }
    )
    ordered, child = _by_child_and_start(eps)
    # "10" sorts before "2" (text); the two episodes of 10 on one day keep their order
    assert ordered["n"].tolist() == [2, 4, 3, 1]
    assert child.tolist() == [0, 0, 1, 1]
    again, _ = _by_child_and_start(ordered)
    assert again is ordered


def test_ascii_strip_is_the_unicode_strip_on_ascii_text():
    """ASCII files are stripped of _ASCII_SPACE (a faster kernel): on every ASCII character as
    lead, tail or middle it gives what str.strip and pyarrow's utf8_trim_whitespace give."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from scorecard.importers.ssda903 import _ASCII_SPACE

    texts = [f"{c}{c}a{c}b{c}" for c in map(chr, range(128))]
    fast = pc.ascii_trim(pa.array(texts), characters=_ASCII_SPACE).to_pylist()
    assert fast == pc.utf8_trim_whitespace(pa.array(texts)).to_pylist()
    assert fast == [t.strip() for t in texts]


def test_files_read_ahead_raise_their_errors_in_the_order_of_the_files(tmp_path):
    """The CSV tables are read ahead in threads, but the first file at fault (in the order given)
    is the one named, as when they were read one after another; the rest are not waited on."""
    import os

    import pytest

    from scorecard.importers.base import ReturnImportError
    from scorecard.importers.ssda903 import import_ssda903

    no_decom = tmp_path / "episodes_2017.csv"
    no_decom.write_text("CHILD,RNE,LS,PLACE,DEC,REC\n1,L,C2,U1,,\n")
    pipe = tmp_path / "header_2017.csv"
    os.mkfifo(pipe)  # never opened: refused before a byte is read
    reviews = tmp_path / "reviews_2017.csv"
    reviews.write_text("CHILD,REVIEW,REVIEW_CODE\n1,01/01/2017,PN1\n")
    with pytest.raises(ReturnImportError, match=r"^episodes_2017\.csv \(episodes\): column"):
        import_ssda903([reviews, no_decom, pipe])
    with pytest.raises(ReturnImportError, match=r"^header_2017\.csv: "):
        import_ssda903([reviews, pipe, no_decom])
