"""Short passages and their neighbours (docs/quality.md, "Session 7"): why the German
development man pages miss their gold passage, and variants that give a short passage some of
its surroundings, scored in bulk on development data only.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/neighbour_dev.py diagnose
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/neighbour_dev.py man
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/neighbour_dev.py xquad
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/neighbour_dev.py french --variant NAME  # held-out: once

`man`: benchmarks/title_dev.py's 50 German-page questions on its index (benchmarks/out/de-man-use-m3,
built by `title_dev.py --more`). `xquad`: XQuAD's development runs (as benchmarks/context_dev.py)
plus, with `--held-out`, its held-out ones. `french`: benchmarks/french_manpages.py's pages
(benchmarks/out/fr-man-use-m3, built by that script), for reading a chosen variant once.

Each question is scored as `Retriever.search` scores it (dense top 50 by the passage's cosine,
BM25 top 50, `qa.fusion.fuse`), with the shipped dense score (own score mixed 0.3 with the
document's head) as the baseline; a variant changes the dense score or the lexical entries:
  win        cos(question, the passage embedded with its previous and next passage) mixed in
  prev       the same with the previous passage only (what introduces it)
  prefix     cos(question, the document's title line + the passage) mixed in
  headshort  the head's weight raised for short passages
  lexneigh   the neighbours' tokens added to a short passage's lexical entry
  titleonce  the title's tokens added once, and only those the passage lacks (titleuniq: once)
  resid      the passage's own score with the question's component along the head removed
             (q - a (q.h) h): what a passage says beyond its document's summary
`short<N`: only passages shorter than N characters change (0: every passage of a document of
several passages). `lexical weight` rows only rescale the fusion (a diagnosis, not a variant).
`diagnose` prints, for every question whose gold passage is not first (hybrid, shipped), the
gold passage, what ranks above it and their scores, and counts where the misses come from.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT, xquad_dir  # noqa: E402
from context_dev import gold_rank, summary  # noqa: E402

from qa.context import document_head  # noqa: E402
from qa.fusion import PASSAGE_SHARE, fuse  # noqa: E402
from qa.language import detect_language, query_tokens, tokenize  # noqa: E402
from qa.layout import current_data  # noqa: E402
from qa.store import DB_NAME, Store  # noqa: E402
from qa.titles import title_tokens, with_title  # noqa: E402

CANDIDATES = 50
HEAD_WEIGHT = 0.3  # shipped (Calibration.context_weight)
DEV_XQUAD = [("en", "en"), ("es", "es"), ("de", "de"), ("zh", "zh"), ("en", "es"), ("de", "es"), ("zh", "es"),
             ("es", "en"), ("de", "en"), ("zh", "en")]
HELD_XQUAD = [("ar", "ar"), ("ru", "ru"), ("vi", "vi"), ("ru", "es"), ("ar", "es"), ("ru", "en")]


@dataclass(frozen=True)
class Variant:
    """How a passage's scores change: `kind` of context vector mixed with weight `w` into the
    dense score of passages shorter than `short` characters (0: every passage of a document of
    several passages); `head` the head's weight for those passages; `lex`: how their lexical
    entries change ("neigh": their neighbours' tokens added; "titleonce": the title's tokens
    added once each and only those the passage lacks; "titleuniq": once each)."""

    name: str
    kind: str | None = None
    w: float = 0.0
    short: int = 0
    head: float = HEAD_WEIGHT
    lex: str | None = None
    resid: float = 0.0  # the question's component along the head taken out of the passage's own score
    scale: float = 1.0  # dense_scale: lexical weights divided by this (diagnosis only)


class Collection:
    """One index's passages with each question's ingredients of a search."""

    def __init__(self, index: Path, questions: list[str], golds: list, gold_of, encoder, kinds=()) -> None:
        store = Store(current_data(index) / DB_NAME)
        dim = encoder.dimension
        conn = store.connection()
        self.ids = np.concatenate([i for i, _ in store.iter_vectors(dim)])
        vecs = np.concatenate([v for _, v in store.iter_vectors(dim)])
        rows = store.passages(self.ids.tolist())
        self.rows = [rows[int(i)] for i in self.ids]
        sentences = store.sentence_vectors(self.ids.tolist(), dim)
        heads = dict(store.context_vectors(self.ids.tolist(), dim))
        self.questions = questions
        qv = self.qv = encoder.encode_queries(questions)
        self.qlangs = [detect_language(q) for q in questions]
        self.cos = qv @ vecs.T
        smax = np.stack([(sentences[int(i)][1] @ qv.T).max(0) if int(i) in sentences else self.cos[:, j]
                         for j, i in enumerate(self.ids)], 1)
        self.own = PASSAGE_SHARE * self.cos + (1 - PASSAGE_SHARE) * smax
        self.has_head = np.array([int(i) in heads for i in self.ids])
        hv = np.stack([heads.get(int(i), vecs[j]) for j, i in enumerate(self.ids)])
        self.head = qv @ hv.T
        self._resid_parts = (vecs, sentences, hv)
        self.resid_own: dict[float, np.ndarray] = {}
        self.pos = {int(i): j for j, i in enumerate(self.ids)}
        self.langs = [r["lang"] for r in self.rows]
        self.doc = np.array([r["doc_id"] for r in self.rows])
        self.length = np.array([len(" ".join(r["text"].split())) for r in self.rows])
        order = np.lexsort((np.array([r["start"] for r in self.rows]), self.doc))
        self.prev = np.full(len(self.ids), -1)
        self.next = np.full(len(self.ids), -1)
        for a, b in zip(order[:-1], order[1:]):
            if self.doc[a] == self.doc[b]:
                self.next[a], self.prev[b] = b, a
        self.gold = [{j for j, r in enumerate(self.rows) if gold_of(r, g)} for g in golds]
        self.tokens = dict(conn.execute("SELECT rowid, tokens FROM lexical").fetchall())
        self.qtokens = [query_tokens(q, lang) for q, lang in zip(questions, self.qlangs)]
        self.bm25 = {None: self._bm25(self.tokens)}
        docs = {d: (t, s, lang) for d, t, s, lang in conn.execute("SELECT id, title, source, lang FROM documents")}
        self.own_tokens = {int(i): tokenize(r["text"], r["lang"]) for i, r in zip(self.ids, self.rows)}
        self.title_tokens = {int(i): with_title([], r["text"], docs[r["doc_id"]][0],
                                                title_tokens(*docs[r["doc_id"]]))
                             for i, r in zip(self.ids, self.rows)}
        self.extra = {kind: qv @ self._vectors(kind, encoder, conn).T for kind in kinds}
        store.close()

    def _vectors(self, kind: str, encoder, conn) -> np.ndarray:
        """One vector per passage: its text with its surroundings (`kind`) embedded as a
        document; passages of documents of one passage get their own text."""
        docs = {d: (t, s, lang) for d, t, s, lang in conn.execute("SELECT id, title, source, lang FROM documents")}
        texts = []
        for j, r in enumerate(self.rows):
            own = " ".join(r["text"].split())
            if not self.has_head[j]:
                texts.append(own)
                continue
            before = " ".join(self.rows[self.prev[j]]["text"].split()) if self.prev[j] >= 0 else ""
            after = " ".join(self.rows[self.next[j]]["text"].split()) if self.next[j] >= 0 else ""
            if kind == "win":
                texts.append("\n".join(t for t in (before, own, after) if t))
            elif kind == "prev":
                texts.append("\n".join(t for t in (before, own) if t))
            elif kind == "prefix":
                title, source, lang = docs[int(self.doc[j])]
                head = document_head(title, source, lang, "", 0).strip()
                texts.append(f"{head}\n{own}" if head else own)
            else:
                raise ValueError(kind)
        return encoder.encode_documents(texts)

    def _bm25(self, tokens: dict[int, str]) -> list[list[tuple[int, float]]]:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE lexical USING fts5(tokens, tokenize=\"unicode61 remove_diacritics 0 "
                     "categories 'L* M* N* P* S* Co Cf Cn Cs'\")")
        conn.executemany("INSERT INTO lexical(rowid, tokens) VALUES(?, ?)", tokens.items())
        out = []
        for terms in self.qtokens:
            terms = list(dict.fromkeys(t for t in terms if t))
            if not terms:
                out.append([])
                continue
            query = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
            rows = conn.execute("SELECT rowid, rank FROM lexical WHERE lexical MATCH ? ORDER BY rank LIMIT ?",
                                (query, CANDIDATES)).fetchall()
            out.append([(self.pos[i], -s) for i, s in rows])
        return out

    def lexical(self, v: Variant) -> list[list[tuple[int, float]]]:
        if not v.lex:
            return self.bm25[None]
        key = (v.lex, v.short)
        if key not in self.bm25:
            tokens = dict(self.tokens)
            for j, i in enumerate(self.ids):
                i = int(i)
                if v.lex == "neigh" and self.has_head[j] and (not v.short or self.length[j] < v.short):
                    near = [t for m in (self.prev[j], self.next[j]) if m >= 0
                            for t in self.own_tokens[int(self.ids[m])]]
                    tokens[i] = " ".join([tokens[i], *near])  # their own words: the title is there once
                elif v.lex == "titleuniq":
                    tokens[i] = " ".join(self.own_tokens[i] + list(dict.fromkeys(self.title_tokens[i])))
                elif v.lex == "titleonce":
                    own = set(self.own_tokens[i])
                    tokens[i] = " ".join(self.own_tokens[i] + [t for t in dict.fromkeys(self.title_tokens[i])
                                                               if t not in own])
            self.bm25[key] = self._bm25(tokens)
        return self.bm25[key]

    def residual(self, alpha: float) -> np.ndarray:
        """The own score with the question q replaced by q - alpha (q.h) h, h its passage's head:
        cos and best sentence's cos minus alpha (q.h)(h.x), for passages with a head."""
        if alpha not in self.resid_own:
            vecs, sentences, hv = self._resid_parts
            hp = (vecs * hv).sum(1)
            cos = self.cos - alpha * self.head * hp[None, :]
            smax = np.stack([(sentences[int(i)][1] @ self.qv.T - alpha * (sentences[int(i)][1] @ hv[j])[:, None]
                              * self.head[None, :, j]).max(0) if int(i) in sentences else cos[:, j]
                             for j, i in enumerate(self.ids)], 1)
            own = PASSAGE_SHARE * cos + (1 - PASSAGE_SHARE) * smax
            self.resid_own[alpha] = np.where(self.has_head[None, :], own, self.own)
        return self.resid_own[alpha]

    def dense(self, v: Variant, q: int) -> np.ndarray:
        own, head = (self.residual(v.resid)[q] if v.resid else self.own[q]), self.head[q]
        short = self.has_head & ((self.length < v.short) if v.short else True)
        w_head = np.where(short, v.head, HEAD_WEIGHT)
        d = np.where(self.has_head, (1 - w_head) * own + w_head * head, own)
        if v.kind:
            d = np.where(short, (1 - v.w) * d + v.w * self.extra[v.kind][q], d)
        return d

    def scored(self, v: Variant, q: int, mode: str = "hybrid") -> list[tuple[float, float, float, int]]:
        """(score, dense, normalised BM25, position), best first."""
        lexical = self.lexical(v)[q]
        cand = sorted(set(np.argsort(-self.cos[q])[:CANDIDATES].tolist()) | {j for j, _ in lexical})
        d = self.dense(v, q)
        dense = {j: float(d[j]) for j in cand}
        top = max((s for _, s in lexical), default=0.0)
        lex = {j: s / top for j, s in lexical} if top > 0 else {}
        if mode == "dense":
            scored = [(dense[j], dense[j], j) for j in cand]
        else:
            scored = fuse(dense, lexical, {j: self.langs[j] for j in cand}, self.qlangs[q], v.scale)
        return [(s, dd, lex.get(j, 0.0), j) for s, dd, j in sorted(scored, key=lambda t: (-t[0], self.ids[t[2]]))]

    def ranks(self, v: Variant, mode: str = "hybrid", by_document: bool = False) -> list[int | None]:
        out = []
        for q in range(len(self.questions)):
            order = [j for _, _, _, j in self.scored(v, q, mode)]
            out.append(gold_rank(order, self.gold[q], self.doc, by_document))
        return out


