"""Search filters (folder, document language, date range), applied inside retrieval: the
candidates are drawn from the matching passages only, so `k` results still come back.

A `Where` is plain data shared by `Retriever.search(where=...)`, `qa ask --in/--lang/
--since/--until` and the chat's `/ask`."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .errors import BadQuestion
from .records import PART_SEPARATOR

# Up to this many matching passages, their cosines are computed exactly from the stored
# vectors; above it the vector index is searched with a growing candidate list.
EXACT_FILTERED = 20000
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_LANG = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Where:
    """Only passages of documents inside one of `folders` (paths relative to the index, a
    top-level folder or a file), in one of `langs`, dated between `since` and `until`
    (inclusive, `YYYY[-MM[-DD]]`; undated documents are left out by a date filter)."""

    folders: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.folders or self.langs or self.since or self.until)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sql(self) -> tuple[str, list[Any]]:
        """A condition on `documents d` and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.folders:
            ors = []
            # a name in either Unicode form: a file copied from macOS is named in decomposed form
            # ("Cafe\u0301"), the name typed at a terminal in composed form ("Caf\u00e9"); they look the same
            spelled = dict.fromkeys(unicodedata.normalize(form, folder) for folder in self.folders
                                    for form in ("NFC", "NFD"))
            for folder in spelled:  # a folder's files, or a file and the documents inside it
                ors.append("(d.source = ? OR substr(d.source, 1, ?) = ? OR substr(d.source, 1, ?) = ?)")
                params += [folder, len(folder) + 1, folder + "/", len(folder + PART_SEPARATOR),
                           folder + PART_SEPARATOR]
            clauses.append("(" + " OR ".join(ors) + ")")
        if self.langs:
            clauses.append(f"d.lang IN ({','.join('?' * len(self.langs))})")
            params += list(self.langs)
        if self.since:
            clauses.append("d.date IS NOT NULL AND d.date >= ?")
            params.append(self.since)
        if self.until:
            # "2024-07" also covers "2024-07-31": compare on the filter's own precision
            clauses.append("d.date IS NOT NULL AND substr(d.date, 1, ?) <= ?")
            params += [len(self.until), self.until]
        return (" AND ".join(clauses) or "1"), params


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(v.strip() for v in value if v and v.strip())


def _clean_folder(path: str) -> str:
    folder = path.replace("\\", "/").strip().strip("/")
    while folder.startswith("./"):
        folder = folder[2:]
    if not folder or ".." in folder.split("/"):
        raise BadQuestion(f"folder filter {path!r} must be a path inside the index, e.g. one of its top-level folders",
                          "folder", folder=path)
    return folder


