"""Publishing a build's outputs all at once: a reader sees the previous complete set or the new one.

The layout of an output folder (``scorecard build --out OUT``)::

    OUT/
      scorecard_2015-05.xlsx          -> current/scorecard_2015-05.xlsx   (symbolic links)
      scorecard_2015-05.html          -> current/scorecard_2015-05.html
      scorecard_2015-05_results.csv   -> current/...
      scorecard_2015-05_data_quality.csv -> current/...
      scorecard_2015-05_manifest.json -> current/scorecard_2015-05_manifest.json
      current -> .builds/20261204T173012123456Z-2015-05-4242       (the latest complete build)
      .builds/<build id>/             every file of one build and its manifest; never changed
      .builds/<build id>.partial/     a build being written (removed by the next build if left over)
      .lock                           held (``flock``) by the build writing into OUT

A build writes every file into ``.builds/<id>.partial/``, flushes each to disk (``fsync``),
writes the manifest last (library version, registry and extracts fingerprints, options, time and
the SHA-256 of every file), renames the folder to ``.builds/<id>/`` and then switches ``current``
to it with one atomic ``rename``: the commit point. The names at the top of ``OUT`` are links
through ``current``, so they switch together with it; a name of the previous build that the new
one does not have (another month) is left dangling for an instant and then removed. Killed at
any moment (even ``SIGKILL`` or a power cut after the ``fsync``), the folder therefore holds the
previous complete set or the new complete set; what a killed build left behind (a ``.partial``
folder, a dangling link) is removed by the next build. The last :data:`KEEP_BUILDS` builds are
kept in ``.builds/`` (a reader that resolved ``current`` just before a switch can finish reading).

Files written by versions that wrote straight into ``OUT`` are taken over on the first build
when it has files of the same names: hard-linked into a build folder of their own (named as built
in 1970, so that it is pruned first) that ``current`` points to, then replaced by links to the
same content, so that they too switch in one step. Other such files are left alone.

Only one build writes into ``OUT`` at a time: a second one fails at once with
:class:`~scorecard.errors.OutputError` (the lock is released by the system when a build dies, so a
killed build never leaves a stale lock). Any ``OSError`` (read-only folder, full disk, missing
permission) becomes an :class:`~scorecard.errors.OutputError` saying what failed; the previous
outputs are left as they were. Needs a POSIX system (``fcntl``, symbolic links).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scorecard.errors import OutputError
from scorecard.progress import step as progress_step

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system
    fcntl = None  # type: ignore[assignment]

#: Completed builds kept in ``.builds/`` (the current one included).
KEEP_BUILDS = 3
BUILDS = ".builds"
CURRENT = "current"
LOCK = ".lock"
PARTIAL = ".partial"
MANIFEST_FORMAT = 1

#: A writer writes one output file at the path it is given.
Writer = Callable[[Path], object]


@dataclass(frozen=True)
class Published:
    """Where a build was published: the folder, its build id and each file's path in ``OUT``."""

    out: Path
    build: str
    paths: dict[str, Path]
    manifest: dict[str, Any]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(root: Path, files: Iterable[Path]) -> str:
    """SHA-256 over the names (relative to ``root``) and contents of ``files``, in name order."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(sha256_of(path).encode("ascii") + b"\n")
    return digest.hexdigest()


def folder_fingerprint(folder: Path) -> tuple[str, int]:
    """``(fingerprint, number of files)`` of the regular files under ``folder`` (hidden ones and
    anything that is not a regular file skipped)."""
    files = [
        p
        for p in folder.rglob("*")
        if not any(part.startswith(".") for part in p.relative_to(folder).parts) and p.is_file()
    ]
    return fingerprint(folder, files), len(files)


def new_build_id(label: str, now: datetime) -> str:
    """``<UTC time to the microsecond>Z-<label>-<process id>``: sorts in build order."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", label)[:40]
    return f"{now:%Y%m%dT%H%M%S%f}Z-{safe}-{os.getpid()}"


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot sync a directory; the data is synced
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def _describe(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    name = exc.filename
    return f"{what} ({Path(name).name})" if name else what


_HELD: dict[Path, int] = {}


@contextmanager
def output_lock(out: Path | str) -> Iterator[None]:
    """Hold ``OUT/.lock`` for the duration; fail at once if another build holds it.

    Re-entrant within a process: the command line takes the lock before computing (so that a
    second build fails at once), and :func:`publish` takes it again to write.
    """
    out = Path(out)
    if fcntl is None:  # pragma: no cover - not a POSIX system
        raise OutputError("publishing a build needs a POSIX system (file locks, symbolic links)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        key = out.resolve()
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {_describe(exc)}") from exc
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    path = out / LOCK
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {out}: {_describe(exc)}") from exc
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            by = f" (process {holder})" if holder.isdigit() else ""
            raise OutputError(
                f"another scorecard build is writing to {out}{by}; nothing was written: "
                "try again when it has finished"
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        except OSError as exc:
            raise OutputError(f"cannot write to the output folder {out}: {_describe(exc)}") from exc
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _ours(link: Path) -> bool:
    """A top-level name of ``OUT`` that is one of our links through ``current``."""
    return link.is_symlink() and os.readlink(link).startswith(f"{CURRENT}/")


def _remove_leftovers(out: Path) -> None:
    """Remove what a killed build left: ``.partial`` folders and dangling links of ours."""
    builds = out / BUILDS
    if builds.is_dir():
        for entry in builds.iterdir():
            if entry.name.endswith(PARTIAL) or entry.name.startswith(".tmp"):
                shutil.rmtree(entry, ignore_errors=True)
    for entry in out.iterdir():
        stale_tmp = entry.name.startswith(".tmp-") and entry.is_symlink()
        if stale_tmp or (_ours(entry) and not entry.exists()):
            entry.unlink()


def _prune(out: Path, keep: int) -> None:
    builds = out / BUILDS
    current = os.readlink(out / CURRENT).split("/")[-1]
    done = sorted(e.name for e in builds.iterdir() if e.is_dir() and not e.name.endswith(PARTIAL))
    for name in done[: max(len(done) - keep, 0)]:
        if name != current:
            shutil.rmtree(builds / name, ignore_errors=True)


def _swap_link(out: Path, name: str, target: str, build: str) -> None:
    """Point ``OUT/name`` at ``target`` in one atomic step (a new link renamed over the old)."""
    tmp = out / f".tmp-{build}-{name}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, out / name)


def _take_over_previous(out: Path, names: Iterable[str], build: str) -> None:
    """Files a version without ``current`` wrote straight into OUT become a build of their own."""
    if (out / CURRENT).is_symlink():
        return
    regular = [n for n in names if (out / n).is_file() and not (out / n).is_symlink()]
    if not regular:
        return
    previous = out / BUILDS / new_build_id("previous", datetime.fromtimestamp(0, UTC))
    previous.mkdir()
    for name in regular:
        try:
            os.link(out / name, previous / name)
        except OSError:
            shutil.copy2(out / name, previous / name)
    _fsync_dir(previous)
    _swap_link(out, CURRENT, f"{BUILDS}/{previous.name}", build)
    for name in regular:  # same content before and after: a reader sees no change
        _swap_link(out, name, f"{CURRENT}/{name}", build)


def publish(
    out: Path | str,
    files: Mapping[str, Writer],
    manifest: Mapping[str, Any],
    *,
    manifest_name: str,
    build: str | None = None,
    keep: int = KEEP_BUILDS,
    now: datetime | None = None,
) -> Published:
    """Write ``files`` (``{file name: writer}``) and the manifest as ONE new build of ``out``.

    Each writer is called with the path to write its file at (inside the build's temporary
    folder). The manifest written is ``manifest`` plus ``build``, ``created_utc`` and ``files``
    (``{name: {"sha256", "bytes"}}``), as JSON named ``manifest_name``. ``build`` is the build's
    id (default: :func:`new_build_id` of the time). Raises
    :class:`OutputError` when the outputs cannot be written (the previous ones stay as they were).
    """
    folder = Path(out)
    when = now or datetime.now(UTC)
    build = build or new_build_id("build", when)
    if manifest_name in files:
        raise ValueError(f"{manifest_name} is the manifest's name; no output may have it")
    with output_lock(folder):
        staging = folder / BUILDS / f"{build}{PARTIAL}"
        step = "preparing the output folder"
        try:
            _remove_leftovers(folder)
            (folder / BUILDS).mkdir(exist_ok=True)
            staging.mkdir()
            recorded: dict[str, dict[str, Any]] = {}
            for name, write in files.items():
                step = f"writing {name}"
                with progress_step(step):
                    write(staging / name)
                _fsync_file(staging / name)
                recorded[name] = {
                    "sha256": sha256_of(staging / name),
                    "bytes": (staging / name).stat().st_size,
                }
            step = f"writing {manifest_name}"
            record = {
                **manifest,
                "build": build,
                "created_utc": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "files": recorded,
            }
            text = json.dumps(record, indent=2, sort_keys=False, default=str) + "\n"
            (staging / manifest_name).write_text(text, encoding="utf-8")
            _fsync_file(staging / manifest_name)
            _fsync_dir(staging)
            step = "moving the new outputs into place"
            final = folder / BUILDS / build
            os.rename(staging, final)
            _fsync_dir(folder / BUILDS)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(
                f"could not write the outputs to {folder}: {_describe(exc)} while {step}; "
                "the previous outputs are left as they were"
            ) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        names = [*files, manifest_name]
        try:
            _take_over_previous(folder, names, build)
            for name in names:  # dangling until the switch, unless the previous build has it
                entry = folder / name
                if not (_ours(entry) and os.readlink(entry) == f"{CURRENT}/{name}"):
                    _swap_link(folder, name, f"{CURRENT}/{name}", build)
            _swap_link(folder, CURRENT, f"{BUILDS}/{build}", build)  # the commit point
            _fsync_dir(folder)
        except OSError as exc:
            raise OutputError(
                f"could not switch {folder} to the new outputs: {_describe(exc)}; the folder "
                f"still shows the previous outputs (the new ones are in {final})"
            ) from exc
        try:  # tidying up: the new outputs are already in place
            _remove_leftovers(folder)
            _prune(folder, keep)
        except OSError:
            pass
    return Published(folder, build, {name: folder / name for name in names}, record)


def read_published(out: Path | str, manifest_name: str | None = None) -> dict[str, Any]:
    """The manifest of the build ``OUT`` shows, after checking that every name at the top of
    ``OUT`` that resolves is a file of that build with the recorded size and SHA-256, and that
    every file of the build is there. Raises :class:`OutputError` otherwise."""
    folder = Path(out)
    current = folder / CURRENT
    if not current.is_symlink() or not current.is_dir():
        raise OutputError(f"{folder} holds no published build ({CURRENT} is missing)")
    manifests = [p for p in current.iterdir() if p.name.endswith("_manifest.json")]
    if manifest_name is not None:
        manifests = [p for p in manifests if p.name == manifest_name]
    if len(manifests) != 1:
        raise OutputError(f"{current} has {len(manifests)} manifests, not one")
    record = json.loads(manifests[0].read_text(encoding="utf-8"))
    expected = {**record["files"], manifests[0].name: None}
    if {p.name for p in current.iterdir()} != set(expected):
        raise OutputError(f"{current} does not hold exactly the files of its manifest")
    shown = {p.name for p in folder.iterdir() if _ours(p) and p.exists()}
    if shown != set(expected):
        raise OutputError(
            f"{folder} shows {sorted(shown)}, not the files of build {record['build']}"
        )
    for name, facts in record["files"].items():
        path = folder / name
        if path.stat().st_size != facts["bytes"] or sha256_of(path) != facts["sha256"]:
            raise OutputError(f"{name} differs from the manifest of build {record['build']}")
    return record