VARIANTS = [Variant("shipped")]
for _short in (0, 120, 200):
    for _w in (0.1, 0.2, 0.3) + ((0.5, 0.7, 1.0) if not _short else ()):
        VARIANTS += [Variant(f"win w={_w} short<{_short}", "win", _w, _short),
                     Variant(f"prev w={_w} short<{_short}", "prev", _w, _short),
                     Variant(f"prefix w={_w} short<{_short}", "prefix", _w, _short)]
    VARIANTS += [Variant(f"headshort {h} short<{_short or 10**6}", head=h, short=_short or 10**6)
                 for h in (0.4, 0.5, 0.6) if _short]
    VARIANTS += [Variant(f"lexneigh short<{_short}", lex="neigh", short=_short)]
VARIANTS += [Variant("titleuniq", lex="titleuniq"), Variant("titleonce", lex="titleonce")]
VARIANTS += [Variant(f"resid a={a}", resid=a) for a in (0.25, 0.5, 0.75, 1.0)]
VARIANTS += [Variant(f"resid a={a} head={h}", resid=a, head=h, short=10**6) for a in (0.5, 1.0) for h in (0.4, 0.5)]
VARIANTS += [Variant(f"lexical weight {0.5 / x:.2f} (diagnosis)", scale=x) for x in (0.75, 1.5, 2.0, 3.0)]
KINDS = ("win", "prev", "prefix")


