"""The ``policydiff`` command: a thin click shell over the library API."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import PolicydiffError

CONTEXT = {"help_option_names": ["-h", "--help"]}


class _Group(click.Group):
    """Turns any error into one line on stderr: exit 2 for bad input, 1 for a bug (see --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolicydiffError as exc:
            click.echo(f"policydiff: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("policydiff: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # the last line of defence: no tracebacks for users
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"policydiff: internal error: {exc.__class__.__name__}: {exc} "
                       "(run with --debug for the traceback)", err=True)
            sys.exit(3)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="policydiff")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Show how Chinese government plans are inherited from one level to the next."""
    ctx.obj = {"debug": debug}


def plan_argument(name: str) -> Callable:
    # click.Path(exists=True) would print its own multi-line usage error; ingest reports instead.
    return click.argument(name, type=click.Path(dir_okay=True, path_type=str))


def output_options(formats: tuple[str, ...], default: str = "text", encoding: bool = True) -> Callable:
    """The shared ``--format/-f`` and ``-o/--output`` options (and ``--encoding`` for commands reading plans)."""

    def decorate(fn: Callable) -> Callable:
        fn = click.option("-o", "--output", type=click.Path(path_type=str), default=None,
                          help="Write to this file (atomically) instead of stdout.")(fn)
        fn = click.option("-f", "--format", "fmt", type=click.Choice(formats), default=None,
                          help=f"Output format (default: from -o's extension, else {default}).")(fn)
        if encoding:
            fn = click.option("--encoding", default=None, help="Force the input text encoding (e.g. gbk).")(fn)

        @functools.wraps(fn)
        def wrapper(*args: Any, fmt: str | None, output: str | None, **kwargs: Any) -> Any:
            if fmt is None:
                ext = os.path.splitext(output or "")[1].lstrip(".").lower()
                fmt = ext if ext in formats else default
            return fn(*args, fmt=fmt, output=output, **kwargs)

        return wrapper

    return decorate


def emit(data: str | bytes, output: str | None, inputs: tuple[str, ...] = ()) -> None:
    """Write to ``output`` atomically, or to stdout."""
    if output:
        from .output import write_output

        write_output(output, data, inputs)
        click.echo(f"wrote {output}", err=True)
    elif isinstance(data, bytes):
        raise click.UsageError("this format is binary: give -o FILE")
    else:
        click.echo(data, nl=not data.endswith("\n"))


@main.command(context_settings=CONTEXT)
@plan_argument("file")
@output_options(("text", "json"))
def outline(file: str, fmt: str, output: str | None, encoding: str | None) -> None:
    """Print a plan's outline tree and metadata."""
    from . import load
    from .outline import outline_dict, outline_text

    doc = load(file, encoding=encoding)
    if fmt == "json":
        emit(json.dumps(outline_dict(doc), ensure_ascii=False, indent=2) + "\n", output, (file,))
    else:
        emit(outline_text(doc), output, (file,))


@main.command(context_settings=CONTEXT)
@plan_argument("parent")
@plan_argument("child")
@output_options(("text", "json", "csv", "html"))
@click.option("--granularity", type=click.Choice(["sentence", "item"]), default="sentence", show_default=True,
              help="Pair sentences, or outline items.")
@click.option("--color/--no-color", default=None, help="Colour the text diff (default: when stdout is a terminal).")
def compare(parent: str, child: str, fmt: str, output: str | None, encoding: str | None, granularity: str,
            color: bool | None) -> None:
    """Compare a PARENT plan with a CHILD plan, clause by clause."""
    cmp = _compare_files(parent, child, encoding, granularity)
    if fmt == "json":
        data = cmp.to_dict()
        if granularity == "item":
            data.pop("pairs")
        emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output, (parent, child))
    elif fmt == "csv":
        from .render import comparison_csv, items_csv

        emit(items_csv(cmp) if granularity == "item" else comparison_csv(cmp), output, (parent, child))
    elif fmt == "html":
        from .report.diff import render_diff_report

        emit(render_diff_report(cmp), output, (parent, child))
    else:
        from .render import comparison_text

        use_colour = color if color is not None else (output is None and sys.stdout.isatty())
        emit(comparison_text(cmp, colour=use_colour, granularity=granularity), output, (parent, child))


@main.command(context_settings=CONTEXT)
@plan_argument("parent")
@plan_argument("child")
@click.option("-o", "--output", type=click.Path(path_type=str), required=True,
              help="The HTML file to write (atomically).")
