"""German compound parts in the lexical tokens (qa/compounds.py): variants measured on the
German manual pages of title_dev.py (--more, 50 questions) and on XQuAD (development split:
questions whose paragraph has an even index; held-out: odd, read once).

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/compound_dev.py man [--variant NAME ...]
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/compound_dev.py xquad [--held-out] [--variant NAME ...]
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/compound_dev.py unchanged
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/compound_dev.py cost|build --variant A --variant B
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/compound_dev.py heldout --variant off --variant p4-s05-n4
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/compound_dev.py identity
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/compound_dev.py load --table package|mapped

Every variant re-tokenizes a copy of the index (`Store.retokenize`, as `qa index` does for a
new TOKENS_VERSION; nothing re-embedded) and asks through `Retriever.search` (k=10).
`man` copies the index of benchmarks/out/de-man-use-m3 (title_dev.py makes it); `xquad`
builds benchmarks/out/compound/xquad-{de,en} once. `unchanged`: the tokens of every XQuAD
language but German, paragraphs and questions, with and without the splitter (must be equal).
`cost`: tokens per passage, CPU of tokenizing the German pages, of a German question;
`build`: CPU of a whole index of the German pages (one process per variant: the model and
the splitter load once per process). `identity`: CharSplit's splits of every distinct word of
the German manual pages (title_dev.py's and de_manpages_heldout.py's) and of XQuAD de (all
paragraphs and questions), with the package's own table and with qa's mapped one (must be
equal), and the CPU per word of each. `load`: in a fresh process, CPU and resident memory
added by the first German text with the package's table or the mapped one (run it once
first so that the model cache holds the mapped table).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT, xquad_dir  # noqa: E402

from qa.lexical_plan import lexical_search  # noqa: E402
import qa.compounds as compounds  # noqa: E402

WORK = OUT / "compound"
MAIN_MAN = Path("/work/main/benchmarks/out/de-man-use-m3")

# name: (languages split, MIN_PART, MIN_SCORE, MAX_PARTS)
VARIANTS = {
    "off": (frozenset(), 4, 0.0, 4),
    "p4-s0-n4": (frozenset({"de"}), 4, 0.0, 4),
    "p4-s0-n2": (frozenset({"de"}), 4, 0.0, 2),
    "p3-s0-n4": (frozenset({"de"}), 3, 0.0, 4),
    "p5-s0-n4": (frozenset({"de"}), 5, 0.0, 4),
    "p4-s05-n4": (frozenset({"de"}), 4, 0.5, 4),
    "p4-s05-n2": (frozenset({"de"}), 4, 0.5, 2),
    "p4-s-05-n4": (frozenset({"de"}), 4, -0.5, 4),
    "p4-s03-n4": (frozenset({"de"}), 4, 0.3, 4),
    "p4-s07-n4": (frozenset({"de"}), 4, 0.7, 4),
    "p4-s1-n4": (frozenset({"de"}), 4, 1.0, 4),
    "p3-s05-n4": (frozenset({"de"}), 3, 0.5, 4),
    "p5-s05-n4": (frozenset({"de"}), 5, 0.5, 4),
}


def use(variant: str) -> None:
    langs, part, score, most = VARIANTS[variant]
    compounds.SPLIT_LANGUAGES, compounds.MIN_PART, compounds.MIN_SCORE, compounds.MAX_PARTS = langs, part, score, most
    compounds.german_parts.cache_clear()
    compounds._best_split.cache_clear()
    from qa.answer import token_set
    from qa.titles import _title_tokens

    token_set.cache_clear()
    _title_tokens.cache_clear()  # a document's title tokens, cached across passages


def store_of(index: Path):
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    return Store(current_data(index) / DB_NAME)


def retokenize(index: Path) -> float:
    """Re-make the index's tokens with the current variant; CPU seconds."""
    from qa.indexer import passage_tokens
    from qa.language import TOKENS_VERSION
    from qa.sentence_tokens import SENTENCE_TOKENS_VERSION, sentence_tokens_of

    store = store_of(index)
    t = time.process_time()
    store.retokenize(passage_tokens, TOKENS_VERSION, sentence_tokens_of, SENTENCE_TOKENS_VERSION)
    seconds = time.process_time() - t
    store.close()
    return seconds


# --- German manual pages -------------------------------------------------------------------

def man_copy() -> Path:
    work = WORK / "de-man"
    if not (work / "index").exists():
        shutil.copytree(MAIN_MAN, work, ignore=shutil.ignore_patterns("*.lock"))
    return work


