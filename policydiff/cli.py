"""The ``policydiff`` command: a thin click shell over the library API."""

from __future__ import annotations

import functools
import json
import math
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import PolicydiffError
from .output import one_line

CONTEXT = {"help_option_names": ["-h", "--help"]}

# Output formats and the file extensions that select them. An -o whose extension belongs to
# another format (report -o x.pdf, compare -o x.xlsx) is an error, not silently HTML or text;
# an extension nobody claims (.out, .log, none) takes --format or the default.
EXTENSIONS = {"text": (".txt", ".text", ".md"), "json": (".json",), "csv": (".csv",), "html": (".html", ".htm"),
              "xlsx": (".xlsx",), "graphml": (".graphml",)}
FOREIGN = (".pdf", ".docx", ".doc", ".xls", ".xml", ".png", ".svg", ".jpg", ".tsv", ".odt", ".ods", ".rtf")
KNOWN_EXTENSIONS = {e for exts in EXTENSIONS.values() for e in exts} | set(FOREIGN)


def _format_for(output: str | None, fmt: str | None, formats: tuple[str, ...], default: str) -> str:
    """The format to write: --format, else -o's extension, else ``default``; a mismatch is an error."""
    ext = os.path.splitext(output or "")[1].lower()
    by_ext = next((f for f, exts in EXTENSIONS.items() if ext in exts), None)
    allowed = ", ".join(e for f in formats for e in EXTENSIONS.get(f, ())[:1])
    if fmt is None:
        if ext in KNOWN_EXTENSIONS and by_ext not in formats:
            raise PolicydiffError(f"{output}: this command cannot write {ext} files (it writes {allowed})")
        return by_ext if by_ext in formats else default
    if ext in KNOWN_EXTENSIONS and ext not in EXTENSIONS.get(fmt, ()):
        raise PolicydiffError(f"{output}: the extension {ext} does not match --format {fmt}")
    return fmt


class _Group(click.Group):
    """Turns any error into one line on stderr: exit 2 for bad input or usage, 3 for a bug (see --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolicydiffError as exc:
            click.echo(f"policydiff: error: {one_line(str(exc))}", err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            # click prints usage, a hint and the error on three lines; one line says the same
            where = exc.ctx.command_path if exc.ctx else "policydiff"
            click.echo(f"policydiff: error: {one_line(exc.format_message())} (see {where} -h)", err=True)
            sys.exit(2)
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
    _exit_cleanly_on_signals()


def _terminated(signum: int, frame: Any) -> None:
    # SystemExit unwinds like any exception: write_output's cleanup removes its temp file
    raise SystemExit(128 + signum)


def _exit_cleanly_on_signals() -> None:
    """SIGTERM and SIGHUP end the run through the normal exit path (temp files removed)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, _terminated)


def _path() -> click.Path:
    # click's own checks (exists, readable) print a three-line usage error; ingest and
    # write_output report the problem on one line instead
    return click.Path(path_type=str, readable=False)


