"""Weak matches in small folders (docs/quality.md, "Session 16: weak matches in small folders").

Hand-written folders of 1-2 documents (3-12 passages) in fr, en, de, es, zh, ar and el (outside
USE-m3's 16 languages), under benchmarks/small_folders/*.json: the documents, ~6 questions with
their gold paragraph (a piece of its text; some asked in another language than the documents) and
4 off-topic questions. Each file's "split" (dev / held-out) was written before any measurement:

    dev:      fr_notice, en_policy, de_house, es_recipe, zh_notice, ar_clinic
    held-out: fr_recipe, en_minutes, de_minutes, es_policy, zh_news, el_notice

A second round, after round 1's held-out was read once, took all of them and the seed as its dev
and six new folders, written before its grid, as "held-out2": fr_minutes2, en_notice2, de_policy2,
es_news2, zh_policy2, ar_news2.

Also measured: each split's folders indexed together as one folder ("dev-all", "held-out-all",
~30 passages), a folder of several documents as users have them.

Real default model, hybrid, k=5, as `Retriever.search` ranks and flags. Per collection: gold
first, gold shown weak (of questions whose gold is in the top 5, the share flagged weak) and
off-topic passing (top hit not weak). `--dump FILE` keeps, per hit, the inputs of the weak rule
(`qa.fusion.is_weak`'s arguments) and the passages count, for rules gridded on dev.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/small_folders.py [--dump benchmarks/out/small16.pkl]
        [--only COLLECTION ...] [--extra OFF_TOPIC_DEV OFF_TOPIC_DEV2]   # off_topic.py's lists asked of each too
"""
from __future__ import annotations

import argparse
import json
import math
import pickle
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa.retrieval as retrieval  # noqa: E402
from qa import Retriever, build_index  # noqa: E402
from qa.lexical_plan import match_expression  # noqa: E402
from qa.retrieval import Query  # noqa: E402

# FTS5 floors a word's IDF at this when ln((N - n + 0.5) / (n + 0.5)) is not positive
FTS5_IDF_FLOOR = 1e-6
DATA = ROOT / "benchmarks" / "small_folders"
# round 1: dev / held-out; round 2 (after round 1's held-out was read): dev = both, held-out2 new
SPLITS = ("dev", "held-out", "held-out2")
OUT = ROOT / "benchmarks" / "out" / "small_folders"
K = 5


def idf(n: int, passages: int) -> float:
    """FTS5's IDF of a word in `n` of `passages` passages."""
    return max(math.log((passages - n + 0.5) / (n + 0.5)), FTS5_IDF_FLOOR)


def term_weights(store, tokens, passages: int) -> dict[str, tuple[int, dict[int, float]]]:
    """Per question token found in the collection: (the number of passages holding it, {passage
    id: BM25's term-frequency part}), from FTS5 one token at a time (each query returns every
    passage holding the token: small collections only). Their sum over the tokens, each part times
    `idf`, is the passage's BM25 (small_folders_rules.py checks it)."""
    out = {}
    for t in dict.fromkeys(t for t in tokens if t):
        hits = store.bm25(match_expression([t]), passages + 1)
        if hits:
            w = idf(len(hits), passages)
            out[t] = (len(hits), {i: score / w for i, score in hits})
    return out


def folders() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(DATA.glob("*.json"))}