def man(variants: list[str]) -> dict:
    from title_dev import MORE_QUESTIONS, QUESTIONS

    return ask_variants(man_copy(), QUESTIONS + MORE_QUESTIONS, variants, "man")


def heldout(variants: list[str]) -> dict:
    """The held-out German pages of de_manpages_heldout.py (read once)."""
    from de_manpages_heldout import MAN, PAGES, QUESTIONS
    from french_manpages import open_collection

    work = OUT / "de-man-heldout"
    open_collection(work, PAGES, MAN, QUESTIONS, None)[0].close()
    return ask_variants(work, QUESTIONS, variants, "held-out man")


def ask_variants(work: Path, questions: list, variants: list[str], label: str) -> dict:
    from french_manpages import ask_all
    from qa import Retriever
    from qa.language import detect_language, query_tokens

    out = {}
    for variant in variants:
        use(variant)
        retokenize(work / "index")
        store = store_of(work / "index")
        rows = store.connection().execute(
            "SELECT p.id, p.text, d.source FROM passages p JOIN documents d ON d.id = p.doc_id").fetchall()
        gold_ids = {}
        for q in questions:
            gold_ids[q.text] = {i for i, text, source in rows
                                if Path(source).stem == q.page and q.gold in " ".join(text.split())}
        in50 = []
        for q in questions:
            found = {i for i, _ in lexical_search(store, query_tokens(q.text, detect_language(q.text)), 50)}
            in50.append(bool(found & gold_ids[q.text]))
        store.close()
        retriever = Retriever.open(work / "index")
        res = {mode: ask_all(retriever, questions, mode) for mode in ("hybrid", "lexical")}
        retriever.close()
        de = [i for i, q in enumerate(questions) if q.lang == "de"]
        out[variant] = {
            "hybrid": res["hybrid"]["mrr10"], "hybrid_top1": res["hybrid"]["top1"],
            "hybrid_top10": res["hybrid"]["in_top10"], "lexical": res["lexical"]["mrr10"],
            "lexical_top1": res["lexical"]["top1"], "bm25_top50": sum(in50), "bm25_top50_de": sum(in50[i] for i in de),
            "ranks": {m: [r["rank"] for r in res[m]["rows"]] for m in ("hybrid", "lexical")},
        }
        s = out[variant]
        s["gold_in_a_passage"] = sum(bool(g) for g in gold_ids.values())
        print(f"{label} {variant}: gold in a passage {s['gold_in_a_passage']}/{len(questions)} | hybrid MRR@10 {s['hybrid']:.3f} first {s['hybrid_top1']:.2f} top10 {s['hybrid_top10']:.2f} | "
              f"lexical {s['lexical']:.3f} first {s['lexical_top1']:.2f} | gold in BM25 top 50: {s['bm25_top50']}/{len(questions)} "
              f"(German questions {s['bm25_top50_de']}/{len(de)})", flush=True)
    return out


# --- XQuAD ---------------------------------------------------------------------------------

RUNS = [("de", "de"), ("en", "de"), ("de", "en"), ("en", "en")]  # (questions, paragraphs)


def xquad_index(lang: str) -> Path:
    from qa.evaluate import write_corpus
    from qa.indexer import build_index
    from qa.squad import load_squad

    index = WORK / f"xquad-{lang}"
    data = load_squad(xquad_dir() / f"xquad.{lang}.json")
    write_corpus(data.contexts, index / "corpus")
    build_index([index / "corpus"], index=index, progress=False)
    return index


def xquad(variants: list[str], held_out: bool) -> dict:
    from qa import Retriever
    from qa.evaluate import _source, score_run
    from qa.squad import load_squad

    data_dir = xquad_dir()
    indexes = {lang: xquad_index(lang) for lang in ("de", "en")}
    out = {}
    for variant in variants:
        use(variant)
        for index in indexes.values():
            retokenize(index)
        out[variant] = {}
        for q_lang, p_lang in RUNS:
            data = load_squad(data_dir / f"xquad.{p_lang}.json", data_dir / f"xquad.{q_lang}.json")
            asked = [q for q in data.questions if (data.gold[q.id] % 2 == 1) == held_out]
            by_source = {_source(i): i for i in range(len(data.contexts))}
            retriever = Retriever.open(indexes[p_lang])
            row = {}
            for mode in ("hybrid", "lexical"):
                ranked, answers = [], []
                for q in asked:
                    hits = retriever.search(q.text, k=10, mode=mode)
                    ranked.append([by_source.get(h.source, -1) for h in hits])
                    answers.append(hits[0].answer.text if hits and hits[0].answer else None)
                r = score_run(ranked, answers, [data.gold[q.id] for q in asked], [q.answers for q in asked])
                row[mode] = {"mrr@10": r["mrr@10"], "recall@10": r["recall@10"], "answer_hit@1": r["answer_hit@1"]}
            retriever.close()
            name = f"{q_lang}->{p_lang}" if q_lang != p_lang else f"{q_lang} mono"
            out[variant][name] = row
            print(f"xquad {'held-out' if held_out else 'dev'} {variant} {name} ({len(asked)} q): "
                  f"hybrid MRR@10 {row['hybrid']['mrr@10']:.4f} hit@1 {row['hybrid']['answer_hit@1']:.4f} | "
                  f"lexical MRR@10 {row['lexical']['mrr@10']:.4f} hit@1 {row['lexical']['answer_hit@1']:.4f}", flush=True)
    return out


