"""Session 20: where the hybrid (BM25 + dense, qa/fusion.py) falls below dense alone, on the
hand-written collections (nobody tuned the fusion weights on them) and on XQuAD (where they were
chosen). Every question is asked (k=10) in hybrid, dense and lexical mode, as `qa ask` asks; the
hybrid search's candidates (`qa.retrieval.Candidates`, recorded as `rank_candidates` gets them) are
kept so that variants of the fusion rank them again offline (the hybrid's own ranking of them is
checked against the live one).

    PYTHONPATH=.:benchmarks python benchmarks/fusion20.py --split dev|heldout [--xquad en es de zh]
        [--variants base dense lexical thin:2 agree:3,0.5 w:0.3 offthin:1 ...] [--rows] [--by-lang]
        [--no-collections] [--load] [--xquad-tag=-T]

Variants (offline, on the recorded candidates): "w:W" a flat same-language lexical weight W; "thin:E"
the same-language lexical weight times min(1, the lexical best hit's `lexical_evidence` / E);
"agree:N,F" times F when the lexical best hit is not among dense's N best; "offthin:E" the
cross-language offset times min(1, evidence of the best same-language lexical hit / E), none without one.

Collections: probe20 (benchmarks/data/probe20, one index per folder), ja20, probe14, probe15,
probe17 (benchmarks/probe1*), the small folders (benchmarks/small_folders/*.json, round 1's "dev"
folders are dev, "held-out" and "held-out2" held-out) and the seed article's questions
(tests/test_seed_questions.py: held-out since session 6, so counted with held-out only).
XQuAD (`--xquad en es ru>es ...`): a language alone or questions>paragraphs, the indexes of benchmarks/quality.py under benchmarks/out.
Rows to benchmarks/out/fusion20-<split>.pkl.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import pickle
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import qa.retrieval as retrieval  # noqa: E402
from qa import fusion  # noqa: E402
from common import OUT  # noqa: E402

K = 10
MODES = ("hybrid", "dense", "lexical")


def flat(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ the collections and their gold


def probe_questions(folder: Path, split: str) -> list[dict]:
    name = {"dev": "questions_dev.jsonl", "heldout": "questions_heldout.jsonl"}[split]
    return [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def by_doc(q: dict):
    return lambda row: Path(row["source"]).stem == q["doc"] and q["gold"] in flat(row["text"])


def collections(split: str) -> list[tuple[str, Path, list[tuple[str, callable]]]]:
    """(name, folder to index, [(question, gold test on a passage row)])."""
    out = []
    for name, folder in (("probe20", ROOT / "benchmarks/data/probe20"), ("ja20", ROOT / "benchmarks/data/ja20")):
        part: dict[str, list] = defaultdict(list)
        for q in probe_questions(folder, split):
            if q["doc"]:
                part[q["collection"]].append((q["q"], by_doc(q)))
        out += [(f"{name}/{c}", folder / c, qs) for c, qs in part.items()]
    for name in ("probe14", "probe15", "probe17"):
        folder = ROOT / "benchmarks" / name
        qs = [(q["q"], by_doc(q)) for q in probe_questions(folder, split) if q["doc"]]
        out.append((name, folder / "docs", qs))
    small = ROOT / "benchmarks" / "small_folders"
    wanted = {"dev"} if split == "dev" else {"held-out", "held-out2"}
    for path in sorted(small.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["split"] not in wanted:
            continue
        docs = OUT / "fusion20" / "small" / path.stem / "docs"
        docs.mkdir(parents=True, exist_ok=True)
        for file, text in data["docs"].items():
            (docs / file).write_text(text + "\n", encoding="utf-8")
        qs = [(q["q"], (lambda g: lambda row: g in row["text"])(q["gold"])) for q in data["questions"]]
        out.append((f"small/{path.stem}", docs, qs))
    if split == "heldout":
        spec = importlib.util.spec_from_file_location("seed_questions", ROOT / "tests" / "test_seed_questions.py")
        sys.path.insert(0, str(ROOT / "tests"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        asked = list(dict.fromkeys(module.QUESTIONS + module.PARAPHRASED + sorted(getattr(module, "PARAPHRASED_MISSES", ()))))
        qs = [(q, (lambda n: lambda row: row["paragraph"] == n)(p)) for _, q, p in asked]
        out.append(("seed", ROOT / "seeds", qs))
    return out


# ------------------------------------------------------------------ asking, with the candidates kept


class Recorder:
    """`rank_candidates` as the search calls it, keeping its last hybrid call's inputs."""

    def __init__(self) -> None:
        self.original = retrieval.rank_candidates
        self.last = None

    def __call__(self, found, qlang, mode, calibration=retrieval.DEFAULT_CALIBRATION):
        if mode == "hybrid":
            self.last = (found, qlang, calibration)
        return self.original(found, qlang, mode, calibration)


