"""The weak rule's lexical bar (`qa.fusion.WEAK_LEXICAL`) with session 14's function words: a
question now searches words that broad stopword lists dropped (time, open, need, tiempo), which
add lexical evidence to off-topic questions as well. Development only: XQuAD's dev runs (gold
passages flagged weak, `qa eval`'s gold_weak) and the development off-topic questions
(OFF_TOPIC_DEV, OFF_TOPIC_DEV2) against the en and es pools, for each bar.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak_lexical_dev.py [BAR ...]

Session 14: 1.75 was chosen here and not kept: held-out, it let the same off-topic question
through and flagged more correct passages (docs/quality.md, "Session 14: function words").
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa.fusion as fusion  # noqa: E402
import off_topic  # noqa: E402
from qa import Retriever  # noqa: E402
from qa.evaluate import evaluate  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "xquad"
OUT = ROOT / "benchmarks" / "out"
MONO = ["en", "es", "de", "zh"]
CROSS = [("en", "es"), ("zh", "es"), ("de", "es"), ("es", "en"), ("de", "en"), ("zh", "en")]


def main() -> None:
    bars = [float(b) for b in sys.argv[1:]] or [1.5, 1.75, 2.0, 2.25, 2.5]
    for bar in bars:
        fusion.WEAK_LEXICAL = bar
        passing = {}
        for pool in ("en", "es"):
            r = Retriever.open(OUT / f"index-{pool}")
            for name in ("OFF_TOPIC_DEV", "OFF_TOPIC_DEV2"):
                passing[f"{pool} {name}"] = sum(not r.search(q, k=1)[0].weak for q in getattr(off_topic, name))
            r.close()
        weak = {}
        for lang in MONO:
            weak[lang] = evaluate(DATA / f"xquad.{lang}.json", index=OUT / f"index-{lang}")["gold_weak"]
        for q, p in CROSS:
            weak[f"{q}->{p}"] = evaluate(DATA / f"xquad.{p}.json", DATA / f"xquad.{q}.json",
                                         index=OUT / f"index-{p}")["gold_weak"]
        print(f"bar {bar}: off-topic passing {passing}; gold_weak " +
              " ".join(f"{k} {v:.3f}" for k, v in weak.items()) + f"; max {max(weak.values()):.3f}", flush=True)


if __name__ == "__main__":
    main()
