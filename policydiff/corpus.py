"""corpus: many plans → comparisons, parent discovery, and the inheritance graph.

- A manifest (CSV: path, level, region, year, doc_number, parent) lists the plans; ``parent`` is
  optional. Without it, each plan's parent is *discovered*: MinHash/LSH over masked text finds
  candidates of a higher level and the same or an earlier year (sub-quadratic), plans whose
  region encloses the child's are added, and ``compare`` confirms the best few.
- Comparisons run on local processes (``jobs``) or on a Dask cluster (``scheduler="dask"``)
  with identical results, and are cached by content hash.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import __version__, citations, regions
from .errors import InputError
from .frontmatter import canonical_level
from .model import LEVELS, Document
from .rules import load_table

# discovery thresholds, in one place
LSH_THRESHOLD = 0.2  # MinHash/LSH Jaccard threshold for candidates
NUM_PERM = 64
SHINGLE = 4
CONFIRM_TOP = 3  # candidates confirmed with a full compare
CONFIDENT_SCORE = 0.5  # share of the child's clauses derived from the parent
CONFIDENT_MARGIN = 0.1  # lead over the runner-up
DUPLICATE_SCORE = 0.97  # same level, this share copied both ways: the same plan
TWIN_JACCARD = 0.6  # a same-level candidate is compared only above this estimated Jaccard (a possible twin)
NEAREST_SLACK = 0.05  # candidates this close to the best count as equally good
# pairs found only as each other's best counterpart among leftovers are shown to a reader, but are
# no evidence of descent: two plans on one topic pair up that way too (see align._mutual)
WEAK_PASSES = frozenset({"mutual"})
CONFIDENT_COVER = 0.25  # share of the parent's tasks the child covers (adapted included), no citation
CONFIDENT_DERIVED = 0.18  # … or this share of the child derived from the parent (PairResult.derived)…
DERIVED_COVER = 0.12  # … with at least this share of the parent's tasks covered


@dataclass(frozen=True)
class Entry:
    """One manifest row."""

    path: str
    level: str = ""
    region: str = ""
    year: int | None = None
    doc_number: str = ""
    parent: str = ""


@dataclass(frozen=True)
class PairResult:
    """A compact, picklable comparison result (what workers send back and the cache keeps)."""

    parent: str
    child: str
    summary: dict[str, Any]
    pairs: tuple[tuple[Any, ...], ...]  # (relation, moved, score, parent_sid, child_sid)
    derived: float  # share of child clauses with a counterpart in the parent
    # per pair, the aligner's evidence: (matched_by, runner_up, margin, content, note, masked words)
    evidence: tuple[tuple[Any, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"parent": self.parent, "child": self.child, "summary": self.summary,
                "derived": self.derived, "pairs": [list(p) for p in self.pairs],
                "evidence": [[*e[:5], [list(m) for m in e[5]]] for e in self.evidence]}


@dataclass(frozen=True)
class Discovery:
    """Which parent a plan was found (or declared) to descend from."""

    child: str
    parent: str | None
    score: float
    margin: float
    confident: bool
    source: str  # manifest | cited | discovered | duplicate | none
    runner_up: str | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Evidence:
    """Why a parent was chosen (or why none was): every figure the decision used."""

    reason: str  # cited | content | manifest | duplicate | no-candidate | weak-content | no-margin
    citation: str = ""  # the sentence that cites the parent, as printed
    role: str = ""  # basis | implements | mention
    resolved_by: str = ""  # doc_number | title | fuzzy
    covers: float = 0.0  # share of the parent's tasks the child keeps (copied, localized or adapted)
    derived: float = 0.0  # share of the child's clauses with a counterpart in the parent
    level: str = ""  # the parent's level
    year: int | None = None  # the parent's year
    runner_up: str | None = None
    runner_up_covers: float = 0.0
    margin: float = 0.0
    versions: tuple[str, ...] = ()  # earlier versions of this document (same issuer and title)

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # 100,000 rows of long paths; anything bigger is not a manifest
MAX_CELL = 4096  # characters in one manifest cell (a path, a region)


def read_manifest(path: str | os.PathLike[str], allow_outside: bool = False) -> list[Entry]:
    """Read a manifest CSV; paths are relative to the manifest's folder.

    The manifest is decoded like a plan (UTF-8 ± BOM, UTF-16, GB18030, Big5). Unless
    ``allow_outside``, every path must lie inside the manifest's folder once symlinks are
    resolved: a manifest from elsewhere cannot make policydiff read (and copy into its
    outputs) /etc/passwd. The same plan listed twice (another spelling, a symlink, a hard
    link) is kept once, with a note on stderr; parents naming a plan that is not listed,
    self-parents and parent cycles are refused. Every problem is an :class:`InputError`
    naming the manifest and the line.
    """
    from .ingest import decode_bytes, read_bytes

    name = os.fspath(path)
    data = read_bytes(name, MAX_MANIFEST_BYTES, "manifest file")
    if not data.strip():
        raise InputError(name, "manifest is empty")
    text, _enc = decode_bytes(name, data)
    base = os.path.dirname(os.path.abspath(name))
    root = os.path.realpath(base)
    rows = _manifest_rows(name, text)
    if not rows:
        raise InputError(name, "manifest has no rows")
    header, body = rows[0], rows[1:]
    fields = [h.strip().lower() for h in header[1]]
    if "path" not in fields:
        raise InputError(name, "manifest needs a 'path' column (path, level, region, year, doc_number, parent)")
    out: list[Entry] = []
    line_of: dict[str, int] = {}  # kept path → its line, for messages
    same: dict[str, str] = {}  # any spelling of a listed plan → the path kept for it
    identity: dict[tuple[int, int] | str, str] = {}
    repeats: list[str] = []
    for n, cells in body:
        if not any(c.strip() for c in cells):
            continue  # a blank line
        row = dict(zip(fields, cells, strict=False))
        p = (row.get("path") or "").strip()
        if not p:
            raise InputError(name, f"line {n}: empty path")
        year = (row.get("year") or "").strip()
        # isdigit() accepts ² and other digits int() refuses; a year is four ASCII digits
        if year and not (len(year) == 4 and year.isascii() and year.isdigit()):
            raise InputError(name, f"line {n}: year {year!r} is not a year like 2017")
        level = (row.get("level") or "").strip()
        if level:
            canonical = canonical_level(level)
            if canonical is None:
                raise InputError(name, f"line {n}: level {level!r} is not one of {', '.join(LEVELS)} "
                                 "(or national, 国家, 省, 市, 县, 镇…)")
            level = canonical
        parent = (row.get("parent") or "").strip()
        full = _resolve(base, p)
        for what, q in (("path", full), ("parent", _resolve(base, parent) if parent else "")):
            if q and not allow_outside and not _inside(root, q):
                raise InputError(name, f"line {n}: {what} {p if what == 'path' else parent} is outside the "
                                       "manifest's folder (give --allow-outside to allow it)")
        key = _identity(full)
        if key in identity:
            kept = identity[key]
            repeats.append(f"line {n}: {p} is the same plan as line {line_of[kept]}")
            same[full] = kept
            continue
        identity[key] = full
        same[full] = full
        line_of[full] = n
        out.append(Entry(full, level, (row.get("region") or "").strip(), int(year) if year else None,
                         (row.get("doc_number") or "").strip(), _resolve(base, parent) if parent else ""))
    if not out:
        raise InputError(name, "manifest has no rows")
    _note_repeats(name, repeats)
    # a parent may be spelled differently from its own row: map it to the kept spelling
    fixed = []
    for e in out:
        parent = e.parent
        if parent:
            parent = same.get(parent) or identity.get(_identity(parent), parent)
        if parent and parent not in line_of:
            raise InputError(name, f"line {line_of[e.path]}: parent {os.path.relpath(parent, base)} "
                                   "is not in the manifest")
        fixed.append(Entry(e.path, e.level, e.region, e.year, e.doc_number, parent))
    _refuse_cycles(name, fixed, line_of)
    return fixed


def _note_repeats(name: str, repeats: list[str], shown: int = 3) -> None:
    """Say which rows were repeats, in a few lines however many there are."""
    from .errors import note

    for r in repeats[:shown]:
        note(f"{name}: {r}; listed once")
    if len(repeats) > shown:
        note(f"{name}: {len(repeats) - shown} more rows repeat a plan listed before; each listed once")


def _manifest_rows(name: str, text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) per CSV record; an unterminated quote or a huge cell is an error.

    Python's csv reader lets an unterminated quote swallow every later row; no manifest cell
    legitimately holds a line break, so a cell with one is reported at the line it started.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    start = 1
    try:
        for cells in reader:
            if any("\n" in c or "\r" in c for c in cells):
                raise InputError(name, f"line {start}: a quoted cell runs over {reader.line_num - start + 1} "
                                       "lines (an unterminated quote?)")
            if any(len(c) > MAX_CELL for c in cells):
                raise InputError(name, f"line {start}: a cell is longer than {MAX_CELL} characters")
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(name, f"line {start}: a cell is longer than {MAX_CELL} characters") from None
        raise InputError(name, f"line {start}: not valid CSV ({exc})") from None
    return rows


def _resolve(base: str, p: str) -> str:
    return os.path.normpath(p if os.path.isabs(p) else os.path.join(base, p))


def _inside(root: str, path: str) -> bool:
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _identity(path: str) -> tuple[int, int] | str:
    """What makes two spellings the same file: device and inode (hard links), else the real path."""
    try:
        st = os.stat(path)
        return (st.st_dev, st.st_ino)
    except OSError:
        return os.path.realpath(path)


def _refuse_cycles(name: str, entries: list[Entry], line_of: dict[str, int]) -> None:
    """A plan cannot descend from itself, directly or through others (trace would loop forever)."""
    parent_of = {e.path: e.parent for e in entries if e.parent}
    for e in entries:
        if e.parent == e.path:
            raise InputError(name, f"line {line_of[e.path]}: a plan cannot be its own parent")
    done: set[str] = set()
    for e in entries:
        chain: list[str] = []
        p = e.path
        while p in parent_of and p not in done:
            if p in chain:
                loop = chain[chain.index(p):]
                lines = ", ".join(str(line_of[q]) for q in loop)
                raise InputError(name, f"lines {lines}: parents form a cycle")
            chain.append(p)
            p = parent_of[p]
        done.update(chain)


def dedupe(paths: Iterable[str]) -> list[str]:
    """The paths once each, by file identity, in order; a note on stderr for every repeat."""
    from .errors import note

    seen: dict[tuple[int, int] | str, str] = {}
    out = []
    for p in paths:
        key = _identity(p)
        if key in seen:
            note(f"{p} is the same plan as {seen[key]}; compared once")
            continue
        seen[key] = p
        out.append(p)
    return out


@functools.lru_cache(maxsize=256)
def _load_cached(path: str, mtime: float) -> Document:
    from . import load

    return load(path)


def load_doc(path: str) -> Document:
    """Load a plan, once per process (workers compare one parent with many children)."""
    mtime = os.path.getmtime(path) if os.path.isfile(path) else 0.0  # load() reports what is wrong
    return _load_cached(path, mtime)


def compare_paths(parent: str, child: str) -> PairResult:
    """Compare two plan files; the unit of work sent to local processes or Dask workers."""
    from . import compare

    cmp = compare(load_doc(parent), load_doc(child))
    pairs = tuple((p.relation, p.moved, round(p.score, 4), p.parent.id if p.parent else None,
                   p.child.id if p.child else None) for p in cmp.pairs)
    # how much of the child comes from this parent: exact (copied/localized) clauses count fully,
    # adapted ones by their similarity, so a parent beats the grandparent it rewrote
    best: dict[str, float] = {}
    for p in cmp.pairs:
        if p.child is not None and p.relation != "added" and p.evidence.matched_by not in WEAK_PASSES:
            w = 1.0 if p.relation in ("copied", "localized") else 0.8 * p.score
            best[p.child.id] = max(best.get(p.child.id, 0.0), w)
    derived = round(sum(best.values()) / len(cmp.child.sentences), 4) if cmp.child.sentences else 0.0
    evidence = tuple((e.matched_by, round(e.runner_up, 4), round(e.margin, 4), round(e.content, 4), e.note,
                      tuple(tuple(m) for m in e.masked)) for e in (p.evidence for p in cmp.pairs))
    return PairResult(parent, child, dict(cmp.summary), pairs, derived, evidence)


def _digest(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


class Cache:
    """Comparison results on disk, keyed by both files' content and policydiff's version.

    The folder is checked (created, writable) before any work is done. A broken entry
    (truncated, another schema, a folder) is a miss: it is recomputed and rewritten, with one
    note. A failure to write an entry is a note too: results already computed are never lost.
    """

    def __init__(self, folder: str | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._warned = False
        if folder is not None:
            self._check_folder(folder)

    @staticmethod
    def _check_folder(folder: str) -> None:
        import tempfile

        if not folder:
            raise InputError("--cache", "empty folder name")
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise InputError(folder, "--cache must be a folder, and this is a file")
        try:
            os.makedirs(folder, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            raise InputError(folder, f"--cache folder cannot be written ({exc.strerror})") from None

    def _warn(self, message: str) -> None:
        if not self._warned:
            from .errors import note

            note(message)
            self._warned = True

    def key(self, parent: str, child: str) -> str:
        return hashlib.sha256(f"{_settings_text()}:{_digest(parent)}:{_digest(child)}".encode()).hexdigest()

    def get(self, parent: str, child: str) -> PairResult | None:
        if not self.folder:
            return None
        f = os.path.join(self.folder, self.key(parent, child) + ".json")
        if not os.path.exists(f):
            self.misses += 1
            return None
        try:
            with open(f, encoding="utf-8") as fh:
                d = json.load(fh)
            evidence = tuple((*e[:5], tuple(tuple(m) for m in e[5])) for e in d.get("evidence", ()))
            hit = PairResult(parent, child, dict(d["summary"]), tuple(tuple(p) for p in d["pairs"]),
                             float(d["derived"]), evidence)
            if not all(len(p) == 5 for p in hit.pairs) or "coverage" not in hit.summary:
                raise ValueError("wrong schema")
            if "evidence" not in d:
                self.misses += 1  # written before pairs carried their evidence: recomputed, not broken
                return None
            if len(evidence) != len(hit.pairs):
                raise ValueError("wrong schema")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self._warn(f"{self.folder}: ignoring a broken cache entry ({exc.__class__.__name__}); "
                       "recomputing and rewriting it")
            self.misses += 1
            return None
        self.hits += 1
        return hit

    def put(self, r: PairResult) -> None:
        if not self.folder:
            return
        from .errors import OutputError
        from .output import write_output

        f = os.path.join(self.folder, self.key(r.parent, r.child) + ".json")
        try:
            if os.path.isdir(f) and not os.path.islink(f):
                os.rmdir(f)  # an empty folder where an entry belongs; a full one stays (OSError)
            write_output(f, json.dumps(r.to_dict(), ensure_ascii=False))
        except (OSError, OutputError) as exc:
            self._warn(f"{self.folder}: cannot keep a result in the cache ({exc}); results are not affected")


def run_pairs(pairs: list[tuple[str, str]], jobs: int | None = None, scheduler: str = "local",
              address: str | None = None, cache: Cache | None = None, progress: bool = False) -> dict:
    """Compare many (parent, child) pairs; returns {(parent, child): PairResult}.

    ``scheduler="local"`` uses a process pool of ``jobs`` workers (1: in this process);
    ``scheduler="dask"`` submits the same work to the Dask cluster at ``address``.
    """
    cache = cache or Cache(None)
    results: dict[tuple[str, str], PairResult] = {}
    todo = []
    for pc in sorted(set(pairs)):
        hit = cache.get(*pc)
        if hit is not None:
            results[pc] = hit
        else:
            todo.append(pc)
    bar = _progress(len(todo), progress)
    if scheduler == "dask":
        from distributed import as_completed

        with _dask_client(address) as client:
            futures = client.map(compare_paths, [p for p, _ in todo], [c for _, c in todo], pure=True)
            for fut in as_completed(futures):
                r = fut.result()
                results[(r.parent, r.child)] = r
                bar.update(1)
    elif (jobs or 1) > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        # children sorted by parent so each worker loads a parent once
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, len(todo) // (jobs * 8))
            for r in pool.map(compare_paths, [p for p, _ in todo], [c for _, c in todo], chunksize=chunk):
                results[(r.parent, r.child)] = r
                bar.update(1)
    else:
        for p, c in todo:
            results[(p, c)] = compare_paths(p, c)
            bar.update(1)
    bar.close()
    for pc in todo:
        cache.put(results[pc])
    return results


DASK_CONNECT_TIMEOUT = 10  # seconds; a scheduler that does not answer by then is misconfigured


def _dask_client(address: str | None):
    """A Dask client for ``address``; an unreachable scheduler is a configuration error (exit 2)."""
    from distributed import Client

    from .errors import PolicydiffError

    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise PolicydiffError(f"--address {address}: cannot reach the Dask scheduler "
                              f"({exc.__class__.__name__}: {exc})") from None


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return _NoBar()
    from tqdm import tqdm

    try:
        cols = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        cols = 0
    # a terminal that reports no size (some ptys) would get an empty or hidden bar
    return tqdm(total=total, file=sys.stderr, unit="pair", desc="comparing", leave=False, ncols=cols or 80,
                nrows=24)


def _shingles(doc: Document) -> set[bytes]:
    body = "".join(re.sub(r"\W", "", s.masked) for s in doc.sentences)
    return {body[i : i + SHINGLE].encode("utf-8") for i in range(max(0, len(body) - SHINGLE + 1))}


def _minhash(doc: Document):
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1)
    sh = sorted(_shingles(doc))
    if sh:
        m.update_batch(sh)
    return m


def _level_rank(level: str) -> int | None:
    return LEVELS.index(level) if level in LEVELS else None


def _encloses(parent_region: str, child_region: str) -> bool:
    return bool(parent_region and child_region) and regions.encloses(parent_region, child_region)


def _older_or_same(parent: Entry, child: Entry) -> bool:
    return not (child.year and parent.year and parent.year > child.year)


def _higher(parent: Entry, child: Entry) -> bool:
    po, pe = _level_rank(parent.level), _level_rank(child.level)
    return po is not None and (pe is None or po < pe)


@dataclass(frozen=True)
class Lineage:
    """What the documents of a corpus say about each other before any comparison."""

    cites: dict[str, tuple[tuple[citations.Citation, str | None, str], ...]]  # (citation, path, by)
    versions: dict[str, tuple[str, ...]]  # a document → its earlier versions (same title, region)


def read_lineage(entries: list[Entry], docs: dict[str, Document]) -> Lineage:
    """Citations resolved against the corpus, and versions of one document (北京 2020 → 北京 2024)."""
    index = citations.Index((e.path, docs[e.path]) for e in entries)
    cites = {}
    for e in entries:
        out = []
        for c in citations.extract(docs[e.path]):
            r = index.resolve(c, e.path)
            out.append((c, r.path if r else None, r.by if r else ""))
        cites[e.path] = tuple(out)
    families: dict[tuple[str, str], list[Entry]] = {}
    for e in entries:
        key = citations.title_key(docs[e.path].title)
        if key:
            families.setdefault((key, e.region), []).append(e)
    versions: dict[str, tuple[str, ...]] = {}
    for fam in families.values():
        if len(fam) < 2:
            continue
        for e in fam:
            earlier = [o.path for o in fam if o.path != e.path and o.year and e.year and o.year < e.year]
            if earlier:
                versions[e.path] = tuple(sorted(earlier))
    return Lineage(cites, versions)


def candidates(entries: list[Entry], docs: dict[str, Document], lineage: Lineage | None = None) -> dict[str, list[str]]:
    """For each plan, possible parents (higher level, same or earlier year) and same-level twins.

    Three sources, none quadratic in compares: documents it cites (resolved by 文号 or title),
    MinHash/LSH neighbours, and plans of enclosing regions (national plans enclose every region).
    Cited documents come first; the rest are ranked by estimated Jaccard similarity.
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    hashes = {}
    for e in entries:
        hashes[e.path] = _minhash(docs[e.path])
        lsh.insert(e.path, hashes[e.path])
    meta = {e.path: e for e in entries}
    by_region: dict[str, list[str]] = {}
    for e in entries:
        if e.region:
            by_region.setdefault(e.region, []).append(e.path)
    out: dict[str, list[str]] = {}
    for e in entries:
        versions = set(lineage.versions.get(e.path, ())) if lineage else set()
        # a cited law may be in the corpus only in a later revision: it existed when it was cited
        cited = [path for c, path, _by in (lineage.cites.get(e.path, ()) if lineage else ())
                 if path and path != e.path and path not in versions and c.role != "mention"
                 and (_older_or_same(meta[path], e) or (docs[path].first_year or 9999) <= (e.year or 0))
                 and (_higher(meta[path], e) or meta[path].level == e.level)]
        found = set(lsh.query(hashes[e.path])) - {e.path}
        # plans of an enclosing region are candidates even when their text drifted (looked up
        # through the gazetteer, not by testing every plan: that would be quadratic)
        for name in regions.enclosing_names(e.region) | ({"全国"} if e.region != "全国" else set()):
            found |= {o for o in by_region.get(name, ()) if o != e.path}
        keep = []
        for o in sorted(found - set(cited) - versions):
            po, pe = _level_rank(meta[o].level), _level_rank(e.level)
            if po is None or (pe is not None and po > pe):
                continue  # a plan whose own level is unknown may descend from any level
            if not _older_or_same(meta[o], e):
                continue
            if po == pe and hashes[e.path].jaccard(hashes[o]) < TWIN_JACCARD:
                continue  # the same level can only be a twin, and a twin shares almost all its text
            keep.append(o)
        keep.sort(key=lambda o: (-hashes[e.path].jaccard(hashes[o]) - (0.5 if _encloses(meta[o].region, e.region)
                                                                      else 0), o))
        out[e.path] = list(dict.fromkeys(cited)) + keep
    return out