def ask_all(retriever, questions, recorder: Recorder, name: str, modes=MODES) -> list[dict]:
    from qa.retrieval import Query

    store = retriever.store
    passages = retriever.stats()["passages"]
    rows = []
    for text, gold in questions:
        row = {"collection": name, "q": text, "passages": passages}
        for mode in modes:
            recorder.last = None
            hits = retriever.search(text, k=K, mode=mode)
            row[f"{mode}_rank"] = next((i for i, h in enumerate(hits, 1)
                              if gold({"source": h.source, "text": h.text, "paragraph": h.paragraph})), None)
            if mode == "hybrid":
                found, qlang, calibration = recorder.last
                ids = list(dict.fromkeys([*found.dense, *(i for i, _ in found.lexical)]))
                info = store.passages(ids)
                row.update(qlang=qlang, dense=dict(found.dense), lexical=list(found.lexical),
                           langs=dict(found.langs), names=list(found.names), words=list(found.words),
                           scale=calibration.dense_scale, offset=calibration.cross_offset,
                           gold_ids=[i for i in ids if i in info and gold(info[i])],
                           plang={i: info[i]["lang"] for i in info},
                           top_hit=f"{Path(hits[0].source).stem}: {flat(hits[0].text)[:70]}" if hits else None)
                tokens = Query.of(text, "hybrid", languages=store.languages).tokens or []
                row["tokens"] = tokens
                lex_top = found.lexical[0][0] if found.lexical else None
                want = [i for i in [lex_top, *row["gold_ids"][:1]] if i is not None]
                held = store.holding(tokens, want) if tokens and want else {}
                row["lex_top"] = lex_top
                row["lex_top_text"] = flat(info[lex_top]["text"])[:80] if lex_top in info else None
                row["lex_top_terms"] = sorted(held.get(lex_top, ())) if lex_top is not None else []
                row["gold_terms"] = sorted(held.get(row["gold_ids"][0], ())) if row["gold_ids"] else []
        rows.append(row)
    return rows


def run_collections(split: str) -> list[dict]:
    from qa import Retriever, build_index

    recorder = Recorder()
    retrieval.rank_candidates = recorder
    rows = []
    try:
        for name, folder, questions in collections(split):
            index = OUT / "fusion20" / "index" / name.replace("/", "_")
            build_index([folder], index=index, progress=False)
            retriever = Retriever.open(index)
            rows += ask_all(retriever, questions, recorder, name)
            retriever.close()
            print(f"  {name}: {len(questions)} questions", file=sys.stderr, flush=True)
    finally:
        retrieval.rank_candidates = recorder.original
    return rows


def run_xquad(langs: list[str]) -> list[dict]:
    from common import xquad_dir
    from qa import Retriever, build_index
    from qa.evaluate import _source
    from qa.squad import load_squad

    recorder = Recorder()
    retrieval.rank_candidates = recorder
    rows = []
    try:
        for spec in langs:  # "de" (monolingual) or "ru>es" (ru questions over es paragraphs)
            qlang, _, lang = spec.rpartition(">")
            data = load_squad(xquad_dir() / f"xquad.{lang}.json", xquad_dir() / f"xquad.{qlang or lang}.json")
            index = OUT / f"index-{lang}"
            if not (index / "corpus").exists():
                raise SystemExit(f"{index} missing: run `benchmarks/xquad_subset.py --langs {lang}` once")
            build_index([index / "corpus"], index=index, progress=False)  # as qa.evaluate does: up to date
            retriever = Retriever.open(index)
            qs = [(q.text, (lambda s: lambda row: Path(row["source"]).name == s)(_source(data.gold[q.id])))
                  for q in data.questions]
            rows += ask_all(retriever, qs, recorder, f"xquad/{spec}", modes=("hybrid",))
            retriever.close()
            print(f"  xquad {spec}: {len(qs)} questions", file=sys.stderr, flush=True)
    finally:
        retrieval.rank_candidates = recorder.original
    return rows