def _fraction(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and (not math.isfinite(value) or not 0 <= value <= 1):
        raise PolicydiffError(f"{param.opts[0]} {value}: give a share between 0 and 1 (e.g. 0.9)")
    return value


def plan_argument(name: str) -> Callable:
    """A plan file argument; ``-`` reads the plan from stdin."""
    # click.Path(exists=True) would print its own multi-line usage error; ingest reports instead.
    return click.argument(name, type=_path())


def output_options(formats: tuple[str, ...], default: str = "text", encoding: bool = True) -> Callable:
    """The shared ``--format/-f`` and ``-o/--output`` options (and ``--encoding`` for commands reading plans)."""

    def decorate(fn: Callable) -> Callable:
        fn = click.option("-o", "--output", type=_path(), default=None,
                          help="Write to this file (atomically) instead of stdout.")(fn)
        fn = click.option("-f", "--format", "fmt", type=click.Choice(formats), default=None,
                          help=f"Output format (default: from -o's extension, else {default}).")(fn)
        if encoding:
            fn = click.option("--encoding", default=None, help="Force the input text encoding (e.g. gbk).")(fn)

        @functools.wraps(fn)
        def wrapper(*args: Any, fmt: str | None, output: str | None, **kwargs: Any) -> Any:
            _check_output(output)
            return fn(*args, fmt=_format_for(output, fmt, formats, default), output=output, **kwargs)

        return wrapper

    return decorate


def _check_output(output: str | None) -> None:
    """-o '' is a mistake, not "no -o"; -o dir/ names a folder. Checked before any work is done."""
    if output is None:
        return
    if not output:
        raise PolicydiffError("-o: empty file name; give a file name or leave -o out for stdout")
    if os.path.isdir(output):
        raise PolicydiffError(f"{output}: is a directory; give a file name")
    if output.endswith(("/", os.sep)):
        raise PolicydiffError(f"{output}: names a folder; give a file name (e.g. {output}out.html)")


def emit(data: str | bytes, output: str | None, inputs: tuple[str, ...] = ()) -> None:
    """Write to ``output`` atomically, or to stdout (control characters removed: a terminal obeys them)."""
    from .output import terminal_safe, write_output

    if output is not None:
        write_output(output, data, inputs)
        click.echo(f"wrote {one_line(output)}", err=True)
    elif isinstance(data, bytes):
        raise PolicydiffError("this format is binary: give -o FILE")
    else:
        data = terminal_safe(data)
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
        from .report.meta import provenance

        data = cmp.to_dict()
        if granularity == "item":
            data.pop("pairs")
        data["meta"] = provenance([("parent", cmp.parent), ("child", cmp.child)], "compare --format json",
                                  cmp.thresholds,
                                  options={"granularity": granularity} if granularity != "sentence" else None)
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
@click.option("-o", "--output", type=_path(), required=True,
              help="The HTML file to write (atomically).")
@click.option("--encoding", default=None, help="Force the input text encoding (e.g. gbk).")
def report(parent: str, child: str, output: str, encoding: str | None) -> None:
    """Write a self-contained HTML diff report of PARENT → CHILD."""
    from .report.diff import render_diff_report

    _check_output(output)
    _format_for(output, None, ("html",), "html")
    emit(render_diff_report(_compare_files(parent, child, encoding)), output, (parent, child))


@main.command(context_settings=CONTEXT)
@plan_argument("parent")
@plan_argument("child")
@click.argument("grandchildren", nargs=-1, type=_path())
@output_options(("text", "csv", "xlsx", "html", "json"))
@click.option("--fail-under", type=float, default=None, callback=_fraction,
              help="Exit 1 when task coverage is below this share (e.g. 0.9); with GRANDCHILDREN, the share "
                   "of tasks that reach the least-covered grandchild.")
@click.option("--min-kept", type=float, default=0.2, show_default=True, callback=_fraction,
              help="A task is covered when at least this share of its text has a counterpart in CHILD.")
def coverage(parent: str, child: str, grandchildren: tuple[str, ...], fmt: str, output: str | None,
             encoding: str | None, fail_under: float | None, min_kept: float) -> None:
    """Audit whether CHILD covers every task of PARENT (one row per parent task).

    With GRANDCHILDREN (plans of the level below CHILD), each task is followed down: deep, shallow
    (CHILD kept it, the grandchild lost it), orphan (CHILD dropped it, the grandchild has it), uncovered.
    """
    if grandchildren:
        _depth(parent, child, grandchildren, fmt, output, encoding, fail_under)
        return
    from .report import coverage as cov

    rep = cov.coverage(_compare_files(parent, child, encoding), min_kept=min_kept)
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
    if fmt != "text":  # the table formats carry the rows; the one-line summary goes to stderr too
        click.echo(f"policydiff: {rep.summary_line()}; missing: {'；'.join(rep.missing()) or '(none)'}", err=True)
    if fail_under is not None and rep.coverage < fail_under:
        missing = sum(not r.covered for r in rep.rows)
        click.echo(f"policydiff: coverage {rep.coverage:.1%} is below --fail-under {fail_under:.1%} "
                   f"({missing} of {len(rep.rows)} parent tasks not covered)", err=True)
        sys.exit(1)


@main.command(context_settings=CONTEXT)
@plan_argument("parent")
@click.argument("children", nargs=-1, type=_path())
@output_options(("text", "csv", "xlsx", "html", "json"))
@click.option("--reports", default="", help="With an HTML output: write each child's diff report into this "
              "folder (relative to the HTML) and link the matrix cells to them.")
@click.option("--db", "db_path", type=_path(), default=None,
              help="Take the CHILDREN from this results database: the plans found to inherit PARENT.")
def siblings(parent: str, children: tuple[str, ...], fmt: str, output: str | None, encoding: str | None,
             reports: str, db_path: str | None) -> None:
    """Compare PARENT with several CHILDREN: a task × child matrix, per-task and per-child figures."""
    from . import compare, load
    from .family import siblings as build
    from .report import siblings as render

    if db_path is not None:
        from .db import children_of

        if children:
            raise click.UsageError("give CHILDREN or --db, not both")
        children = children_of(db_path, parent)
    elif not children:
        raise click.UsageError("Missing argument 'CHILDREN...' (or give --db)")
    if "-" in (parent, *children):
        raise PolicydiffError("-: standard input cannot be used with siblings")
    p = load(parent, encoding=encoding)
    kids = [load(c, encoding=encoding) for c in children]
    comps = [compare(p, c) for c in kids]
    sib = build(p, kids, comps)
    inputs = (parent, *children)
    if fmt == "json":
        data: str | bytes = render.siblings_json(sib)
    elif fmt == "csv":
        data = render.siblings_csv(sib)
    elif fmt == "xlsx":
        data = render.siblings_xlsx(sib)
    elif fmt == "html":
        links: list[str] = []
        if reports and output:
            from .graph import _report_name, report_link
            from .report.diff import render_diff_report

            base = os.path.dirname(os.path.abspath(output))
            folder = _report_folder(reports)
            for child, cmp in zip(children, comps, strict=True):
                emit(render_diff_report(cmp), os.path.join(base, folder, _report_name(parent, child)), inputs)
                links.append(report_link(folder, _report_name(parent, child)))
        data = render.siblings_html(sib, links or None)
    else:
        data = render.siblings_text(sib)
    emit(data, output, inputs)


def corpus_options(fn: Callable) -> Callable:
    """Options shared by the commands that work on many plans."""
    fn = click.option("--progress/--no-progress", default=None,
                      help="Progress bar on stderr (default: when stderr is a terminal).")(fn)
    fn = click.option("--allow-outside", is_flag=True,
                      help="Let manifest rows name files outside the manifest's folder.")(fn)
    fn = click.option("--cache", "cache_dir", type=_path(), default=None,
                      help="Keep comparison results here, keyed by content hash; reruns compute only new pairs.")(fn)
    fn = click.option("--address", default=None, help="Dask scheduler address, with --scheduler dask.")(fn)
    fn = click.option("--scheduler", default="local", show_default=True,
                      help="local (process pool) or dask; 'dask' with --address, or a tcp:// address.")(fn)
    fn = click.option("-j", "--jobs", type=click.IntRange(1, 512), default=None,
                      help="Local worker processes (default: all cores).")(fn)
    fn = click.option("-m", "--manifest", type=_path(), default=None,
                      help="CSV manifest: path, level, region, year, doc_number, parent.")(fn)
    return fn


def _corpus(manifest: str | None, files: tuple[str, ...], jobs: int | None, scheduler: str, address: str | None,
            cache_dir: str | None, progress: bool | None, allow_outside: bool = False, cache: Any = None):
    from .corpus import Corpus

    if scheduler.startswith(("tcp://", "tls://", "inproc://")):
        scheduler, address = "dask", scheduler
    if scheduler not in ("local", "dask"):
        raise click.UsageError(f"--scheduler must be local or dask, not {scheduler!r}")
    if scheduler == "dask" and not address:
        raise click.UsageError("--scheduler dask needs --address tcp://HOST:PORT")
    show = progress if progress is not None else sys.stderr.isatty()
    kw = {"jobs": jobs, "scheduler": scheduler, "address": address, "cache_dir": cache_dir, "progress": show,
          "cache": cache}
    if manifest and files:
        raise click.UsageError("give plan FILES or --manifest, not both")
    if manifest:
        return Corpus.from_manifest(manifest, allow_outside=allow_outside, **kw)
    if not files:
        raise click.UsageError("give plan FILES or --manifest M")
    return Corpus.from_files(files, **kw)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=_path())
