"""The library's error classes: every mistake a user can make ends in one of these.

The command line maps them to exit codes without a traceback (``--debug`` shows it):

- :class:`UsageError` (exit 2): the call itself is wrong (a month that is not ``YYYY-MM``, the
  first month after the last, an argument of the wrong kind).
- :class:`DataError` (exit 1): the inputs cannot be used as they are (extracts that fail
  validation, a registry with problems, a results file that cannot be rated, a period the data
  does not cover, an output folder that cannot be written).

Every class here also derives from ``ValueError`` (or ``OSError`` for :class:`OutputError`),
so code written against the built-in classes keeps working.
"""

from __future__ import annotations


class ScorecardError(Exception):
    """Base class of every error the library raises on purpose about a user's input."""

    #: Exit code of the command line for this kind of error.
    exit_code: int = 1


class UsageError(ScorecardError, ValueError):
    """The call is wrong: a bad argument, option or combination of them."""

    exit_code = 2


class DataError(ScorecardError, ValueError):
    """The inputs (extracts, registry, results, coverage) cannot be used as they are."""

    exit_code = 1


class OutputError(ScorecardError, OSError):
    """Outputs could not be written; the previous outputs are left as they were."""

    exit_code = 1
