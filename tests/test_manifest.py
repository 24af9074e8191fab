"""The folder manifest (scorecard.extracts.manifest): read safely, written, inferred with a warning."""

from __future__ import annotations

import datetime as dt
import os
import warnings
from dataclasses import replace

import pytest

from scorecard.errors import DataError
from scorecard.extracts import (
    ExtractWarning,
    Manifest,
    ManifestError,
    load_extracts,
    read_manifest,
    validate_extracts,
    write_extracts,
)
from scorecard.extracts.manifest import MAX_MANIFEST_BYTES, infer_manifest, parse_manifest
from tests.extracts.conftest import VALID_CSV, frame_of, write_folder

GOOD = """# taken by the nightly job
extraction_date: 2015-05-31
first_date_covered: 2014-06-01
source: "CMS monthly extract"
"""


def test_read_a_hand_written_manifest(tmp_path):
    (tmp_path / "manifest.yaml").write_text(GOOD, encoding="utf-8")
    manifest = read_manifest(tmp_path)
    assert manifest == Manifest(dt.date(2015, 5, 31), dt.date(2014, 6, 1), "CMS monthly extract")
    assert manifest.inferred is False


def test_quoted_dates_and_notes_are_accepted():
    text = "extraction_date: '2015-05-31'\nfirst_date_covered: \"2011-04-01\"\nnotes: re-run\n"
    manifest = parse_manifest(text)
    assert (manifest.extraction_date, manifest.first_date_covered) == (
        dt.date(2015, 5, 31), dt.date(2011, 4, 1))  # fmt: skip
    assert manifest.notes == "re-run" and manifest.source is None


def test_no_manifest_file_reads_as_none(tmp_path):
    assert read_manifest(tmp_path) is None


def test_write_then_read_gives_the_same_manifest(tmp_path):
    manifest = Manifest(dt.date(2015, 5, 31), dt.date(2011, 4, 1), "a: source # with 'quotes'")
    extracts = validate_extracts({name: frame_of(text) for name, text in VALID_CSV.items()})
    written = write_extracts(replace(extracts, manifest=manifest), tmp_path / "out")
    assert tmp_path / "out" / "manifest.yaml" in written
    assert read_manifest(tmp_path / "out") == manifest
    with warnings.catch_warnings(record=True) as record:  # nothing inferred: no warning
        warnings.simplefilter("always")
        loaded = load_extracts(tmp_path / "out")
    assert [str(w.message) for w in record] == []
    assert loaded.manifest == manifest


def test_an_inferred_manifest_is_not_written(tmp_path):
    inferred = Manifest(dt.date(2015, 5, 31), dt.date(2014, 1, 1), inferred=True)
    extracts = validate_extracts({name: frame_of(text) for name, text in VALID_CSV.items()})
    written = write_extracts(replace(extracts, manifest=inferred), tmp_path / "out")
    assert not (tmp_path / "out" / "manifest.yaml").exists()
    assert all(p.suffix == ".csv" for p in written)


def test_absent_manifest_is_inferred_with_a_warning(tmp_path):
    """By hand from VALID_CSV: the dating dates (each extract's dated_by column) run from
    2014-01-01 (workforce POST1 start_date) to 2015-05-15 (visit V3); the extraction date is the
    end of that month, 2015-05-31; the first date covered is 2014-01-01."""
    folder = write_folder(tmp_path / "x", VALID_CSV)
    with pytest.warns(ExtractWarning, match="no manifest.yaml; inferred from the records"):
        extracts = load_extracts(folder)
    assert extracts.manifest == Manifest(
        dt.date(2015, 5, 31), dt.date(2014, 1, 1),
        "not recorded (no manifest.yaml: inferred from the records)", inferred=True,
    )  # fmt: skip


def test_inferred_extraction_date_is_never_after_as_of(tmp_path):
    """as_of 2015-05-20 is before the end of May: the extraction date is 2015-05-20."""
    folder = write_folder(tmp_path / "x", VALID_CSV)
    with pytest.warns(ExtractWarning, match="extraction date 2015-05-20"):
        extracts = load_extracts(folder, as_of="2015-05-20")
    assert extracts.manifest is not None
    assert extracts.manifest.extraction_date == dt.date(2015, 5, 20)


def test_nothing_dated_infers_nothing():
    only = validate_extracts({"organisation": frame_of(VALID_CSV["organisation"])})
    assert infer_manifest(only) is None


