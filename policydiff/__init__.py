"""policydiff: how Chinese government plans are inherited from one level to the next.

Library API::

    import policydiff
    doc = policydiff.load("data/shandong-2017-province.txt")
    cmp = policydiff.compare("data/shandong-2017-province.txt", "data/liaocheng-2017-city.md")
    cmp.summary, cmp.to_frame()
    policydiff.compare(policydiff.parse(parent_text), policydiff.parse(child_text))
"""

from __future__ import annotations

import os
from typing import Any

from .errors import InputError, PolicydiffError
from .model import Comparison, Document, Item, Pair, Sentence

__version__ = "0.2.0"
__all__ = ["load", "parse", "compare", "Document", "Item", "Sentence", "Pair", "Comparison", "InputError",
           "PolicydiffError", "Thresholds", "siblings", "depth", "suspects", "open_db", "__version__"]


def siblings(parent: str | os.PathLike[str] | Document, children: list) -> Any:
    """Compare one parent with several children (paths or Documents): see :mod:`policydiff.family`."""
    from .family import siblings as build

    return build(_document(parent), [_document(c) for c in children])


def depth(parent: str | os.PathLike[str] | Document, child: str | os.PathLike[str] | Document,
          grandchildren: list) -> Any:
    """Three-level coverage parent → child → each grandchild (paths or Documents): see ``family.Depth``."""
    from .family import depth as build

    return build(_document(parent), _document(child), [_document(g) for g in grandchildren])


def suspects(old: str | os.PathLike[str] | Document, new: str | os.PathLike[str] | Document,
             child: str | os.PathLike[str] | Document) -> Any:
    """Suspect links of ``child`` (derived from ``old``) once ``new`` replaces it: see :mod:`policydiff.versions`."""
    from .versions import suspects as find

    return find(_document(old), _document(new), _document(child))


def _document(side: str | os.PathLike[str] | Document) -> Document:
    """A Document as given, or the plan loaded from a path."""
    return side if isinstance(side, Document) else load(side)


def __getattr__(name: str):
    # Thresholds lives with the aligner; importing it eagerly would load numpy for every command
    if name == "Thresholds":
        from .align import Thresholds

        return Thresholds
    if name == "open_db":  # sqlite-utils and pandas only for those who read a results database
        from .db import open_db

        return open_db
    raise AttributeError(name)


def load(path: str | os.PathLike[str], encoding: str | None = None) -> Document:
    """Read and segment the plan file at ``path`` (``"-"``: standard input).

    ``path`` is always a path, never the plan's text: a missing file is an
    :class:`InputError` ("no such file"), not a one-line plan. For text, use :func:`parse`.
    """
    from .ingest import read_plan
    from .normalize import normalize
    from .segment import segment

    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"load() takes a path, not {type(path).__name__}; use parse() for text")
    raw = read_plan(path, encoding=encoding)
    return segment(normalize(raw), raw)


def parse(text: str, path: str = "<text>") -> Document:
    """Segment a plan the caller already has as a string; ``path`` names it in results and errors."""
    from .ingest import read_text
    from .normalize import normalize
    from .segment import segment

    raw = read_text(text, path)
    return segment(normalize(raw), raw)


def compare(parent: str | os.PathLike[str] | Document, child: str | os.PathLike[str] | Document,
            granularity: str = "sentence", thresholds: Any = None) -> Comparison:
    """Compare a parent plan with a child plan: what was copied, localized, adapted, dropped, added.

    Each side is a path (see :func:`load`) or a Document (from :func:`load` or :func:`parse`).
    ``thresholds`` (a :class:`policydiff.Thresholds`) holds every number the aligner uses.
    """
    from .align import DEFAULT
    from .classify import classify

    return classify(_document(parent), _document(child), granularity=granularity, thresholds=thresholds or DEFAULT)
