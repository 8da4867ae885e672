"""Render benchmarks/out/*.json (one run of run_all.py) into docs/performance.md and two plots."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, ROOT  # noqa: E402

DOCS = ROOT / "docs"
# run_all.py's stages, in its order (not imported from it: the report renders on its own)
STAGES = ["corpus", "throughput", "synth", "retune", "incremental", "latency", "chosen", "memory", "cold", "peer",
          "ann", "real"]


def _load(name: str) -> dict | None:
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _fmt(x, digits=1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _met(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def _plots(latency: dict | None, ann: dict | None) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    if latency:
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        kinds = sorted({k for v in latency.values() if isinstance(v, dict) for k in v if k != "repeated"})
        for kind, marker in zip(kinds, "os^"):
            xs = sorted(int(level) for level, v in latency.items() if isinstance(v, dict) and kind in v)
            for pct, style in (("p50", "-"), ("p95", "--")):
                ax.plot(xs, [latency[str(x)][kind][pct] for x in xs], style, marker=marker, label=f"{kind} {pct}")
        ax.set_xscale("log")
        ax.set_xlabel("passages in the index")
        ax.set_ylabel("Retriever.search latency (ms, k=5, answers included)")
        ax.set_title("Query latency against corpus size")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(DOCS / "latency_vs_size.png", dpi=110)
        plt.close(fig)
        made.append("latency_vs_size.png")
    if ann:
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        for level, data in sorted(ann.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0):
            if not isinstance(data, dict) or "settings" not in data:
                continue
            labels = sorted({s["index"] for s in data["settings"]})
            for label in labels:
                pts = [s for s in data["settings"] if s["index"] == label]
                ax.plot([p["p50_ms"] for p in pts], [p["recall_at_10"] for p in pts], marker=".",
                        label=f"{label} @ {int(level):,}")
                for p in pts[::2]:
                    ax.annotate(str(p["param"]), (p["p50_ms"], p["recall_at_10"]), fontsize=6, alpha=0.7)
        ax.axhline(0.95, color="grey", linestyle=":", label="recall 0.95")
        ax.set_xscale("log")
        ax.set_xlabel("FAISS search latency, p50 (ms, one query, top-50)")
        ax.set_ylabel("recall@10 against exact search")
        ax.set_title("Approximate index settings (nprobe / efSearch labelled)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(DOCS / "ann_recall_vs_latency.png", dpi=110)
        plt.close(fig)
        made.append("ann_recall_vs_latency.png")
    return made


def write() -> Path:
    DOCS.mkdir(exist_ok=True)
    m = _load("machine") or {}
    args = _load("args") or {}
    corpus = _load("corpus")
    tp = _load("throughput")
    inc = _load("incremental")
    synth = _load("synth")
    lat = _load("latency")
    ann = _load("ann")
    mem = _load("memory")
    chosen = _load("chosen")
    if ann and chosen:
        for level, ch in chosen.items():
            if level in ann and isinstance(ann[level], dict) and isinstance(ch, dict) and ch.get("kind") != "flat":
                ann[level]["chosen"] = ch
    peer = _load("peer")
    for d in (lat, ann, mem):
        if d:
            for key in ("seconds", "finished"):
                d.pop(key, None)
    _plots(lat, ann)
    goals: list[tuple[str, str, str]] = []
    L: list[str] = []
    L += ["# Performance", "",
          "Speed and scale of `qa`, measured on this machine in one run of the benchmark suite (every table "
          "below comes from the same invocation, `make bench`, at the commit shown).", "",
          "```sh", "make bench          # = pip install -e '.[bench]' && python benchmarks/run_all.py", "```", "",
          f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('memory_gib', '?')} GiB, "
          f"Python {m.get('python', '?')}, FAISS {m.get('faiss', '?')}, numpy {m.get('numpy', '?')}, "
          f"commit `{m.get('commit', '?')}`. Load average at start: {' '.join(m.get('load_average_at_start', []))}.",
          "",
          "The machine is shared with other jobs (load averages are recorded beside the measurements): "
          "absolute times move by up to 2x between runs of the same code, so every comparison below is a "
          "ratio of two measurements taken side by side in the same run (interleaved where possible).",
          ""]
    sizes = args.get("levels")
    if args:
        L += [f"Run arguments: `{json.dumps({k: v for k, v in args.items() if k not in ('only', 'skip', 'no_report')})}`",
              ""]
    # a stage's JSON without `finished` was saved part way (peer.py saves after each of its parts)
    missing = [s for s in STAGES if "finished" not in (_load(s) or {})]
    if missing:  # a run stopped early: say so rather than let the report pass for a whole one
        L += [f"**Not a whole run**: the stage{'s' if len(missing) > 1 else ''} "
              f"{', '.join(f'`{s}`' for s in missing)} did not finish (no complete output in `benchmarks/out`); "
              "their sections and goals are missing or partial below.", ""]

    # -------------------------------------------------------- corpus
    if corpus:
        L += ["## Corpus", "",
              "`benchmarks/corpus.py` installs `manpages-fr manpages-de manpages-es manpages-zh python3-doc mandoc` "
              "(apt), renders each man page with `mandoc -T utf8` to a text file and copies the Python HTML "
              "documentation, into `benchmarks/data/corpus/` (git-ignored). Paragraphs are counted as `qa` cuts "
              "them (`chunk_document`).", "",
              "| part | language | files | paragraphs |", "|---|---|---:|---:|"]
        langs = {"man-de": "de", "man-es": "es", "man-fr": "fr", "man-zh": "zh (simplified)", "python-doc": "en"}
        for part, v in corpus.get("parts", {}).items():
            L.append(f"| {part} | {langs.get(part, '?')} | {_fmt(v['files'])} | {_fmt(v['paragraphs'])} |")
        L += [f"| **total** | | **{_fmt(corpus['files'])}** | **{_fmt(corpus['paragraphs'])}** |", ""]

    # -------------------------------------------------------- throughput
    if tp:
        ok = tp["ratio"] >= 0.9
        goals.append(("build_index >= 90% of raw encoder throughput", f"{tp['ratio']:.1%}", _met(ok)))
        L += ["## 1. Indexing throughput", "",
              f"A random sample of the corpus ({_fmt(tp['corpus_files'])} files, all languages) plus the "
              f"{_fmt(tp['xquad_contexts'])} XQuAD paragraphs (7 languages): {_fmt(tp['passages'])} passages. "
              f"In each of {len(tp['rounds'])} rounds the same paragraphs are first encoded alone "
              "(`Encoder.encode_documents`, batches of 256, the model already loaded), then their files are added "
              "to the folder and `build_index` runs (discover, stat, read, hash, parse, language id, tokens, "
              "encode, SQLite, FAISS, save). Interleaving keeps both measurements under the same load. "
              "`build_index` also stores a vector for every sentence of every passage; with the default model "
              "they come out of the passage's own forward pass (`qa/use.py`), so the raw encoder column, which "
              "embeds the passages alone, is the work the index could not do without.", "",
              "| | passages/s |", "|---|---:|",
              f"| raw encoder (encode only) | {_fmt(tp['raw_pps'])} |",
              f"| `build_index` | {_fmt(tp['build_pps'])} |",
              f"| **ratio build / raw** | **{tp['ratio']:.2f}** |", "",
              "Per round (passages, raw/s, build/s, load average): " + "; ".join(
                  f"{r['passages']}: {r['raw_pps']:.0f} / {r['build_pps']:.0f} ({' '.join(r['load'][:1])})"
                  for r in tp["rounds"]) + ".", "",
              f"The encoder runs {tp.get('encoder_workers')} worker threads (one per core, one BLAS thread each); "
              "parsing runs in its own thread meanwhile.", ""]

    # -------------------------------------------------------- incremental
    if inc:
        L += ["## 2. Incremental re-index", "", "| case | passages in index | seconds | passages embedded | per 10k passages |",
              "|---|---:|---:|---:|---:|"]
        u = inc["unchanged"]
        L.append(f"| unchanged (sample) | {_fmt(u['passages'])} | {u['seconds']:.3f} | {u['embedded']} | "
                 f"{u['seconds_per_10k']:.3f} s |")
        worst = u["seconds_per_10k"]
        zero = u["embedded"] == 0
        for key, v in inc.items():
            if key.startswith("unchanged_") and isinstance(v, dict):
                L.append(f"| unchanged ({int(key.split('_')[1]):,}-passage level, real files) | {_fmt(v['passages'])} | "
                         f"{v['seconds']:.3f} | {v['embedded']} | {v['seconds_per_10k']:.3f} s |")
                worst = max(worst, v["seconds_per_10k"])
                zero = zero and v["embedded"] == 0
        c = inc["one_changed"]
        L.append(f"| one file changed (a paragraph appended) | {_fmt(c['passages'])} | {c['seconds']:.3f} | "
                 f"{c['embedded']} (the file has {c['file_passages_after']}) | |")
        d = inc["one_percent_deleted"]
        L.append(f"| 1% of files deleted ({d['removed']} of {d.get('files_before', '?')} files) | {_fmt(d['passages'])} | {d['seconds']:.3f} | "
                 f"{d['embedded']} | |")
        L += ["", "An unchanged folder costs a `stat` per file and one query of the store: neither the model nor "
              "the FAISS file is loaded (both are loaded lazily, only when something has to be embedded or "
              "removed).", ""]
        goals.append(("unchanged re-index <= 1 s per 10k paragraphs, 0 embedded", f"{worst:.3f} s / 10k, "
                      f"{'0' if zero else 'some'} embedded", _met(worst <= 1.0 and zero)))
        # since session 13 a file read again keeps the vectors of its unchanged passages: the
        # appended paragraph alone is embedded, which meets the goal (none beyond the file's)
        goals.append(("one file changed: only its passages re-embedded",
                      f"{c['embedded']} embedded, file has {c['file_passages_after']}",
                      _met(0 < c["embedded"] <= c["file_passages_after"])))

    # -------------------------------------------------------- synth + latency
    if synth:
        L += ["## Index sizes for latency and memory", "",
              f"Latency and memory are measured on complete index folders of {', '.join(_fmt(int(x)) for x in synth['levels'])} "
              "passages built with the store API (`benchmarks/run_all.py` `make_level`): the passages, "
              "documents and lexical (FTS5) rows are the corpus's real paragraphs and tokens "
              f"({_fmt(synth['real_passages_available'])} available; the 1M level repeats the corpus under other "
              "paths), and the vectors are real USE-m3 embeddings of the sample "
              f"({_fmt(synth['vector_pool'])}) plus Gaussian noise (cosine ~0.8 to their source), normalised. "
              "The FAISS index is the one `qa` chooses automatically for that size.", "",
              "| level | passages | index chosen | parameters | FAISS build (s) |", "|---:|---:|---|---|---:|"]
        for level, v in synth["levels"].items():
            params = ", ".join(f"{k}={v2}" for k, v2 in v["params"].items()) or "exact"
            L.append(f"| {int(level):,} | {_fmt(v['passages'])} | {v['kind']} | {params} | "
                     f"{v['faiss_build_seconds']:.1f} |")
        L.append("")
    if lat:
        L += ["## 3. Query latency", "",
              f"`Retriever.search(question, k=5)` as shipped (query embedding, FAISS top-50, FTS5 BM25 top-50, "
              "fusion, answer sentence of each hit), single-threaded client, distinct XQuAD questions in 7 "
              "languages, caches emptied before each series. Both index types at every size; the automatic "
              "choice is marked ★.", "",
              "| passages | index | p50 ms | p95 ms | p99 ms | queries |", "|---:|---|---:|---:|---:|---:|"]
        for level, v in lat.items():
            chosen = synth["levels"].get(level, {}).get("kind") if synth else None
            for kind, s in v.items():
                if kind == "repeated":
                    continue
                star = " ★" if kind == chosen else ""
                L.append(f"| {int(level):,} | {kind}{star} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {s['n']} |")
        L += ["", "![latency against corpus size](latency_vs_size.png)", "",
              "Where the time goes (mean ms per query, chosen index):", ""]
        steps = ["encode query", "dense (FAISS)", "lexical (FTS5)", "sentence vectors", "store fetch", "answers"]
        L += ["| passages | " + " | ".join(steps) + " | total mean |", "|---:|" + "---:|" * (len(steps) + 1)]
        for level, v in lat.items():
            chosen = synth["levels"].get(level, {}).get("kind") if synth else None
            s = v.get(chosen) or next(iter(v.values()))
            b = s.get("breakdown_ms", {})
            # a step the run did not time (its wrapper missed the call) shows "–", not 0
            L.append(f"| {int(level):,} | " + " | ".join(_fmt(b.get(k)) for k in steps) + f" | {s['mean']:.1f} |")
        L += ["", "The lexical search runs in a thread beside the query embedding and FAISS (it needs no query "
              "vector), so its column overlaps theirs and the columns add up to more than the total. On stores of "
              "50,000 passages or more the BM25 query is pruned (`qa/lexical_plan.py`): terms in more than 5% of passages "
              "are dropped and terms are taken rarest first while the passages they match stay under 15,000, "
              "which bounds FTS5's work (measured alone on the 1M level, 210 questions: lexical p95 60.6 ms with the earlier 40,000 budget, 22.7 ms with 15,000).", "",
              "Sentence vectors are stored at index time: a query reads those of its ~50–100 candidates "
              "from SQLite (they sharpen the dense score) and picks each hit's answer sentence from them, "
              "encoding nothing but the question. The levels' sentence vectors are their passage's synthetic "
              "vector plus noise.", "",
              "Repeated questions (query and sentence caches warm): " + "; ".join(
                  f"{int(level):,}: p50 {v['repeated']['p50']:.1f} ms, p95 {v['repeated']['p95']:.1f} ms"
                  for level, v in lat.items() if "repeated" in v) + ".", ""]
        for level, goal in (("100000", 30), ("1000000", 60)):
            if level in lat:
                chosen = synth["levels"].get(level, {}).get("kind") if synth else None
                s = lat[level].get(chosen) or next(s for k, s in lat[level].items() if k != "repeated")
                goals.append((f"p95 <= {goal} ms at {int(level):,}", f"{s['p95']:.1f} ms ({chosen})",
                              _met(s["p95"] <= goal)))

    # -------------------------------------------------------- ann
    if ann:
        L += ["## 4. Approximate search", "",
              "Below `QA_APPROX_THRESHOLD` (default 50,000 passages) the index is exact "
              "(`IndexIDMap2(IndexFlatIP)`). At and above it `qa` builds `IndexIVFScalarQuantizer` (8-bit codes: "
              "a quarter of float32's memory) with nlist ≈ 2·√N (power of two) trained on a sample, then tunes "
              "`nprobe`: the smallest value whose recall@10 against exact search reaches 0.98 on 300 perturbed "
              "copies of stored vectors. Type and parameters go to `vectors.json` and `manifest.json` "
              "(`index_type`, `index_params`) and are printed by `qa index`. IVF takes additions and removals "
              "by id, so incremental builds work unchanged; the index is retrained when the corpus has grown 4x "
              "past its training size and returns to exact search below half the threshold. HNSW was measured "
              "too but cannot remove ids, which incremental re-indexing needs.", "",
              "Recall here is measured with real questions (XQuAD, 7 languages, embedded by USE-m3) against "
              "exact search over the same vectors.", ""]
        for level, data in ann.items():
            if not isinstance(data, dict) or "settings" not in data:
                continue
            ch = data.get("chosen")
            if ch:
                L.append(f"**{int(level):,} passages**: chosen {ch['kind']} nlist={ch.get('nlist')} "
                         f"nprobe={ch.get('nprobe')} (tuned recall {ch.get('recall_at_10')}); recall@10 on "
                         f"{data['queries']} real questions: **{ch['recall_at_10_real_queries']:.3f}**.")
                L.append("")
                goals.append((f"approximate recall@10 >= 0.95 at {int(level):,}",
                              f"{ch['recall_at_10_real_queries']:.3f} ({ch['kind']}, nprobe={ch.get('nprobe')})",
                              _met(ch["recall_at_10_real_queries"] >= 0.95)))
            L += [f"| index @ {int(level):,} | nprobe / efSearch | recall@10 | p50 ms | p95 ms |",
                  "|---|---:|---:|---:|---:|"]
            for s in data["settings"]:
                L.append(f"| {s['index']} | {s['param']} | {s['recall_at_10']:.3f} | {s['p50_ms']:.2f} | "
                         f"{s['p95_ms']:.2f} |")
            L.append("")
        L += ["![recall against latency](ann_recall_vs_latency.png)", ""]

    # -------------------------------------------------------- memory
    if mem:
        L += ["## 5. Memory", "",
              "Peak RSS of a process that opens a `Retriever` (model, store, FAISS index memory-mapped) and answers "
              "50 questions (`qa serve` adds the web server to the same process).", "",
              "| passages | index | peak RSS, default (MB) | peak RSS, `QA_USE_BACKEND=numpy` (MB) |",
              "|---:|---|---:|---:|"]
        for level, v in mem.items():
            if "error" in v:
                L.append(f"| {int(level):,} | error | {v['error'][-200:]!r} | |")
                continue
            npy = v.get("numpy", {})
            L.append(f"| {int(level):,} | {v['kind']} | {v['peak_rss_mb']:.0f} | "
                     f"{npy['peak_rss_mb']:.0f} |" if "peak_rss_mb" in npy else
                     f"| {int(level):,} | {v['kind']} | {v['peak_rss_mb']:.0f} | – |")
            if level == "100000":
                goals.append(("peak RSS <= 600 MB at 100,000 (default model path)", f"{v['peak_rss_mb']:.0f} MB",
                              _met(v["peak_rss_mb"] <= 600)))
                if "peak_rss_mb" in npy:
                    goals.append(("peak RSS <= 600 MB at 100,000 (opt-in numpy path, same vectors)",
                                  f"{npy['peak_rss_mb']:.0f} MB", _met(npy["peak_rss_mb"] <= 600)))
        L += ["", "The default model goes through sentence-transformers, as the foundation requires of every "
              "embedding: importing PyTorch (~195 MB) and sentence-transformers with what it imports "
              "(transformers, scikit-learn, SciPy, pandas: ~230 MB) is most of the default column. "
              "`QA_USE_BACKEND=numpy` serves the same model by numpy alone (`UseNumpyModel`, identical vectors, "
              "tested), measured in the same run.", ""]

    # -------------------------------------------------------- the real corpus, approximate
    real = _load("real")
    if real and "dense" in real:
        d, h = real["dense"], real["hybrid"]
        per = ", ".join(f"{k} {v:.3f}" for k, v in d["recall@10_vs_exact_per_lang"].items())
        L += ["## Approximate search on the real corpus", "",
              f"The corpus indexed for real by `build_index` ({real['passages']:,} passages: the man pages, the Python "
              f"docs and the XQuAD paragraphs), automatic index {real['index']}; {real['questions']} XQuAD questions "
              "whose paragraphs it holds, through the saved index and through exact search over the same vectors "
              "(`benchmarks/real_ivf.py`).", "",
              "| | approximate | exact |", "|---|---:|---:|",
              f"| dense recall@10 against exact search | **{d['recall@10_vs_exact']:.3f}** ({per}) | 1 |",
              f"| dense: gold paragraph in the top 10 | {d['approximate']['gold_in_top10']:.3f} | {d['exact']['gold_in_top10']:.3f} |",
              f"| hybrid (`Retriever.search`): gold in the top 10 | {h['approximate']['gold_in_top10']:.3f} | "
              f"{h['exact']['gold_in_top10']:.3f} |",
              f"| hybrid MRR@10 | {h['approximate']['mrr@10']:.3f} | {h['exact']['mrr@10']:.3f} |",
              f"| hybrid top-1 agreement | {h['top1_agreement']:.3f} | |", ""]
        goals.append((f"approximate recall@10 >= 0.95 on the real corpus ({real['passages']:,})",
                      f"{d['recall@10_vs_exact']:.3f}", _met(d["recall@10_vs_exact"] >= 0.95)))

    # -------------------------------------------------------- cold start
    cold = _load("cold")
    if cold and "error" not in cold:
        L += ["## Cold start", "",
              f"`qa ask` in a fresh process on the seed index, process start to printed answer (median of "
              f"{len(cold['runs'])}, page cache warm): wall **{cold['wall_s']:.2f} s**, CPU {cold['cpu_s']:.2f} s, "
              f"peak RSS {cold['peak_mb']:.0f} MB. The per-import breakdown: `python benchmarks/cold_start.py`.", ""]
        goals.append(("cold `qa ask` < 3 s (seed index)", f"{cold['wall_s']:.2f} s", _met(cold["wall_s"] < 3)))
    elif cold:
        goals.append(("cold `qa ask` < 3 s (seed index)", "error: " + cold["error"][-200:], _met(False)))

    # -------------------------------------------------------- peer
    peer_head = ""
    if peer and "error" not in peer:
        import peer as peer_bench

        lines, peer_goals, peer_head = peer_bench.render(peer)
        L += lines
        goals += [(g, v, _met(ok)) for g, v, ok in peer_goals]

    # -------------------------------------------------------- headline
    head = []
    if tp:
        head.append(f"indexing runs at {tp['ratio']:.1%} of the raw encoder's throughput "
                    f"({tp['build_pps']:.0f} vs {tp['raw_pps']:.0f} passages/s)")
    if inc:
        head.append(f"an unchanged folder re-indexes in {inc['unchanged']['seconds_per_10k']:.2f} s per 10k passages "
                    "with nothing embedded")
    if lat and synth:
        parts = []
        for level, v in lat.items():
            kind = synth["levels"].get(level, {}).get("kind")
            if kind in v:
                parts.append(f"{int(level):,}: {v[kind]['p50']:.0f}/{v[kind]['p95']:.0f}/{v[kind]['p99']:.0f} ms")
        head.append("query latency p50/p95/p99 " + ", ".join(parts))
    if ann:
        for level, data in ann.items():
            if isinstance(data, dict) and data.get("chosen"):
                ch = data["chosen"]
                head.append(f"at {int(level):,} passages the automatic {ch['kind']} (nlist {ch['nlist']}, nprobe "
                            f"{ch['nprobe']}) keeps recall@10 {ch['recall_at_10_real_queries']:.3f} on real questions")
    if mem:
        head.append("peak RSS " + ", ".join(f"{int(level):,}: {v['peak_rss_mb']:.0f} MB" for level, v in mem.items()
                                            if "peak_rss_mb" in v))
    if peer_head:
        head.append("against txtai with the same encoder: " + peer_head)

    # -------------------------------------------------------- goals
    notes = Path(__file__).resolve().parent / "notes.md"  # hand-written: what changed and why
    L += ["## Goals", "", "| goal | measured | |", "|---|---|---|"] + [f"| {g} | {v} | {s} |" for g, v, s in goals] + [""]
    if notes.exists():
        L += [notes.read_text().strip(), ""]
    if head:
        L += ["## Closing note", "", "Headline ratios of this run: " + "; ".join(head) + ".", ""]
    out = DOCS / "performance.md"
    out.write_text("\n".join(L) + "\n" + kept_sessions(out), encoding="utf-8")
    return out


# Sessions append their measurements below this line by hand; a new run keeps them.
SESSIONS_MARKER = "<!-- sessions: written by hand below this line; benchmarks/report.py keeps it -->"


def kept_sessions(path: Path) -> str:
    """The hand-written part of `path` (the marker and what follows it), or the marker alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    at = text.find(SESSIONS_MARKER)
    return "\n" + (text[at:] if at >= 0 else SESSIONS_MARKER + "\n")


if __name__ == "__main__":
    print(write())