# ------------------------------------------------------------------ variants of the fusion, offline


def lexical_weights(row: dict, variant: str) -> float:
    """The multiplier of LEXICAL_WEIGHT_SAME for this question under `variant`."""
    kind, _, arg = variant.partition(":")
    if variant == "base" or not row["lexical"] or kind == "offthin":
        return 1.0
    if kind == "w":  # a flat weight (a reference: what XQuAD gives up)
        return float(arg) / fusion.LEXICAL_WEIGHT_SAME
    if kind == "thin":  # the lexical best hit's evidence (lexical_evidence) under `arg`: weigh in proportion
        evidence = fusion.lexical_evidence(row["lexical"][0][1], row["passages"])
        return min(1.0, evidence / float(arg))
    if kind == "agree":  # the lexical best hit not among dense's `n` best: weigh times `f`
        n, f = arg.split(",")
        dense_top = sorted(row["dense"], key=lambda i: -row["dense"][i])[:int(n)]
        return 1.0 if row["lexical"][0][0] in dense_top else float(f)
    raise ValueError(variant)


def offset_share(row: dict, variant: str) -> float:
    """The share of the cross-language offset kept under `variant` ("offthin:E": in proportion to the
    lexical evidence of the best passage in the question's language, full from E on; none without one).
    The offset stands for what same-language passages have by design, their lexical weight first."""
    kind, _, arg = variant.partition(":")
    if kind != "offthin":
        return 1.0
    same = [b for i, b in row["lexical"] if row["langs"].get(i) == row["qlang"]]
    if not same:
        return 0.0
    return min(1.0, fusion.lexical_evidence(max(same), row["passages"]) / float(arg))


def rerank(row: dict, variant: str) -> list[int]:
    """The hybrid's candidates ranked under `variant`, best first (ids)."""
    if variant == "dense":
        scored = [(d, d, i) for i, d in row["dense"].items()]
    elif variant == "lexical":
        scored = [(b, 0.0, i) for i, b in row["lexical"]]
    else:
        saved = fusion.LEXICAL_WEIGHT_SAME
        fusion.LEXICAL_WEIGHT_SAME = saved * lexical_weights(row, variant)
        try:
            scored = fusion.fuse(row["dense"], row["lexical"], row["langs"], row["qlang"], row["scale"],
                                 row["names"], row["words"], row["offset"] * offset_share(row, variant))
        finally:
            fusion.LEXICAL_WEIGHT_SAME = saved
    scored.sort(key=lambda s: s[2])
    scored.sort(key=lambda s: s[0], reverse=True)
    return [i for _, _, i in scored]


def rank_of(row: dict, variant: str) -> int | None:
    gold = set(row["gold_ids"])
    order = rerank(row, variant)[:K]
    return next((r for r, i in enumerate(order, 1) if i in gold), None)


def kind(row: dict) -> str:
    langs = {row["plang"].get(i) for i in row["gold_ids"]}
    return "mono" if row["qlang"] in langs else "cross"


def scores(rows: list[dict], key) -> tuple[float, float]:
    ranks = [key(r) for r in rows]
    return (sum(1 / r for r in ranks if r) / len(ranks), sum(r == 1 for r in ranks) / len(ranks))


def group_of(row: dict) -> str:
    name = row["collection"]
    return name.split("/")[0] if name.startswith(("probe20", "small")) else name