@click.option("--encoding", default=None, help="Force the input text encoding (e.g. gbk).")
def report(parent: str, child: str, output: str, encoding: str | None) -> None:
    """Write a self-contained HTML diff report of PARENT → CHILD."""
    from .report.diff import render_diff_report

    emit(render_diff_report(_compare_files(parent, child, encoding)), output, (parent, child))


@main.command(context_settings=CONTEXT)
@plan_argument("parent")
@plan_argument("child")
@output_options(("text", "csv", "xlsx", "html", "json"))
@click.option("--fail-under", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when task coverage is below this share (e.g. 0.9).")
def coverage(parent: str, child: str, fmt: str, output: str | None, encoding: str | None,
             fail_under: float | None) -> None:
    """Audit whether CHILD covers every task of PARENT (one row per parent task)."""
    from .report import coverage as cov

    rep = cov.coverage(_compare_files(parent, child, encoding))
    if fmt == "csv":
        data: str | bytes = cov.coverage_csv(rep)
    elif fmt == "xlsx":
        data = cov.coverage_xlsx(rep)
    elif fmt == "html":
        data = cov.coverage_html(rep)
    elif fmt == "json":
        data = json.dumps(rep.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        data = cov.coverage_text(rep)
    emit(data, output, (parent, child))
    if fail_under is not None and rep.coverage < fail_under:
        missing = sum(not r.covered for r in rep.rows)
        click.echo(f"policydiff: coverage {rep.coverage:.1%} is below --fail-under {fail_under:.1%} "
                   f"({missing} of {len(rep.rows)} parent tasks not covered)", err=True)
        sys.exit(1)


def corpus_options(fn: Callable) -> Callable:
    """Options shared by the commands that work on many plans."""
    fn = click.option("--progress/--no-progress", default=None,
                      help="Progress bar on stderr (default: when stderr is a terminal).")(fn)
    fn = click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=str), default=None,
                      help="Keep comparison results here, keyed by content hash; reruns compute only new pairs.")(fn)
    fn = click.option("--address", default=None, help="Dask scheduler address, with --scheduler dask.")(fn)
    fn = click.option("--scheduler", default="local", show_default=True,
                      help="local (process pool) or dask; 'dask' with --address, or a tcp:// address.")(fn)
    fn = click.option("-j", "--jobs", type=click.IntRange(1, 512), default=None,
                      help="Local worker processes (default: all cores).")(fn)
    fn = click.option("-m", "--manifest", type=click.Path(path_type=str), default=None,
                      help="CSV manifest: path, level, region, year, doc_number, parent.")(fn)
    return fn


def _corpus(manifest: str | None, files: tuple[str, ...], jobs: int | None, scheduler: str, address: str | None,
            cache_dir: str | None, progress: bool | None):
    from .corpus import Corpus

    if scheduler.startswith(("tcp://", "tls://", "inproc://")):
        scheduler, address = "dask", scheduler
    if scheduler not in ("local", "dask"):
        raise click.UsageError(f"--scheduler must be local or dask, not {scheduler!r}")
    if scheduler == "dask" and not address:
        raise click.UsageError("--scheduler dask needs --address tcp://HOST:PORT")
    show = progress if progress is not None else sys.stderr.isatty()
    kw = {"jobs": jobs, "scheduler": scheduler, "address": address, "cache_dir": cache_dir, "progress": show}
    if manifest and files:
        raise click.UsageError("give plan FILES or --manifest, not both")
    if manifest:
        return Corpus.from_manifest(manifest, **kw)
    if not files:
        raise click.UsageError("give plan FILES or --manifest M")
    return Corpus.from_files(files, **kw)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@corpus_options
@output_options(("text", "json", "csv"), encoding=False)
def corpus(files: tuple[str, ...], manifest: str | None, jobs: int | None, scheduler: str, address: str | None,
           cache_dir: str | None, progress: bool | None, fmt: str, output: str | None) -> None:
    """Compare many plans: discover each plan's parent and summarise every inheritance."""
    c = _corpus(manifest, files, jobs, scheduler, address, cache_dir, progress)
    inputs = _inputs(c, manifest)
    root = os.path.dirname(os.path.abspath(manifest)) if manifest else os.getcwd()
    if fmt == "json":
        emit(json.dumps(c.to_dict(root), ensure_ascii=False, indent=2) + "\n", output, inputs)
    elif fmt == "csv":
        from .output import frame_csv

        emit(frame_csv(c.to_frame()), output, inputs)
    else:
        lines = []
        for p in c.to_dict(root)["plans"]:
            who = f"{p['region'] or '?'} {p['year'] or ''} ({p['level'] or '?'})"
            if p["parent"]:
                lines.append(f"{p['path']}  {who}  ← {p['parent']}  [{p['source']}, score {p['score']:.2f}, "
                             f"margin {p['margin']:.2f}]")
            else:
                hint = f", best {p['runner_up']} at {p['score']:.2f}" if p["runner_up"] else ""
                lines.append(f"{p['path']}  {who}  ← no confident parent{hint}")
        emit("\n".join(lines) + "\n", output, inputs)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@corpus_options