def man_collection(kinds=KINDS) -> tuple[Collection, list]:
    from title_dev import MORE_QUESTIONS, QUESTIONS

    from qa.encoder import encoders

    encoder = encoders.get("use-m3")
    questions = QUESTIONS + MORE_QUESTIONS
    return Collection(OUT / "de-man-use-m3" / "index", [q.text for q in questions], questions, gold_of_man,
                      encoder, kinds), questions


def gold_of_man(row: dict, q) -> bool:
    return Path(row["source"]).stem == q.page and q.gold in " ".join(row["text"].split())


def short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def diagnose() -> None:
    c, questions = man_collection(())
    v = VARIANTS[0]
    lengths = [c.length[j] for g in c.gold for j in g]
    print(f"{len(c.ids)} passages; passage length median {int(np.median(c.length))} chars; "
          f"gold passages' median {int(np.median(lengths))}")
    place = {}  # a passage's position in its document (0: the title line)
    for d in np.unique(c.doc):
        for k, j in enumerate(sorted(np.where(c.doc == d)[0], key=lambda j: c.rows[j]["start"])):
            place[j] = k
    counts = Counter()
    for q, question in enumerate(questions):
        scored = c.scored(v, q)
        order = [j for *_, j in scored]
        rank = next((r for r, j in enumerate(order, 1) if j in c.gold[q]), None)
        if rank == 1:
            continue
        counts["misses"] += 1
        counts["the question names the command"] += question.page.lower() in question.text.lower()
        same = c.doc[order[0]] == c.doc[next(iter(c.gold[q]))]
        counts["first is of the gold's page"] += same
        counts["first is of the gold's page, among its first 4 passages (NAME, SYNOPSIS, DESCRIPTION)"] += \
            same and place[order[0]] <= 4
        counts["first is of another page"] += not same
        counts["gold not in the top 10"] += rank is None or rank > 10
        counts["gold not among the BM25 top 50"] += all(j not in c.gold[q] for j, _ in c.lexical(v)[q])
        g = next(iter(c.gold[q]))
        row = c.rows[g]
        gs = next((t for t in scored if t[3] == g), None)
        dense_rank = 1 + int((c.dense(v, q) > c.dense(v, q)[g]).sum())
        in_text = question.page.lower() in row["text"].lower()
        print(f"\n[{question.lang}] {question.text}  -> hybrid rank {rank}, dense rank {dense_rank}"
              f"{'' if gs else ' (not a candidate)'}")
        print(f"  GOLD {question.page}: {short(row['text'])}  ({c.length[g]} chars, command in text: {in_text})")
        print(f"       own {c.own[q, g]:.3f} head {c.head[q, g]:.3f} dense {c.dense(v, q)[g]:.3f} "
              f"lex {gs[2] if gs else 0:.2f} fused {gs[0] if gs else 0:.3f}")
        print(f"       previous: {short(c.rows[c.prev[g]]['text'], 80) if c.prev[g] >= 0 else '-'}")
        for s, d, lx, j in scored[:min(3, (rank or 11) - 1)]:
            print(f"  above: {Path(c.rows[j]['source']).stem}: {short(c.rows[j]['text'], 90)}  "
                  f"[own {c.own[q, j]:.3f} head {c.head[q, j]:.3f} lex {lx:.2f} fused {s:.3f}]")
    print()
    for key, n in counts.items():
        print(f"{key}: {n}")