def seed() -> dict:
    """The seed article (held-out since session 6): tests/test_seed_questions.py's questions, gold
    by paragraph number, and off_topic.OFF_TOPIC_HELD_OUT."""
    import importlib.util

    import off_topic

    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location("seed_questions", ROOT / "tests" / "test_seed_questions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    asked = list(dict.fromkeys(module.QUESTIONS + module.PARAPHRASED + getattr(module, "KNOWN_MISSES", [])))
    asked.append(("fr", "Où Li Qiang a-t-il parlé ?", 4))  # issue #15's example
    return dict(split="held-out", questions=[dict(q=q, gold=p) for _, q, p in asked],
                off_topic=list(off_topic.OFF_TOPIC_HELD_OUT))


def collections() -> dict[str, tuple[str, list[str]]]:
    """name -> (split, the folders it holds): each folder alone, and each split's together."""
    found = folders()
    out = {name: (f["split"], [name]) for name, f in found.items()}
    out["seed"] = ("held-out", ["seed"])
    for split in SPLITS:
        out[f"{split}-all"] = (split, [n for n, f in found.items() if f["split"] == split])
    return out


def build(name: str, members: list[str], data: dict[str, dict]) -> Path:
    """The collection's index under benchmarks/out (rebuilt when its documents changed)."""
    folder = OUT / name
    docs = folder / "docs"
    wanted = {f"{m}__{doc}": text for m in members for doc, text in data[m]["docs"].items()}
    if docs.exists() and {p.name for p in docs.iterdir()} != set(wanted):
        shutil.rmtree(folder)
    docs.mkdir(parents=True, exist_ok=True)
    for file, text in wanted.items():
        path = docs / file
        if not path.exists() or path.read_text(encoding="utf-8") != text + "\n":
            path.write_text(text + "\n", encoding="utf-8")
    build_index([docs], index=folder / "index", progress=False)
    return folder / "index"


def seed_index() -> Path:
    build_index([ROOT / "seeds"], index=OUT / "seed" / "index", progress=False)
    return OUT / "seed" / "index"


class Recorder:
    """`is_weak` as the search calls it, recording its arguments hit by hit."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.original = retrieval.is_weak

    def __call__(self, dense, evidence, dense_bar=retrieval.WEAK_DENSE, hub=None, hub_margin=None, words=0.0,
                 sentence=None, sentence_chars=0, sentence_bar=None, closeness=None, closeness_bar=None,
                 pool=None, pool_bar=None, far=None, far_bar=None):
        self.calls.append(dict(dense=dense, evidence=evidence, dense_bar=dense_bar, hub=hub, hub_margin=hub_margin,
                               words=words, sentence=sentence, sentence_chars=sentence_chars,
                               sentence_bar=sentence_bar, closeness=closeness, closeness_bar=closeness_bar,
                               pool=pool, pool_bar=pool_bar, far=far, far_bar=far_bar))
        return self.original(dense, evidence, dense_bar, hub, hub_margin, words, sentence, sentence_chars,
                             sentence_bar, closeness, closeness_bar, pool, pool_bar, far, far_bar)


def run(names: list[str], extra: list[str] = ()) -> list[dict]:
    data, cols = folders(), collections()
    data["seed"] = seed()
    recorder = Recorder()
    retrieval.is_weak = recorder
    records = []
    try:
        for name in names:
            split, members = cols[name]
            r = Retriever.open(build(name, members, data) if name != "seed" else seed_index())
            n = r.stats()["passages"]
            asked = [(q["q"], m, q["gold"]) for m in members for q in data[m]["questions"]]
            asked += [(q, m, None) for m in members for q in data[m]["off_topic"]]
            asked += [(q, "extra", None) for q in extra]
            for question, member, gold in asked:
                recorder.calls.clear()
                hits = r.search(question, k=K)
                tokens = Query.of(question, "hybrid", languages=r.store.languages).tokens
                terms = term_weights(r.store, tokens or [], n)
                rank = next((h.rank for h in hits if gold is not None and (
                    h.paragraph == gold if isinstance(gold, int) else
                    gold in h.text and h.source.rsplit("/", 1)[-1].startswith(member + "__"))), None)
                records.append(dict(collection=name, split=split, folder=member, question=question, gold=gold,
                                    passages=n, rank=rank, weak=[h.weak for h in hits],
                                    args=list(recorder.calls), texts=[h.text[:60] for h in hits],
                                    ids=[h.id for h in hits], same=[h.lang == hits[0].lang for h in hits],
                                    terms={t: (m, {i: parts[i] for i in parts if i in {h.id for h in hits}})
                                           for t, (m, parts) in terms.items()}))
            r.close()
    finally:
        retrieval.is_weak = recorder.original
    return records


def summary(records: list[dict], weak_of=None) -> dict[str, dict]:
    """Per collection: passages, gold first, gold shown weak, off-topic passing. `weak_of(record,
    j)`: the flag of hit j under another rule (default: the search's own)."""
    weak_of = weak_of or (lambda rec, j: rec["weak"][j])
    out: dict[str, dict] = {}
    for rec in records:
        s = out.setdefault(rec["collection"], dict(split=rec["split"], passages=rec["passages"], answered=0,
                                                   first=0, shown=0, shown_weak=0, off=0, off_passing=0))
        if rec["gold"] is None:
            s["off"] += 1
            s["off_passing"] += bool(rec["weak"]) and not weak_of(rec, 0)
        else:
            s["answered"] += 1
            s["first"] += rec["rank"] == 1
            if rec["rank"] is not None:
                s["shown"] += 1
                s["shown_weak"] += weak_of(rec, rec["rank"] - 1)
    return out


def table(out: dict[str, dict]) -> str:
    lines = ["| collection | split | passages | gold first | gold shown weak | off-topic passing |",
             "|---|---|---|---|---|---|"]
    for split in SPLITS:
        if not any(s["split"] == split for s in out.values()):
            continue
        tot = dict(answered=0, first=0, shown=0, shown_weak=0, off=0, off_passing=0)
        for name, s in out.items():
            if s["split"] != split:
                continue
            lines.append(f"| {name} | {split} | {s['passages']} | {s['first']}/{s['answered']} | "
                         f"{s['shown_weak']}/{s['shown']} | {s['off_passing']}/{s['off']} |")
            if not name.endswith("-all") and name != "seed":
                for key in tot:
                    tot[key] += s[key]
        lines.append(f"| **{split} folders** | | | {tot['first']}/{tot['answered']} | "
                     f"**{tot['shown_weak']}/{tot['shown']}** | **{tot['off_passing']}/{tot['off']}** |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="keep every hit's weak-rule inputs in this pickle")
    parser.add_argument("--only", nargs="*", help="these collections only")
    parser.add_argument("--extra", nargs="*", default=[],
                        help="off_topic.py lists asked of every collection too (folder 'extra' in the dump)")
    args = parser.parse_args()
    names = args.only or list(collections())
    import off_topic

    records = run(names, [q for name in args.extra for q in getattr(off_topic, name)])
    print(table(summary(records)))
    if args.dump:
        args.dump.parent.mkdir(parents=True, exist_ok=True)
        args.dump.write_bytes(pickle.dumps(records))


if __name__ == "__main__":
    main()