def _real_date(value: str) -> bool:
    """Whether YYYY[-MM[-DD]] names a day, month or year of the calendar (not 2024-13-45)."""
    from datetime import date

    year, month, day = (value.split("-") + ["01", "01"])[:3]
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _clean_date(value: str | None, name: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    if not _DATE.fullmatch(value) or not _real_date(value):
        raise BadQuestion(f"{name} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}", "date_" + name,
                          value=value)
    return value


def make_where(folders: str | Iterable[str] | None = None, langs: str | Iterable[str] | None = None,
               since: str | None = None, until: str | None = None) -> Where:
    """A checked `Where` from user input; a bad value is a `BadQuestion` that says what to type."""
    langs_ = tuple(lang.lower() for lang in _as_tuple(langs))
    for lang in langs_:
        if not _LANG.fullmatch(lang):
            raise BadQuestion(f"language filter {lang!r} must be a language code such as en, fr, zh", "lang", code=lang)
    where = Where(tuple(dict.fromkeys(_clean_folder(f) for f in _as_tuple(folders))), langs_,
                  _clean_date(since, "since"), _clean_date(until, "until"))
    if where.since and where.until and where.since[:len(where.until)] > where.until:
        raise BadQuestion(f"since ({where.since}) is after until ({where.until})", "since_after_until",
                          since=where.since, until=where.until)
    return where


def as_where(where: Where | Mapping[str, Any] | None) -> Where | None:
    """`Where`, a dict with its fields (as JSON from the API), or None."""
    if where is None or isinstance(where, Where):
        return where if where is None or where.active else None
    if not isinstance(where, Mapping):
        raise BadQuestion("filters must be an object with folders, langs, since, until")
    unknown = set(where) - {"folders", "langs", "since", "until"}
    if unknown:
        raise BadQuestion(f"unknown filter {sorted(unknown)[0]!r}: use folders, langs, since, until")
    made = make_where(where.get("folders"), where.get("langs"), where.get("since"), where.get("until"))
    return made if made.active else None


def held_folders(store, folders: Iterable[str]) -> set[str]:
    """Those of `folders` (as `Where.folders` holds them) that hold at least one document of `store`."""
    conn = store.connection()
    held: set[str] = set()
    for folder in folders:
        clause, params = Where(folders=(folder,)).sql()
        if conn.execute(f"SELECT 1 FROM documents d WHERE {clause} LIMIT 1", params).fetchone() is not None:
            held.add(folder)
    return held


# top-level folders named in the error for a folder filter that names nothing
SHOWN_FOLDERS = 8


def check_folders(where: Where | None, held: set[str], tops: Callable[[], Sequence[str]]) -> None:
    """A `BadQuestion` for the first folder filter of `where` that holds no indexed document
    (not in `held`): a typo otherwise gave an empty answer (`qa ask --in Ofice` exited 0),
    which reads as "nothing in there answers". `tops`: gives the index's top-level folders and files."""
    if where is None:
        return
    missing = [folder for folder in where.folders if folder not in held]
    if not missing:
        return
    tops_ = list(tops())
    shown = ", ".join(tops_[:SHOWN_FOLDERS]) + (", ..." if len(tops_) > SHOWN_FOLDERS else "")
    raise BadQuestion(f"no indexed document is in {missing[0]!r}: "
                      + (f"the index holds {shown}" if tops_ else "the index holds no document yet"),
                      "folder_unknown", folder=missing[0], folders=shown or "-")


# ------------------------------------------------------------------ candidates under a filter

def allowed_ids(store, where: Where) -> np.ndarray:
    """Ids of the passages that match, sorted."""
    clause, params = where.sql()
    rows = store.connection().execute(
        f"SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE {clause} ORDER BY p.id", params)
    return np.fromiter((r[0] for r in rows), dtype=np.int64)


def dense_candidates(store, vectors, qvecs: np.ndarray, n: int, allowed: np.ndarray,
                     dimension: int) -> list[list[tuple[int, float]]]:
    """For each query vector (rows of `qvecs`), the `n` matching passages closest to it:
    (id, cosine), best first."""
    if not len(allowed):
        return [[] for _ in range(len(qvecs))]
    if len(allowed) <= EXACT_FILTERED:
        # the matching vectors read once for all the questions, scored in one product
        found = store.vectors_for(allowed.tolist(), dimension)
        if not found:
            return [[] for _ in range(len(qvecs))]
        ids = np.fromiter(found, dtype=np.int64, count=len(found))
        scores = np.stack(list(found.values())) @ np.asarray(qvecs, dtype=np.float32).T
        out = []
        for column in scores.T:
            order = np.lexsort((ids, -column))[:n]  # best first, ties by id
            out.append([(int(ids[j]), float(column[j])) for j in order])
        return out
    return [_widening_search(vectors, qvec, n, allowed) for qvec in qvecs]


def _widening_search(vectors, qvec: np.ndarray, n: int, allowed: np.ndarray) -> list[tuple[int, float]]:
    """Many matches: they are common enough that a few widenings of the search find n of them."""
    total = max(vectors.size, 1)
    m = n * max(2, total // len(allowed) * 2)
    while True:
        hits = vectors.search(qvec, min(m, total))
        kept = [(i, s) for i, s in hits if _contains(allowed, i)]
        if len(kept) >= n or m >= total:
            return kept[:n]
        m *= 4


def _contains(sorted_ids: np.ndarray, i: int) -> bool:
    pos = int(np.searchsorted(sorted_ids, i))
    return pos < len(sorted_ids) and int(sorted_ids[pos]) == i


# ------------------------------------------------------------------ what can be filtered on

# Folders the chat offers to narrow to, at most: past it, the shallowest ones
MAX_FOLDER_CHOICES = 500


def choices(store) -> dict[str, list[str]]:
    """The values the filters can take in this index: top-level folders and files (`folders`),
    the same with every folder below them (`folder_tree`: "clients/", "clients/acme/", ...; files
    below the top level are not in it), document languages, and the range of document dates."""
    conn = store.connection()
    tops: dict[str, None] = {}
    tree: dict[str, int] = {}
    for (source,) in conn.execute("SELECT source FROM documents ORDER BY source"):
        file = source.split(PART_SEPARATOR, 1)[0]  # an attachment belongs to its message
        top = file.split("/", 1)[0] + ("/" if "/" in file else "")
        tops.setdefault(top, None)
        tree.setdefault(top, 0)
        parts = file.split("/")
        for depth in range(2, len(parts)):
            tree.setdefault("/".join(parts[:depth]) + "/", depth - 1)
    langs = [r[0] for r in conn.execute(
        "SELECT lang FROM documents WHERE lang IS NOT NULL GROUP BY lang ORDER BY COUNT(*) DESC, lang")]
    low, high = conn.execute("SELECT MIN(date), MAX(date) FROM documents WHERE date IS NOT NULL").fetchone()
    return {"folders": list(tops), "folder_tree": _shallowest(tree), "langs": langs,
            "dates": [d for d in (low, high) if d]}


def _shallowest(tree: dict[str, int]) -> list[str]:
    """The folders of `tree` (folder: depth), sorted (a folder's subfolders follow it), the
    shallowest `MAX_FOLDER_CHOICES` of them when there are more."""
    if len(tree) > MAX_FOLDER_CHOICES:
        tree = dict(sorted(tree.items(), key=lambda item: (item[1], item[0]))[:MAX_FOLDER_CHOICES])
    return sorted(tree)


def merge_choices(parts: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    """The `choices` of several stores (the shards of an index) as one."""
    if len(parts) == 1:
        return parts[0]
    folders = sorted({f for p in parts for f in p["folders"]})
    counts: dict[str, int] = {}
    for p in parts:
        for rank, lang in enumerate(p["langs"]):
            counts[lang] = counts.get(lang, 0) + len(p["langs"]) - rank
    dates = sorted(d for p in parts for d in p["dates"])
    tree = {f: f.rstrip("/").count("/") for p in parts for f in p.get("folder_tree", p["folders"])}
    return {"folders": folders, "folder_tree": _shallowest(tree),
            "langs": sorted(counts, key=lambda lang: (-counts[lang], lang)),
            "dates": [dates[0], dates[-1]] if dates else []}
