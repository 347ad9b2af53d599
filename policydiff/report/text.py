"""Terminal text for corpus results: one line per plan and, under it, why its parent was chosen."""

from __future__ import annotations

from typing import Any


def _why(ev: dict[str, Any] | None) -> str:
    if not ev:
        return ""
    reason = ev["reason"]
    figures = f"covers {ev['covers']:.0%} of its tasks, {ev['derived']:.0%} of this plan derived"
    if reason == "cited":
        quote = " ".join(ev["citation"].split())[:90]
        return f"    cites it ({ev['role']}, by {ev['resolved_by']}): 「{quote}」; {figures}"
    if reason in ("content", "manifest"):
        return f"    {reason}: {figures}; margin {ev['margin']:.2f} over {ev['runner_up'] or 'no rival'}"
    if reason == "duplicate":
        return "    the same plan (copied both ways)"
    if reason == "no-candidate":
        return "    no citation resolved and no candidate of a higher level"
    return (f"    no citation resolved; best candidate {ev['runner_up'] or '?'} covers {ev['runner_up_covers']:.0%}"
            f" of its tasks ({'too little' if reason == 'weak-content' else 'no clear lead'})")


def discovery_lines(plans: list[dict[str, Any]]) -> list[str]:
    """Each plan, its parent (or none) and the evidence for the decision."""
    lines = []
    for p in plans:
        who = f"{p['region'] or '?'} {p['year'] or ''} ({p['level'] or '?'})"
        if p["parent"]:
            lines.append(f"{p['path']}  {who}  ← {p['parent']}  [{p['source']}, score {p['score']:.2f}, "
                         f"margin {p['margin']:.2f}]")
        else:
            hint = f", best {p['runner_up']} at {p['score']:.2f}" if p["runner_up"] else ""
            lines.append(f"{p['path']}  {who}  ← no confident parent{hint}")
        why = _why(p.get("evidence"))
        if why:
            lines.append(why)
        if p.get("versions"):
            lines.append(f"    a later version of {', '.join(p['versions'])}")
    return lines
