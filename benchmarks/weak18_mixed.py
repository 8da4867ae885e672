"""Weak flags in collections of several languages (a guard for docs/quality.md "Session 18"): the
question's closeness counts every candidate, so in a collection of two languages a question's
same-language passages count for a passage in the other; does that free off-topic questions?

Collections as benchmarks/mixed_offset.py builds them: A = XQuAD's articles, even ones in Spanish,
odd ones in English (240 paragraphs); B = even German, odd Chinese; C (off-topic questions only) =
every paragraph in all 7 languages (1,680). Asked: every 4th XQuAD question in en es de zh (A, B),
and all off-topic questions (OFF_TOPIC_DEV, OFF_TOPIC_DEV2, OFF_TOPIC_HELD_OUT), k = 10, through
`Retriever.search`. Run it with the code before and after to
compare (the flags are computed at search time):

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak18_mixed.py [A B C]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from mixed_offset import LANGS, collection, xquad  # noqa: E402
from off_topic import OFF_TOPIC_DEV, OFF_TOPIC_DEV2, OFF_TOPIC_HELD_OUT  # noqa: E402
from qa import Retriever, build_index  # noqa: E402
from qa.evaluate import write_corpus  # noqa: E402


def main() -> None:
    parities = {"A": ("es", "en"), "B": ("de", "zh"), "C": tuple(LANGS)}
    for name in sys.argv[1:] or ["A", "B"]:
        parity = parities[name]
        texts, langs, gold = collection(parity)
        folder = ROOT / "benchmarks" / "out" / f"weak18-mixed-{''.join(parity)}"
        write_corpus(texts, folder / "corpus")
        build_index([folder / "corpus"], index=folder, progress=False)
        r = Retriever.open(folder)
        for qlang in ("en", "es", "de", "zh") if name != "C" else ():
            asked = [(q["question"], q["id"]) for a in xquad(qlang) for p in a["paragraphs"] for q in p["qas"]
                     if q["id"] in gold][::4]
            shown = {"same": [0, 0], "other": [0, 0]}
            for question, qid in asked:
                hits = r.search(question, k=10)
                golds = [h for h in hits if int(Path(h.source).stem[1:]) in gold[qid]]
                if golds:
                    kind = "same" if golds[0].lang == qlang else "other"
                    shown[kind][0] += golds[0].weak
                    shown[kind][1] += 1
            print(f"{name} {qlang} questions ({len(asked)}): gold shown weak, answer in the question's language "
                  f"{shown['same'][0]}/{shown['same'][1]}, in the other {shown['other'][0]}/{shown['other'][1]}")
        for label, qs in (("dev", OFF_TOPIC_DEV + OFF_TOPIC_DEV2), ("held-out", OFF_TOPIC_HELD_OUT)):
            top1 = top5 = freed = 0
            for q in qs:
                hits = r.search(q, k=10)
                top1 += not hits[0].weak
                top5 += any(not h.weak for h in hits[:5])
                freed += sum(not h.weak for h in hits)
            print(f"{name} off-topic {label} ({len(qs)}): passing top 1 {top1}, top 5 {top5}, "
                  f"hits not weak in the top 10 {freed}")
        r.close()


if __name__ == "__main__":
    main()