# --- other languages unchanged, cost ---------------------------------------------------------

def unchanged() -> dict:
    from qa.language import query_tokens, tokenize, tokenize_each
    from qa.squad import load_squad

    out = {}
    for lang in ("en", "es", "zh", "ar", "ru", "vi"):
        data = load_squad(xquad_dir() / f"xquad.{lang}.json")
        texts = data.contexts + [q.text for q in data.questions]
        made = {}
        for variant in ("off", "p4-s0-n4"):
            use(variant)
            made[variant] = ([tokenize(t, lang) for t in texts], [query_tokens(t, lang) for t in texts],
                             tokenize_each(data.contexts, lang))
        out[lang] = made["off"] == made["p4-s0-n4"]
        print(f"{lang}: {len(texts)} texts, tokens identical with and without the splitter: {out[lang]}")
    return out


def cost(variant: str, rounds: int = 5) -> dict:
    from qa.indexer import passage_tokens
    from qa.language import query_tokens
    from qa.sentence_tokens import sentence_tokens_of
    from title_dev import MORE_QUESTIONS, QUESTIONS

    work = man_copy()
    store = store_of(work / "index")
    rows = store.connection().execute("SELECT p.id, p.text, p.lang, d.title, d.source, d.lang FROM passages p "
                                      "JOIN documents d ON d.id = p.doc_id").fetchall()
    spans = {}
    for pid, start, end in store.connection().execute("SELECT passage_id, start, \"end\" FROM sentences"):
        spans.setdefault(pid, []).append((start, end))
    store.close()
    german = [q.text for q in QUESTIONS + MORE_QUESTIONS if q.lang == "de"]
    t = time.process_time()
    use(variant)
    if compounds.SPLIT_LANGUAGES:
        compounds._german()
    load = time.process_time() - t
    index_cpu, query_cpu, sizes = [], [], []
    for _ in range(rounds):
        use(variant)
        t = time.process_time()
        sizes = [len(passage_tokens(*row[1:])) for row in rows]
        for row in rows:
            sentence_tokens_of(row[1], spans.get(row[0], []), row[2])
        index_cpu.append(time.process_time() - t)
        use(variant)  # a question's words not seen before
        for q in german:
            t = time.thread_time()
            query_tokens(q, "de")
            query_cpu.append(time.thread_time() - t)
    out = {"variant": variant, "passages": len(rows), "tokens_per_passage": sum(sizes) / len(sizes),
           "load_cpu_s": load, "index_tokens_cpu_s": statistics.median(index_cpu),
           "question_tokens_cpu_ms_p50": 1000 * statistics.median(query_cpu)}
    print(json.dumps(out))
    return out


def build(variant: str) -> dict:
    """CPU of a whole `qa index` of the German pages into a fresh folder (model load, embedding,
    tokens, splitter load), and tokens per paragraph of XQuAD de."""
    import tempfile

    from qa.indexer import build_index
    from qa.language import tokenize
    from qa.squad import load_squad

    use(variant)
    docs = man_copy() / "docs"
    with tempfile.TemporaryDirectory(prefix="compound-build-", dir=WORK) as tmp:
        t = time.process_time()
        report = build_index([docs], index=Path(tmp) / "index", progress=False)
        cpu = time.process_time() - t
    contexts = load_squad(xquad_dir() / "xquad.de.json").contexts
    out = {"variant": variant, "passages": report.passages, "build_cpu_s": cpu,
           "xquad_de_tokens_per_paragraph": sum(len(tokenize(c, "de")) for c in contexts) / len(contexts)}
    print(json.dumps(out))
    return out