@corpus_options
@output_options(("text", "json", "csv"), encoding=False)
@click.option("--db", "db_path", type=_path(), default=None,
              help="Write the results into this SQLite database (incremental: a rerun computes only what changed); "
                   "the JSON/CSV/text output is then read from it.")
def corpus(files: tuple[str, ...], manifest: str | None, jobs: int | None, scheduler: str, address: str | None,
           cache_dir: str | None, allow_outside: bool, progress: bool | None, fmt: str, output: str | None,
           db_path: str | None) -> None:
    """Compare many plans: discover each plan's parent and summarise every inheritance."""
    root = os.path.dirname(os.path.abspath(manifest)) if manifest else os.getcwd()
    if db_path is not None:
        _corpus_db(db_path, files, manifest, jobs, scheduler, address, cache_dir, allow_outside, progress, fmt,
                   output, root)
        return
    c = _corpus(manifest, files, jobs, scheduler, address, cache_dir, progress, allow_outside)
    _emit_corpus(lambda: c.to_dict(root), lambda: c.to_frame(root), fmt, output, _inputs(c, manifest))


def _emit_corpus(as_dict: Any, as_frame: Any, fmt: str, output: str | None, inputs: tuple[str, ...]) -> None:
    """corpus output in ``fmt``, from a run or from the database (the same dict and frame either way)."""
    if fmt == "json":
        emit(json.dumps(as_dict(), ensure_ascii=False, indent=2) + "\n", output, inputs)
    elif fmt == "csv":
        from .output import frame_csv

        emit(frame_csv(as_frame()), output, inputs)
    else:
        from .report.text import discovery_lines

        emit("\n".join(discovery_lines(as_dict()["plans"])) + "\n", output, inputs)


