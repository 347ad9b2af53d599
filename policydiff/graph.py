"""graph: comparisons of many plans → a networkx graph of who inherited what.

Nodes are documents (``doc:<path>``) and clauses (``clause:<path>#<sentence id>``). Edges run
from parent to child: document → document (``inherits`` or ``duplicate``, with the comparison's
summary) and clause → clause (relation, score, moved). A clause's lineage (:func:`trace`)
follows these edges down the levels and back up to where the clause first appears.
"""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from .corpus import Corpus


TRACE_MIN_SCORE = 70  # partial_ratio (0–100) a clause needs to match a trace query
TRACE_MIN_SHARE = 0.4  # … and the clause is at least this share of the query's length (a query may be a fragment)


def doc_node(path: str) -> str:
    return f"doc:{path}"


def clause_node(path: str, sid: str) -> str:
    return f"clause:{path}#{sid}"


def build_graph(corpus: Corpus) -> nx.DiGraph:
    """Documents and clauses as nodes; inheritance edges with relation and score."""
    g = nx.DiGraph()
    for e in corpus.entries:
        doc = corpus.docs[e.path]
        g.add_node(doc_node(e.path), kind="document", path=e.path, title=doc.title, level=e.level or "",
                   region=e.region or "", year=e.year or 0, doc_number=e.doc_number or "")
        for s in doc.sentences:
            g.add_node(clause_node(e.path, s.id), kind="clause", document=e.path, sentence=s.id,
                       item=doc.item(s.item_id).path, text=s.text)
    lineage = getattr(corpus, "lineage", None)
    for child, cites in sorted(lineage.cites.items()) if lineage else ():
        for c, path, by in cites:  # citation edges, apart from the inheritance edges added below
            if path and path != child:
                g.add_edge(doc_node(path), doc_node(child), kind="cites", role=c.role, resolved_by=by, title=c.title)
    for parent, child, kind in corpus.edges():
        r = corpus.results[(parent, child)]
        attrs = {k: v for k, v in r.summary.items() if isinstance(v, int | float)}
        g.add_edge(doc_node(parent), doc_node(child), kind=kind, derived=r.derived, **attrs)
        for relation, moved, score, psid, csid in r.pairs:
            if psid and csid:
                g.add_edge(clause_node(parent, psid), clause_node(child, csid), kind="clause",
                           relation=relation, moved=bool(moved), score=float(score))
    return g


