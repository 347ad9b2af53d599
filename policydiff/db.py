"""db: a corpus run's results in a SQLite database (written with sqlite-utils), and read back.

One job: write and read the store. The schema (:data:`SCHEMA`) holds, per table, its columns
with a description in Chinese and English; the same table feeds the DDL, Datasette's metadata
and the README. The database mirrors the latest run of ``policydiff corpus --db``:

- rows are keyed by ids derived from paths (a 63-bit hash), so the same inputs give the same rows
  whatever the history of runs (a run from scratch and an incremental one agree);
- a rerun reuses every comparison whose two documents have the same content (sha256) under the
  same policydiff version and thresholds (:func:`settings`), and computes only the rest;
  results of other settings are never mixed in: they are dropped and recomputed;
- a run is written in one transaction, under an exclusive lock on the file: a crash, Ctrl-C or
  kill -9 leaves the previous state, and a second run at the same time fails with one line;
- a file that is not a policydiff database (another program's, corrupt) is an error naming it,
  never overwritten.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import PolicydiffError

if TYPE_CHECKING:
    import networkx as nx

    from .corpus import Corpus, PairResult

APP = "policydiff"
SCHEMA_VERSION = 1
HEADER = b"SQLite format 3\x00"
DISCOVERY = ("LSH_THRESHOLD", "NUM_PERM", "SHINGLE", "CONFIRM_TOP", "CONFIDENT_SCORE", "CONFIDENT_MARGIN",
             "DUPLICATE_SCORE", "TWIN_JACCARD", "NEAREST_SLACK", "CONFIDENT_COVER")
COUNTS = ("copied", "localized", "adapted", "dropped", "added", "moved")


class DatabaseError(PolicydiffError):
    """A results database that cannot be used: foreign, corrupt, locked by another run."""


@dataclass(frozen=True)
class Column:
    name: str
    type: type
    zh: str
    en: str


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    pk: str | tuple[str, ...] = "id"
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    label: str | None = None  # the column Datasette shows for a foreign key to this table


def _cols(*spec: tuple[str, type, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


DOC_ID = ("id", int, "文档编号（路径的哈希）", "document id (a hash of its path)")
SCHEMA: tuple[Table, ...] = (
    Table("meta", "运行信息", "about the run: policydiff version, settings, command, dates",
          _cols(("key", str, "键", "key"), ("value", str, "值", "value")), pk="key"),
    Table("documents", "文档", "the plans of the corpus, with their front matter", _cols(
        DOC_ID,
        ("path", str, "路径（相对清单所在目录）", "path, relative to the manifest's folder (as in the JSON)"),
        ("file", str, "本次运行读取的文件（非绝对路径时相对 meta.root）",
         "the file as this run named it (relative to meta.root unless absolute)"),
        ("position", int, "在清单中的顺序", "order in the manifest"),
        ("sha256", str, "文件内容哈希", "sha256 of the file's bytes"),
        ("title", str, "标题", "title"), ("doc_number", str, "文号", "document number (文号)"),
        ("issuer", str, "发文机关", "issuer"), ("date", str, "日期", "date"),
        ("level", str, "层级", "level: nation, province, city, district, town"),
        ("region", str, "地区", "region"), ("year", int, "年份", "year"),
        ("first_year", int, "首次通过年份（修订本）", "year first adopted, for a revision"),
        ("encoding", str, "文件编码", "encoding of the file"),
        ("n_items", int, "条目数", "number of outline items"), ("n_clauses", int, "句子数", "number of clauses"),
        ("versions", str, "同一文件的早期版本（JSON 路径）", "earlier versions of this document (JSON paths)")),
        indexes=(("sha256",), ("level", "region")), label="path"),
    Table("items", "条目", "outline items (一、 / （一） / 第一条 …) of each document", _cols(
        ("id", int, "条目编号", "item id (a hash of document path and item id)"),
        ("document_id", int, "所属文档", "document"),
        ("item_id", str, "文档内条目编号", "the item's id inside its document (i12)"),
        ("path", str, "条目路径（如 2.3.1）", "canonical item path, e.g. 2.3.1"),
        ("number", str, "序号（如 （三））", "number as printed"), ("title", str, "小标题", "item title"),
        ("body", str, "正文", "item body"), ("depth", int, "层级深度", "depth in the outline"),
        ("parent_item", str, "上级条目编号", "parent item's id inside the document"),
        ("kind", str, "类型", "outline, paragraph, preamble or table"),
        ("start", int, "起始字符位置", "start offset in the normalized text"),
        ("end", int, "结束字符位置", "end offset in the normalized text"),
        ("position", int, "文档内顺序", "order in the document")),
        foreign_keys=(("document_id", "documents", "id"),), indexes=(("document_id", "path"),), label="path"),
    Table("clauses", "句子（条款）", "clauses: text, jurisdiction-masked text, responsible units", _cols(
        ("id", int, "句子编号", "clause id (a hash of document path and clause id)"),
        ("document_id", int, "所属文档", "document"), ("item_ref", int, "所属条目", "item"),
        ("sid", str, "文档内句子编号（s12）", "the clause's id inside its document (s12)"),
        ("position", int, "文档内顺序", "order in the document"),
        ("item", str, "条目路径", "path of its item, e.g. 2.3.1"), ("text", str, "原文", "text"),
        ("masked", str, "屏蔽地名机关后的文本", "text with jurisdiction words masked (省/市, agencies)"),
        ("note", str, "责任分工说明", "responsibility note as printed"),
        ("responsible", str, "责任单位（JSON 数组）", "responsible units (JSON array)"),
        ("lead", str, "牵头单位（JSON 数组）", "lead units (JSON array)"),
        ("support", str, "配合单位（JSON 数组）", "cooperating units (JSON array)"),
        ("start", int, "起始字符位置", "start offset"), ("end", int, "结束字符位置", "end offset")),
        foreign_keys=(("document_id", "documents", "id"), ("item_ref", "items", "id")),
        indexes=(("document_id", "position"), ("item_ref",)), label="text"),
    Table("citations", "引用", "documents a document names (根据《…》, 为贯彻落实《…》)", _cols(
        ("id", int, "引用编号", "citation id"), ("from_id", int, "引用方文档", "citing document"),
        ("position", int, "文中顺序", "order in the citing document"),
        ("title", str, "被引标题", "cited title, as printed inside 《》"),
        ("issuer", str, "被引发文机关", "cited issuer"),
        ("doc_number", str, "被引文号", "cited document number"),
        ("role", str, "作用：basis 依据 / implements 贯彻 / mention 提及", "role: basis, implements or mention"),
        ("quote", str, "引用所在句子", "the sentence that cites it"),
        ("to_id", int, "在语料中解析到的文档", "the corpus document it resolves to, if any"),
        ("resolved_by", str, "解析方式：文号、标题、模糊", "how it was resolved: doc_number, title or fuzzy"),
        ("resolved", int, "是否解析到语料中的文档", "1 when it resolves to a document of the corpus")),
        foreign_keys=(("from_id", "documents", "id"), ("to_id", "documents", "id")),
        indexes=(("from_id",), ("to_id",))),
    Table("comparisons", "比对", "parent → child comparisons with their figures", _cols(
        ("id", int, "比对编号", "comparison id (a hash of both paths)"),
        ("parent_id", int, "上级文档", "parent document"), ("child_id", int, "下级文档", "child document"),
        ("parent_sha", str, "上级文件哈希", "sha256 of the parent file compared"),
        ("child_sha", str, "下级文件哈希", "sha256 of the child file compared"),
        ("policydiff_version", str, "policydiff 版本", "policydiff version that computed it"),
        ("settings_key", str, "阈值设置哈希（见 meta.settings）", "hash of the thresholds used (see meta.settings)"),
        ("copied", int, "照搬", "clauses copied"), ("localized", int, "本地化", "clauses localized (省→市)"),
        ("adapted", int, "改写", "clauses adapted"), ("dropped", int, "删除", "parent clauses dropped"),
        ("added", int, "新增", "child clauses added"), ("moved", int, "移位", "pairs moved"),
        ("coverage", float, "上级句子保留比例", "share of parent clauses kept"),
        ("derived", float, "下级来自上级的比例", "share of the child derived from the parent"),
        ("covers", float, "上级任务覆盖率", "share of the parent's tasks the child keeps"),
        ("summary", str, "摘要（JSON，同 compare 输出）", "summary as in compare's JSON"),
        ("report", str, "HTML 比对报告文件名", "file name of the HTML diff report (policydiff graph --reports)")),
        foreign_keys=(("parent_id", "documents", "id"), ("child_id", "documents", "id")),
        indexes=(("parent_sha", "child_sha", "settings_key"), ("parent_id",), ("child_id",))),
    Table("pairs", "句子对应", "clause → clause pairs of each comparison, with the aligner's evidence", _cols(
        ("comparison_id", int, "所属比对", "comparison"), ("position", int, "顺序", "order in the comparison"),
        ("relation", str, "关系：照搬/本地化/改写/删除/新增", "copied, localized, adapted, dropped or added"),
        ("moved", int, "是否移位", "1 when moved"), ("score", float, "相似度", "similarity"),
        ("parent_clause", int, "上级句子", "parent clause (empty when added)"),
        ("child_clause", int, "下级句子", "child clause (empty when dropped)"),
        ("parent_sid", str, "上级句子编号", "parent clause id (s12)"),
        ("child_sid", str, "下级句子编号", "child clause id (s12)"),
        ("matched_by", str, "匹配方式", "aligner pass: outline, reorder, sequence, rescue, split, merge, unmatched"),
        ("runner_up", float, "次优相似度", "best similarity of either clause with another clause"),
        ("margin", float, "领先幅度", "score − runner_up"),
        ("content", float, "内容词相似度", "IDF-weighted bigram cosine"),
        ("note_change", str, "责任说明变化", "how the responsibility note changed"),
        ("masked", str, "替换的地名机关词（JSON）", "jurisdiction words changed (JSON [[old, new], …])")),
        pk=("comparison_id", "position"),
        foreign_keys=(("comparison_id", "comparisons", "id"), ("parent_clause", "clauses", "id"),
                      ("child_clause", "clauses", "id")),
        indexes=(("parent_clause",), ("child_clause",), ("relation",))),
    Table("discoveries", "上级判定", "each document's parent: the decision and its evidence", _cols(
        ("child_id", int, "文档", "document"), ("parent_id", int, "判定的上级", "parent chosen (empty: none)"),
        ("source", str, "依据：manifest/cited/discovered/duplicate/none",
         "manifest, cited, discovered, duplicate or none"),
        ("score", float, "得分", "score"), ("margin", float, "领先幅度", "margin over the runner-up"),
        ("confident", int, "是否确信", "1 when confident"), ("runner_up_id", int, "次优候选", "runner-up candidate"),
        ("reason", str, "理由", "evidence: cited, content, manifest, duplicate, no-candidate, weak-content, no-margin"),
        ("citation", str, "引用原句", "the sentence citing the parent"), ("role", str, "引用作用", "citation role"),
        ("resolved_by", str, "解析方式", "how the citation was resolved"),
        ("covers", float, "上级任务覆盖率", "share of the parent's tasks the child keeps"),
        ("derived", float, "来自上级的比例", "share of the child derived from the parent"),
        ("parent_level", str, "上级层级", "the parent's level"), ("parent_year", int, "上级年份", "the parent's year"),
        ("evidence_runner_up_id", int, "证据中的次优候选", "runner-up named by the evidence"),
        ("runner_up_covers", float, "次优候选覆盖率", "runner-up's task coverage"),
        ("evidence_margin", float, "证据中的领先幅度", "margin named by the evidence"),
        ("versions", str, "同一文件的早期版本（JSON）", "earlier versions of this document (JSON paths)")),
        pk="child_id",
        foreign_keys=(("child_id", "documents", "id"), ("parent_id", "documents", "id"),
                      ("runner_up_id", "documents", "id"), ("evidence_runner_up_id", "documents", "id")),
        indexes=(("parent_id",),)),
    Table("edges", "继承关系", "the inheritance graph: parent → child (inherits or duplicate)", _cols(
        ("parent_id", int, "上级文档", "parent document"), ("child_id", int, "下级文档", "child document"),
        ("kind", str, "类型：inherits 继承 / duplicate 重复", "inherits or duplicate"),
        ("comparison_id", int, "比对", "the comparison behind it")),
        pk=("parent_id", "child_id"),
        foreign_keys=(("parent_id", "documents", "id"), ("child_id", "documents", "id"),
                      ("comparison_id", "comparisons", "id")),
        indexes=(("child_id",),)),
)
TABLES = {t.name: t for t in SCHEMA}
FTS = "clauses_fts"  # FTS5 over clauses.text with the trigram tokenizer: any 3+ characters of Chinese


def settings() -> dict[str, Any]:
    """Everything a stored result depends on: what a comparison does (:func:`corpus.result_settings`),
    the schema and the discovery constants."""
    from . import corpus

    return {**corpus.result_settings(), "schema": SCHEMA_VERSION,
            "discovery": {name: getattr(corpus, name) for name in DISCOVERY}}


def settings_key(s: dict[str, Any] | None = None) -> str:
    """A short hash of :func:`settings`: results with another key are never reused."""
    text = json.dumps(s or settings(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def row_id(*parts: str) -> int:
    """A stable 63-bit id from names (a path, a clause id): same inputs, same ids, in any run order."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- checking and locking a database file -----------------------------------------------------

