"""Guard of Session 17's weak rule for languages outside the model (docs/quality.md, "Session 17:
weak matches in languages the model does not know"): XQuAD cross-language runs (questions of one
language against the English paragraphs, hybrid), MRR@10 and gold weak, to compare before/after.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak17_cross.py   # indexes in benchmarks/out/index-en
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT, xquad_dir  # noqa: E402
from qa.evaluate import evaluate  # noqa: E402

if __name__ == "__main__":
    data = xquad_dir()
    for q, idx in (("ru", "en"), ("vi", "en")):
        r = evaluate(data / f"xquad.{idx}.json", questions=data / f"xquad.{q}.json", index=OUT / f"index-{idx}",
                     mode="hybrid")
        print(f"{q}->{idx}: mrr@10 {r['mrr@10']:.4f} weak {r['gold_weak']:.4f}", flush=True)
