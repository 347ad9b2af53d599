"""regex_cache: compiled regular expressions kept between runs of the command, like bytecode.

The rules tables compile to ~180 patterns, many with CJK character classes
(``[\\u3400-\\u9fff…]``) whose compilation walks every character of the range in Python: about
0.07 s of every ``policydiff`` process, a tenth of a one-pair ``compare``. :func:`install` (called
by the command, never on ``import policydiff``) keeps what CPython's ``re`` compiler produces for
each pattern in a per-user file and hands it straight to the regex engine the next time.

The cache holds the engine's own program for the pattern, keyed by the pattern, its flags and the
exact interpreter build. CPython validates a program before running it: a file damaged by accident
(cut short, garbled) fails to load and its patterns are compiled afresh. It is trusted as the
bytecode in ``__pycache__`` is, and like it lives where only its user writes (a 0700 folder in
their own cache), not in a shared temp folder. Anything unexpected (another interpreter, a
changed compiler, an unwritable cache folder) leaves ``re`` as it was.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import zlib
from pathlib import Path

_VERSION = 1
# the command compiles ~250 patterns over all its paths; more means patterns built from inputs,
# which a cache would only grow with: keep this run's alone
_MAX_ENTRIES = 2000
_installed = False


def cache_file() -> Path:
    """Where the cache lives: ``$XDG_CACHE_HOME/policydiff`` (default ``~/.cache/policydiff``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    build = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{zlib.crc32(sys.version.encode()):08x}"
    return Path(base) / "policydiff" / f"regex-{build}-v{_VERSION}.json"


def install() -> bool:
    """Serve ``re``'s compilations from the cache in this process, and save new ones at exit.

    Returns whether it is installed (False where the interpreter's ``re`` is not the one this
    was written for).
    """
    global _installed
    if _installed:
        return True
    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:
        return False
    path = cache_file()
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(cached, dict):
            cached = {}
    except (OSError, ValueError):
        cached = {}
    fresh: dict[str, list] = {}
    compile_ = _compiler.compile

    def program(pattern: str, flags: int) -> list:
        p = _parser.parse(pattern, flags)
        code = _compiler._code(p, flags)
        indexgroup = [None] * p.state.groups
        for name, k in p.state.groupdict.items():
            indexgroup[k] = name
        return [int(flags | p.state.flags), list(code), p.state.groups - 1, dict(p.state.groupdict), indexgroup]

    def load(pattern: str, entry: list):
        flags, code, groups, groupindex, indexgroup = entry
        return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))

    def compile_cached(p, flags=0):
        if not isinstance(p, str) or not isinstance(flags, int):
            return compile_(p, flags)
        key = f"{int(flags)}\x00{p}"
        entry = cached.get(key)
        if entry is not None:
            try:
                return load(p, entry)
            except Exception:  # noqa: BLE001 - a damaged entry: compile afresh
                cached.pop(key, None)
        entry = program(p, flags)
        fresh[key] = entry
        return load(p, entry)

    # the compiler this was written for must give, through the cache, what it gives itself
    probe = r"(?P<n>[一二三四五六七八九十]+)、(?=[\u4e00-\u9fff])|[（(](\d{1,2})[）)]"
    try:
        mine, theirs = load(probe, program(probe, 0)), compile_(probe, 0)
        text = "总则（3）三、加强"
        same = (mine.pattern, mine.flags, mine.groups, mine.groupindex) == \
            (theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex) and \
            [m.span() for m in mine.finditer(text)] == [m.span() for m in theirs.finditer(text)]
    except Exception:  # noqa: BLE001 - another interpreter's internals: leave re alone
        same = False
    if not same:
        return False
    _compiler.compile = compile_cached
    atexit.register(_save, path, cached, fresh)
    _installed = True
    return True


def _save(path: Path, cached: dict, fresh: dict) -> None:
    """Write the cache with this run's new patterns (atomically, as every output is written); a
    folder we cannot write is no error."""
    if not fresh:
        return
    from .errors import PolicydiffError
    from .output import write_output

    keep = {**cached, **fresh} if len(cached) + len(fresh) <= _MAX_ENTRIES else fresh
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_output(str(path), json.dumps(keep, ensure_ascii=False, separators=(",", ":")))
    except (OSError, PolicydiffError):
        pass


__all__ = ["cache_file", "install"]
