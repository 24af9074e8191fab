"""Reading CSV files: Arrow's vectorised reader gives exactly what the record-by-record reader gives.

``_parse_csv`` (Python's ``csv`` module, record by record) is the reference; ``_parse_csv_fast``
(Arrow) reads the files it can read exactly and declines the others (``None``), which are then read
record by record. Also the vectorised conversions of text written in CSV files (ISO dates, flags,
text needing no trimming) against the values worked out by hand.
"""

from __future__ import annotations

import mmap
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.extracts import ExtractValidationError, load_extracts
from scorecard.extracts.coerce import _clean_ends, to_date, to_flag, to_text
from scorecard.extracts.load import _FileProblem, _parse_csv, _parse_csv_fast
from tests.extracts.conftest import VALID_CSV, write_folder

TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def _careful(data: bytes) -> object:
    try:
        return _parse_csv(data)
    except _FileProblem as exc:
        return ("error", str(exc), exc.line)


def _assert_same(data: bytes) -> bool:
    """The fast reading equals the careful one when it reads the file; True if it did."""
    fast = _parse_csv_fast(data)
    if fast is None:
        return False
    careful = _careful(data)
    assert isinstance(careful[0], pd.DataFrame), careful
    pd.testing.assert_frame_equal(fast[0], careful[0])
    assert list(fast[1]) == list(careful[1])
    assert fast[2] == careful[2] and fast[3] == careful[3]
    return True


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\n1,2\n3,4\n",
        b"a,b\r\n1,2\r\n3,\r\n",  # CR LF line ends, an empty last field
        b"\xef\xbb\xbfa, b \n1,2",  # byte-order mark, names stripped, no final line end
        b"a,b\n1,2\n\n,\n \t, \n3,4\n\n",  # empty lines and records of blank fields: ignored
        b"a,b\n\xc2\xa0,\xe3\x80\x80\n1,2\n",  # non-ASCII whitespace only: a blank record
        b"a,b\n\xe2\x80\x8b,\n",  # a zero-width space is not whitespace: a record
        b"a,a\n1,2\n",  # a repeated column name (an error later, named by the checks)
        b"a,a\n\n",  # the same with no record
        b"a,b\n",  # header only
        b"a,b\n1,\x002\n",  # a NUL byte is a character like any other
        b"a,b\n\x0bx,\x1c\n",
    ],
)
def test_files_read_by_arrow_as_record_by_record(data: bytes) -> None:
    assert _assert_same(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",  # empty: the careful reader says so
        b"a,b\n1,2,3\n",  # a ragged record
        b"a\n1\n",  # one column (a file separated by something else?)
        b"a,b\n\xff,1\n",  # not UTF-8
        b"\n a,b\n1,2\n",  # a blank line before the header
        b"a,b\r1,2\r",  # CR alone ends lines
        b'a,b\n"1,5",2\n',  # a double quote anywhere
        b'a,b\n"x" ,2\n',  # ... which Arrow reads leniently where csv is strict
        b"a,b\n \n",  # a line of one blank field: a blank record, not a ragged one
        b"\xff\xfea\x00,\x00b\x00\n\x00",  # UTF-16
    ],
)
def test_other_files_are_left_to_the_careful_reader(data: bytes) -> None:
    assert _parse_csv_fast(data) is None


FIELD = st.text(alphabet=st.sampled_from(list('ab1-, \t"\r\n\xa0é\x00')), max_size=4)
#: Records of up to five such fields (fewer or more than the header's: refused or read as they are).
ROWS = st.lists(st.lists(FIELD, min_size=0, max_size=5), max_size=6)


