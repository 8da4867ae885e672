"""Retrieval quality on XQuAD: dense-only, lexical-only and hybrid, monolingual and
cross-lingual, every metric of `qa eval`; writes docs/quality.md and docs/quality-mrr.png.

    .venv/bin/python benchmarks/quality.py [--data ../shared/bench/xquad] [--limit N]

Every run goes through `qa.evaluate.evaluate`, i.e. `Retriever.search` as the chat uses it
(default settings, k=10), on indexes kept in benchmarks/out/index-<lang>.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.evaluate import evaluate  # noqa: E402

LANGS = ["en", "es", "de", "zh", "ar", "ru", "vi"]
DEV_LANGS = {"en", "es", "de", "zh"}
CROSS = [("en", "es"), ("zh", "es"), ("de", "es"), ("ru", "es"), ("ar", "es"),
         ("es", "en"), ("de", "en"), ("zh", "en"), ("ru", "en")]  # (questions, paragraphs)
MODES = ["dense", "lexical", "hybrid"]
KEYS = ["recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "answer_hit@1", "questions_per_s", "gold_weak", "gold_shown_weak"]
# Questions no XQuAD paragraph answers, in several languages: how many pass the weak-match rule.
from off_topic import OFF_TOPIC_HELD_OUT as OFF_TOPIC  # noqa: E402


def is_dev(q: str, p: str) -> bool:
    return q in DEV_LANGS and p in DEV_LANGS


def run(data: Path, out: Path, limit: int | None) -> dict:
    results: dict = {"mono": {}, "cross": {}}
    for lang in LANGS:
        for mode in MODES:
            r = evaluate(data / f"xquad.{lang}.json", index=out / f"index-{lang}", mode=mode, limit=limit)
            results["mono"].setdefault(lang, {})[mode] = r
            print(f"mono {lang} {mode}: mrr@10 {r['mrr@10']:.3f} hit {r['answer_hit@1']:.3f} "
                  f"{r['questions_per_s']:.1f} q/s", flush=True)
    for q, p in CROSS:
        for mode in MODES:
            r = evaluate(data / f"xquad.{p}.json", data / f"xquad.{q}.json", index=out / f"index-{p}",
                         mode=mode, limit=limit)
            results["cross"].setdefault(f"{q}->{p}", {})[mode] = r
            print(f"cross {q}->{p} {mode}: mrr@10 {r['mrr@10']:.3f} {r['questions_per_s']:.1f} q/s", flush=True)
    results["off_topic"] = off_topic(out)
    return results


def off_topic(out: Path) -> dict:
    from qa import Retriever

    shares = {}
    for lang in ("en", "es"):
        retriever = Retriever.open(out / f"index-{lang}")
        passed = sum(not retriever.search(q, k=1)[0].weak for q in OFF_TOPIC)
        shares[lang] = passed / len(OFF_TOPIC)
        retriever.close()
    return shares


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


def table(rows: dict, label: str) -> list[str]:
    head = f"| {label} | mode | " + " | ".join(KEYS) + " |"
    lines = [head, "|" + "---|" * (len(KEYS) + 2)]
    for name, by_mode in rows.items():
        for mode in MODES:
            r = by_mode[mode]
            cells = [f"{r[k]:.1f}" if k == "questions_per_s" else f"{r[k]:.3f}" for k in KEYS]
            lines.append(f"| {name} | {mode} | " + " | ".join(cells) + " |")
    return lines


def summary(results: dict) -> list[str]:
    mono, cross = results["mono"], results["cross"]
    lines = ["| MRR@10 | dense | lexical | hybrid |", "|---|---|---|---|"]
    groups = [("mono mean (7)", mono.values()),
              ("mono dev (en es de zh)", [mono[l] for l in LANGS if l in DEV_LANGS]),
              ("mono held-out (ar ru vi)", [mono[l] for l in LANGS if l not in DEV_LANGS]),
              ("cross mean (9)", cross.values()),
              ("cross dev (en/de/zh->es, es/de/zh->en)", [cross[f"{q}->{p}"] for q, p in CROSS if is_dev(q, p)]),
              ("cross held-out (ru/ar->es, ru->en)", [cross[f"{q}->{p}"] for q, p in CROSS if not is_dev(q, p)])]
    for name, group in groups:
        group = list(group)
        lines.append(f"| {name} | " + " | ".join(f"{mean(g[m]['mrr@10'] for g in group):.3f}" for m in MODES) + " |")
    hit = mean(mono[l]["hybrid"]["answer_hit@1"] for l in LANGS)
    qps = {m: mean(r[m]["questions_per_s"] for r in list(mono.values()) + list(cross.values())) for m in MODES}
    lines += ["", f"- answer-hit@1, hybrid, mean of the 7 monolingual runs: **{hit:.3f}**",
              f"- query throughput (mean over all runs, questions/s): dense {qps['dense']:.1f}, "
              f"lexical {qps['lexical']:.1f}, hybrid {qps['hybrid']:.1f} (hybrid/dense = {qps['hybrid'] / qps['dense']:.2f})",
              f"- cross pairs where hybrid < dense: "
              + (", ".join(k for k, v in cross.items() if v["hybrid"]["mrr@10"] < v["dense"]["mrr@10"]) or "none"),
              f"- weak-match threshold: gold passage under it (or out of the top 10), hybrid, mono mean "
              f"{mean(mono[l]['hybrid']['gold_weak'] for l in LANGS):.3f}, cross mean "
              f"{mean(v['hybrid']['gold_weak'] for v in cross.values()):.3f}; of the gold passages shown (in the "
              f"top 10), shown as weak: mono worst {max(mono[l]['hybrid']['gold_shown_weak'] for l in LANGS):.3f}, "
              f"cross worst {max(v['hybrid']['gold_shown_weak'] for v in cross.values()):.3f}; off-topic questions "
              f"({len(OFF_TOPIC)}, 7 languages) passing it: "
              + ", ".join(f"{k} pool {v:.2f}" for k, v in results["off_topic"].items())]
    return lines


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    groups = [("monolingual", LANGS, results["mono"]), ("cross-lingual (questions->paragraphs)",
                                                         list(results["cross"]), results["cross"])]
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5), gridspec_kw={"width_ratios": [7, 9]})
    for ax, (title, names, rows) in zip(axes, groups):
        x = np.arange(len(names))
        for j, mode in enumerate(MODES):
            ax.bar(x + (j - 1) * 0.27, [rows[n][mode]["mrr@10"] for n in names], 0.27, label=mode)
        ax.set_xticks(x, names, rotation=0 if len(names) < 8 else 30)
        ax.set_ylim(0, 1)
        ax.set_title(f"XQuAD {title}: MRR@10")
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_doc(results: dict, doc: Path, png: Path, seconds: float, limit: int | None) -> None:
    marker = "<!-- results: generated by benchmarks/quality.py -->"
    body = [marker, "",
            f"Generated by `.venv/bin/python benchmarks/quality.py` in {seconds / 60:.0f} min "
            f"({'all' if not limit else limit} questions per run, k=10, model use-m3, 240-paragraph pools).", "",
            "### Summary", "", *summary(results), "",
            f"![MRR@10 per language and pair]({png.name})", "",
            "### Monolingual (questions and paragraphs in one language)", "", *table(results["mono"], "language"), "",
            "### Cross-lingual (questions -> paragraphs)", "", *table(results["cross"], "pair"), "",
            "`gold_weak`: share of questions whose gold passage is flagged weak or is not in the top 10. "
            "`gold_shown_weak`: of the questions whose gold passage is in the top 10, the share where it is "
            "shown as a weak match (the issue's measure: correct passages flagged weak).", ""]
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Retrieval quality\n\n"
    head = text.split(marker)[0].rstrip() + "\n\n"
    doc.write_text(head + "\n".join(body), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out"))
    parser.add_argument("--limit", type=int, help="questions per run (default: all)")
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = run(data, out, args.limit)
    seconds = time.perf_counter() - started
    (out / "quality.json").write_text(json.dumps(results, indent=1))
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    chart(results, docs / "quality-mrr.png")
    write_doc(results, docs / "quality.md", docs / "quality-mrr.png", seconds, args.limit)
    print("\n".join(summary(results)))


if __name__ == "__main__":
    main()
