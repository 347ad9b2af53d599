"""`make demo`: run policydiff's main job on the sample plans in data/.

Writes outlines and alignments (JSON + CSV) to alignments/, and HTML diff reports, coverage
audits and an index to reports/. Every parent → child pair comes from data/manifest.csv.
"""

from __future__ import annotations

import csv
import html
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import policydiff  # noqa: E402
from policydiff.outline import outline_dict  # noqa: E402
from policydiff.output import write_output  # noqa: E402
from policydiff.render import comparison_csv  # noqa: E402
from policydiff.report.coverage import coverage, coverage_html  # noqa: E402
from policydiff.report.diff import render_diff_report  # noqa: E402


def main() -> None:
    data = ROOT / "data"
    alignments, reports = ROOT / "alignments", ROOT / "reports"
    with open(data / "manifest.csv", encoding="utf-8") as fh:
        manifest = list(csv.DictReader(fh))
    docs = {row["path"]: policydiff.load(data / row["path"]) for row in manifest}
    for name, doc in docs.items():
        stem = Path(name).stem
        write_output(str(alignments / f"{stem}.outline.json"),
                     json.dumps(outline_dict(doc), ensure_ascii=False, indent=2) + "\n")
        print(f"outline   {name}: {len(doc.items)} items, {len(doc.sentences)} sentences")
    from policydiff.corpus import Corpus

    corpus = Corpus.from_manifest(data / "manifest.csv")
    links = []
    for parent_path, child_path, kind in corpus.edges():
        parent, child = corpus.docs[parent_path], corpus.docs[child_path]
        cmp = policydiff.compare(parent, child)
        pair = f"{Path(parent_path).stem}__{Path(child_path).stem}"
        write_output(str(alignments / f"{pair}.json"), cmp.to_json() + "\n")
        write_output(str(alignments / f"{pair}.csv"), comparison_csv(cmp))
        write_output(str(reports / f"{pair}.html"), render_diff_report(cmp))
        cov = coverage(cmp)
        write_output(str(reports / f"{pair}.coverage.html"), coverage_html(cov))
        s = cmp.summary
        print(f"compare   {pair} ({kind}): copied {s['copied']} localized {s['localized']} adapted {s['adapted']} "
              f"dropped {s['dropped']} added {s['added']} · task coverage {cov.coverage:.1%}")
        links.append((pair, parent, child, s, cov.coverage))
    for d in corpus.discoveries.values():
        if d.source == "none":
            print(f"no parent {Path(d.child).name}: best candidate score {d.score:.2f} (not confident)")
    _graph(corpus, reports, alignments)
    _index(reports, links)
    print(f"open {os.path.relpath(reports / 'index.html')}")


def _index(reports: Path, links: list) -> None:
    rows = "\n".join(
        f"<tr><td>{html.escape(p.title)}</td><td>{html.escape(c.title)}</td>"
        f"<td>{s['copied']}/{s['localized']}/{s['adapted']}/{s['dropped']}/{s['added']}</td>"
        f"<td>{cov:.1%}</td><td><a href='{pair}.html'>diff</a> · <a href='{pair}.coverage.html'>coverage</a></td></tr>"
        for pair, p, c, s, cov in links
    )
    graph = "<p><a href='graph.html'>inheritance graph</a></p>" if (reports / "graph.html").exists() else ""
    page = (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>policydiff reports</title>"
        "<style>body{font:14px sans-serif;margin:20px}td,th{padding:4px 10px;border-bottom:1px solid #ddd}</style>"
        "</head><body><h1>policydiff reports</h1><table><tr><th>parent</th><th>child</th>"
        "<th>copied/localized/adapted/dropped/added</th><th>任务覆盖率 task coverage</th><th></th></tr>"
        f"{rows}</table>{graph}</body></html>\n"
    )
    write_output(str(reports / "index.html"), page)


def _graph(corpus, reports: Path, alignments: Path) -> None:
    from policydiff.graph import graph_html, write_graphml

    write_output(str(reports / "graph.html"), graph_html(corpus, report_dir="", base=str(reports)))
    write_output(str(alignments / "graph.graphml"), write_graphml(corpus.graph))
    print(f"graph     {corpus.graph.number_of_nodes()} nodes, {corpus.graph.number_of_edges()} edges")


if __name__ == "__main__":
    main()
