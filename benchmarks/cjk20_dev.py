"""Session 20's choice of a Japanese/Chinese question's character bigrams (the lexical query only;
documents' tokens are unchanged): variants of `qa.language.query_tokens` on ja20's dev questions
(benchmarks/ja20.py) and XQuAD zh (a dev language of benchmarks/quality.py), lexical and hybrid.

    PYTHONPATH=.:benchmarks python benchmarks/cjk20_dev.py [--variants base split ...] [--no-xquad]
        [--split dev|heldout]

Variants (each changes only the bigrams of the question's runs of Chinese/Japanese words):
  base       main's: bigrams across each whole run
  split      runs cut at the question's function words (`function_words` of its language) and particles
             (PARTICLES): no bigram holds a character of one
  particles  runs cut at words that are particles (PARTICLES) only
  chars      bigrams holding a particle's character dropped, whatever word it is in
  inside     bigrams only inside a word
  split_hira split, and bigrams of two hiragana dropped (ます, ない, いい)
  hira1      main's bigrams; the question's words of one hiragana (か, て, ば) left out as function words
Rows to benchmarks/out/cjk20-<split>-<variant>.json, a summary to benchmarks/out/cjk20-<split>.json.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ja20  # noqa: E402
import probe20  # noqa: E402
import probe_harness  # noqa: E402
from common import OUT, xquad_dir  # noqa: E402

import qa.retrieval  # noqa: E402
from qa import language  # noqa: E402

PARTICLES = frozenset("はがをにでのともへや的了是在吗呢")
_HIRAGANA_PAIR = re.compile("[\u3041-\u309f]{2}")


def run_words(found: list[str], runs: list[str]) -> list[list[str]]:
    """The words of each run (a run's words come in `found` in order; other words are not CJK)."""
    out, i = [], 0
    for run in runs:
        words, pos = [], 0
        while pos < len(run) and i < len(found):
            w = found[i]
            i += 1
            if w and run.startswith(w, pos):
                words.append(w)
                pos += len(w)
        out.append(words if pos == len(run) else [run])
    return out


def cut(words: list[str], drop) -> list[str]:
    parts, part = [], []
    for w in words:
        if drop(w):
            if part:
                parts.append("".join(part))
            part = []
        else:
            part.append(w)
    if part:
        parts.append("".join(part))
    return parts


def variant(name: str):
    def query_tokens(text: str, lang: str | None) -> list[str]:
        stop = language.function_words(lang)
        found, runs = language.question_words(text, lang)
        found, runs = list(found), list(runs)
        kept = [w for w in found if w not in stop or any(ch.isdigit() for ch in w)]
        if name == "hira1":
            kept = [w for w in kept if not (len(w) == 1 and "\u3041" <= w <= "\u309f")]
        if name in ("base", "hira1"):
            new_runs = runs
        elif name in ("split", "split_hira"):
            new_runs = [p for ws in run_words(found, runs) for p in cut(ws, lambda w: w in stop or w in PARTICLES)]
        elif name == "particles":
            new_runs = [p for ws in run_words(found, runs) for p in cut(ws, lambda w: w in PARTICLES)]
        elif name == "chars":
            new_runs = [p for r in runs for p in re.split(f"[{''.join(PARTICLES)}]", r) if p]
        elif name == "inside":
            new_runs = [w for ws in run_words(found, runs) for w in ws]
        else:
            raise SystemExit(f"unknown variant {name}")
        tokens = language._tokens(kept or found, [], lang)
        bigrams = [b for r in new_runs for b in language._bigrams(r)]
        if name == "split_hira":
            bigrams = [b for b in bigrams if not _HIRAGANA_PAIR.fullmatch(b)]
        return tokens + bigrams
    return query_tokens


def mrr(rows: list[dict]) -> tuple[float, float]:
    s = probe_harness.summary(rows)
    return round(s["mrr10"], 3), round(s["first"], 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", nargs="+", default=["base", "split", "particles", "chars", "inside", "split_hira"])
    ap.add_argument("--split", default="dev", choices=["dev", "heldout"])
    ap.add_argument("--no-xquad", action="store_true")
    ap.add_argument("--modes", nargs="+", default=["lexical", "hybrid"])
    args = ap.parse_args()
    probe20.MODES = tuple(args.modes)
    questions = probe_harness.load(ja20.HERE, args.split)
    summary: dict = {}
    for name in args.variants:
        qa.retrieval.query_tokens = variant(name)
        language._question_words.cache_clear()
        rows = ja20.run(questions)
        (OUT / f"cjk20-{args.split}-{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
        for mode in args.modes:
            part = [r for r in rows if r["mode"] == mode and r["kind"] != "off"]
            mono = [r for r in part if r["kind"] == "mono"]
            off = [r for r in rows if r["mode"] == mode and r["kind"] == "off"]
            summary[f"{name} ja20 {mode}"] = {"mono": mrr(mono), "all": mrr(part),
                                              "off_passing": sum(r["passing"] for r in off)}
            print(f"{name} ja20 {args.split} {mode}: mono {mrr(mono)} all {mrr(part)} "
                  f"off passing {sum(r['passing'] for r in off)}/{len(off)}", flush=True)
        if not args.no_xquad:
            from qa.evaluate import evaluate

            for mode in args.modes:
                r = evaluate(xquad_dir() / "xquad.zh.json", index=OUT / "index-zh", mode=mode)
                summary[f"{name} xquad-zh {mode}"] = {k: round(r[k], 4) for k in ("mrr@10", "recall@1", "gold_weak")}
                print(f"{name} xquad zh {mode}: mrr@10 {r['mrr@10']:.4f} r@1 {r['recall@1']:.4f} "
                      f"weak {r['gold_weak']:.4f}", flush=True)
        (OUT / f"cjk20-{args.split}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
