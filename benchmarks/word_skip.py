"""Word translation only where it pays (session 16, issue #14): rules that skip a question's word
translation (qa/word_translation.py) from its dense candidates, graded on captured candidates.

Each question is searched once as shipped (`Retriever.search`, hybrid, k=10) and its `Candidates`
kept (as benchmarks/mixed_offset.py does); a rule that skips the translation is then exact
without searching again: the translated words' BM25 (`found.words`) dropped, with the passages
only it brought (their dense score read for it), and the rest ranked as `rank_candidates` ranks.
Runs (MRR@10, all questions):
- XQuAD pools of one language (benchmarks/out/index-es, index-en, built by quality.py): dev pairs
  en/de/zh->es, es/de/zh->en; held-out ru->es, ar->es, ru->en.
- mixed collections of benchmarks/mixed_offset.py: A (even articles es, odd en) asked in en, es,
  de, zh (dev) / ru, ar (held-out); C (all 1,680 paragraphs in 7 languages) the same, MRR@10 of any
  translation and of the same-language paragraph; B (de / zh) held-out, asked in all 7.
- peer.py's 2.4k pool (`--peer INDEX`): how many of its 200 questions each rule spares.
Rules: `top1` skips when the dense top-1 is in the question's language; `all<m>` when all of the
dense top-m are; `any<m>` when any of them is; `gap<d>`: top-1 in the question's language with a
cosine at least d above the best of another language among the dense candidates; `cos<t>`: top-1
in the question's language with a cosine of t or more.

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/word_skip.py [--held-out] \
        [--peer benchmarks/out/ix2k] [--cap N | --stored | --tag NAME [--embed-words]] [--pairs-only]

`--cap N`, `--stored` (a prototype) and `--tag` search again with their own captures, graded as
they are; `--embed-words`: every question word embedded beside the question (the search before
session 16's stored word vectors).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import sys
from operator import itemgetter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import qa.retrieval as R  # noqa: E402
from mixed_offset import LANGS, collection, xquad  # noqa: E402
from qa.evaluate import write_corpus  # noqa: E402
from qa.fusion import fuse  # noqa: E402
from qa.indexer import build_index  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "xquad"
DEV_PAIRS = [("en", "es"), ("de", "es"), ("zh", "es"), ("es", "en"), ("de", "en"), ("zh", "en")]
HELD_PAIRS = [("ru", "es"), ("ar", "es"), ("ru", "en")]
DEV_LANGS, HELD_LANGS = ["en", "es", "de", "zh"], ["ru", "ar"]
RULES = ["never", "top1", "all2", "all3", "all5", "any3", "any10", "gap0.02", "gap0.05", "gap0.1", "gap0.2",
         "cos0.5", "cos0.55", "cos0.6", "cos0.65", "cos0.7", "cos0.75", "cos0.8"]


def capture(retriever: R.Retriever, asked: list[str]) -> list[tuple]:
    """Per question: its candidates (no sentences) and language, as `search` ranks them."""
    seen: list[tuple] = []
    original = R.rank_candidates

    def keep(found, qlang, mode, *calibration):
        seen.append((dataclasses.replace(found, sentences={}, sentence_cosines={}), qlang))
        return original(found, qlang, mode, *calibration)

    R.rank_candidates = keep
    try:
        for q in asked:
            retriever.search(q, k=10)
    finally:
        R.rank_candidates = original
    return seen


def skips(rule: str, found, qlang: str) -> bool:
    near = found.nearest
    own = [found.langs.get(i) == qlang for i, _ in near]
    if rule == "never" or not near:
        return False
    if rule == "top1":
        return own[0]
    if rule.startswith("all"):
        return all(own[:int(rule[3:])])
    if rule.startswith("any"):
        return any(own[:int(rule[3:])])
    if rule.startswith("cos"):
        return own[0] and near[0][1] >= float(rule[3:])
    if rule.startswith("gap"):
        other = max((c for (i, c), o in zip(near, own) if not o), default=-1.0)
        return own[0] and near[0][1] - other >= float(rule[3:])
    raise ValueError(rule)


def ranked(found, qlang: str, skip: bool, calibration) -> list[int]:
    dense, words = found.dense, found.words
    if skip and words:
        kept = {i for i, _ in found.nearest} | {i for i, _ in found.lexical} | {i for i, _ in found.names}
        dense, words = {i: d for i, d in dense.items() if i in kept}, []
    scored = fuse(dense, found.lexical, found.langs, qlang, calibration.dense_scale, found.names, words,
                  calibration.cross_offset)
    scored.sort(key=itemgetter(2))
    scored.sort(key=itemgetter(0), reverse=True)
    return [i for _, _, i in scored[:10]]


def mrr(rankings: list[list[int]], golds: list[set[int]]) -> float:
    return float(np.mean([next((1.0 / (r + 1) for r, i in enumerate(ids) if i in g), 0.0)
                          for ids, g in zip(rankings, golds)]))


def rows_of(retriever: R.Retriever) -> dict[int, int]:
    return {pid: int(Path(src).name[1:6]) for pid, src in retriever.store.connection().execute(
        "SELECT p.id, d.source FROM passages p JOIN documents d ON d.id = p.doc_id").fetchall()}


def cached(path: Path, make):
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = make()
    path.write_bytes(pickle.dumps(value))
    return value


def grade(name: str, seen, golds: list[set[int]], row_of: dict[int, int], calibration, same=None) -> dict:
    out = {}
    for rule in RULES:
        flags = [skips(rule, f, ql) and bool(f.words) for f, ql in seen]
        rankings = [[row_of[i] for i in ranked(f, ql, s, calibration)] for (f, ql), s in zip(seen, flags)]
        out[rule] = {"mrr": mrr(rankings, golds), "skipped": float(np.mean(flags))}
        if same is not None:
            out[rule]["same"] = mrr(rankings, same)
    return out


def cap_question_words(cap: int) -> None:
    """Translate only each question's `cap` longest content words (a longer word is rarer; ties
    and order as in the question): `qa.retrieval`'s `content_words` wrapped, at question time only."""
    import qa.retrieval as R

    content_words = R.content_words

    def capped(*a, **kw) -> list[str]:
        found = content_words(*a, **kw)
        if len(found) <= cap:
            return found
        keep = set(sorted(range(len(found)), key=lambda j: -len(found[j]))[:cap])
        return [w for j, w in enumerate(found) if j in keep]

    R.content_words = capped


