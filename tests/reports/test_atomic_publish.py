"""Publishing all at once (scorecard.reports.publish), with small fake outputs: the layout, a
write error, the lock, and a crash at every step of a publish."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from scorecard.errors import OutputError
from scorecard.reports import publish as pub
from scorecard.reports.publish import output_lock, publish, read_published


def _writers(texts: dict[str, str]) -> dict[str, pub.Writer]:
    def writer(text: str) -> pub.Writer:
        return lambda path: path.write_text(text, encoding="utf-8")

    return {name: writer(text) for name, text in texts.items()}


def _publish(out: Path, month: str, version: str, **kwargs: object) -> pub.Published:
    """A fake build of ``month``: three files whose content says which build they belong to."""
    files = {f"m{month}.html": f"html {version}", f"m{month}.csv": f"csv {version}",
             f"m{month}.xlsx": f"xlsx {version}"}  # fmt: skip
    return publish(out, _writers(files), {"version": version},
                   manifest_name=f"m{month}_manifest.json", **kwargs)  # fmt: skip


def _shown(out: Path) -> dict[str, str]:
    """What a reader of OUT sees: every name at its top that is a readable file, with content."""
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in out.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith("manifest.json")
    }


def test_a_build_replaces_the_previous_set_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _publish(out, "05", "one")
    assert _shown(out) == {"m05.html": "html one", "m05.csv": "csv one", "m05.xlsx": "xlsx one"}
    assert read_published(out)["build"] == first.build
    # the same month again: same names, new content; then another month: the old names go
    second = _publish(out, "05", "two")
    assert _shown(out) == {"m05.html": "html two", "m05.csv": "csv two", "m05.xlsx": "xlsx two"}
    third = _publish(out, "06", "three")
    assert _shown(out) == {"m06.html": "html three", "m06.csv": "csv three",
                           "m06.xlsx": "xlsx three"}  # fmt: skip
    manifest = read_published(out)
    assert manifest["build"] == third.build and manifest["version"] == "three"
    assert os.readlink(out / "m06.csv") == "current/m06.csv"
    # KEEP_BUILDS (3) builds are kept: the three above
    builds = sorted(p.name for p in (out / ".builds").iterdir())
    assert builds == sorted([first.build, second.build, third.build])
    _publish(out, "06", "four")
    assert first.build not in {p.name for p in (out / ".builds").iterdir()}


def test_the_manifest_records_each_file_hash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out, "05", "one")
    manifest = json.loads((out / "m05_manifest.json").read_text(encoding="utf-8"))
    # sha256 and length of the literal bytes "csv one", computed here independently
    assert manifest["files"]["m05.csv"] == {
        "sha256": hashlib.sha256(b"csv one").hexdigest(), "bytes": 7,
    }  # fmt: skip
    assert set(manifest) >= {"build", "created_utc", "files", "version"}


def test_a_write_error_leaves_the_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _publish(out, "05", "one")

    def full_disk(path: Path) -> None:
        path.write_text("half a fi", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    files = {**_writers({"m05.html": "html two"}), "m05.csv": full_disk}
    with pytest.raises(OutputError) as caught:
        publish(out, files, {}, manifest_name="m05_manifest.json")
    assert str(caught.value) == (
        f"could not write the outputs to {out}: No space left on device (m05.csv) while writing "
        "m05.csv; the previous outputs are left as they were"
    )
    assert read_published(out)["build"] == before.build
    assert _shown(out) == {"m05.html": "html one", "m05.csv": "csv one", "m05.xlsx": "xlsx one"}
    assert not [p for p in (out / ".builds").iterdir() if p.name.endswith(".partial")]


def test_a_second_build_fails_at_once_while_the_folder_is_locked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out, "05", "one")
    to_parent, from_child = os.pipe()
    to_child, from_parent = os.pipe()
    child = os.fork()
    if child == 0:  # another process holds the lock until told to stop
        try:
            with output_lock(out):
                os.write(from_child, b"locked")
                os.read(to_child, 1)
        finally:
            os._exit(0)
    try:
        assert os.read(to_parent, 6) == b"locked"
        with pytest.raises(OutputError) as caught:
            _publish(out, "05", "two")
        assert str(caught.value) == (
            f"another scorecard build is writing to {out} (process {child}); nothing was "
            "written: try again when it has finished"
        )
        assert _shown(out)["m05.csv"] == "csv one"
    finally:
        os.write(from_parent, b"x")
        os.waitpid(child, 0)
    _publish(out, "05", "three")  # released when the holder ends
    assert _shown(out)["m05.csv"] == "csv three"


def test_files_written_straight_into_the_folder_are_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "m05.csv").write_text("old csv", encoding="utf-8")
    (out / "m04.csv").write_text("april", encoding="utf-8")
    _publish(out, "05", "new")
    assert _shown(out) == {"m05.html": "html new", "m05.csv": "csv new", "m05.xlsx": "xlsx new",
                           "m04.csv": "april"}  # fmt: skip
    assert read_published(out)["version"] == "new"


# Crash at every step: a child process publishes and is stopped dead (os._exit, as SIGKILL would)
# at the k-th file-system operation, for k = 1, 2, ... until a publish runs to its end.
_STEPS = ("rename", "replace", "symlink", "fsync", "unlink", "mkdir", "link")


def _crash_at(k: int, out: Path, month: str) -> int:
    child = os.fork()
    if child == 0:
        count = 0
        for name in _STEPS:
            real = getattr(os, name)

            def step(*args: object, _real=real, **kwargs: object) -> object:
                nonlocal count
                count += 1
                if count == k:
                    os._exit(9)
                return _real(*args, **kwargs)

            setattr(os, name, step)
        try:
            _publish(out, month, f"crash{k}")
        finally:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.parametrize("month", ["05", "06"], ids=["same_month", "next_month"])
def test_a_crash_at_any_step_leaves_the_old_set_or_the_new_one(tmp_path: Path, month: str) -> None:
    out = tmp_path / "out"
    _publish(out, "05", "old")
    old_view = _shown(out)
    outcomes = []
    for k in range(1, 200):
        code = _crash_at(k, out, month)
        view = _shown(out)
        manifest = read_published(out)  # checks sizes and hashes against the manifest
        version = manifest["version"]
        assert version in ("old", f"crash{k}"), version
        shown_month = "05" if version == "old" else month
        assert set(view) == {f"m{shown_month}{ext}" for ext in (".html", ".csv", ".xlsx")}
        assert all(text.endswith(version) for text in view.values())
        outcomes.append(version == f"crash{k}")
        if code == 0:
            break
        # put the old set back for the next crash point
        _publish(out, "05", "old")
        assert _shown(out) == old_view
    assert outcomes[-1] and not outcomes[0]  # the last run published; the first crashed early
    assert len(outcomes) > 10
    leftovers = [p.name for p in (out / ".builds").iterdir() if p.name.endswith(".partial")]
    assert leftovers == []  # each publish removed what the crashed one left