def _fuzz(examples: int) -> settings:
    """Settings of the fuzz tests: ``examples`` unless ``FUZZ_N`` says otherwise, no deadline."""
    return settings(
        max_examples=int(os.environ.get("FUZZ_N", str(examples))),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@_fuzz(120)
@given(
    header=st.lists(st.sampled_from(["a", "b", " c", "a"]), min_size=1, max_size=4),
    rows=ROWS,
    ending=st.sampled_from(["\n", "\r\n", ""]),
    bom=st.booleans(),
)
def test_arrow_reading_equals_record_by_record(
    header: list[str], rows: list[list[str]], ending: str, bom: bool
) -> None:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    data = ("\ufeff" if bom else "") + "\n".join(lines) + ending
    _assert_same(data.encode("utf-8"))


def test_line_numbers_after_blank_lines_read_by_arrow(tmp_path) -> None:
    texts = dict(VALID_CSV)
    referrals = VALID_CSV["referrals"].replace(
        "R2,C2,Team A,2015-04-10,2015-05-20\n", "\n,,,,\nR2,C2,Team A,2015-31-10,2015-05-20\n"
    )
    assert referrals != VALID_CSV["referrals"]
    texts["referrals"] = referrals
    folder = write_folder(tmp_path, texts)
    assert _parse_csv_fast((folder / "referrals.csv").read_bytes()) is not None
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    failures = info.value.failures
    found = failures[(failures["extract"] == "referrals") & (failures["check"] == "invalid_date")]
    assert found["line"].tolist() == [5]  # header 1, R1 2, empty 3, blank fields 4, R2 5
    assert any("2 blank line(s) ignored" in note for note in info.value.notes)


def test_iso_dates_from_text() -> None:
    values = pd.Series(
        ["2016-02-29", "2015-02-29", "1678-01-01", "1677-12-31", "2261-12-31", "2262-01-01",
         "2015-13-01", "2015-00-10", "2015-04-31", "2015-1-01", " 2015-05-31 ", "", None,
         "2015-05-31 09:30", "2015/05/31", "２０１５-05-31"],
        dtype=TEXT,
    )  # fmt: skip
    stamps, invalid, has_time = to_date(values)
    expected = pd.to_datetime(
        [
            "2016-02-29",
            None,
            "1678-01-01",
            None,
            "2261-12-31",
            None,
            None,
            None,
            None,
            None,
            "2015-05-31",
            None,
            None,
            None,
            None,
            "2015-05-31",
        ]
    )  # fmt: skip  (full-width digits are digits to pandas, as before: read by pandas)
    pd.testing.assert_series_equal(stamps, pd.Series(expected, index=values.index, dtype="M8[ns]"))
    assert invalid.tolist() == [False, True, False, True, False, True, True, True, True, True,
                                False, False, False, False, True, False]  # fmt: skip
    assert has_time.tolist() == [False] * 13 + [True, False, False]


def test_iso_dates_across_chunks_and_offsets() -> None:
    chunks = pa.chunked_array(
        [
            pa.array(["2015-01-01", "x"], pa.large_string()),
            pa.array(["2015-01-02", ""], pa.large_string()),
        ],
        type=pa.large_string(),
    )
    values = pd.Series(chunks.to_pandas(types_mapper={pa.large_string(): TEXT}.get)).iloc[1:]
    stamps, invalid, _ = to_date(values)
    assert stamps.isna().tolist() == [True, False, True]
    assert stamps.iloc[1] == pd.Timestamp("2015-01-02")
    assert invalid.tolist() == [True, False, False]


def test_flags_from_text() -> None:
    values = pd.Series(["yes", " N ", "TRUE", "0", "1.0", "", None, "maybe"], dtype=TEXT)
    flags, invalid = to_flag(values)
    assert flags.tolist() == [True, False, True, False, True, pd.NA, pd.NA, pd.NA]
    assert str(flags.dtype) == "boolean"
    assert invalid.tolist() == [False] * 7 + [True]


@pytest.mark.parametrize(
    ("values", "clean"),
    [
        (["C1", "R~2", None], True),
        (["C1 ", "R2"], False),
        (["\tC1"], False),
        (["C1", ""], False),
        (["é"], False),  # not told by its first byte: trimmed the usual way
    ],
)
def test_text_taken_as_it_is_only_when_nothing_to_strip(values: list, clean: bool) -> None:
    series = pd.Series(values, dtype=TEXT)
    assert _clean_ends(pa.array(series)) is clean
    expected = [v.strip() or None if isinstance(v, str) else None for v in values]
    assert [None if pd.isna(v) else v for v in to_text(series)] == expected


def _clean_by_definition(values: list[str | None]) -> bool:
    """What ``_clean_ends`` tells, from its definition: every value present is not empty and
    begins and ends with printable ASCII other than the space."""
    solid = [chr(c) for c in range(0x21, 0x7F)]
    return all(v and v[0] in solid and v[-1] in solid for v in values if v is not None)


@pytest.mark.parametrize(
    "values",
    [
        ["CH01", "CH02", "CH03"],  # one width: read as a table of bytes
        ["CH01", " CH2", "CH03"],  # one width, a space first
        ["CH01", "CH2 ", "CH03"],  # one width, a space last
        ["CH01", "CH\t2", "CH03"],
        ["CH01", "C 02"],  # a space inside: clean
        ["éC01", "CH02"],  # not ASCII first (two bytes: widths differ)
        ["CHé", "CH0"],  # 4 bytes and 3: not one width
        ["ab", "cd", None, "ef"],  # one width with a missing value: read value by value
        ["x"],
        ["\x7f1", "a1"],
        ["~1", "!2"],
    ],
)
def test_clean_ends_of_values_of_one_width(values: list) -> None:
    array = pa.array(values, pa.large_string())
    assert _clean_ends(array) is _clean_by_definition(values)
    assert _clean_ends(pa.array(values, pa.string())) is _clean_by_definition(values)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.one_of(st.none(), st.text(alphabet=st.sampled_from("AC09 ~\t\x7fé"), max_size=4)),
        min_size=1,
        max_size=12,
    ),
    cut=st.integers(0, 12),
    start=st.integers(0, 3),
)
def test_clean_ends_as_its_definition(values: list, cut: int, start: int) -> None:
    """Chunked and sliced arrays (offsets not at zero) of any widths, against the definition."""
    cut = min(cut, len(values))
    chunks = [values[:cut], values[cut:]]
    array = pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks], pa.large_string())
    assert _clean_ends(array) is _clean_by_definition(values)
    sliced = pa.array(values, pa.large_string()).slice(min(start, len(values)))
    assert _clean_ends(sliced) is _clean_by_definition(values[min(start, len(values)) :])