def _corpus_db(db_path: str, files: tuple[str, ...], manifest: str | None, jobs: int | None, scheduler: str,
               address: str | None, cache_dir: str | None, allow_outside: bool, progress: bool | None, fmt: str,
               output: str | None, root: str) -> None:
    """corpus --db: compute what the database lacks, write it in one transaction, print from the database."""
    from . import db
    from .corpus import Cache
    from .errors import note

    if not db_path:
        raise PolicydiffError("--db: empty file name; give a database file, e.g. results.db")
    with db.locked(db_path):
        cache = db.ResultsCache(db_path, Cache(cache_dir))
        if cache.stale:
            note(f"{db_path}: holds results of another policydiff version or other thresholds; recomputing all")
        c = _corpus(manifest, files, jobs, scheduler, address, cache_dir, progress, allow_outside, cache=cache)
        inputs = _inputs(c, manifest)
        for src in inputs:
            if os.path.exists(src) and os.path.samefile(src, db_path):
                raise PolicydiffError(f"{db_path}: refusing to overwrite an input file")
        inputs = (*inputs, db_path)  # -o never replaces the database either
        db.save(db_path, c, root, " ".join(["policydiff", *sys.argv[1:]]), cache)
    note(f"{db_path}: {len(c.results)} comparisons, {cache.misses} computed, {cache.hits} reused")
    _emit_corpus(lambda: db.corpus_dict(db_path), lambda: db.corpus_frame(db_path), fmt, output, inputs)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=_path())
@corpus_options
@click.option("-o", "--output", type=_path(), required=True,
              help="graph.html (interactive), .graphml or .json (node-link).")
@click.option("--reports", default="", help="Write each edge's diff report into this folder (relative to the "
              "HTML) and link the edges to them; without it the page has no report links.")
@click.option("--clauses", "clause_mode", type=click.Choice(["auto", "embed", "files"]), default="auto",
              show_default=True, help="HTML: embed every plan's clauses in the page, or write them to "
              "<page>_clauses/<n>.js, loaded when a plan is opened (auto: files past 200 plans).")