def test_manifest_file_is_not_taken_for_an_unknown_extract(tmp_path, recwarn):
    folder = write_folder(tmp_path / "x", VALID_CSV)
    (folder / "manifest.yaml").write_text(GOOD, encoding="utf-8")
    extracts = load_extracts(folder)
    assert extracts.unknown_files == ()
    assert not [w for w in recwarn if "not extracts" in str(w.message)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "extracted_by: me\n", "line 5: unknown key 'extracted_by'"),
        ("first_date_covered: 2014-06-01\n", "key 'extraction_date' is missing"),
        (
            "extraction_date: 31/05/2015\nfirst_date_covered: 2014-06-01\n",
            "line 1: key 'extraction_date': '31/05/2015' is not a date (YYYY-MM-DD)",
        ),
        (
            "extraction_date: 2015-5-31\nfirst_date_covered: 2014-06-01\n",
            "'2015-5-31' is not a date (YYYY-MM-DD)",
        ),
        (
            "extraction_date: 2015-02-30\nfirst_date_covered: 2014-06-01\n",
            "'2015-02-30' is not a date",
        ),
        (
            "extraction_date: 2015-05-31\nfirst_date_covered: 2015-06-01\n",
            "line 2: key 'first_date_covered': 2015-06-01 is after the extraction_date 2015-05-31",
        ),
        (
            "extraction_date: 2015-05-31\nextraction_date: 2015-05-30\nfirst_date_covered: 2014-06-01\n",
            "line 2: key 'extraction_date' given twice",
        ),
        (
            "extraction_date: [2015-05-31]\nfirst_date_covered: 2014-06-01\n",
            "line 1: key 'extraction_date': a single value is expected",
        ),
        ("- 2015-05-31\n", "a manifest is a mapping"),
        (
            "extraction_date: 2015-05-31\nfirst_date_covered: 2014-06-01\nsource: 12\n",
            "line 3: key 'source': 12 is not text",
        ),
        (
            "extraction_date: &d 2015-05-31\nfirst_date_covered: *d\n",
            "line 1: YAML anchors and aliases are not allowed",
        ),
        ("extraction_date: 2015-05-31\n  first_date_covered: [\n", "not valid YAML"),
    ],
)
def test_bad_manifests_name_file_line_and_key(tmp_path, text, expected):
    (tmp_path / "manifest.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        read_manifest(tmp_path)
    assert isinstance(caught.value, DataError)
    assert str(caught.value).startswith(f"{tmp_path / 'manifest.yaml'}: ")
    assert expected in str(caught.value)


def test_every_problem_is_listed_at_once():
    with pytest.raises(ManifestError) as caught:
        parse_manifest("extraction_date: soon\nwho: me\n")
    message = str(caught.value)
    assert "unknown key 'who'" in message and "'soon' is not a date" in message
    assert "'first_date_covered' is missing" in message


def test_an_alias_bomb_fails_fast(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (tmp_path / "manifest.yaml").write_text(bomb, encoding="utf-8")
    with pytest.raises(ManifestError, match="anchors and aliases are not allowed"):
        read_manifest(tmp_path)


def test_a_large_file_is_not_read(tmp_path):
    (tmp_path / "manifest.yaml").write_text("#" * (MAX_MANIFEST_BYTES + 1), encoding="utf-8")
    with pytest.raises(ManifestError, match="more than a manifest's"):
        read_manifest(tmp_path)


def test_a_directory_or_fifo_is_not_read(tmp_path):
    (tmp_path / "manifest.yaml").mkdir()
    with pytest.raises(ManifestError, match="not a regular file"):
        read_manifest(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    os.mkfifo(other / "manifest.yaml")
    with pytest.raises(ManifestError, match="not a regular file"):
        read_manifest(other)


def test_a_link_out_of_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(GOOD, encoding="utf-8")
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "manifest.yaml").symlink_to(outside)
    with pytest.raises(ManifestError, match="links outside the extract folder"):
        read_manifest(folder)
    dangling = tmp_path / "y"
    dangling.mkdir()
    (dangling / "manifest.yaml").symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(ManifestError):
        read_manifest(dangling)


def test_not_utf8_names_the_line(tmp_path):
    (tmp_path / "manifest.yaml").write_bytes(b"extraction_date: 2015-05-31\nsource: caf\xe9\n")
    with pytest.raises(ManifestError, match="line 2: not UTF-8"):
        read_manifest(tmp_path)


def test_manifest_objects_check_their_dates():
    with pytest.raises(TypeError):
        Manifest("2015-05-31", dt.date(2014, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="after extraction_date"):
        Manifest(dt.date(2015, 5, 31), dt.date(2015, 6, 1))


def test_loading_a_folder_with_a_broken_manifest_fails(tmp_path):
    folder = write_folder(tmp_path / "x", VALID_CSV)
    (folder / "manifest.yaml").write_text("extraction_date: 2015-05-31\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="first_date_covered' is missing"):
        load_extracts(folder)