def check(path: str) -> bool:
    """Is ``path`` a policydiff database (True), absent or empty (False)? Anything else is an error.

    A hot journal left by a killed run is rolled back by SQLite when the file is first read.
    """
    if not os.path.exists(path):
        if os.path.islink(path):
            raise DatabaseError(f"{path}: a broken symlink; give another --db")
        return False
    if os.path.isdir(path):
        raise DatabaseError(f"{path}: is a folder; give a database file name, e.g. results.db")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(HEADER))
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot be read ({exc.strerror})") from None
    if not head:
        return False
    if head != HEADER:
        raise DatabaseError(f"{path}: not a SQLite database; not overwritten (give another --db)")
    try:
        conn = sqlite3.connect(path)
        try:
            tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
            if not tables:
                return False
            meta = dict(conn.execute("select key, value from meta")) if "meta" in tables else {}
            if meta.get("app") != APP:
                raise DatabaseError(f"{path}: a SQLite database of another program (no policydiff meta table); "
                                    "not overwritten (give another --db)")
            ok = conn.execute("pragma quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: corrupt SQLite database ({exc}); not overwritten") from None
    if ok != "ok":
        raise DatabaseError(f"{path}: corrupt SQLite database ({ok}); not overwritten")
    if int(meta.get("schema", 0)) > SCHEMA_VERSION:
        raise DatabaseError(f"{path}: written by a newer policydiff (schema {meta['schema']}); not overwritten")
    return True