def man() -> None:
    c, _ = man_collection()
    print("| variant | hybrid MRR@10 / first / top 10 | dense |")
    print("|---|---|---|")
    for v in VARIANTS:
        h, d = summary(c.ranks(v)), summary(c.ranks(v, "dense"))
        print(f"| {v.name} | {h[0]:.3f} / {h[1]:.3f} / {h[2]:.3f} | {d[0]:.3f} / {d[1]:.3f} / {d[2]:.3f} |",
              flush=True)


def xquad(runs: list, names: list[str] | None) -> None:
    from qa.encoder import encoders
    from qa.squad import load_squad

    encoder = encoders.get("use-m3")
    data = xquad_dir()
    variants = [v for v in VARIANTS if names is None or v.name in names]
    kinds = {v.kind for v in variants if v.kind}
    table = {}
    for qlang, plang in runs:
        squad = load_squad(data / f"xquad.{plang}.json", data / f"xquad.{qlang}.json")
        c = Collection(OUT / f"index-{plang}", [x.text for x in squad.questions],
                       [squad.gold[x.id] for x in squad.questions],
                       lambda row, g: row["source"] == f"p{g:05d}.txt", encoder, kinds)
        for v in variants:
            table.setdefault(v.name, []).append(summary(c.ranks(v, by_document=True))[0])
        print(f"{qlang}->{plang}: " + ", ".join(f"{n} {m[-1]:.4f}" for n, m in table.items()), flush=True)
    print("| variant | mean | " + " | ".join(f"{q}->{p}" for q, p in runs) + " |")
    print("|---|---|" + "---|" * len(runs))
    for name, mrr in table.items():
        print(f"| {name} | {np.mean(mrr):.4f} | " + " | ".join(f"{m:.3f}" for m in mrr) + " |")


