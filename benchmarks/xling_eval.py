"""Transliterated names end to end: MRR@10 through `Retriever.search` (hybrid, k=10) on XQuAD's
nine cross-lingual pairs and some monolingual runs, without and with the names query
(qa/transliterate.py), on the held-out split (questions whose paragraph index is odd; the
names weight was chosen on the even ones by benchmarks/xling_translit.py) and on all questions.

    PYTHONPATH=. .venv/bin/python benchmarks/xling_eval.py [--mono en ru ar zh]   # indexes in benchmarks/out/index-<lang>
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import retrieval  # noqa: E402
from qa.evaluate import score_run  # noqa: E402
from qa.retrieval import Retriever  # noqa: E402
from qa.squad import load_squad  # noqa: E402

CROSS = [("en", "es"), ("zh", "es"), ("de", "es"), ("ru", "es"), ("ar", "es"),
         ("es", "en"), ("de", "en"), ("zh", "en"), ("ru", "en")]


def ranks(retriever: Retriever, data: Path, q: str, p: str) -> tuple[list[list[int]], list[int]]:
    squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
    ranked = []
    for x in squad.questions:
        hits = retriever.search(x.text, k=10)
        ranked.append([int(h.source[1:6]) for h in hits])
    return ranked, [squad.gold[x.id] for x in squad.questions]


def mrr(ranked: list[list[int]], golds: list[int], odd: bool | None) -> float:
    keep = [i for i, g in enumerate(golds) if odd is None or (g % 2 == 1) == odd]
    return score_run([ranked[i] for i in keep], [None] * len(keep), [golds[i] for i in keep],
                     [[] for _ in keep])["mrr@10"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / "out"))
    parser.add_argument("--mono", nargs="*", default=["en", "ru", "ar", "zh"])
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.work)
    runs = list(CROSS) + [(l, l) for l in args.mono]
    with_names = retrieval.names_search
    print("| run | held-out before | held-out after | all before | all after |\n|---|---|---|---|---|")
    sums = [0.0] * 4
    for q, p in runs:
        retriever = Retriever.open(out / f"index-{p}")
        try:
            retrieval.names_search = lambda *a, **k: []
            before = ranks(retriever, data, q, p)
            retrieval.names_search = with_names
            after = ranks(retriever, data, q, p)
        finally:
            retrieval.names_search = with_names
            retriever.close()
        row = [mrr(*before, True), mrr(*after, True), mrr(*before, None), mrr(*after, None)]
        if q != p:
            sums = [s + v / len(CROSS) for s, v in zip(sums, row)]
        print(f"| {q}->{p} | " + " | ".join(f"{v:.3f}" for v in row) + " |", flush=True)
    print("| cross mean | " + " | ".join(f"{v:.3f}" for v in sums) + " |")


if __name__ == "__main__":
    main()
