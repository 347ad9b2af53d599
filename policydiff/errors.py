"""Errors the user can act on. The CLI turns them into one line on stderr and exit 2."""

from __future__ import annotations

import sys


class PolicydiffError(Exception):
    """Base class for errors policydiff reports to the user."""

    exit_code = 2


class InputError(PolicydiffError):
    """A file cannot be read as a plan: missing, empty, binary, undecodable, unsupported."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self):
        # worker processes send errors back pickled; the default would call __init__ with
        # the one formatted message and fail, turning bad input into BrokenProcessPool
        return (type(self), (self.path, self.problem))


class OutputError(PolicydiffError):
    """An output path cannot be written safely."""


def note(message: str) -> None:
    """Tell the user something on stderr (one line) without stopping: a duplicate skipped, a cache miss."""
    from .output import one_line

    print(f"policydiff: note: {one_line(message)}", file=sys.stderr)
