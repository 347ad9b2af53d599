"""Errors the user can act on. The CLI turns them into one line on stderr and exit 2."""


class PolicydiffError(Exception):
    """Base class for errors policydiff reports to the user."""

    exit_code = 2


class InputError(PolicydiffError):
    """A file cannot be read as a plan: missing, empty, binary, undecodable, unsupported."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class OutputError(PolicydiffError):
    """An output path cannot be written safely."""
