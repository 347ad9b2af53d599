"""Terminal and tabular views of a Comparison: the quick text diff, CSV rows."""

from __future__ import annotations

from .model import RELATIONS, Comparison, Pair
from .output import csv_text, frame_csv

COLOURS = {"copied": "white", "localized": "cyan", "adapted": "yellow", "dropped": "red", "added": "green"}
MARKS = {"copied": "=", "localized": "≈", "adapted": "~", "dropped": "-", "added": "+"}


def _style(text: str, colour: bool, **kw) -> str:
    if not colour:
        return text
    import click

    return click.style(text, **kw)


def _redline(p: Pair, colour: bool) -> str:
    out = []
    for e in p.edits:
        if e.op == "equal":
            out.append(e.new)
            continue
        if e.localized and not colour:
            out.append(f"[{e.old}→{e.new}]")
            continue
        if e.old:
            out.append(_style(e.old, colour, fg="red", strikethrough=True) if colour else f"[-{e.old}-]")
        if e.new:
            fg = "cyan" if e.localized else "green"
            out.append(_style(e.new, colour, fg=fg, underline=True) if colour else f"{{+{e.new}+}}")
    return "".join(out)


def comparison_text(cmp: Comparison, colour: bool = False, granularity: str = "sentence") -> str:
    """A readable diff grouped by the child's outline items, with summary counts at the end."""
    lines = [
        f"parent: {cmp.parent.title} ({cmp.parent.doc_number or '-'}, {cmp.parent.level} {cmp.parent.region})",
        f"child:  {cmp.child.title} ({cmp.child.doc_number or '-'}, {cmp.child.level} {cmp.child.region})",
        "",
    ]
    if granularity == "item":
        for ip in cmp.items:
            left = f"{ip.parent.path} {ip.parent.title}" if ip.parent else "-"
            right = f"{ip.child.path} {ip.child.title}" if ip.child else "-"
            mark = MARKS.get(ip.relation, "?")
            lines.append(_style(f"{mark} {ip.relation:<9} {ip.score:4.2f}  {left}  →  {right}", colour,
                                fg=COLOURS.get(ip.relation)))
    else:
        current = None
        for p in cmp.pairs:
            where = p.child.item_id if p.child else (p.parent.item_id if p.parent else None)
            doc = cmp.child if p.child else cmp.parent
            if where != current:
                item = doc.item(where)
                lines.append(_style(f"§ {item.path} {item.title}".rstrip(), colour, bold=True))
                current = where
            mark = MARKS[p.relation] + ("↷" if p.moved else " ")
            label = _style(f"{mark} {p.relation:<9}", colour, fg=COLOURS[p.relation])
            if p.relation == "dropped":
                body = _style(p.parent.text, colour, fg="red")
            elif p.relation == "added":
                body = _style(p.child.text, colour, fg="green")
            elif p.relation == "copied" and not p.edits:
                body = p.child.text
            else:
                body = _redline(p, colour)
            extra = ""
            if p.moved:
                extra = f"  (moved from {cmp.parent.item(p.parent.item_id).path})"
            lines.append(f"  {label} {body}{extra}")
    s = cmp.summary
    counts = "  ".join(f"{r} {s[r]}" for r in RELATIONS)
    # sentence coverage, never plain "coverage": the coverage audit's figure counts tasks
    lines += ["", f"summary: {counts}  moved {s['moved']}  句子覆盖率 sentence coverage {s['coverage']:.1%}"]
    return "\n".join(lines) + "\n"


CSV_HEADER = ["relation", "moved", "score", "parent_id", "parent_item", "parent_text", "child_id",
              "child_item", "child_text", "matched_by", "runner_up", "margin", "note_change"]


def comparison_csv(cmp: Comparison) -> str:
    """One row per pair (formula-like cells neutralised)."""
    return frame_csv(cmp.to_frame(), CSV_HEADER)


def items_csv(cmp: Comparison) -> str:
    """One row per item pair."""
    rows = [
        (ip.relation, round(ip.score, 4), ip.parent.path if ip.parent else "", ip.parent.title if ip.parent else "",
         ip.child.path if ip.child else "", ip.child.title if ip.child else "")
        for ip in cmp.items
    ]
    return csv_text(["relation", "score", "parent_item", "parent_title", "child_item", "child_title"], rows)