def write_graphml(g: nx.DiGraph) -> str:
    """GraphML text of the graph (characters XML cannot hold, e.g. in a file name, dropped)."""
    import io

    from .output import xml_text

    def clean(v: Any) -> Any:
        return xml_text(v) if isinstance(v, str) else v

    safe = nx.DiGraph()
    safe.add_nodes_from((clean(n), {k: clean(v) for k, v in d.items()}) for n, d in g.nodes(data=True))
    safe.add_edges_from((clean(u), clean(v), {k: clean(x) for k, x in d.items()}) for u, v, d in g.edges(data=True))
    buf = io.BytesIO()
    nx.write_graphml(safe, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def node_link_json(g: nx.DiGraph) -> str:
    """Node-link JSON of the graph."""
    data = nx.node_link_data(g, edges="links")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --- trace ----------------------------------------------------------------------------------

def _find_clause(corpus: Corpus, query: str) -> str | None:
    g = corpus.graph
    m = re.fullmatch(r"(.+)#(s\d+)", query)
    if m:
        node = clause_node(os.path.normpath(m.group(1)), m.group(2))
        return node if node in g else None
    levels = {e.path: e.level for e in corpus.entries}
    from .model import LEVELS

    def rank(path: str) -> int:
        return LEVELS.index(levels[path]) if levels.get(path) in LEVELS else 9

    order = {e.path: n for n, e in enumerate(corpus.entries)}
    m = re.fullmatch(r"(?:(.+):)?(\d+(?:\.\w+)*)", query)
    if m:  # an item path, optionally prefixed by a file
        want = os.path.normpath(m.group(1)) if m.group(1) else None
        hits = [n for n, d in g.nodes(data=True) if d.get("kind") == "clause" and d["item"] == m.group(2)
                and (want is None or d["document"] == want)]
        hits.sort(key=lambda n: (rank(g.nodes[n]["document"]), order[g.nodes[n]["document"]],
                                 int(g.nodes[n]["sentence"][1:])))
        return hits[0] if hits else None
    from rapidfuzz import fuzz, process

    nodes = [n for n, d in g.nodes(data=True) if d.get("kind") == "clause"]
    texts = [g.nodes[n]["text"] for n in nodes]
    scores = process.cdist([query], texts, scorer=fuzz.partial_ratio, workers=1)[0]
    # a partial match only counts when the clause is not a fragment of the query: a one-word cover
    # line (「文件」) is contained in any query, and says nothing about it
    lengths = [len(x) for x in texts]
    scores = [sc if n >= TRACE_MIN_SHARE * len(query) else 0.0 for sc, n in zip(scores, lengths, strict=True)]
    best = max(scores) if len(scores) else 0
    if best < TRACE_MIN_SCORE:
        return None
    tied = [n for n, s in zip(nodes, scores, strict=True) if s >= best - 0.5]
    tied.sort(key=lambda n: (-fuzz.ratio(query, g.nodes[n]["text"]), rank(g.nodes[n]["document"]),
                             order[g.nodes[n]["document"]]))
    return tied[0]


def _clause_parent(g: nx.DiGraph, node: str) -> str | None:
    """The clause ``node`` was inherited from, if any."""
    for p in g.predecessors(node):
        doc_edge = g.get_edge_data(doc_node(g.nodes[p]["document"]), doc_node(g.nodes[node]["document"]))
        if doc_edge and doc_edge.get("kind") == "inherits":
            return p
    return None


def _canonical(g: nx.DiGraph, node: str) -> str:
    """A clause of a duplicate plan (a traditional twin) stands for the original's clause."""
    doc = doc_node(g.nodes[node]["document"])
    for p in g.predecessors(node):
        edge = g.get_edge_data(doc_node(g.nodes[p]["document"]), doc)
        if edge and edge.get("kind") == "duplicate":
            return p
    return node


def _doc_children(g: nx.DiGraph, path: str) -> list[str]:
    return sorted(c[4:] for c in g.successors(doc_node(path)) if g.edges[doc_node(path), c]["kind"] == "inherits")


def trace(corpus: Corpus, query: str) -> dict[str, Any]:
    """Lineage of the clause best matching ``query`` (text, ``file#s12`` or an item path like ``1.2.3``).

    Goes up to the plan where the clause first appears, then down every level: for each child
    plan, the relation of its counterpart, or ``dropped`` where it has none.
    """
    from .errors import PolicydiffError

    g = corpus.graph
    start = _find_clause(corpus, query)
    if start is None:
        raise PolicydiffError(f"no clause matches {query!r}")
    start = _canonical(g, start)
    chain = [start]
    # the manifest refuses parent cycles; the guard keeps a cycle from any other source finite
    while (up := _clause_parent(g, chain[-1])) is not None and up not in chain:
        chain.append(up)
    origin = chain[-1]

    def describe(node: str, relation: str, score: float | None, moved: bool) -> dict[str, Any]:
        d = g.nodes[node]
        doc = g.nodes[doc_node(d["document"])]
        return {"document": d["document"], "title": doc["title"], "level": doc["level"], "region": doc["region"],
                "clause": d["sentence"], "item": d["item"], "text": d["text"], "relation": relation,
                "score": score, "moved": moved, "children": []}

    seen = {origin}

    def down(node: str, info: dict[str, Any]) -> None:
        path = g.nodes[node]["document"]
        for child_doc in _doc_children(g, path):
            hits = [c for c in g.successors(node) if g.nodes[c]["document"] == child_doc]
            if not hits:
                doc = g.nodes[doc_node(child_doc)]
                info["children"].append({"document": child_doc, "title": doc["title"], "level": doc["level"],
                                         "region": doc["region"], "relation": "dropped", "children": []})
            for c in sorted(hits, key=lambda x: int(g.nodes[x]["sentence"][1:])):
                if c in seen:
                    continue
                seen.add(c)
                e = g.edges[node, c]
                sub = describe(c, e["relation"], e["score"], e["moved"])
                info["children"].append(sub)
                down(c, sub)

    parent_doc = corpus.discoveries[g.nodes[origin]["document"]]
    first = "added" if parent_doc.parent and parent_doc.source != "duplicate" else "origin"
    root = describe(origin, first, None, False)
    down(origin, root)
    return {"query": query, "matched": g.nodes[start]["document"] + "#" + g.nodes[start]["sentence"],
            "origin": root["document"], "lineage": root}


def trace_text(result: dict[str, Any]) -> str:
    """The lineage as an indented tree."""
    lines = [f"query: {result['query']}", f"first appears in: {result['origin']}"
             + (" (added at this level)" if result["lineage"]["relation"] == "added" else ""), ""]

    def walk(node: dict[str, Any], prefix: str, last: bool, top: bool) -> None:
        head = "" if top else ("└─ " if last else "├─ ")
        where = f"{node['region'] or os.path.basename(node['document'])} ({node['level'] or '?'})"
        if node["relation"] == "dropped":
            lines.append(f"{prefix}{head}{where}  dropped")
        else:
            extra = " moved" if node.get("moved") else ""
            lines.append(f"{prefix}{head}{where}  {node['relation']}{extra}  {node['item']}  {node['text'][:60]}")
        kids = node["children"]
        for k, child in enumerate(kids):
            walk(child, prefix + ("" if top else ("   " if last else "│  ")), k == len(kids) - 1, False)

    walk(result["lineage"], "", True, True)
    return "\n".join(lines) + "\n"


# --- the interactive HTML view --------------------------------------------------------------

EMBED_CLAUSES = 200  # past this many plans the page loads each plan's clauses from its own file, on demand


def graph_html(corpus: Corpus, report_dir: str | None = "", base: str | None = None,
               clause_dir: str | None = None) -> str:
    """A page: the graph as a picture (levels as layers), the documents as a tree; click a
    document to list its clauses, a clause to see its lineage, an edge to open its diff report.

    Edges link to ``report_dir/<parent>__<child>.html`` (relative to the page) only where that file
    exists under ``base`` (the page's folder); with ``report_dir=None`` or no ``base``, no links.
    With ``clause_dir`` (relative to the page) the clauses and clause links are not embedded: the
    page loads ``clause_dir/<n>.js`` (see :func:`clause_files`) when a plan or a lineage is shown,
    so a page of thousands of plans opens at once. Without it the page is self-contained.
    """
    from . import __version__
    from .report.diff import environment
    from .report.picture import graph_svg

    g = corpus.graph
    shown = _acyclic_parents(corpus)
    docs = []
    for n, e in enumerate(corpus.entries):
        d = corpus.discoveries[e.path]
        doc = corpus.docs[e.path]
        row = {"id": e.path, "name": os.path.basename(e.path), "title": doc.title, "level": e.level,
               "region": e.region, "year": e.year, "parent": shown[e.path], "source": d.source,
               "score": d.score, "margin": d.margin, "evidence": d.evidence.reason if d.evidence else ""}
        if clause_dir is None:
            row["clauses"] = _clauses(doc)
        else:
            row["src"] = report_link(clause_dir, f"{n}.js")
        docs.append(row)
    edges = []
    links_of: dict[tuple[str, str], str] = {}
    for parent, child, kind in corpus.edges():
        if shown[child] != parent:
            continue  # the link that closed a cycle: the page draws a tree
        r = corpus.results[(parent, child)]
        name = _report_name(parent, child)
        rel = os.path.join(report_dir, name) if report_dir else name
        link = ""
        if report_dir is not None and base is not None and os.path.isfile(os.path.join(base, rel)):
            link = report_link(report_dir, name)  # relative, URL-encoded: never a scheme
            links_of[(parent, child)] = link
        edges.append({"parent": parent, "child": child, "kind": kind, "summary": r.summary, "report": link})
    links = _clause_links(g) if clause_dir is None else []
    payload = script_json({"docs": docs, "edges": edges, "links": links})
    return environment().get_template("graph.html.j2").render(version=__version__, payload=payload,
                                                             n_docs=len(docs), n_edges=len(edges),
                                                             svg=graph_svg(corpus, links_of, shown))


def clause_files(corpus: Corpus) -> dict[str, str]:
    """The files a page written with ``clause_dir`` loads: ``<n>.js`` per plan, in manifest order.

    Each calls ``policydiffClauses(id, clauses, links)`` with the plan's clauses and the clause
    links it takes part in (as parent or child), as script-safe JSON: a ``<script src>``, unlike
    ``fetch``, also loads from a page opened as a file.
    """
    links: dict[str, list[list[Any]]] = {e.path: [] for e in corpus.entries}
    for link in _clause_links(corpus.graph):
        links[link[0]].append(link)
        if link[2] != link[0]:
            links[link[2]].append(link)
    return {f"{n}.js": f"policydiffClauses({script_json(e.path)}, {script_json(_clauses(corpus.docs[e.path]))}, "
                       f"{script_json(links[e.path])});\n"
            for n, e in enumerate(corpus.entries)}


def _clauses(doc: Any) -> list[list[str]]:
    return [[s.id, doc.item(s.item_id).path, s.text] for s in doc.sentences]


def _clause_links(g: nx.DiGraph) -> list[list[Any]]:
    return [[g.nodes[u]["document"], g.nodes[u]["sentence"], g.nodes[v]["document"], g.nodes[v]["sentence"],
             d["relation"]] for u, v, d in g.edges(data=True) if d.get("kind") == "clause"]


def _acyclic_parents(corpus: Corpus) -> dict[str, str | None]:
    """Each plan's parent for drawing, with parent cycles cut.

    The manifest refuses cycles, but a declared parent and a discovered one can still close
    one; the page draws a tree from the roots, so a cycle would hide its plans (no root) or
    recurse forever. The cycle is cut above its first plan in manifest order.
    """
    parent = {e.path: corpus.discoveries[e.path].parent for e in corpus.entries}
    for e in corpus.entries:
        chain: list[str] = []
        p: str | None = e.path
        while p is not None and p not in chain:
            chain.append(p)
            p = parent.get(p)
        if p is not None:  # back at a plan of this chain: a cycle
            loop = chain[chain.index(p):]
            first = min(loop, key=[x.path for x in corpus.entries].index)
            parent[first] = None
    return parent


# In a <script> element the HTML parser ends the script at "</script", and "<!--" switches
# it into a state where a later "<script>" swallows the rest of the page; JavaScript before
# ES2019 ends a string at U+2028/2029. Written as JSON escapes these mean the same data.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """JSON safe to embed in ``<script type="application/json">``: no < > & or line separators."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text) if any(c in text for c in _SCRIPT_ESCAPES) else text


def report_link(report_dir: str, name: str) -> str:
    """A relative link to a diff report: every segment URL-encoded, always starting with ./

    File names are attacker-controlled (a plan named ``javascript:alert(1);x.txt``): encoding
    turns ':' into %3A so no segment can be read as a scheme, and the ./ prefix keeps a folder
    like ``//host`` from becoming a link to another site.
    """
    from urllib.parse import quote

    parts = [quote(seg, safe="") for seg in report_dir.replace(os.sep, "/").split("/") if seg not in ("", ".")]
    return "./" + "/".join([*parts, quote(name, safe="")])


def _report_name(parent: str, child: str) -> str:
    return f"{os.path.splitext(os.path.basename(parent))[0]}__{os.path.splitext(os.path.basename(child))[0]}.html"
