"""One clause pair through the whole engine, for case files (tests/cases/*.json)."""

from __future__ import annotations


def run_case(case: dict) -> str:
    """The relation the engine gives a parent clause when its plan holds only that clause.

    Each clause becomes a one-item plan; the result is copied / localized / adapted, or
    ``unpaired`` when the engine reports the parent clause dropped.
    """
    from . import compare
    from .ingest import read_text
    from .normalize import normalize
    from .segment import segment

    def plan(text: str):
        raw = read_text("某单位工作要点\n" + text.strip() + "\n")
        return segment(normalize(raw), raw)

    cmp = compare(plan(case["parent"]), plan(case["child"]))
    rels = {p.relation for p in cmp.pairs if p.parent is not None}
    for rel in ("copied", "localized", "adapted"):
        if rel in rels:
            return rel
    return "unpaired"