def french(names: list[str]) -> None:
    from french_manpages import QUESTIONS

    from qa.encoder import encoders

    variants = [VARIANTS[0]] + [v for v in VARIANTS if v.name in names and v.name != "shipped"]
    c = Collection(OUT / "fr-man-use-m3" / "index", [q.text for q in QUESTIONS], QUESTIONS, gold_of_man,
                   encoders.get("use-m3"), {v.kind for v in variants if v.kind})
    fr = [i for i, q in enumerate(QUESTIONS) if q.lang == "fr"]
    print("| variant | mode | all 49: MRR@10 / first / top 10 | French 37 |")
    print("|---|---|---|---|")
    for v in variants:
        for mode in ("hybrid", "dense"):
            r = c.ranks(v, mode)
            a, f = summary(r), summary([r[i] for i in fr])
            print(f"| {v.name} | {mode} | {a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f} | "
                  f"{f[0]:.3f} / {f[1]:.3f} / {f[2]:.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("diagnose", "man", "xquad", "french"))
    ap.add_argument("--variant", action="append", help="xquad / french: only these variants (by name)")
    ap.add_argument("--held-out", action="store_true", help="xquad: the held-out runs instead of the dev ones")
    args = ap.parse_args()
    if args.what == "diagnose":
        diagnose()
    elif args.what == "man":
        man()
    elif args.what == "xquad":
        xquad(HELD_XQUAD if args.held_out else DEV_XQUAD, args.variant)
    else:
        french(args.variant or [])


if __name__ == "__main__":
    main()