# --------------------------------------------------------------------------------------------------
# Date and flag columns read as such by Arrow: the same extracts as reading them as text


def _load_outcome(folder) -> object:
    """What loading the folder gives: every frame, note and quality row, or the error's failures."""
    try:
        loaded = load_extracts(folder)
    except ExtractValidationError as exc:
        return ("error", str(exc), exc.failures.reset_index(drop=True), tuple(exc.notes))
    return (
        {name: loaded.get(name) for name in loaded.present},
        loaded.notes,
        loaded.quality.reset_index(drop=True),
        loaded.findings.reset_index(drop=True),
    )


def _assert_same_outcome(one: object, other: object) -> None:
    assert type(one) is type(other)
    if isinstance(one, tuple) and one and one[0] == "error":
        assert one[1] == other[1] and one[3] == other[3]
        pd.testing.assert_frame_equal(one[2], other[2])
        return
    frames, notes, quality, findings = one
    assert frames.keys() == other[0].keys()
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, other[0][name], check_exact=True)
    assert notes == other[1]
    pd.testing.assert_frame_equal(quality, other[2])
    pd.testing.assert_frame_equal(findings, other[3])


def _both_ways(folder) -> tuple[object, object]:
    """Load ``folder`` with its date and flag columns read by Arrow, and with every column read
    as text (the dates and flags then converted from the text), and return both outcomes."""
    from scorecard.extracts import load

    typed = _load_outcome(folder)
    original = load._parse_csv_fast
    try:  # patched by hand: also used inside hypothesis tests
        load._parse_csv_fast = lambda data, *columns: original(data)  # every column as text
        as_text = _load_outcome(folder)
    finally:
        load._parse_csv_fast = original
    return typed, as_text


def _folder_with_referrals(folder, referrals: str):
    texts = dict(VALID_CSV)
    texts["referrals"] = referrals
    return write_folder(folder, texts)


REFERRALS_HEAD = "referral_id,child_id,team,referral_date,closure_date\n"


@pytest.mark.parametrize(
    "closure",
    [
        "2015-05-20",  # a date: read by Arrow
        "",  # missing
        " 2015-05-20\t",  # spaces and tabs around it: trimmed by both readings
        "2015-02-29",  # not a calendar date: read as text, reported invalid
        "1677-12-31",  # outside 1678-2261: read as text, reported invalid
        "2262-01-01",
        "1678-01-01",  # the first and last dates conversion accepts: read by Arrow
        "2261-12-31",
        "2015-05-20 09:30",  # a time of day: reported as such
        "20/05/2015",  # not ISO
        " ",  # blank
        "NA",  # not a date (Arrow's default null spellings are not used)
        "2015-5-20",
    ],
)
def test_dates_read_by_arrow_load_as_dates_read_from_text(tmp_path, closure) -> None:
    referrals = (
        REFERRALS_HEAD + "R1,C1,Team A,2015-04-01,\n"
        f"R2,C2,Team A,2015-04-10,{closure}\n\n,,,,\nR3,C4,Team A,2014-06-01,\n"
    )
    _assert_same_outcome(*_both_ways(_folder_with_referrals(tmp_path, referrals)))


