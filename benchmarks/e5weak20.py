"""e5-small's weak matches in small folders (docs/quality.md, "Session 20: e5-small's weak matches in
small folders").

Every hand-written small folder of earlier sessions is development data here, asked with
`--model e5-small` (hybrid, k=5, flags as `Retriever.search` gives them): benchmarks/small_folders/
(Session 16, 18 folders), benchmarks/weak17/, weak18/ (Sessions 17-18), outside19/ (Session 19) and
probe20's dev questions (seven folders). Held-out: benchmarks/e5weak20/ (eight folders written for
this session before any run) and, as a second held-out, probe20's held-out questions (already
measured once with e5-small by Session 20's probe).

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/e5weak20.py --split dev --dump benchmarks/out/e5weak20-dev.pkl
        [--extra OFF_TOPIC_DEV OFF_TOPIC_DEV2] [--model e5-small] [--only NAME ...]

Per hit it keeps the inputs of the weak rule (`qa.fusion.is_weak`'s arguments, as the search called
it), the hit's language and hubness (`qa.weakbar.passage_hubs`), and per question the dense scores of
every candidate (in a small folder: every passage), for rules gridded on dev by
benchmarks/e5weak20_rules.py. Off-topic passing: the top hit is not weak; gold shown weak: of the
questions whose gold passage is in the top 5, the ones flagged.
"""
from __future__ import annotations

import argparse
import json
import pickle
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import qa.retrieval as retrieval  # noqa: E402
from qa import Retriever, build_index  # noqa: E402
from qa.weakbar import passage_hubs  # noqa: E402
import small_folders  # noqa: E402

BENCH = ROOT / "benchmarks"
OUT = BENCH / "out" / "e5weak20"
PROBE20 = BENCH / "data" / "probe20"
K = 5
JSON_SETS = {"small_folders": "dev", "weak17": "dev", "weak18": "dev", "outside19": "dev", "e5weak20": "held-out"}


def flat(text: str) -> str:
    return " ".join(text.split())


def collections(split: str) -> dict[str, dict]:
    """name -> {set, docs (file -> text) or folder, asked: [(question, gold, kind)]}; gold: a piece
    of the gold passage's text (JSON folders) or (document stem, piece) (probe20), None off-topic."""
    out = {}
    for name, set_split in JSON_SETS.items():
        if set_split != split:
            continue
        for path in sorted((BENCH / name).glob("*.json")):
            f = json.loads(path.read_text(encoding="utf-8"))
            asked = [(q["q"], q["gold"], "answered") for q in f["questions"]] + [(q, None, "off") for q in f["off_topic"]]
            out[f"{name}/{path.stem}"] = dict(set=name, docs=f["docs"], asked=asked, lang=f["lang"])
    rows = [json.loads(line) for line in (PROBE20 / f"questions_{'dev' if split == 'dev' else 'heldout'}.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        c = out.setdefault(f"probe20/{r['collection']}", dict(set="probe20", folder=PROBE20 / r["collection"], asked=[],
                                                              lang=r["doc_lang"]))
        c["asked"].append((r["q"], (r["doc"], r["gold"]) if r["doc"] else None, "answered" if r["doc"] else "off"))
    return out


def build(name: str, c: dict, model: str) -> Path:
    folder = OUT / model / name
    if "folder" in c:
        build_index([c["folder"]], index=folder / "index", model=model, progress=False)
        return folder / "index"
    docs = folder / "docs"
    if docs.exists() and {p.name for p in docs.iterdir()} != set(c["docs"]):
        shutil.rmtree(folder)
    docs.mkdir(parents=True, exist_ok=True)
    for file, text in c["docs"].items():
        path = docs / file
        if not path.exists() or path.read_text(encoding="utf-8") != text + "\n":
            path.write_text(text + "\n", encoding="utf-8")
    build_index([docs], index=folder / "index", model=model, progress=False)
    return folder / "index"


