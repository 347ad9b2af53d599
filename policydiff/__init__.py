"""policydiff: how Chinese government plans are inherited from one level to the next.

Library API::

    import policydiff
    doc = policydiff.load("data/shandong-2017-province.txt")
    cmp = policydiff.compare("data/shandong-2017-province.txt", "data/liaocheng-2017-city.md")
    cmp.summary, cmp.to_frame()
"""

from __future__ import annotations

import os
from typing import Any

from .errors import InputError, PolicydiffError
from .model import Comparison, Document, Item, Pair, Sentence

__version__ = "0.1.0"
__all__ = ["load", "compare", "Document", "Item", "Sentence", "Pair", "Comparison", "InputError",
           "PolicydiffError", "Thresholds", "__version__"]


def __getattr__(name: str):
    # Thresholds lives with the aligner; importing it eagerly would load numpy for every command
    if name == "Thresholds":
        from .align import Thresholds

        return Thresholds
    raise AttributeError(name)


def load(source: str | os.PathLike[str] | Document, encoding: str | None = None) -> Document:
    """Read and segment a plan: ``source`` is a path, the plan's text, or a Document already loaded."""
    from .ingest import read_plan, read_text
    from .normalize import normalize
    from .segment import segment

    if isinstance(source, Document):
        return source
    if isinstance(source, os.PathLike) or ("\n" not in source and len(source) < 4096
                                            and (os.path.exists(source) or os.path.splitext(source)[1])):
        raw = read_plan(source, encoding=encoding)
    else:
        raw = read_text(source)
    return segment(normalize(raw), raw)


def compare(parent: str | os.PathLike[str] | Document, child: str | os.PathLike[str] | Document,
            granularity: str = "sentence", thresholds: Any = None) -> Comparison:
    """Compare a parent plan with a child plan: what was copied, localized, adapted, dropped, added.

    ``thresholds`` (a :class:`policydiff.Thresholds`) holds every number the aligner uses.
    """
    from .align import DEFAULT
    from .classify import classify

    return classify(load(parent), load(child), granularity=granularity, thresholds=thresholds or DEFAULT)
