"""The bundled data is generated once, even when several processes (or threads) need it at once."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

import scorecard.extracts
import scorecard.synth
from scorecard import bundled


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Generation replaced by a slow stand-in that records when it ran (and writes nothing)."""
    calls: list[float] = []

    def generate(**_: object) -> dict:
        calls.append(time.monotonic())
        time.sleep(0.3)  # long enough for every waiting thread to reach the lock
        return {}

    monkeypatch.setattr(scorecard.synth, "generate", generate)
    monkeypatch.setattr(scorecard.extracts, "Extracts", lambda **kw: kw)
    monkeypatch.setattr(scorecard.extracts, "write_extracts", lambda *a, **kw: None)
    return calls


def test_two_at_once_generate_once_and_both_get_the_folder(tmp_path: Path, counted) -> None:
    folder = tmp_path / "kent"
    got: list[Path] = []
    threads = [threading.Thread(target=lambda: got.append(bundled.bundled_extracts(folder)))
               for _ in range(3)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [folder] * 3
    assert len(counted) == 1
    assert json.loads((folder / ".generated.json").read_text()) == bundled._settings()
    assert (tmp_path / ".kent.lock").exists()


def test_a_stale_marker_regenerates_and_a_current_one_does_not(tmp_path: Path, counted) -> None:
    folder = tmp_path / "kent"
    folder.mkdir()
    (folder / ".generated.json").write_text(json.dumps({"seed": -1}))
    bundled.bundled_extracts(folder)
    bundled.bundled_extracts(folder)
    assert len(counted) == 1
