"""The bundled demonstration data: a synthetic Kent-sized county, generated on first use.

The extracts are too large to commit (about 800,000 rows), so ``bundled_extracts()`` generates them
deterministically (seed :data:`SEED`, scale 1) into ``data/kent/`` the first time they are needed,
and reuses them afterwards, with their ``manifest.yaml`` (extracted at the end of May 2015, complete
from 1 April 2011, authority :data:`COUNTY`). A marker file records the generator settings, so a
change of seed, scale, name or generator code regenerates them. Generating is reported as a step
of :mod:`scorecard.progress` (the command line shows it); reusing them is silent. Processes that
need them at once (two first builds, tests run in parallel) take turns on a lock file beside the
folder (``.kent.lock``): one generates, the others wait and then reuse what it wrote.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: no other process is waited for
    fcntl = None  # type: ignore[assignment]

from scorecard.progress import step

# the generator and the extracts are imported by the functions that use them: the command line
# reads COUNTY and LAST_MONTH for its --help without loading them

#: Settings of the bundled data (changing any of them regenerates it and the golden snapshot).
SEED = 2015
SCALE = 1.0
LAST_MONTH = "2015-05"
COUNTY = "Kent"

_MARKER = ".generated.json"


def _repository_data() -> Path:
    return Path(__file__).resolve().parents[1] / "data"


def bundled_folder() -> Path:
    """``data/kent`` in a checkout; else ``$SCORECARD_DATA`` or ``~/.cache/scorecard/kent``."""
    override = os.environ.get("SCORECARD_DATA")
    if override:
        return Path(override)
    data = _repository_data()
    if data.is_dir():
        return data / "kent"
    return Path.home() / ".cache" / "scorecard" / "kent"


def _generator_fingerprint() -> str:
    """A hash of the generator's source: editing the generator regenerates the bundled data.
    Read from its folder without importing it (a build that reuses the data never runs it)."""
    spec = importlib.util.find_spec("scorecard.synth")
    assert spec is not None and spec.origin is not None  # a module of this package
    digest = hashlib.sha256()
    for source in sorted(Path(spec.origin).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _settings() -> dict[str, object]:
    return {"seed": SEED, "scale": SCALE, "last_month": LAST_MONTH, "authority": COUNTY,
            "generator": _generator_fingerprint()}  # fmt: skip


def _is_current(marker: Path) -> bool:
    return marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == _settings()


@contextmanager
def _generating(folder: Path) -> Iterator[None]:
    """Hold the lock file beside ``folder`` (blocking: wait for a process generating it)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with (folder.parent / f".{folder.name}.lock").open("a", encoding="utf-8") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def bundled_extracts(folder: Path | None = None) -> Path:
    """The folder of the bundled extracts, generating them first if they are missing or stale."""
    folder = folder if folder is not None else bundled_folder()
    marker = folder / _MARKER
    if _is_current(marker):
        return folder
    with _generating(folder):
        if _is_current(marker):  # another process generated them while this one waited
            return folder
        from scorecard.extracts import Extracts, write_extracts
        from scorecard.synth import generate, synthetic_manifest

        with step(f"generating the bundled synthetic county into {folder} (first use only)"):
            frames = generate(scale=SCALE, seed=SEED, last_month=LAST_MONTH)
            folder.mkdir(parents=True, exist_ok=True)
            made = synthetic_manifest(scale=SCALE, seed=SEED, last_month=LAST_MONTH)
            made = dataclasses.replace(made, authority=COUNTY)
            write_extracts(Extracts(**frames, manifest=made), folder, file_format="parquet")
            marker.write_text(json.dumps(_settings()), encoding="utf-8")
    return folder