def _german_words() -> list[str]:
    """Every distinct word (case-folded, and lower-cased as the package does) of the German pages
    and of XQuAD de, paragraphs and questions."""
    from qa.language import words
    from qa.squad import load_squad

    texts = [p.read_text(encoding="utf-8") for folder in (MAIN_MAN / "docs", OUT / "de-man-heldout" / "docs")
             if folder.is_dir() for p in sorted(folder.glob("*.txt"))]
    data = load_squad(xquad_dir() / "xquad.de.json")
    texts += data.contexts + [q.text for q in data.questions]
    found = set()
    for text in texts:
        for w in words(text):
            found.update((w, w.lower()))
    return sorted(found)


def identity() -> dict:
    import split_words.splitter as sw
    from split_words import Splitter

    from qa.compound_table import load_tables

    all_words = _german_words()
    splitter = Splitter()
    runs = {}
    for table in ("package", "mapped"):
        sw.ngram_probs = None
        sw.ngram_probs = sw.get_ngram_probs() if table == "package" else load_tables()
        compounds._splitter = splitter
        use("p4-s05-n4")
        t = time.process_time()
        splits = [splitter.split_compound(w) for w in all_words]
        per_word = (time.process_time() - t) / len(all_words)
        parts = [compounds.german_parts(w) for w in all_words]
        runs[table] = (splits, parts, per_word)
    differ = [w for w, a, b in zip(all_words, runs["package"][0], runs["mapped"][0]) if a != b]
    out = {"words": len(all_words), "splits_identical": not differ, "differ": differ[:20],
           "parts_identical": runs["package"][1] == runs["mapped"][1],
           "compounds": sum(bool(p) for p in runs["package"][1]),
           "split_cpu_us_per_word": {t: round(1e6 * runs[t][2], 1) for t in runs}}
    print(json.dumps(out, ensure_ascii=False))
    return out


def load(table: str) -> dict:
    """CPU and resident memory added by the first German text, in this (fresh) process."""
    import psutil

    from qa.language import tokenize

    if table == "package":
        import split_words.splitter as sw

        from qa import compound_table

        compound_table.load_tables = sw.get_ngram_probs  # the package's own dicts
    proc = psutil.Process()

    def file_backed() -> int:  # pages of mapped files (the table's), shared and reclaimable
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("RssFile:"):
                return int(line.split()[1]) * 1024
        return 0

    import numpy  # noqa: F401  (loaded in every qa process that searches or indexes)

    tokenize("Das Haus", "de")  # the tokenizer's, stemmer's and stopwords' start, not counted (no compound)
    rss, files, t = proc.memory_info().rss, file_backed(), time.process_time()
    tokenize("Nur die Zugriffszeit ändern.", "de")
    out = {"table": table, "first_german_cpu_s": round(time.process_time() - t, 3),
           "rss_added_mb": round((proc.memory_info().rss - rss) / 2**20, 1),
           "of_it_file_backed_mb": round((file_backed() - files) / 2**20, 1)}
    texts = load_squad_de()
    t = time.process_time()
    for text in texts:
        tokenize(text, "de")
    out["xquad_de_tokenize_cpu_s"] = round(time.process_time() - t, 2)
    out["rss_added_after_xquad_de_mb"] = round((proc.memory_info().rss - rss) / 2**20, 1)
    out["of_it_file_backed_after_mb"] = round((file_backed() - files) / 2**20, 1)
    print(json.dumps(out))
    return out


def load_squad_de() -> list[str]:
    from qa.squad import load_squad

    data = load_squad(xquad_dir() / "xquad.de.json")
    return data.contexts + [q.text for q in data.questions]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["man", "heldout", "xquad", "unchanged", "cost", "build", "identity", "load"])
    ap.add_argument("--table", choices=["package", "mapped"], default="mapped")
    ap.add_argument("--variant", action="append", choices=list(VARIANTS))
    ap.add_argument("--held-out", action="store_true", help="XQuAD's odd paragraphs (read once)")
    ap.add_argument("--json", type=Path, help="write the results here too")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    variants = args.variant or list(VARIANTS)
    if args.what == "man":
        out = man(variants)
    elif args.what == "heldout":
        out = heldout(variants)
    elif args.what == "xquad":
        out = xquad(variants, args.held_out)
    elif args.what == "unchanged":
        out = unchanged()
    elif args.what == "cost":
        out = [cost(v) for v in variants]
    elif args.what == "identity":
        out = identity()
    elif args.what == "load":
        out = load(args.table)
    else:
        out = [build(v) for v in variants]
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
