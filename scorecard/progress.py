"""Progress of the steps that take time (generating, loading, checking, computing, writing).

The library never prints. A long-running function marks its steps with :func:`step`; whoever
wants to show them installs a callback with :func:`reporting` (the command line connects it to a
progress display on standard error). With no callback, a step costs a function call and nothing
is reported::

    from scorecard import progress

    def show(event: progress.Event) -> None:
        print(event.kind.value, event.label, event.done, event.total, event.seconds)

    with progress.reporting(show):
        card = sc.compute_scorecard("extracts/", "2014-05", "2015-05")

Events: ``started`` when a step begins, ``advanced`` when it reports progress (``done`` of
``total``, and perhaps a new label), ``finished`` (with the seconds it took) or ``failed`` (it
raised). Steps nest (loading the extracts holds one step per file); ``depth`` says how deep.
The callback is held in a context variable: each thread and task has its own (none by default).
This module imports nothing heavy, so that ``scorecard --help`` stays quick.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum


class EventKind(Enum):
    """What happened to a step."""

    STARTED = "started"
    ADVANCED = "advanced"
    FINISHED = "finished"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a step: its ``label``, how far it is (``done`` of ``total``; ``total`` is
    ``None`` when unknown), ``seconds`` since it started, how deeply it is nested (``depth``, 0 at
    the top) and ``key``, the same for every event of one step."""

    kind: EventKind
    label: str
    key: int
    depth: int = 0
    done: int = 0
    total: int | None = None
    seconds: float = 0.0


#: A progress callback: called with every event (it must not raise).
Callback = Callable[[Event], None]

_callback: ContextVar[Callback | None] = ContextVar("scorecard_progress", default=None)
_depth: ContextVar[int] = ContextVar("scorecard_progress_depth", default=0)
_keys = iter(range(1, 2**62))


@dataclass(slots=True)
class Step:
    """A step under way (what :func:`step` yields): :meth:`advance` reports progress."""

    label: str
    total: int | None = None
    done: int = 0
    key: int = 0
    depth: int = 0
    started: float = field(default_factory=time.perf_counter)
    callback: Callback | None = None

    def advance(self, amount: int = 1, label: str | None = None) -> None:
        """``amount`` more of ``total`` done; ``label`` (if given) replaces the step's label."""
        self.done += amount
        if label is not None:
            self.label = label
        self._emit(EventKind.ADVANCED)

    def _emit(self, kind: EventKind) -> None:
        if self.callback is not None:
            seconds = time.perf_counter() - self.started
            self.callback(Event(kind, self.label, self.key, self.depth, self.done, self.total,
                                seconds))  # fmt: skip


@contextmanager
def step(label: str, total: int | None = None) -> Iterator[Step]:
    """Mark a step of work: ``with step("reading referrals.csv"): ...``; the step is reported to
    the callback installed by :func:`reporting` (if any) as started, then finished or failed."""
    callback = _callback.get()
    if callback is None:
        yield Step(label, total)
        return
    depth = _depth.get()
    current = Step(label, total, key=next(_keys), depth=depth, callback=callback)
    current._emit(EventKind.STARTED)
    token = _depth.set(depth + 1)
    try:
        yield current
    except BaseException:
        current._emit(EventKind.FAILED)
        raise
    finally:
        _depth.reset(token)
    current._emit(EventKind.FINISHED)


@contextmanager
def reporting(callback: Callback | None) -> Iterator[None]:
    """Report the steps run inside the block to ``callback`` (``None``: to nobody)."""
    token = _callback.set(callback)
    try:
        yield
    finally:
        _callback.reset(token)


def active() -> bool:
    """Whether a callback is listening (to skip preparing a label nobody will see)."""
    return _callback.get() is not None
