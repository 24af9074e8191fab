"""Codes and teams held as categoricals in the loaded extracts: the values of the files, the same
whatever the source, and coded by their categories where the loader links extracts."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from scorecard.extracts import SCHEMAS, SPECS, load_extracts, write_extracts
from scorecard.extracts.categories import as_categories, categorical_text, category_columns
from scorecard.extracts.identifiers import code_identifiers, linking_identifiers

texts = st.lists(st.one_of(st.none(), st.sampled_from(["b", "a", "A", "a b", "é", "c10", "c9"])),
                 max_size=12)  # fmt: skip
vocabularies = st.lists(st.sampled_from(["a", "z", "c9", "Z"]), max_size=3, unique=True)


@given(texts, vocabularies)
def test_categorical_text_is_astype_of_the_sorted_values_and_vocabulary(values, vocabulary):
    text = pd.Series(values, dtype="str", index=np.arange(len(values)) * 3, name="x")
    got = categorical_text(text, vocabulary)
    categories = sorted(set(text.dropna()) | set(vocabulary))
    expected = text.astype(pd.CategoricalDtype(pd.Index(categories, dtype="str"), ordered=True))
    pd.testing.assert_series_equal(got, expected)
    assert got.astype("str").equals(text)  # the values and missing values of the text


def test_categorical_text_leaves_other_columns_as_they_are() -> None:
    numbers = pd.Series([1.0, 2.0])
    assert categorical_text(numbers) is numbers


def test_category_columns_are_the_code_and_team_columns() -> None:
    assert category_columns(SPECS["visits"]) == ("team", "visit_type")
    assert category_columns(SPECS["children"]) == ("sex",)
    assert category_columns(SPECS["cp_reviews"]) == ()


@given(texts, texts)
def test_a_categorical_is_coded_as_its_text(first, second):
    text = {"a": pd.DataFrame({"x": pd.Series(first, dtype="str")}),
            "b": pd.DataFrame({"x": pd.Series(second, dtype="str")})}  # fmt: skip
    mixed = {"a": text["a"], "b": text["b"].assign(x=categorical_text(text["b"]["x"]))}
    want = code_identifiers(text, ("x",)).columns["x"]
    got = code_identifiers(mixed, ("x",)).columns["x"]
    for name in text:
        assert got[name].dtype == want[name].dtype
        assert list(got[name].codes) == list(want[name].codes)
    # a category no row holds is among the shared categories; the rows' values are the same
    unused = {"a": text["a"], "b": text["b"].assign(x=categorical_text(text["b"]["x"], ["zz"]))}
    got = code_identifiers(unused, ("x",)).columns["x"]
    assert "zz" in got["a"].categories
    for name in text:
        assert got[name].astype(object).tolist() == want[name].astype(object).tolist()


def _loaded(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_extracts(folder)


def test_loaded_codes_and_teams_are_categoricals_of_the_files_values(valid_folder) -> None:
    extracts = _loaded(valid_folder)
    for name, frame in extracts.frames().items():
        raw = pd.read_csv(valid_folder / f"{name}.csv", dtype=str, keep_default_na=False)
        SCHEMAS[name].validate(frame)  # categoricals satisfy the published schemas
        for column in category_columns(SPECS[name]):
            values = frame[column]
            if name == "organisation":  # the reference table keeps its text
                assert values.dtype == "str"
                continue
            assert isinstance(values.dtype, pd.CategoricalDtype) and values.dtype.ordered
            assert list(values.cat.categories) == sorted(values.cat.categories)
            expected = raw[column].str.strip().replace("", None).astype("str")
            pd.testing.assert_series_equal(values.astype("str"), expected, check_names=False)
            vocabulary = SPECS[name].field(column).codes
            assert set(vocabulary) <= set(values.cat.categories)
    # every extract's team and linking identifiers are the one coding shared by all extracts
    # (held once, not copied), with the values of the files
    for column in linking_identifiers():
        held = {n: f[column] for n, f in extracts.frames().items() if n != "organisation"
                and column in f.columns}  # fmt: skip
        assert len({str(t.dtype) for t in held.values()}) == 1, column
        for name, values in held.items():
            coded = extracts.identifiers.get(name, extracts.get(name), column)
            assert coded is not None and np.shares_memory(values.array.codes, coded.codes)
            raw = pd.read_csv(valid_folder / f"{name}.csv", dtype=str, keep_default_na=False)
            expected = raw[column].str.strip().replace("", None).astype("str")
            pd.testing.assert_series_equal(values.astype("str"), expected, check_names=False)
    assert extracts.organisation["team"].dtype == "str"


def test_csv_and_parquet_loads_give_equal_frames(valid_folder, tmp_path) -> None:
    from_csv = _loaded(valid_folder)
    # Parquet written from the loaded extracts (dictionary columns) and from text frames
    write_extracts(from_csv, tmp_path / "categorical", file_format="parquet")
    text = {n: f.astype({c: "str" for c in f.columns if f[c].dtype == "category"}) for n, f in
            from_csv.frames().items()}  # fmt: skip
    (tmp_path / "text").mkdir()
    for name, frame in text.items():
        assert not any(isinstance(d, pd.CategoricalDtype) for d in frame.dtypes)
        frame.to_parquet(tmp_path / "text" / f"{name}.parquet", index=False)
    for folder in ("categorical", "text"):
        from_parquet = _loaded(tmp_path / folder)
        for name, frame in from_csv.frames().items():
            pd.testing.assert_frame_equal(from_parquet.get(name), frame)


def test_as_categories_does_not_modify_its_input(valid_frames) -> None:
    frame = valid_frames["visits"].copy()
    before = frame.copy()
    out = as_categories(frame, SPECS["visits"])
    pd.testing.assert_frame_equal(frame, before)
    assert out["visit_type"].dtype == "category" and out["child_id"].dtype == frame["child_id"].dtype


def _failures(call):
    from scorecard.extracts import ExtractValidationError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call()
        except ExtractValidationError as exc:
            return exc.failures, str(exc)
    raise AssertionError("no failure")


def test_parquet_codes_and_teams_read_as_dictionaries_fail_as_text_does(valid_frames, tmp_path):
    """Codes and teams read from Parquet as dictionaries are checked as their text would be:
    the same failures (rows, values, details) as the same frames given as text."""
    from scorecard.extracts import validate_extracts

    frames = {name: frame.copy() for name, frame in valid_frames.items()}
    frames["visits"]["visit_type"] = [" CIN", "XX", "  "]  # spaces, unknown, blank (required)
    frames["visits"]["team"] = ["Team A ", "team a", "Team A"]  # spaces; unknown (case)
    frames["allocations"]["worker_role"] = ["", "boss"]  # blank (nullable), unknown
    frames["cic_reviews"]["participation"] = frames["cic_reviews"]["participation"].str.lower()
    frames["organisation"]["team_type"] = frames["organisation"]["team_type"].str.upper()
    given, given_text = _failures(lambda: validate_extracts(frames))
    columns = ["extract", "column", "check", "detail", "row", "record", "value"]
    for suffix in ("parquet", "csv"):  # (CSV: read by Arrow, the codes dictionary-encoded)
        (tmp_path / suffix).mkdir()
        for name, frame in frames.items():
            path = tmp_path / suffix / f"{name}.{suffix}"
            frame.to_parquet(path, index=False) if suffix == "parquet" else frame.to_csv(
                path, index=False)  # fmt: skip
        read, read_text = _failures(lambda s=suffix: load_extracts(tmp_path / s))
        pd.testing.assert_frame_equal(read[columns], given[columns])
        assert len(read) >= 6 and {"unknown_code", "missing_value", "unknown_team"} <= set(
            read["check"])  # fmt: skip
        # the messages differ only in naming the file instead of <DataFrame> (and CSV lines)
        for name in frames:
            read_text = read_text.replace(str(tmp_path / suffix / f"{name}.{suffix}"),
                                          "<DataFrame>")  # fmt: skip
        if suffix == "parquet":
            assert read_text == given_text
        else:
            assert read["line"].tolist() == [r + 2 for r in read["row"]]


def test_loading_gives_the_c_heaps_free_memory_back(valid_folder, monkeypatch) -> None:
    import sys

    from scorecard.extracts import arrays

    asked = []
    monkeypatch.setattr(arrays, "trim_c_heap", lambda: asked.append(True) or True)
    _loaded(valid_folder)
    assert asked  # release_unused_memory, at the end of loading, asks the C library
    monkeypatch.undo()
    assert arrays.trim_c_heap() is (sys.platform.startswith("linux") and arrays._malloc_trim()
                                    is not None)  # fmt: skip


def test_early_or_late_numbering_of_identifiers_loads_the_same_frames(valid_folder,
                                                                      monkeypatch) -> None:  # fmt: skip
    """Linking identifiers numbered as each extract is checked (large extracts) or only when all
    are coded together (small ones): the loaded frames are the same."""
    from scorecard.extracts import categories

    late = _loaded(valid_folder)
    monkeypatch.setattr(categories, "EARLY_CODING_FROM", 1)
    early = _loaded(valid_folder)
    for name, frame in late.frames().items():
        pd.testing.assert_frame_equal(early.get(name), frame)
    referrals = late.get("referrals")
    assert categories.early_coded(referrals) == linking_identifiers()
    monkeypatch.setattr(categories, "EARLY_CODING_FROM", len(referrals) + 1)
    assert categories.early_coded(referrals) == ()
    monkeypatch.setattr(categories, "EARLY_CODING_FROM", len(referrals))
    assert categories.early_coded(referrals) == linking_identifiers()