def result_settings() -> dict[str, Any]:
    """What a comparison result depends on besides the two files: policydiff's version, every
    threshold of the aligner and the rule tables. A result made under other settings is not reused."""
    import dataclasses

    from .align import DEFAULT
    from .rules import fingerprint

    return {"policydiff": __version__, "align": dataclasses.asdict(DEFAULT), "rules": fingerprint()}


@functools.cache
def _settings_text() -> str:
    return json.dumps(result_settings(), sort_keys=True, ensure_ascii=False)


@functools.cache
def _frame_clauses() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{row[0]})" for row in load_table("frame_clauses.tsv")))


def is_frame(text: str) -> bool:
    """Is this a clause every law has (总则, 为了…制定本条例, 本条例自…施行; ``rules/frame_clauses.tsv``)?"""
    return _frame_clauses().search(re.sub(r"\s", "", text)) is not None


def task_coverage(parent: Document, result: PairResult) -> float:
    """Share of the parent's tasks (items with clauses) of which the child keeps at least one clause.

    Frame clauses (:func:`is_frame`) are no tasks: any two laws keep each other's 总则 and 附则.
    """
    passes = [e[0] for e in result.evidence] if len(result.evidence) == len(result.pairs) else [""] * len(result.pairs)
    kept = {sid for (rel, _m, _s, sid, _c), how in zip(result.pairs, passes, strict=True)
            if sid is not None and rel != "dropped" and how not in WEAK_PASSES}
    tasks: dict[str, bool] = {}
    for sent in parent.sentences:
        if is_frame(sent.text):
            continue
        tasks[sent.item_id] = tasks.get(sent.item_id, False) or sent.id in kept
    return round(sum(tasks.values()) / len(tasks), 4) if tasks else 0.0