def graph(files: tuple[str, ...], manifest: str | None, jobs: int | None, scheduler: str, address: str | None,
          cache_dir: str | None, allow_outside: bool, progress: bool | None, output: str, reports: str,
          clause_mode: str) -> None:
    """Write the inheritance graph of many plans (HTML, GraphML or node-link JSON)."""
    from .graph import EMBED_CLAUSES, clause_files, graph_html, node_link_json, write_graphml

    _check_output(output)
    ext = os.path.splitext(output)[1].lower()
    if ext not in (".graphml", ".json", ".html", ".htm"):
        raise PolicydiffError(f"{output}: -o must end in .html, .graphml or .json")
    c = _corpus(manifest, files, jobs, scheduler, address, cache_dir, progress, allow_outside)
    inputs = _inputs(c, manifest)
    if ext == ".graphml":
        emit(write_graphml(c.graph), output, inputs)
    elif ext == ".json":
        emit(node_link_json(c.graph), output, inputs)
    else:
        base = os.path.dirname(os.path.abspath(output))
        folder = _report_folder(reports)
        if reports:  # write the diff report of every edge, so that every link on the page resolves
            from . import compare
            from .graph import _report_name
            from .report.diff import render_diff_report

            for parent, child, _kind in c.edges():
                target = os.path.join(base, folder, _report_name(parent, child))
                emit(render_diff_report(compare(c.docs[parent], c.docs[child])), target, inputs)
        clause_dir = None
        if clause_mode == "files" or (clause_mode == "auto" and len(c.entries) > EMBED_CLAUSES):
            from .errors import note
            from .output import write_outputs

            clause_dir = os.path.splitext(os.path.basename(output))[0] + "_clauses"
            scripts = clause_files(c)
            write_outputs({os.path.join(base, clause_dir, name): text for name, text in scripts.items()}, inputs)
            note(f"wrote {len(scripts)} clause files into {one_line(os.path.join(base, clause_dir))}")
        emit(graph_html(c, report_dir=folder if reports else None, base=base, clause_dir=clause_dir), output, inputs)


@main.command(context_settings=CONTEXT)
@click.argument("query")
@click.argument("files", nargs=-1, type=_path())
@corpus_options
@output_options(("text", "json"), encoding=False)
@click.option("--db", "db_path", type=_path(), default=None,
              help="Read the corpus from this results database (policydiff corpus --db) instead of comparing.")
def trace(query: str, files: tuple[str, ...], manifest: str | None, jobs: int | None, scheduler: str,
          address: str | None, cache_dir: str | None, allow_outside: bool, progress: bool | None, fmt: str,
          output: str | None, db_path: str | None) -> None:
    """A clause's lineage across levels. QUERY: clause text, FILE#s12, or an item path (1.2.3)."""
    from .graph import trace as trace_corpus
    from .graph import trace_text

    if db_path is not None:
        from . import db

        if files or manifest:
            raise click.UsageError("give --db or plan FILES / --manifest, not both")
        result = trace_corpus(db.stored_corpus(db_path), query)
        inputs: tuple[str, ...] = (db_path,)
    else:
        c = _corpus(manifest, files, jobs, scheduler, address, cache_dir, progress, allow_outside)
        result = c.trace(query)
        inputs = _inputs(c, manifest)
    if fmt == "json":
        emit(json.dumps(result, ensure_ascii=False, indent=2) + "\n", output, inputs)
    else:
        emit(trace_text(result), output, inputs)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=_path())
@corpus_options
@output_options(("text", "json", "csv"), encoding=False)
def versions(files: tuple[str, ...], manifest: str | None, jobs: int | None, scheduler: str, address: str | None,
             cache_dir: str | None, allow_outside: bool, progress: bool | None, fmt: str,
             output: str | None) -> None:
    """Version chains (same region and title, different years) and the suspect links of their children.

    A child of an old version (its manifest parent, or the parent discovered) has a suspect link for
    each clause it copied or localized from wording the newest version revised or deleted. CSV: one
    row per suspect link.
    """
    from .report import versions as render
    from .versions import report

    c = _corpus(manifest, files, jobs, scheduler, address, cache_dir, progress, allow_outside)
    rep = report(c)
    root = os.path.dirname(os.path.abspath(manifest)) if manifest else None
    rel = (lambda p: os.path.relpath(p, root)) if root else (lambda p: p)
    if fmt == "json":
        data = render.versions_json(rep, root)
    elif fmt == "csv":
        data = render.suspects_csv(rep.children, rel)
    else:
        data = render.versions_text(rep)
    emit(data, output, _inputs(c, manifest))