def test_arrow_reads_iso_date_columns_as_dates() -> None:
    data = (
        REFERRALS_HEAD + "R1,C1,Team A,2015-04-01,\nR2,C2,Team A,2016-02-29,2016-03-01\n"
    ).encode()
    dates = ("referral_date", "closure_date")
    parsed = _parse_csv_fast(data, dates)
    assert parsed is not None
    frame = parsed[0]
    assert frame["referral_date"].dtype == "datetime64[ns]"
    assert frame["referral_date"].tolist() == [
        pd.Timestamp("2015-04-01"),
        pd.Timestamp("2016-02-29"),
    ]
    assert frame["closure_date"].isna().tolist() == [True, False]
    assert frame["referral_id"].dtype == TEXT
    # one value that is not a date: the file is left to the text reading
    assert _parse_csv_fast(data.replace(b"2016-03-01", b"2016-02-30"), dates) is None
    # a blank record: its date fields are missing, and it is ignored as a text one is
    blank = _parse_csv_fast(data + b"\n , ,\t,,\n", dates)
    assert blank is not None and blank[3] == [4, 5] and len(blank[0]) == 2


DATE_VALUES = st.sampled_from(
    ["2015-05-20", "2016-02-29", "", " ", "2015-02-29", "1500-01-01", "2015-05-20 10:00",
     "20/05/2015", "\t2015-05-21", "x"]
)  # fmt: skip


@settings(max_examples=int(os.environ.get("FUZZ_N", "12")), deadline=None)
@given(closures=st.lists(DATE_VALUES, min_size=1, max_size=4))
def test_date_columns_load_alike_either_way(tmp_path_factory, closures: list[str]) -> None:
    rows = "".join(
        f"R{i},C{1 + i % 4},Team A,2015-04-0{1 + i},{value}\n" for i, value in enumerate(closures)
    )
    folder = _folder_with_referrals(tmp_path_factory.mktemp("dates"), REFERRALS_HEAD + rows)
    _assert_same_outcome(*_both_ways(folder))


ASSESSMENTS_HEAD = (
    "assessment_id,child_id,team,referral_id,start_date,authorised_date,child_seen,child_missing\n"
)


@pytest.mark.parametrize(
    "seen",
    [
        "true",  # a flag: read by Arrow
        "False",
        "YES",
        "1.0",
        "",  # missing
        "tRue",  # any case is a flag for the loader; Arrow knows three: read as text
        " yes",  # spaces around it: read as text (trimmed there)
        "maybe",  # not a flag: read as text, reported
        " ",  # blank
    ],
)
def test_flags_read_by_arrow_load_as_flags_read_from_text(tmp_path, seen) -> None:
    texts = dict(VALID_CSV)
    texts["assessments"] = (
        ASSESSMENTS_HEAD + "A1,C1,Team A,R1,2015-04-02,2015-04-30,true,false\n"
        f"A2,C2,Team A,R2,2015-04-11,,{seen},\n"
    )
    _assert_same_outcome(*_both_ways(write_folder(tmp_path, texts)))


def test_arrow_reads_flag_columns_as_flags() -> None:
    data = (
        ASSESSMENTS_HEAD + "A1,C1,T,R1,2015-04-02,,True,N\nA2,C2,T,R2,2015-04-11,,,0\n"
    ).encode()
    parsed = _parse_csv_fast(data, ("start_date",), ("child_seen", "child_missing"))
    assert parsed is not None
    frame = parsed[0]
    assert frame["child_seen"].dtype == "boolean"
    assert frame["child_seen"].tolist() == [True, pd.NA]
    assert frame["child_missing"].tolist() == [False, False]
    # a spelling Arrow is not given (the loader reads it): the file is left to the text reading
    assert _parse_csv_fast(data.replace(b"True", b"tRUE"), (), ("child_seen",)) is None


# --------------------------------------------------------------------------------------------------
# Text columns read dictionary-encoded by Arrow, and large files mapped rather than copied