class Recorder(small_folders.Recorder):
    """`is_weak` and `make_passages` as the search calls them: each hit's weak-rule arguments
    (small_folders.Recorder), and each question's candidates (dense scores, raw BM25) and language."""

    def __init__(self) -> None:
        super().__init__()
        self.questions: list[dict] = []
        self.make_passages = retrieval.make_passages

    def passages(self, top, rows, encoder, question, qvec, found, passages, qlang, *args, **kwargs):
        self.questions.append(dict(qlang=qlang, dense=dict(found.dense), lexical=list(found.lexical),
                                   passages=passages, fused=[(s, d, i) for s, d, i in top]))
        return self.make_passages(top, rows, encoder, question, qvec, found, passages, qlang, *args, **kwargs)

    def __enter__(self) -> "Recorder":
        retrieval.is_weak, retrieval.make_passages = self, self.passages
        return self

    def __exit__(self, *exc) -> None:
        retrieval.is_weak, retrieval.make_passages = self.original, self.make_passages


def gold_rank(hits, gold) -> int | None:
    for h in hits:
        if isinstance(gold, tuple):
            if Path(h.source).stem == gold[0] and gold[1] in flat(h.text):
                return h.rank
        elif gold in h.text:
            return h.rank
    return None


def run(names: list[str], cols: dict[str, dict], model: str, extra: list[str]) -> list[dict]:
    records = []
    with Recorder() as rec:
        for name in names:
            c = cols[name]
            started = time.process_time()
            r = Retriever.open(build(name, c, model))
            n = r.stats()["passages"]
            asked = list(c["asked"]) + [(q, None, "extra") for q in extra]
            for question, gold, kind in asked:
                rec.calls.clear()
                rec.questions.clear()
                hits = r.search(question, k=K)
                hubs = passage_hubs(r.store, r._view.encoder, [h.id for h in hits], r._view.context)
                q = rec.questions[-1] if rec.questions else {}
                records.append(dict(collection=name, set=c["set"], lang=c["lang"], question=question, kind=kind,
                                    gold=gold, passages=n, rank=gold_rank(hits, gold) if gold else None,
                                    weak=[h.weak for h in hits], langs=[h.lang for h in hits], ids=[h.id for h in hits],
                                    texts=[flat(h.text)[:70] for h in hits], args=list(rec.calls),
                                    hubs=[hubs.get(h.id) for h in hits], qlang=q.get("qlang"),
                                    pool=q.get("dense", {}), lexical=q.get("lexical", [])))
            r.close()
            print(f"{name}: {n} passages, {len(asked)} questions, {time.process_time() - started:.1f} s CPU",
                  file=sys.stderr, flush=True)
    return records


def summary(records: list[dict], weak_of=None) -> dict[str, dict]:
    """Per set: gold shown, gold shown weak, off-topic passing (own and extra lists)."""
    weak_of = weak_of or (lambda rec, j: rec["weak"][j])
    out: dict[str, dict] = {}
    for rec in records:
        for key in (rec["set"], "all"):
            s = out.setdefault(key, dict(answered=0, first=0, shown=0, shown_weak=0, off=0, off_passing=0,
                                         extra=0, extra_passing=0))
            if rec["kind"] == "answered":
                s["answered"] += 1
                s["first"] += rec["rank"] == 1
                if rec["rank"] is not None:
                    s["shown"] += 1
                    s["shown_weak"] += weak_of(rec, rec["rank"] - 1)
            else:
                kind = "off" if rec["kind"] == "off" else "extra"
                s[kind] += 1
                s[kind + "_passing"] += bool(rec["weak"]) and not weak_of(rec, 0)
    return out


def table(out: dict[str, dict]) -> str:
    lines = ["| set | gold first | gold shown weak | off-topic passing | extra off-topic passing |", "|---|---|---|---|---|"]
    for name, s in out.items():
        lines.append(f"| {name} | {s['first']}/{s['answered']} | {s['shown_weak']}/{s['shown']} | "
                     f"{s['off_passing']}/{s['off']} | {s['extra_passing']}/{s['extra']} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "held-out"), required=True)
    ap.add_argument("--model", default="e5-small")
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--extra", nargs="*", default=[], help="off_topic.py lists asked of every folder too")
    args = ap.parse_args()
    import off_topic

    cols = collections(args.split)
    names = args.only or list(cols)
    records = run(names, cols, args.model, [q for name in args.extra for q in getattr(off_topic, name)])
    print(table(summary(records)))
    if args.dump:
        args.dump.parent.mkdir(parents=True, exist_ok=True)
        args.dump.write_bytes(pickle.dumps(records))


if __name__ == "__main__":
    main()