@main.command(context_settings=CONTEXT)
@plan_argument("old")
@plan_argument("new")
@click.argument("children", nargs=-1, required=True, type=_path())
@output_options(("text", "json", "csv"))
def suspects(old: str, new: str, children: tuple[str, ...], fmt: str, output: str | None,
             encoding: str | None) -> None:
    """Suspect links of CHILDREN derived from OLD, now that NEW (a later version of OLD) replaces it."""
    from . import compare, load
    from .report import versions as render
    from .versions import suspects as find

    if "-" in (old, new, *children):
        raise PolicydiffError("-: standard input cannot be used with suspects")
    o, n = load(old, encoding=encoding), load(new, encoding=encoding)
    revision = compare(o, n)
    found = [find(o, n, load(c, encoding=encoding), revision) for c in children]
    if fmt == "json":
        data = json.dumps([s.to_dict() for s in found], ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        data = render.suspects_csv(found)
    else:
        data = "\n".join(render.suspects_text(found)) + "\n"
    emit(data, output, (old, new, *children))


@main.command(context_settings=CONTEXT)
@click.argument("database", type=_path())
@click.option("-p", "--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Port on 127.0.0.1 (the server is never reachable from another machine).")
@click.option("--reports", type=_path(), default=None,
              help="Folder of HTML diff reports (policydiff graph --reports) that report cells link to.")
def serve(database: str, port: int, reports: str | None) -> None:
    """Browse a results DATABASE (policydiff corpus --db) in Datasette, read-only, on 127.0.0.1."""
    from .db import serve as run

    run(database, port, reports)


def _depth(parent: str, child: str, grandchildren: tuple[str, ...], fmt: str, output: str | None,
           encoding: str | None, fail_under: float | None) -> None:
    """Three-level coverage (see :func:`policydiff.family.depth`)."""
    from . import load
    from .family import depth
    from .report import siblings as render

    if "-" in (parent, child, *grandchildren):
        raise PolicydiffError("-: standard input cannot be used with grandchildren")
    d = depth(load(parent, encoding=encoding), load(child, encoding=encoding),
              [load(g, encoding=encoding) for g in grandchildren])
    data = {"json": render.depth_json, "csv": render.depth_csv, "xlsx": render.depth_xlsx,
            "html": render.depth_html}.get(fmt, render.depth_text)(d)
    emit(data, output, (parent, child, *grandchildren))
    if fail_under is not None:
        worst = min(d.reached(k) for k in range(len(d.grandchildren)))
        if worst < fail_under:
            click.echo(f"policydiff: {worst:.1%} of tasks reach the least-covered grandchild, below --fail-under "
                       f"{fail_under:.1%}", err=True)
            sys.exit(1)


def _report_folder(reports: str) -> str:
    """--reports, always relative to the page it is linked from (//host or /etc become host/, etc/)."""
    segments = [seg for seg in reports.replace(os.sep, "/").split("/") if seg not in ("", ".")]
    return os.path.join(*segments) if segments else ""


def _inputs(corpus, manifest: str | None) -> tuple[str, ...]:
    """Files an output of a corpus command must never overwrite: the manifest and every plan."""
    return ((manifest,) if manifest else ()) + tuple(e.path for e in corpus.entries)


def _compare_files(parent: str, child: str, encoding: str | None, granularity: str = "sentence"):
    """Load both plans, hint when they look swapped, and compare them."""
    from . import compare, load, words

    if parent == child == "-":
        raise PolicydiffError("-: standard input can be only one of PARENT and CHILD")
    words.preload()  # the word dictionary builds on another core while the plans are read and aligned
    p, c = load(parent, encoding=encoding), load(child, encoding=encoding)
    _hint_swapped(p, c)
    return compare(p, c, granularity=granularity)


def _hint_swapped(parent, child) -> None:
    """Warn (on stderr) when the child looks like the parent: higher level or earlier date."""
    from .model import LEVELS

    if os.path.isfile(parent.path) and os.path.isfile(child.path) \
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


def run() -> None:
    """The console script: :func:`main`, with compiled patterns kept between runs (:mod:`regex_cache`)."""
    from . import regex_cache

    regex_cache.install()
    main()


if __name__ == "__main__":  # pragma: no cover
    run()