@dataclass
class Corpus:
    """A set of plans, the comparisons between them, and the inheritance graph."""

    entries: list[Entry]
    docs: dict[str, Document]
    discoveries: dict[str, Discovery]
    results: dict[tuple[str, str], PairResult]
    graph: Any = None
    cache: Cache = field(default_factory=lambda: Cache(None))
    lineage: Lineage = field(default_factory=lambda: Lineage({}, {}))

    @classmethod
    def from_manifest(cls, manifest: str | os.PathLike[str], allow_outside: bool = False, **kw: Any) -> Corpus:
        """Build a corpus from a manifest CSV (see :func:`read_manifest`)."""
        return cls.build(read_manifest(manifest, allow_outside=allow_outside), **kw)

    @classmethod
    def from_files(cls, files: Iterable[str], **kw: Any) -> Corpus:
        """Build a corpus from plan files, reading level/region/year from each plan (each file once)."""
        return cls.build([Entry(p) for p in dedupe(os.path.normpath(f) for f in files)], **kw)

    @classmethod
    def build(cls, entries: list[Entry], jobs: int | None = None, scheduler: str = "local",
              address: str | None = None, cache_dir: str | None = None, progress: bool = False,
              discover: bool = True, on_stage: Callable[[str], None] | None = None,
              cache: Cache | None = None) -> Corpus:
        """Load, discover parents, compare, and build the graph.

        ``cache`` (e.g. a results database's, see :mod:`policydiff.db`) replaces the folder cache
        of ``cache_dir``.
        """
        from .graph import build_graph

        jobs = jobs or os.cpu_count() or 1
        cache = cache if cache is not None else Cache(cache_dir)  # checked before the work, not after it
        if len({e.path for e in entries}) < len(entries):  # entries not from read_manifest/from_files
            seen: set[str] = set()
            entries = [e for e in entries if not (e.path in seen or seen.add(e.path))]  # the first one wins
            from .errors import note

            note("the same plan was given more than once; compared once")
        # loaded here for the graph and trace, through the same per-process cache that
        # compare_paths uses, so a serial run does not load a plan twice
        docs = {e.path: load_doc(e.path) for e in entries}
        entries = [_fill(e, docs[e.path]) for e in entries]
        by_path = {e.path: e for e in entries}
        for e in entries:
            if e.parent and e.parent not in by_path:
                raise InputError(e.path, f"parent {e.parent} is not in the manifest")
        lineage = read_lineage(entries, docs) if discover else Lineage({}, {})
        cands = candidates(entries, docs, lineage) if discover else {e.path: [] for e in entries}
        confirm = {e.path: _to_confirm(e, cands[e.path], lineage, by_path) for e in entries}
        pairs = set()
        for e in entries:
            if e.parent:
                pairs.add((e.parent, e.path))
            for o in confirm[e.path]:
                pairs.add((o, e.path))
        results = run_pairs(sorted(pairs), jobs, scheduler, address, cache, progress)
        from .normalize import is_traditional

        # of two twins the original stays: a plan in simplified script before a converted one,
        # then manifest order
        order = {e.path: (is_traditional(docs[e.path].source), n) for n, e in enumerate(entries)}
        covers = {k: task_coverage(docs[k[0]], r) for k, r in results.items()}
        discoveries = {e.path: _decide(e, confirm[e.path], results, covers, by_path, order, lineage)
                       for e in entries}
        # a duplicate (the same plan twice) is no one's parent: decide again without them
        twins = {p for p, d in discoveries.items() if d.source == "duplicate"}
        for e in entries:
            if discoveries[e.path].source != "duplicate" and any(o in twins for o in confirm[e.path]):
                kept = [o for o in confirm[e.path] if o not in twins]
                discoveries[e.path] = _decide(e, kept, results, covers, by_path, order, lineage)
        corpus = cls(entries, docs, discoveries, results, None, cache, lineage)
        corpus.graph = build_graph(corpus)
        return corpus

    def edges(self) -> list[tuple[str, str, str]]:
        """Document edges (parent, child, kind) chosen: inherits or duplicate."""
        out = []
        for d in self.discoveries.values():
            if d.parent:
                out.append((d.parent, d.child, "duplicate" if d.source == "duplicate" else "inherits"))
        return sorted(out)

    def trace(self, query: str) -> dict[str, Any]:
        """A clause's lineage down and up the levels (see :func:`policydiff.graph.trace`)."""
        from .graph import trace

        return trace(self, query)

    def to_frame(self, root: str | None = None):
        """One row per plan: discovered parent, score, margin, and comparison summary.

        Paths are relative to ``root`` when given (as in :meth:`to_dict`); years and counts stay
        integers (pandas' nullable Int64), so a plan without a parent has blanks, not NaN floats.
        """
        import pandas as pd

        rel = (lambda p: os.path.relpath(p, root) if p else p) if root else (lambda p: p)
        counts = ("copied", "localized", "adapted", "dropped", "added")
        rows = []
        for e in self.entries:
            d = self.discoveries[e.path]
            r = self.results.get((d.parent, e.path)) if d.parent else None
            rows.append({"path": rel(e.path), "level": e.level, "region": e.region, "year": e.year,
                         "parent": rel(d.parent), "source": d.source, "score": d.score, "margin": d.margin,
                         "confident": d.confident, "runner_up": rel(d.runner_up),
                         "reason": d.evidence.reason if d.evidence else "",
                         "citation": d.evidence.citation if d.evidence else "",
                         "role": d.evidence.role if d.evidence else "",
                         "covers": d.evidence.covers if d.evidence else None,
                         **{k: (r.summary[k] if r else None) for k in counts}})
        frame = pd.DataFrame(rows)
        for col in ("year", *counts):
            frame[col] = frame[col].astype("Int64")
        return frame

    def to_dict(self, root: str | None = None) -> dict[str, Any]:
        """JSON-ready description: plans, discovered parents, comparison summaries."""
        rel = (lambda p: os.path.relpath(p, root)) if root else (lambda p: p)
        plans = []
        for e in self.entries:
            d = self.discoveries[e.path]
            doc = self.docs[e.path]
            plans.append({"path": rel(e.path), "title": doc.title, "level": e.level, "region": e.region,
                          "year": e.year, "doc_number": e.doc_number,
                          "parent": rel(d.parent) if d.parent else None, "source": d.source,
                          "score": d.score, "margin": d.margin, "confident": d.confident,
                          "runner_up": rel(d.runner_up) if d.runner_up else None,
                          "evidence": _rel_evidence(d.evidence, rel),
                          "versions": [rel(v) for v in self.lineage.versions.get(e.path, ())],
                          "cites": [{"title": c.title, "issuer": c.issuer, "doc_number": c.doc_number,
                                     "role": c.role, "resolved": rel(path) if path else None, "by": by}
                                    for c, path, by in self.lineage.cites.get(e.path, ())]})
        comparisons = [{"parent": rel(p), "child": rel(c), "summary": r.summary, "derived": r.derived}
                       for (p, c), r in sorted(self.results.items())]
        return {"plans": plans, "comparisons": comparisons}