@contextmanager
def locked(path: str) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` for a whole run; yields whether it holds results already.

    The lock is ``flock`` on the database file itself (SQLite's own locks are fcntl locks, which
    do not conflict): a second run on the same file fails at once instead of computing for hours
    and then waiting. A file this run created and never wrote is removed again.
    """
    if os.path.isdir(path) or (os.path.islink(path) and not os.path.exists(path)):
        check(path)  # the error for a folder or a broken link
    created = not os.path.exists(path)
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot be opened for writing ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise DatabaseError(f"{path}: another policydiff run is writing this database; "
                                    "wait for it to finish or give another --db") from None
            raise DatabaseError(f"{path}: cannot be locked ({exc.strerror})") from None
        # checked under the lock: never while another run is committing
        yield check(path)
    finally:
        os.close(fd)
        if created and os.path.exists(path) and os.path.getsize(path) == 0:
            os.unlink(path)


# --- the cache a run reads from the database ----------------------------------------------------

class ResultsCache:
    """Comparison results from the database, by both files' content and the settings.

    Stands in for :class:`policydiff.corpus.Cache` in :func:`policydiff.corpus.run_pairs`; what the
    database does not have comes from ``fallback`` (a ``--cache`` folder) or is computed.
    ``hits`` counts results reused, ``misses`` comparisons computed.
    """

    def __init__(self, path: str | None, fallback: Any = None) -> None:
        from .corpus import Cache

        self.path = path
        self.fallback = fallback if fallback is not None else Cache(None)
        self.hits = 0
        self.misses = 0
        self.computed: list[tuple[str, str]] = []
        self.key = settings_key()
        self.stale = False  # the database holds results of other settings: none is reused
        self._index: dict[tuple[str, str], int] = {}
        self._digests: dict[str, str] = {}
        if path and os.path.exists(path) and os.path.getsize(path):
            with _connect(path) as conn:
                tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
                if "comparisons" in tables:
                    meta = dict(conn.execute("select key, value from meta"))
                    self.stale = meta.get("settings_key") != self.key
                    if not self.stale:
                        for cid, ps, cs in conn.execute("select id, parent_sha, child_sha from comparisons "
                                                        "where settings_key = ?", (self.key,)):
                            self._index[(ps, cs)] = cid

    def digest(self, path: str) -> str:
        if path not in self._digests:
            with open(path, "rb") as fh:
                self._digests[path] = hashlib.sha256(fh.read()).hexdigest()
        return self._digests[path]

    def get(self, parent: str, child: str) -> PairResult | None:
        from .corpus import PairResult

        cid = self._index.get((self.digest(parent), self.digest(child)))
        if cid is None:
            hit = self.fallback.get(parent, child)
            if hit is None:
                self.misses += 1
                self.computed.append((parent, child))
            else:
                self.hits += 1
            return hit
        # one short-lived connection per lookup: the process pool forks after the lookups, and a
        # connection must never be carried into a forked worker
        with _connect(self.path) as conn:
            summary, derived = conn.execute("select summary, derived from comparisons where id = ?",
                                            (cid,)).fetchone()
            rows = conn.execute("select relation, moved, score, parent_sid, child_sid, matched_by, runner_up, "
                                "margin, content, note_change, masked from pairs where comparison_id = ? "
                                "order by position", (cid,)).fetchall()
        self.hits += 1
        pairs = tuple((r[0], bool(r[1]), r[2], r[3], r[4]) for r in rows)
        evidence = tuple((r[5], r[6], r[7], r[8], r[9], tuple(tuple(m) for m in json.loads(r[10])))
                         for r in rows)
        return PairResult(parent, child, json.loads(summary), pairs, derived, evidence)

    def put(self, result: PairResult) -> None:
        self.fallback.put(result)  # the database itself is written once, by save(), in one transaction


@contextmanager
def _connect(path: str, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    if readonly:
        from urllib.parse import quote

        conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(path)
    try:
        yield conn
    finally:
        conn.close()


# --- writing a run --------------------------------------------------------------------------------

def _create(db: Any) -> None:
    for t in SCHEMA:
        if db[t.name].exists():
            continue
        db.create_table(t.name, {c.name: c.type for c in t.columns}, pk=t.pk,
                        foreign_keys=[fk for fk in t.foreign_keys], not_null=[t.pk] if isinstance(t.pk, str) else t.pk)
        for cols in t.indexes:
            db[t.name].create_index(list(cols), if_not_exists=True)
    if not db[FTS].exists():
        db["clauses"].enable_fts(["text"], tokenize="trigram", create_triggers=True)


def save(path: str, corpus: Corpus, root: str, command: str, cache: ResultsCache | None = None,
         date: str | None = None) -> dict[str, int]:
    """Write ``corpus`` into the database at ``path`` in one transaction; returns rows changed per table.

    Call it inside :func:`locked`. Documents, items and clauses are rewritten only where a file's
    content changed; comparisons (and their pairs) only where either side's content or the
    settings changed; discoveries, citations and edges, which are small, are rewritten whole.
    """
    import datetime

    import sqlite_utils

    from .corpus import task_coverage

    rel = (lambda p: os.path.relpath(p, root)) if root else (lambda p: p)
    key = settings_key()
    digest = cache.digest if cache is not None else ResultsCache(None).digest
    changed: dict[str, int] = {}
    date = date or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("pragma foreign_keys = on")
        conn.execute("pragma journal_mode = delete")  # Datasette's immutable mode reads no WAL
        db = sqlite_utils.Database(conn)
        conn.execute("begin immediate")
        try:
            _create(db)
            meta = dict(conn.execute("select key, value from meta"))
            if meta.get("settings_key") not in (None, key):
                # another version or other thresholds: nothing of theirs is kept
                for t in ("edges", "discoveries", "pairs", "comparisons", "citations", "clauses", "items",
                          "documents"):
                    conn.execute(f"delete from {t}")
            doc_id = {e.path: row_id(rel(e.path)) for e in corpus.entries}
            changed["documents"] = _save_documents(conn, db, corpus, rel, doc_id, digest)
            changed["comparisons"] = _save_comparisons(conn, db, corpus, rel, doc_id, digest, key, task_coverage)
            _save_small(conn, db, corpus, rel, doc_id)
            started = meta.get("created") or date
            db["meta"].upsert_all([{"key": k, "value": str(v)} for k, v in (
                ("app", APP), ("schema", SCHEMA_VERSION), ("policydiff_version", __version__),
                ("settings", json.dumps(settings(), sort_keys=True)), ("settings_key", key),
                ("command", command), ("root", root), ("created", started), ("updated", date),
                ("documents", len(corpus.entries)), ("comparisons", len(corpus.results)),
                ("computed", len(cache.computed) if cache is not None else len(corpus.results)))], pk="key")
            conn.execute("commit")
        except BaseException:
            if conn.in_transaction:
                conn.execute("rollback")
            raise
    finally:
        conn.close()
    return changed


def _save_documents(conn, db, corpus, rel, doc_id, digest) -> int:
    """Upsert documents; rewrite the items and clauses of those whose content changed.

    Rows are generated as they are inserted: at corpus scale (300,000 clauses) a list of them
    would double the run's memory.
    """
    have = {r[0]: r[1] for r in conn.execute("select id, sha256 from documents")}
    keep = set(doc_id.values())
    gone = [i for i in have if i not in keep]
    for i in gone:
        _delete_document_rows(conn, i)
        conn.execute("delete from documents where id = ?", (i,))
    changed = [e for e in corpus.entries if have.get(doc_id[e.path]) != digest(e.path)]
    for e in changed:
        if doc_id[e.path] in have:
            _delete_document_rows(conn, doc_id[e.path])

    def documents():
        for pos, e in enumerate(corpus.entries):
            doc = corpus.docs[e.path]
            yield {"id": doc_id[e.path], "path": rel(e.path), "file": e.path, "position": pos,
                   "sha256": digest(e.path), "title": doc.title, "doc_number": e.doc_number, "issuer": doc.issuer,
                   "date": doc.date, "level": e.level, "region": e.region, "year": e.year,
                   "first_year": doc.first_year, "encoding": doc.encoding, "n_items": len(doc.items),
                   "n_clauses": len(doc.sentences),
                   "versions": _json([rel(v) for v in corpus.lineage.versions.get(e.path, ())])}

    def items():
        for e in changed:
            doc, did, path = corpus.docs[e.path], doc_id[e.path], rel(e.path)
            for k, it in enumerate(doc.items):
                yield {"id": row_id(path, "item", it.id), "document_id": did, "item_id": it.id, "path": it.path,
                       "number": it.number, "title": it.title, "body": it.body, "depth": it.level,
                       "parent_item": it.parent_id, "kind": it.kind, "start": it.span.start, "end": it.span.end,
                       "position": k}

    def clauses():
        for e in changed:
            doc, did, path = corpus.docs[e.path], doc_id[e.path], rel(e.path)
            for k, s in enumerate(doc.sentences):
                yield {"id": row_id(path, "clause", s.id), "document_id": did,
                       "item_ref": row_id(path, "item", s.item_id), "sid": s.id, "position": k,
                       "item": doc.item(s.item_id).path, "text": s.text, "masked": s.masked, "note": s.note,
                       "responsible": _json(list(s.responsible)), "lead": _json(list(s.lead)),
                       "support": _json(list(s.support)), "start": s.span.start, "end": s.span.end}

    db["documents"].upsert_all(documents(), pk="id")
    db["items"].insert_all(items(), pk="id", batch_size=2000)
    db["clauses"].insert_all(clauses(), pk="id", batch_size=2000)
    return len(gone) + len(changed)


def _delete_document_rows(conn, did: int) -> None:
    # comparisons of a changed document were already dropped (their sha differs); edges etc. are rewritten
    for t, col in (("edges", "parent_id"), ("edges", "child_id"), ("discoveries", "child_id"),
                   ("discoveries", "parent_id"), ("discoveries", "runner_up_id"),
                   ("discoveries", "evidence_runner_up_id"), ("citations", "from_id"), ("citations", "to_id")):
        conn.execute(f"delete from {t} where {col} = ?", (did,))
    conn.execute("delete from pairs where comparison_id in (select id from comparisons where parent_id = ?1 "
                 "or child_id = ?1)", (did,))
    conn.execute("delete from comparisons where parent_id = ?1 or child_id = ?1", (did,))
    conn.execute("delete from clauses where document_id = ?", (did,))
    conn.execute("delete from items where document_id = ?", (did,))


def _save_comparisons(conn, db, corpus, rel, doc_id, digest, key, task_coverage) -> int:
    """Keep comparisons still needed with the same contents and settings; replace or drop the rest."""
    from .graph import _report_name

    # the small tables refer to comparisons and are rewritten anyway
    conn.execute("delete from edges")
    have = {r[0]: (r[1], r[2], r[3]) for r in conn.execute("select id, parent_sha, child_sha, settings_key "
                                                           "from comparisons")}
    want = {}
    for (p, c), r in corpus.results.items():
        want[row_id(rel(p), "→", rel(c))] = (p, c, r)
    stale = {cid for cid, v in have.items() if cid not in want or v != (digest(want[cid][0]), digest(want[cid][1]),
                                                                         key)}
    for cid in sorted(stale):
        conn.execute("delete from pairs where comparison_id = ?", (cid,))
        conn.execute("delete from comparisons where id = ?", (cid,))
    todo = [cid for cid in sorted(want) if cid not in have or cid in stale]

    def comparisons():
        for cid in todo:
            p, c, r = want[cid]
            yield {"id": cid, "parent_id": doc_id[p], "child_id": doc_id[c], "parent_sha": digest(p),
                   "child_sha": digest(c), "policydiff_version": __version__, "settings_key": key,
                   **{k: r.summary.get(k) for k in COUNTS}, "coverage": r.summary.get("coverage"),
                   "derived": r.derived, "covers": task_coverage(corpus.docs[p], r),
                   "summary": _json(r.summary), "report": _report_name(p, c)}

    def pairs():
        for cid in todo:
            p, c, r = want[cid]
            prel, crel = rel(p), rel(c)
            evidence = r.evidence or (("", 0.0, 0.0, 0.0, "none", ()),) * len(r.pairs)
            for k, ((relation, moved, score, psid, csid), ev) in enumerate(zip(r.pairs, evidence, strict=True)):
                yield {"comparison_id": cid, "position": k, "relation": relation, "moved": int(bool(moved)),
                       "score": score, "parent_clause": row_id(prel, "clause", psid) if psid else None,
                       "child_clause": row_id(crel, "clause", csid) if csid else None,
                       "parent_sid": psid, "child_sid": csid, "matched_by": ev[0], "runner_up": ev[1],
                       "margin": ev[2], "content": ev[3], "note_change": ev[4],
                       "masked": _json([list(m) for m in ev[5]])}

    db["comparisons"].insert_all(comparisons(), pk="id", batch_size=1000)
    db["pairs"].insert_all(pairs(), pk=("comparison_id", "position"), batch_size=5000)
    return len(todo) + len(stale)


def _save_small(conn, db, corpus, rel, doc_id) -> None:
    """Citations, discoveries and edges: a few rows per document, rewritten whole."""
    for t in ("citations", "discoveries", "edges"):
        conn.execute(f"delete from {t}")
    cites = []
    for e in corpus.entries:
        for k, (c, path, by) in enumerate(corpus.lineage.cites.get(e.path, ())):
            cites.append({"id": row_id(rel(e.path), "cite", str(k)), "from_id": doc_id[e.path], "position": k,
                          "title": c.title, "issuer": c.issuer, "doc_number": c.doc_number, "role": c.role,
                          "quote": c.quote, "to_id": doc_id.get(path) if path else None, "resolved_by": by,
                          "resolved": int(bool(path))})
    disc = []
    for e in corpus.entries:
        d = corpus.discoveries[e.path]
        ev = d.evidence
        disc.append({"child_id": doc_id[e.path], "parent_id": doc_id.get(d.parent), "source": d.source,
                     "score": d.score, "margin": d.margin, "confident": int(d.confident),
                     "runner_up_id": doc_id.get(d.runner_up),
                     "reason": ev.reason if ev else None, "citation": ev.citation if ev else None,
                     "role": ev.role if ev else None, "resolved_by": ev.resolved_by if ev else None,
                     "covers": ev.covers if ev else None, "derived": ev.derived if ev else None,
                     "parent_level": ev.level if ev else None, "parent_year": ev.year if ev else None,
                     "evidence_runner_up_id": doc_id.get(ev.runner_up) if ev else None,
                     "runner_up_covers": ev.runner_up_covers if ev else None,
                     "evidence_margin": ev.margin if ev else None,
                     "versions": _json([rel(v) for v in ev.versions]) if ev else None})
    edges = [{"parent_id": doc_id[p], "child_id": doc_id[c], "kind": kind,
              "comparison_id": row_id(rel(p), "→", rel(c))} for p, c, kind in corpus.edges()]
    db["citations"].insert_all(cites, pk="id")
    db["discoveries"].insert_all(disc, pk="child_id")
    db["edges"].insert_all(edges, pk=("parent_id", "child_id"))


# --- reading back -------------------------------------------------------------------------------

def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    conn.row_factory = sqlite3.Row
    return conn.execute(sql, params).fetchall()


def _open_existing(path: str) -> None:
    if not check(path):
        raise DatabaseError(f"{path}: no policydiff results here; write them with policydiff corpus --db {path}")


def corpus_dict(path: str) -> dict[str, Any]:
    """The JSON of ``policydiff corpus`` (:meth:`Corpus.to_dict`), read from the database."""
    _open_existing(path)
    with _connect(path, readonly=True) as conn:
        docs = _rows(conn, "select * from documents order by position")
        name = {r["id"]: r["path"] for r in docs}
        disc = {r["child_id"]: r for r in _rows(conn, "select * from discoveries")}
        cites: dict[int, list[dict[str, Any]]] = {}
        for c in _rows(conn, "select * from citations order by from_id, position"):
            cites.setdefault(c["from_id"], []).append({"title": c["title"], "issuer": c["issuer"],
                                                       "doc_number": c["doc_number"], "role": c["role"],
                                                       "resolved": name.get(c["to_id"]), "by": c["resolved_by"]})
        comparisons = [{"parent": name[r["parent_id"]], "child": name[r["child_id"]],
                        "summary": json.loads(r["summary"]), "derived": r["derived"]}
                       for r in _rows(conn, "select m.parent_id, m.child_id, m.summary, m.derived from comparisons m "
                                            "join documents p on p.id = m.parent_id join documents c on "
                                            "c.id = m.child_id order by p.file, c.file")]
    plans = []
    for d in docs:
        x = disc[d["id"]]
        ev = None if x["reason"] is None else {
            "reason": x["reason"], "citation": x["citation"], "role": x["role"], "resolved_by": x["resolved_by"],
            "covers": x["covers"], "derived": x["derived"], "level": x["parent_level"], "year": x["parent_year"],
            "runner_up": name.get(x["evidence_runner_up_id"]), "runner_up_covers": x["runner_up_covers"],
            "margin": x["evidence_margin"], "versions": json.loads(x["versions"])}
        plans.append({"path": d["path"], "title": d["title"], "level": d["level"], "region": d["region"],
                      "year": d["year"], "doc_number": d["doc_number"], "parent": name.get(x["parent_id"]),
                      "source": x["source"], "score": x["score"], "margin": x["margin"],
                      "confident": bool(x["confident"]), "runner_up": name.get(x["runner_up_id"]),
                      "evidence": ev, "versions": json.loads(d["versions"]), "cites": cites.get(d["id"], [])})
    return {"plans": plans, "comparisons": comparisons}


def corpus_frame(path: str):
    """The CSV table of ``policydiff corpus`` (:meth:`Corpus.to_frame` with paths as in the JSON)."""
    import pandas as pd

    data = corpus_dict(path)
    summary = {(c["parent"], c["child"]): c["summary"] for c in data["comparisons"]}
    counts = ("copied", "localized", "adapted", "dropped", "added")
    rows = []
    for p in data["plans"]:
        ev = p["evidence"]
        r = summary.get((p["parent"], p["path"])) if p["parent"] else None
        rows.append({"path": p["path"], "level": p["level"], "region": p["region"], "year": p["year"],
                     "parent": p["parent"], "source": p["source"], "score": p["score"], "margin": p["margin"],
                     "confident": p["confident"], "runner_up": p["runner_up"],
                     "reason": ev["reason"] if ev else "", "citation": ev["citation"] if ev else "",
                     "role": ev["role"] if ev else "", "covers": ev["covers"] if ev else None,
                     **{k: (r[k] if r else None) for k in counts}})
    frame = pd.DataFrame(rows)
    for col in ("year", *counts):
        frame[col] = frame[col].astype("Int64")
    return frame


@dataclass
class Stored:
    """What :func:`policydiff.graph.trace` needs of a corpus, rebuilt from the database."""

    entries: list[Any]
    discoveries: dict[str, Any]
    graph: nx.DiGraph


def stored_corpus(path: str) -> Stored:
    """The corpus graph from the database, node for node and edge for edge as :func:`graph.build_graph`
    builds it from the run (files as the run read them), so that ``trace --db`` answers like ``trace -m``."""
    import networkx as nx

    from .corpus import Discovery, Entry
    from .graph import clause_node, doc_node

    _open_existing(path)
    g = nx.DiGraph()
    with _connect(path, readonly=True) as conn:
        docs = _rows(conn, "select * from documents order by position")
        file = {r["id"]: r["file"] for r in docs}
        sid = {}
        clauses: dict[int, list[sqlite3.Row]] = {}
        for c in _rows(conn, "select id, document_id, sid, item, text from clauses order by document_id, position"):
            clauses.setdefault(c["document_id"], []).append(c)
            sid[c["id"]] = c["sid"]
        for d in docs:
            g.add_node(doc_node(d["file"]), kind="document", path=d["file"], title=d["title"], level=d["level"] or "",
                       region=d["region"] or "", year=d["year"] or 0, doc_number=d["doc_number"] or "")
            for c in clauses.get(d["id"], ()):
                g.add_node(clause_node(d["file"], c["sid"]), kind="clause", document=d["file"], sentence=c["sid"],
                           item=c["item"], text=c["text"])
        cites = _rows(conn, "select c.from_id, c.to_id, c.role, c.resolved_by, c.title from citations c "
                            "join documents f on f.id = c.from_id order by f.file, c.position")
        for c in cites:
            if c["to_id"] is not None and c["to_id"] != c["from_id"]:
                g.add_edge(doc_node(file[c["to_id"]]), doc_node(file[c["from_id"]]), kind="cites", role=c["role"],
                           resolved_by=c["resolved_by"], title=c["title"])
        edges = _rows(conn, "select e.parent_id, e.child_id, e.kind, e.comparison_id, m.summary, m.derived "
                            "from edges e join comparisons m on m.id = e.comparison_id "
                            "join documents p on p.id = e.parent_id join documents c on c.id = e.child_id "
                            "order by p.file, c.file, e.kind")
        for e in edges:
            p, c = file[e["parent_id"]], file[e["child_id"]]
            attrs = {k: v for k, v in json.loads(e["summary"]).items() if isinstance(v, int | float)}
            g.add_edge(doc_node(p), doc_node(c), kind=e["kind"], derived=e["derived"], **attrs)
            for r in _rows(conn, "select relation, moved, score, parent_sid, child_sid from pairs "
                                 "where comparison_id = ? order by position", (e["comparison_id"],)):
                if r["parent_sid"] and r["child_sid"]:
                    g.add_edge(clause_node(p, r["parent_sid"]), clause_node(c, r["child_sid"]), kind="clause",
                               relation=r["relation"], moved=bool(r["moved"]), score=float(r["score"]))
        disc = {r["child_id"]: r for r in _rows(conn, "select child_id, parent_id, source, score, margin, confident, "
                                                     "runner_up_id from discoveries")}
    entries = [Entry(d["file"], d["level"], d["region"], d["year"], d["doc_number"]) for d in docs]
    discoveries = {d["file"]: Discovery(d["file"], file.get(disc[d["id"]]["parent_id"]), disc[d["id"]]["score"],
                                        disc[d["id"]]["margin"], bool(disc[d["id"]]["confident"]),
                                        disc[d["id"]]["source"], file.get(disc[d["id"]]["runner_up_id"]))
                   for d in docs}
    return Stored(entries, discoveries, g)


def children_of(path: str, parent: str) -> tuple[str, ...]:
    """The files found to inherit ``parent`` (the file, or its path as in the JSON), in manifest order."""
    _open_existing(path)
    with _connect(path, readonly=True) as conn:
        root = dict(conn.execute("select key, value from meta")).get("root", "")
        rows = [r for r in conn.execute("select id, file, path from documents")
                if r[2] == parent or os.path.abspath(os.path.join(root, r[1])) == os.path.abspath(parent)][:1]
        if not rows:
            raise DatabaseError(f"{path}: {parent} is not one of its documents")
        kids = conn.execute("select c.file from edges e join documents c on c.id = e.child_id "
                            "where e.parent_id = ? and e.kind = 'inherits' order by c.position", (rows[0][0],))
        found = tuple(os.path.normpath(os.path.join(root, r[0])) for r in kids)
    if not found:
        raise DatabaseError(f"{path}: no document inherits {parent}")
    return found


# --- the common questions, as SQL: canned queries in Datasette and frames from open_db() ---------------

_LEVEL_RANK = ("case d.level when 'nation' then 0 when 'province' then 1 when 'city' then 2 "
               "when 'district' then 3 when 'town' then 4 else 9 end")

QUERIES: dict[str, dict[str, str]] = {
    "children_of_plan": {
        "title": "一个文件的下级文件及其比对数字 / children of a plan with their figures",
        "description": "plan: 上级文件路径 / the parent's path (documents.path)",
        "sql": """select c.path as child, c.title, c.level, c.region, c.year, e.kind, m.copied, m.localized,
  m.adapted, m.dropped, m.added, m.moved, m.coverage, m.covers, m.derived, d.source, d.reason, m.report
from documents p
join edges e on e.parent_id = p.id
join documents c on c.id = e.child_id
join comparisons m on m.id = e.comparison_id
join discoveries d on d.child_id = c.id
where p.path = :plan
order by c.position"""},
    "dropped_tasks": {
        "title": "多数下级文件删去的任务 / tasks dropped by most children",
        "description": "plan: 上级文件路径，留空为全部 / the parent's path, or empty for every parent. A task (an "
                       "outline item with clauses) is dropped by a child when none of its clauses is kept.",
        "sql": """with per_child as (
  select m.parent_id, m.child_id, pc.item_ref, max(p.relation != 'dropped') as kept
  from edges e
  join comparisons m on m.id = e.comparison_id
  join pairs p on p.comparison_id = m.id
  join clauses pc on pc.id = p.parent_clause
  where e.kind = 'inherits' and (:plan = '' or m.parent_id in (select id from documents where path = :plan))
  group by m.id, pc.item_ref)
select d.path as parent, i.path as item, i.number,
  substr(i.title || i.body, 1, 100) as task,
  sum(1 - kept) as dropped_by, count(*) as children, round(1.0 * sum(1 - kept) / count(*), 4) as share
from per_child
join items i on i.id = per_child.item_ref
join documents d on d.id = per_child.parent_id
group by per_child.item_ref
having dropped_by > 0
order by dropped_by desc, share desc, d.position, i.position
limit 500"""},
    "clause_lineage": {
        "title": "一句条款的来龙去脉 / a clause's lineage",
        "description": "fragment: 条款中任意连续 3 个以上的字 / any 3 or more consecutive characters of the clause "
                       "(full-text search); the lineage goes up to where it first appears, then down every level.",
        "sql": f"""with recursive
start(id) as (
  select c.id from clauses_fts f join clauses c on c.id = f.rowid join documents d on d.id = c.document_id
  where clauses_fts match '"' || replace(:fragment, '"', '""') || '"'
  order by {_LEVEL_RANK}, d.position, c.position limit 1),
up(id, depth) as (
  select id, 0 from start
  union all
  select p.parent_clause, up.depth + 1 from up
  join pairs p on p.child_clause = up.id and p.parent_clause is not null
  join edges e on e.comparison_id = p.comparison_id and e.kind = 'inherits'
  where up.depth < 20),
origin(id) as (select id from up order by depth desc limit 1),
down(id, depth, relation) as (
  select id, 0, 'origin' from origin
  union
  select p.child_clause, down.depth + 1, p.relation from down
  join pairs p on p.parent_clause = down.id and p.child_clause is not null
  join edges e on e.comparison_id = p.comparison_id and e.kind = 'inherits'
  where down.depth < 20)
select down.depth as depth, d.path as document, d.level, d.region, c.item, c.sid, down.relation, c.text
from down join clauses c on c.id = down.id join documents d on d.id = c.document_id
order by down.depth, d.position, c.position"""},
    "citing_documents": {
        "title": "引用某文件的文件 / documents citing a document",
        "description": "document: 被引文件路径，或标题中的字 / the cited document's path, or words of its title",
        "sql": """select f.path as citing, f.title, f.level, f.region, f.year, c.role, c.title as cited_as,
  t.path as resolved_to, c.resolved_by, c.quote
from citations c
join documents f on f.id = c.from_id
left join documents t on t.id = c.to_id
where :document != '' and (t.path = :document or c.title like '%' || :document || '%')
order by f.position, c.position"""},
    "search_clauses": {
        "title": "全文检索条款 / full-text search of clauses",
        "description": "fragment: 任意连续 3 个以上的字 / any 3 or more consecutive characters",
        "sql": f"""select d.path as document, d.level, d.region, d.year, c.item, c.sid, c.text
from clauses_fts f join clauses c on c.id = f.rowid join documents d on d.id = c.document_id
where clauses_fts match '"' || replace(:fragment, '"', '""') || '"'
order by {_LEVEL_RANK}, d.position, c.position
limit 1000"""},
}


class Results:
    """A results database opened read-only, with the common questions as pandas frames."""

    def __init__(self, path: str) -> None:
        _open_existing(path)
        self.path = path

    def sql(self, query: str, **params: Any):
        """Any read-only SQL, named parameters as keyword arguments."""
        import pandas as pd

        with _connect(self.path, readonly=True) as conn:
            return pd.read_sql_query(query, conn, params=params)

    def table(self, name: str):
        """A whole table (documents, clauses, comparisons…) in primary-key order."""
        if name not in TABLES:
            raise DatabaseError(f"{self.path}: no table {name!r} (tables: {', '.join(TABLES)})")
        pk = TABLES[name].pk
        return self.sql(f"select * from {name} order by {pk if isinstance(pk, str) else ', '.join(pk)}")

    def documents(self):
        return self.sql("select * from documents order by position")

    def children(self, plan: str):
        """The children of ``plan`` (its path as in the JSON) with their comparison figures."""
        return self.sql(QUERIES["children_of_plan"]["sql"], plan=plan)

    def dropped_tasks(self, plan: str = ""):
        """Tasks of ``plan`` (or of every parent) and how many of its children drop each."""
        return self.sql(QUERIES["dropped_tasks"]["sql"], plan=plan)

    def lineage(self, fragment: str):
        """The lineage of the clause containing ``fragment`` (3+ characters), from its origin down."""
        return self.sql(QUERIES["clause_lineage"]["sql"], fragment=fragment)

    def citing(self, document: str):
        """Documents citing ``document`` (its path, or words of its title)."""
        return self.sql(QUERIES["citing_documents"]["sql"], document=document)

    def search(self, fragment: str):
        """Clauses containing ``fragment`` (3+ consecutive characters), by the trigram full-text index."""
        return self.sql(QUERIES["search_clauses"]["sql"], fragment=fragment)

    def meta(self) -> dict[str, str]:
        with _connect(self.path, readonly=True) as conn:
            return dict(conn.execute("select key, value from meta"))


def open_db(path: str | os.PathLike[str]) -> Results:
    """Open a results database written by ``policydiff corpus --db`` (read-only)."""
    return Results(os.fspath(path))


# --- browsing with Datasette ----------------------------------------------------------------------

HOST = "127.0.0.1"  # local only: the server is never reachable from another machine
SQL_TIME_LIMIT_MS = 30_000


def metadata(path: str) -> dict[str, Any]:
    """Datasette metadata: table and column descriptions (中文 / English) and the canned queries."""
    name = os.path.splitext(os.path.basename(path))[0]
    tables = {}
    for t in SCHEMA:
        tables[t.name] = {"description": f"{t.zh} / {t.en}", "columns": {c.name: f"{c.zh} / {c.en}" for c in t.columns}}
        if t.label:
            tables[t.name]["label_column"] = t.label
    return {"title": "policydiff results", "description": "政策文件层级继承比对结果 / how plans inherit from one level "
            "to the next (policydiff corpus --db)",
            "databases": {name: {"tables": tables, "queries": {k: dict(v) for k, v in QUERIES.items()}}}}


def _render_report_cell(value: Any, column: str, datasette: Any) -> Any:
    """Datasette hook: a ``report`` cell links to its HTML diff report when the file exists."""
    folder = getattr(datasette, "_policydiff_reports", None)
    if column != "report" or not folder or not isinstance(value, str) or not value:
        return None
    if os.path.basename(value) != value or not os.path.isfile(os.path.join(folder, value)):
        return None
    from urllib.parse import quote

    from markupsafe import Markup, escape

    return Markup(f'<a href="/reports/{quote(value, safe="")}">{escape(value)}</a>')


_registered = False


def datasette_app(path: str, reports: str | None = None):
    """A read-only (immutable) Datasette over ``path``; ``reports``: the folder of HTML diff reports."""
    global _registered
    try:
        from datasette import hookimpl
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise PolicydiffError("policydiff serve needs Datasette: pip install 'policydiff[serve]'") from None
    _open_existing(path)
    if reports is not None and not os.path.isdir(reports):
        raise PolicydiffError(f"{reports}: --reports must be a folder of HTML diff reports")
    if not _registered:  # Datasette plugins are modules
        import types

        plugin = types.ModuleType("policydiff_report_links")
        plugin.render_cell = hookimpl(specname="render_cell")(_render_report_cell)  # type: ignore[attr-defined]
        pm.register(plugin, name="policydiff_report_links")
        _registered = True
    # a lineage or a count of dropped tasks over a million pairs takes seconds, not Datasette's default 1 s
    ds = Datasette(immutables=[path], metadata=metadata(path), settings={"sql_time_limit_ms": SQL_TIME_LIMIT_MS},
                   static_mounts=[("reports", os.path.abspath(reports))] if reports else None)
    ds._policydiff_reports = os.path.abspath(reports) if reports else None
    return ds


def serve(path: str, port: int = 8001, reports: str | None = None) -> None:
    """Browse ``path`` in Datasette on http://127.0.0.1:PORT/ until interrupted."""
    import asyncio

    ds = datasette_app(path, reports)
    import uvicorn

    asyncio.run(ds.invoke_startup())
    print(f"policydiff: serving {path} read-only on http://{HOST}:{port}/ (Ctrl-C stops)", flush=True)
    uvicorn.run(ds.app(), host=HOST, port=port, log_level="warning")
