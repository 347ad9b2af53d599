"""words: jieba words of a clause, for word-level edits.

rjieba (jieba-rs) cuts with jieba's own dictionary and gave the same words as jieba on all
279,753 lines of data/ and ../shared/corpus; it keeps no dictionary cache on disk that another
user could plant (jieba's lived in /tmp). Building its dictionary takes ~0.15 s, holding the GIL:
a one-shot command (``policydiff compare``) spends a fifth of its time there. :func:`preload`
builds it in a second process on the machine's second core while this one reads and aligns the
plans; :func:`cut_many` then gets every word list it needs from that process in one exchange.
The words are the same either way: the same library cuts them with the same dictionary.
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

# HMM off: unknown words are not guessed, so the same text always gives the same words
_HELPER = ("import marshal, sys, rjieba\n"
           "texts = marshal.load(sys.stdin.buffer)\n"
           "sys.stdout.buffer.write(marshal.dumps([rjieba.cut(t, False) for t in texts]))\n")

_helper: subprocess.Popen | None = None


def cut(text: str) -> list[str]:
    """jieba words of ``text`` (deterministic: HMM off)."""
    import rjieba

    return rjieba.cut(text, False)


def preload() -> None:
    """Start building the dictionary in a helper process; the next :func:`cut_many` uses it.

    For one-shot commands on a machine with a core to spare; elsewhere (one core, a notebook that
    cuts many times) the dictionary loaded in this process once is the cheaper path.
    """
    global _helper
    if _helper is not None or "rjieba" in sys.modules or (os.cpu_count() or 1) < 2:
        return
    if getattr(sys, "frozen", False) or not sys.executable:  # no interpreter to start (a bundled app)
        return
    import subprocess

    try:
        # isolated (-I): a module planted in the working folder (rjieba.py) must not be what it imports
        _helper = subprocess.Popen([sys.executable, "-I", "-c", _HELPER], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        _helper = None
    else:
        atexit.register(_stop)


def cut_many(texts: Iterable[str]) -> dict[str, list[str]]:
    """Words of each text, by text: from the preloaded helper if there is one, else in this process."""
    unique = sorted(set(texts))
    if not unique:
        return {}  # a helper nobody asked yet stays for the next call
    helper = _take_helper()
    if helper is not None:
        try:
            out, _ = helper.communicate(marshal.dumps(unique))
            cuts = marshal.loads(out) if helper.returncode == 0 else None
        except (OSError, EOFError, ValueError, TypeError):
            cuts = None
        if isinstance(cuts, list) and len(cuts) == len(unique):
            return dict(zip(unique, cuts, strict=True))
    # no helper, or it failed (no interpreter left, killed): the same words, cut here
    return {t: cut(t) for t in unique}


def _stop() -> None:
    """A helper nobody asked for words (plans without a reworded clause) ends with this process."""
    helper = _take_helper()
    if helper is not None:
        helper.kill()
        helper.wait()


def _take_helper() -> subprocess.Popen | None:
    global _helper
    helper, _helper = _helper, None
    return helper


__all__ = ["cut", "cut_many", "preload"]