def report(rows: list[dict], variants: list[str], show_rows: bool, by_lang: bool = False) -> None:
    live = [r for r in rows if "dense_rank" in r]
    agree = sum(rank_of(r, "base") == r["hybrid_rank"] for r in rows)
    print(f"offline hybrid ranks = live hybrid ranks: {agree} of {len(rows)}")
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(group_of(r), r["qlang"] if by_lang else kind(r))].append(r)
        groups[(group_of(r), "all")].append(r)
    if live:
        print("\n| collection | questions | n | hybrid MRR / hit@1 | dense | lexical | hybrid < dense (questions) |")
        print("|---|---|---|---|---|---|---|")
        for (g, k), part in sorted(groups.items()):
            if g.startswith("xquad"):
                continue
            h, d, lx = (scores(part, lambda r, m=m: r[f"{m}_rank"]) for m in MODES)
            worse = sum(1 for r in part if (r["hybrid_rank"] or 99) > (r["dense_rank"] or 99))
            better = sum(1 for r in part if (r["hybrid_rank"] or 99) < (r["dense_rank"] or 99))
            print(f"| {g} | {k} | {len(part)} | {h[0]:.3f} / {h[1]:.3f} | {d[0]:.3f} / {d[1]:.3f} | "
                  f"{lx[0]:.3f} / {lx[1]:.3f} | {worse} below, {better} above |")
    print("\n| collection | questions | n | " + " | ".join(variants) + " |")
    print("|---|---|---|" + "---|" * len(variants))
    for (g, k), part in sorted(groups.items()):
        cells = [scores(part, lambda r, v=v: rank_of(r, v)) for v in variants]
        print(f"| {g} | {k} | {len(part)} | " + " | ".join(f"{m:.3f} / {f:.3f}" for m, f in cells) + " |")
    for name, part in (("collections", [r for r in rows if not r["collection"].startswith("xquad")]),
                       ("xquad", [r for r in rows if r["collection"].startswith("xquad")])):
        if part:
            cells = [scores(part, lambda r, v=v: rank_of(r, v)) for v in variants]
            print(f"| **{name}** | all | {len(part)} | " + " | ".join(f"{m:.4f} / {f:.4f}" for m, f in cells) + " |")
    if show_rows:
        for r in rows:
            if "xquad" in r["collection"]:
                continue
            if (r["hybrid_rank"] or 99) > (r["dense_rank"] or 99):
                ev = fusion.lexical_evidence(r["lexical"][0][1], r["passages"]) if r["lexical"] else 0.0
                lex_gold = next((j for j, (i, _) in enumerate(r["lexical"], 1) if i in set(r["gold_ids"])), None)
                print(f"[{r['collection']}] [{r['qlang']}/{kind(r)}] {r['q']!r}: hybrid {r['hybrid_rank']} dense "
                      f"{r['dense_rank']} lexical {r['lexical_rank']} (gold at lexical {lex_gold}), lexical best evidence {ev:.2f}"
                      f"\n    lexical best: {r['lex_top_text']!r} on {r['lex_top_terms']}"
                      f"\n    gold holds: {r['gold_terms']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=["dev", "heldout"])
    ap.add_argument("--xquad", nargs="*", default=[], help="XQuAD languages (monolingual) to record too")
    ap.add_argument("--xquad-tag", default="", help="suffix of the XQuAD rows file (several sets kept apart)")
    ap.add_argument("--no-collections", action="store_true")
    ap.add_argument("--load", action="store_true", help="rank the rows recorded before again (no search)")
    ap.add_argument("--variants", nargs="+", default=["base", "dense", "lexical"])
    ap.add_argument("--rows", action="store_true", help="every question hybrid ranks below dense")
    ap.add_argument("--by-lang", action="store_true", help="per question language (default: mono / cross)")
    args = ap.parse_args()
    path = OUT / f"fusion20-{args.split}.pkl"
    xpath = OUT / f"fusion20-xquad{args.xquad_tag}.pkl"
    if args.load:
        rows = pickle.loads(path.read_bytes()) if not args.no_collections else []
        if args.xquad:
            rows += [r for r in pickle.loads(xpath.read_bytes()) if r["collection"][6:] in args.xquad]
    else:
        rows = [] if args.no_collections else run_collections(args.split)
        if rows:
            path.write_bytes(pickle.dumps(rows))
        if args.xquad:
            xrows = run_xquad(args.xquad)
            xpath.write_bytes(pickle.dumps(xrows))
            rows += xrows
    report(rows, args.variants, args.rows, args.by_lang)


if __name__ == "__main__":
    main()