def words_from_store(store) -> None:
    """Prototype (session 16): a question's content words that are vocabulary words in its
    language take their vector from the index's `words` table (stored by `qa index`, float16)
    instead of being embedded beside the question; `qa.retrieval.question_terms` replaced for a
    one-index `Retriever` reading `store`."""
    import numpy as np

    import qa.retrieval as R

    def question_terms(encoder, batch, vocabulary):
        wanted = [q.content if vocabulary is not None and vocabulary.acts_for(q.lang) else [] for q in batch]
        unique = list(dict.fromkeys(w for content in wanted for w in content))
        known, unique = vocabulary.recall(unique) if vocabulary is not None else ({}, [])
        lang_of = {w: q.lang for q, content in zip(batch, wanted) for w in content}
        con, stored = store.connection(), {}
        for w in unique:
            row = con.execute("SELECT vector FROM words WHERE word = ? AND lang = ?", (w, lang_of[w])).fetchone()
            if row is not None:
                x = np.frombuffer(row[0], dtype=np.float16).astype(np.float32)
                stored[w] = x / max(float(np.linalg.norm(x)), 1e-12)
        rest = [w for w in unique if w not in stored]
        priors = [q.prior for q in batch if q.prior is not None]
        both = encoder.encode_queries([q.text for q in batch] + rest + priors)
        if unique:
            encoded = dict(zip(rest, both[len(batch):len(batch) + len(rest)]))
            vectors = np.stack([stored[w] if w in stored else encoded[w] for w in unique])
            known.update(vocabulary.translate(unique, vectors))
        qvecs = both[:len(batch)]
        if priors:
            qvecs = qvecs.copy()
            rows = iter(both[len(batch) + len(rest):])
            for j, q in enumerate(batch):
                if q.prior is not None:
                    qvecs[j] = R.fold_vector(qvecs[j], next(rows))
        return qvecs, [list(dict.fromkeys(t for w in content for t in known[w])) for content in wanted]

    R.question_terms = question_terms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--peer", type=Path, help="peer.py's level-2000 index: the share each rule spares")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--tag", help="captures of their own (benchmarks/out/word_skip-TAG), graded as they are")
    parser.add_argument("--embed-words", action="store_true",
                        help="every word of a question embedded beside it (`question_terms` without `stored`: before session 16)")
    parser.add_argument("--pairs-only", action="store_true", help="the XQuAD pairs only")
    parser.add_argument("--stored", action="store_true", help="the prototype `words_from_store`: its own captures")
    parser.add_argument("--cap", type=int, help="translate only a question's N longest content words "
                        "(`cap_question_words`): its own captures, graded as they are (`never`)")
    args = parser.parse_args()
    cache = args.out / "word_skip"
    if args.cap:
        cap_question_words(args.cap)
        cache = args.out / f"word_skip-cap{args.cap}"
        RULES[:] = ["never"]
    cache.mkdir(parents=True, exist_ok=True)
    if args.stored:
        cache = args.out / "word_skip-stored"
        RULES[:] = ["never"]
    if args.embed_words:
        question_terms = R.question_terms
        R.question_terms = lambda encoder, batch, vocabulary, stored=None: question_terms(encoder, batch, vocabulary)
    if args.tag:
        cache = args.out / f"word_skip-{args.tag}"
        RULES[:] = ["never"]
    cache.mkdir(parents=True, exist_ok=True)
    split = ("held" if args.held_out else "dev") + (f"-cap{args.cap}" if args.cap else "") + ("-stored" if args.stored else "") \
        + (f"-{args.tag}" if args.tag else "")
    results: dict[str, dict] = {}

    from qa.squad import load_squad

    for q, p in HELD_PAIRS if args.held_out else DEV_PAIRS:
        retriever = R.Retriever.open(args.out / f"index-{p}")
        if args.stored:
            words_from_store(retriever.store)
        squad = load_squad(DATA / f"xquad.{p}.json", DATA / f"xquad.{q}.json")
        seen = cached(cache / f"xquad-{q}-{p}.pkl", lambda: capture(retriever, [x.text for x in squad.questions]))
        golds = [{squad.gold[x.id]} for x in squad.questions]
        results[f"{q}->{p}"] = grade(f"{q}->{p}", seen, golds, rows_of(retriever), retriever.encoder.calibration)
        retriever.close()
        print(f"{q}->{p}", json.dumps({r: round(v["mrr"], 4) for r, v in results[f"{q}->{p}"].items()}), flush=True)

    mixed = [("A", ("es", "en"), HELD_LANGS if args.held_out else DEV_LANGS),
             ("C", tuple(LANGS), HELD_LANGS if args.held_out else DEV_LANGS)]
    if args.held_out:
        mixed.insert(1, ("B", ("de", "zh"), LANGS))
    if args.pairs_only:
        mixed = []
    for name, parity, qlangs in mixed:
        texts, langs, gold = collection(parity)
        folder = args.out / f"index-mixed-{''.join(parity)}"
        if not (folder / "corpus").exists():
            write_corpus(texts, folder / "corpus")
            build_index([folder / "corpus"], index=folder, progress=False)
        retriever = R.Retriever.open(folder)
        if args.stored:
            words_from_store(retriever.store)
        retriever.search("warm up", k=10)
        row_of = rows_of(retriever)
        for qlang in qlangs:
            asked = [(x["question"], x["id"]) for a in xquad(qlang) for para in a["paragraphs"] for x in para["qas"]
                     if x["id"] in gold]
            seen = cached(cache / f"mixed-{name}-{qlang}.pkl", lambda: capture(retriever, [t for t, _ in asked]))
            golds = [set(gold[g]) for _, g in asked]
            same = [{j for j in gold[g] if langs[j] == qlang} for _, g in asked] if name == "C" else None
            key = f"{name} {qlang}"
            results[key] = grade(key, seen, golds, row_of, retriever.encoder.calibration, same)
            print(key, json.dumps({r: [round(v["mrr"], 4), round(v["skipped"], 3)] + ([round(v["same"], 4)] if same else [])
                                   for r, v in results[key].items()}), flush=True)
        retriever.close()

    if args.peer:
        from hybrid_profile import peer_questions

        retriever = R.Retriever.open(args.peer)
        seen = cached(cache / "peer.pkl", lambda: capture(retriever, peer_questions(200)))
        results["peer"] = {rule: {"skipped": float(np.mean([skips(rule, f, ql) and bool(f.words) for f, ql in seen])),
                                  "with_words": float(np.mean([bool(f.words) for f, _ in seen]))} for rule in RULES}
        print("peer", json.dumps({r: round(v["skipped"], 3) for r, v in results["peer"].items()}), flush=True)
        retriever.close()

    (args.out / f"word_skip-{split}.json").write_text(json.dumps(results, indent=1))
    pairs = [k for k in results if "->" in k]
    print(f"\n| rule | {' | '.join(pairs)} | pairs mean | " + " | ".join(k for k in results if " " in k) + " |")
    for rule in RULES:
        cells = [f"{results[k][rule]['mrr']:.4f}" for k in pairs]
        mean = np.mean([results[k][rule]["mrr"] for k in pairs]) if pairs else float("nan")
        mixed_cells = [f"{results[k][rule]['mrr']:.4f}" + (f"/{results[k][rule]['same']:.4f}" if "same" in results[k][rule] else "")
                       + f" ({results[k][rule]['skipped']:.0%})" for k in results if " " in k]
        print(f"| {rule} | {' | '.join(cells)} | {mean:.4f} | {' | '.join(mixed_cells)} |")


if __name__ == "__main__":
    main()