def _encoded_by_arrow(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """``frame`` with its text columns ``names`` dictionary-encoded by Arrow afterwards (the
    categories in the order the values first appear), as the loader encoded them before."""
    import pyarrow.compute as pc

    columns = []
    for position, name in enumerate(frame.columns):  # by position: a header may repeat a name
        column = frame.iloc[:, position]
        if name in names and len(frame):
            array = pa.chunked_array([pa.array(column, pa.large_string())])
            column = pc.dictionary_encode(array).to_pandas(
                types_mapper={pa.large_string(): TEXT}.get
            ).set_axis(frame.index)
        columns.append(column)
    return pd.concat(columns, axis=1, keys=range(len(columns))).set_axis(frame.columns, axis=1)


def _assert_encoded_alike(data: bytes, names: list[str]) -> None:
    plain = _parse_csv_fast(data)
    encoded = _parse_csv_fast(data, (), (), names)
    assert (plain is None) == (encoded is None)
    if plain is None or encoded is None:
        return
    expected = _encoded_by_arrow(plain[0], names)
    pd.testing.assert_frame_equal(encoded[0], expected, check_exact=True)
    for position in range(expected.shape[1]):
        want, got = expected.iloc[:, position], encoded[0].iloc[:, position]
        if isinstance(want.dtype, pd.CategoricalDtype):
            assert list(got.cat.categories) == list(want.cat.categories)
    assert list(encoded[1]) == list(plain[1])
    assert encoded[2:] == plain[2:]


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (b"a,b\nx,1\ny,2\nx,3\n", ["a"]),
        (b"a,b\nx,1\n\n , \t\n\xc2\xa0,\ny,2\n", ["a"]),  # blank records: blank in both columns
        (b"a,b\n ,1\n,2\n\n", ["a", "b"]),  # blank text kept as it is, blank records ignored
        (b"a,b\n\xe2\x80\x8b,\nz,\n", ["a", "b"]),  # a zero-width space is text
        (b"a,b\nx,\xff\n", ["b"]),  # not UTF-8: declined
        (b"a,b\n", ["a"]),  # header only
    ],
)
def test_text_codes_read_by_arrow_as_encoded_afterwards(data: bytes, names: list[str]) -> None:
    _assert_encoded_alike(data, names)


@_fuzz(60)
@given(
    header=st.lists(st.sampled_from(["a", "b", " c", "a"]), min_size=2, max_size=4),
    rows=ROWS,
    encoded=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3),
)
def test_text_codes_read_by_arrow_as_encoded_afterwards_any_file(
    header: list[str], rows: list[list[str]], encoded: list[str]
) -> None:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    _assert_encoded_alike(("\n".join(lines) + "\n").encode("utf-8"), encoded)


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=12).map(lambda b: bytes(b"\r\na"[x % 3] for x in b)),
    step=st.integers(1, 5),  # the bytes looked at at a time (a CR at a step's end included)
)
def test_carriage_returns_ending_lines_as_counting_them(data: bytes, step: int) -> None:
    from scorecard.extracts.load import _crs_end_lines

    expected = data.count(b"\r") == data.count(b"\r\n")
    assert _crs_end_lines(data) is expected
    assert _crs_end_lines(data, step) is expected


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\n1,2\n3,4\n",
        b"a,b\r\n1,2\r\n3,\r\n",
        b"\xef\xbb\xbfa,b\n1,2\n",
        b'a,b\n"1,5",2\n',  # read record by record
        b"a,b\r1,2\r",
        b"",  # empty: the careful reader says so
        b"a,b\n\xff,1\n",  # not UTF-8: the careful reader says where
        b"\xff\xfea\x00,\x00b\x00\n\x00",  # UTF-16
    ],
)
def test_large_files_mapped_read_as_copied(tmp_path, monkeypatch, data: bytes) -> None:
    from scorecard.extracts import load

    path = tmp_path / "referrals.csv"
    path.write_bytes(data)

    def outcome() -> object:
        try:
            frame, lines, mismatched, blank = load._read_csv(path, 1 << 20, ("b",), (), ("a",))
        except _FileProblem as exc:
            return ("error", str(exc), exc.line)
        return frame, list(lines), mismatched, blank

    copied = outcome()
    monkeypatch.setattr(load, "_MAP_FROM", 0)  # every file mapped (an empty one cannot be: read)
    with load._file_bytes(path, 1 << 20) as view:
        assert isinstance(view, mmap.mmap) is bool(data)
    mapped = outcome()
    if isinstance(copied[0], str):  # an error
        assert mapped == copied
    else:
        pd.testing.assert_frame_equal(mapped[0], copied[0], check_exact=True)
        assert mapped[1:] == copied[1:]
    if len(data) > 1:  # the limit holds for a mapped file as for one read
        with pytest.raises(_FileProblem, match="larger than the limit"):
            load._read_csv(path, len(data) - 1)