@click.option("-o", "--output", type=click.Path(path_type=str), required=True,
              help="graph.html (interactive), .graphml or .json (node-link).")
@click.option("--reports", default="", help="Write each edge's diff report into this folder (relative to the "
              "HTML) and link the edges to them; without it the page has no report links.")
def graph(files: tuple[str, ...], manifest: str | None, jobs: int | None, scheduler: str, address: str | None,
          cache_dir: str | None, progress: bool | None, output: str, reports: str) -> None:
    """Write the inheritance graph of many plans (HTML, GraphML or node-link JSON)."""
    from .graph import graph_html, node_link_json, write_graphml

    ext = os.path.splitext(output)[1].lower()
    if ext not in (".graphml", ".json", ".html", ".htm"):
        raise click.UsageError("-o must end in .html, .graphml or .json")
    c = _corpus(manifest, files, jobs, scheduler, address, cache_dir, progress)
    inputs = _inputs(c, manifest)
    if ext == ".graphml":
        emit(write_graphml(c.graph), output, inputs)
    elif ext == ".json":
        emit(node_link_json(c.graph), output, inputs)
    else:
        base = os.path.dirname(os.path.abspath(output))
        if reports:  # write the diff report of every edge, so that every link on the page resolves
            from . import compare
            from .graph import _report_name
            from .report.diff import render_diff_report

            for parent, child, _kind in c.edges():
                target = os.path.join(base, reports, _report_name(parent, child))
                emit(render_diff_report(compare(c.docs[parent], c.docs[child])), target, inputs)
        emit(graph_html(c, report_dir=reports or None, base=base), output, inputs)


@main.command(context_settings=CONTEXT)
@click.argument("query")
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@corpus_options
@output_options(("text", "json"), encoding=False)
def trace(query: str, files: tuple[str, ...], manifest: str | None, jobs: int | None, scheduler: str,
          address: str | None, cache_dir: str | None, progress: bool | None, fmt: str, output: str | None) -> None:
    """A clause's lineage across levels. QUERY: clause text, FILE#s12, or an item path (1.2.3)."""
    from .graph import trace_text

    c = _corpus(manifest, files, jobs, scheduler, address, cache_dir, progress)
    result = c.trace(query)
    inputs = _inputs(c, manifest)
    if fmt == "json":
        emit(json.dumps(result, ensure_ascii=False, indent=2) + "\n", output, inputs)
    else:
        emit(trace_text(result), output, inputs)


def _inputs(corpus, manifest: str | None) -> tuple[str, ...]:
    """Files an output of a corpus command must never overwrite: the manifest and every plan."""
    return ((manifest,) if manifest else ()) + tuple(e.path for e in corpus.entries)


def _compare_files(parent: str, child: str, encoding: str | None, granularity: str = "sentence"):
    """Load both plans, hint when they look swapped, and compare them."""
    from . import compare, load

    p, c = load(parent, encoding=encoding), load(child, encoding=encoding)
    _hint_swapped(p, c)
    return compare(p, c, granularity=granularity)


def _hint_swapped(parent, child) -> None:
    """Warn (on stderr) when the child looks like the parent: higher level or earlier date."""
    from .model import LEVELS

    if parent.path != "<text>" and os.path.exists(parent.path) and os.path.exists(child.path) \
            and os.path.samefile(parent.path, child.path):
        click.echo("policydiff: note: parent and child are the same file", err=True)
        return
    lp = LEVELS.index(parent.level) if parent.level in LEVELS else None
    lc = LEVELS.index(child.level) if child.level in LEVELS else None
    if lp is not None and lc is not None and lc < lp:
        click.echo(f"policydiff: hint: the child ({child.level}) is a higher level than the parent "
                   f"({parent.level}); did you swap them?", err=True)
    elif lp == lc and parent.date and child.date and child.date < parent.date:
        click.echo("policydiff: hint: the child is dated before the parent; did you swap them?", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