def _fill(e: Entry, doc: Document) -> Entry:
    """Fill blanks in a manifest row from the plan's own front matter."""
    return Entry(e.path, e.level or doc.level, e.region or doc.region, e.year or doc.year,
                 e.doc_number or doc.doc_number, e.parent)


def _to_confirm(e: Entry, cands: list[str], lineage: Lineage, by_path: dict[str, Entry]) -> list[str]:
    """The candidates worth a full compare: the cited ones (at most 3) and a possible twin, else the
    best CONFIRM_TOP others."""
    cited = {path for c, path, _by in lineage.cites.get(e.path, ()) if path and c.role != "mention"}
    first = [o for o in cands if o in cited][:3]
    if first:  # a resolved citation decides; content only measures it — but a twin cites the same
        twins = [o for o in cands if o not in cited and by_path[o].level == e.level][:1]
        return first + twins
    return [o for o in cands if o not in cited][:CONFIRM_TOP]


def _rel_evidence(ev: Evidence | None, rel: Callable[[str], str]) -> dict[str, Any] | None:
    if ev is None:
        return None
    out = ev.to_dict()
    out["runner_up"] = rel(ev.runner_up) if ev.runner_up else None
    out["versions"] = [rel(v) for v in ev.versions]
    return out


def _decide(e: Entry, cands: list[str], results: dict, covers: dict, by_path: dict[str, Entry],
            order: dict[str, tuple[bool, int]], lineage: Lineage | None = None) -> Discovery:
    """Choose a plan's parent from all the evidence; see DESIGN.md (parent decision).

    A resolved citation (legal basis or implementation) of an older document of a higher level
    (or of the same level, for a 细则 of its 条例) decides, nearest level first: a city citing the
    national law and its province's 条例 descends from the province. Without one, content decides:
    the candidate whose tasks the child covers most, adapted ones included, if it covers enough
    and leads the runner-up. Later versions of the same document are versions, never parents.
    """
    lineage = lineage or Lineage({}, {})
    versions = lineage.versions.get(e.path, ())
    scored = []
    for o in cands:
        r = results.get((o, e.path))
        if r is not None:
            scored.append((r.derived, o, r))
    scored.sort(key=lambda x: (-x[0], x[1]))
    def cover(o: str) -> float:
        return covers.get((o, e.path), 0.0)

    def derived(o: str) -> float:
        r = results.get((o, e.path))
        return r.derived if r is not None else 0.0

    higher = [(cover(o), o) for _sc, o, _r in scored if _higher(by_path[o], e) and o not in versions]
    higher.sort(key=lambda x: (-x[0], x[1]))
    if e.parent:
        runner = next(((sc, o) for sc, o in higher if o != e.parent and not _encloses(by_path[o].region,
                                                                                   by_path[e.parent].region)),
                      (0.0, None))
        ev = Evidence("manifest", covers=cover(e.parent), derived=derived(e.parent), level=by_path[e.parent].level,
                      year=by_path[e.parent].year, runner_up=runner[1], runner_up_covers=runner[0],
                      margin=round(cover(e.parent) - runner[0], 4), versions=versions)
        return Discovery(e.path, e.parent, cover(e.parent), ev.margin, True, "manifest", runner[1], ev)
    # a twin at the same level (the same plan in another script or format) is a duplicate; after the
    # manifest, whose parent is the user's word (two cities localized from one province can be twins)
    for score, o, r in scored:
        same = by_path[o].level == e.level
        if same and r.summary["coverage"] >= DUPLICATE_SCORE and score >= DUPLICATE_SCORE and order[o] < order[e.path]:
            return Discovery(e.path, o, score, 1.0, True, "duplicate", evidence=Evidence("duplicate", derived=score))
    cited = []
    for c, path, by in lineage.cites.get(e.path, ()):
        if path and path in cands and c.role != "mention" and path not in versions:
            cited.append((c, path, by))
    if cited:
        # nearest level first, then the newest: the province's 条例 before the national law
        c, best, by = max(cited, key=lambda x: (_level_rank(by_path[x[1]].level) or 0, by_path[x[1]].year or 0,
                                                 ("basis", "implements").index(x[0].role) * -1))
        others = [(cover(o), o) for _c, o, _b in cited if o != best] or [x for x in higher if x[1] != best]
        runner_c, runner = max(others, default=(0.0, None))
        ev = Evidence("cited", c.quote[:300], c.role, by, cover(best), derived(best), by_path[best].level,
                      by_path[best].year, runner, runner_c, round(cover(best) - runner_c, 4), versions)
        return Discovery(e.path, best, cover(best), ev.margin, True, "cited", runner, ev)
    if not higher:
        return Discovery(e.path, None, 0.0, 0.0, False, "none",
                         evidence=Evidence("no-candidate", versions=versions))
    # content score: the parent's tasks the child covers, and the share of the child derived from it
    # (covers alone saturates when several candidates keep every task, e.g. sibling plans of a copy)
    content = sorted(((0.5 * sc + 0.5 * derived(o), o) for sc, o in higher), key=lambda x: (-x[0], x[1]))
    top = content[0][0]
    # the grandparent resembles the child too: among near-best candidates take the nearest level
    near = [(sc, o) for sc, o in content if sc >= top - NEAREST_SLACK]
    # … and of equally good candidates the one whose region encloses the child's (the gazetteer prior)
    best_s, best = max(near, key=lambda x: (_level_rank(by_path[x[1]].level),
                                            _encloses(by_path[x[1]].region, e.region), x[0], -order[x[1]][1]))
    rivals = [(sc, o) for sc, o in content if o != best and not _encloses(by_path[o].region, by_path[best].region)]
    runner_s, runner = rivals[0] if rivals else (0.0, None)
    margin = round(best_s - runner_s, 4)
    # the gazetteer is evidence too: a plan of the enclosing region needs only to lead, not by a margin
    enclosing = _encloses(by_path[best].region, e.region) or by_path[best].region == "全国"
    # or a child that takes much of its text from the candidate while covering fewer of its tasks (许昌市文明行为
    # 促进条例 keeps 23 % of 河南's tasks, and 26 % of its own text comes from them)
    strong = cover(best) >= CONFIDENT_COVER or (cover(best) >= DERIVED_COVER and derived(best) >= CONFIDENT_DERIVED)
    # among near-equal candidates, being the only one of the child's enclosing region at this level
    # decides (synthetic siblings differ by a hair; the gazetteer does not)
    alone = _encloses(by_path[best].region, e.region) and not any(o != best and by_path[o].level == by_path[best].level
                                  and _encloses(by_path[o].region, e.region) for _sc, o in near)
    confident = strong and (margin >= CONFIDENT_MARGIN or (enclosing and margin > 0) or alone)
    reason = "content" if confident else ("weak-content" if not strong else "no-margin")
    ev = Evidence(reason, covers=cover(best), derived=derived(best), level=by_path[best].level,
                  year=by_path[best].year, runner_up=runner if confident else best,
                  runner_up_covers=cover(runner) if confident and runner else cover(best),
                  margin=margin, versions=versions)
    return Discovery(e.path, best if confident else None, round(best_s, 4), margin, confident,
                     "discovered" if confident else "none", runner if confident else best, ev)
