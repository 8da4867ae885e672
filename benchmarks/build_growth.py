"""What of a build's work follows the passages rather than the characters, on a built index
(docs/performance.md, "Session 21: build throughput"): the documents whose passages are each
identified (a language probe in another language: `qa.language.passage_languages`), the German
words split (`qa.compounds`, with their caches' fill), and USE's tokenizer with its word memory
(`qa.piece_cache`) at two sizes over the index's sentence pieces and words: CPU and the same ids.

    PYTHONPATH=$PWD python benchmarks/build_growth.py INDEX [--rounds 2] [--sizes 65536 262144]

Exit status 1 if the two memory sizes give different ids.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from piece_cache import texts  # noqa: E402


def identifications(conn: sqlite3.Connection) -> dict[str, int]:
    """`passage_languages`' calls for each document of several passages, as a build makes them."""
    from qa.language import LANGUAGE_PROBES, detect_language

    docs: dict[int, tuple[str, list[str]]] = {}
    for doc_id, lang, text in conn.execute("SELECT d.id, d.lang, p.text FROM passages p "
                                           "JOIN documents d ON d.id = p.doc_id ORDER BY p.id"):
        docs.setdefault(doc_id, (lang, []))[1].append(text)
    several = mixed = calls = repeated = 0
    for lang, passages in docs.values():
        if len(passages) <= 1:
            continue
        several += 1
        probes = [i for i, t in enumerate(passages) if len(t) >= 40]
        if len(probes) > LANGUAGE_PROBES:
            step = len(probes) / LANGUAGE_PROBES
            probes = [probes[int(j * step)] for j in range(LANGUAGE_PROBES)]
        asked = 0
        for i in probes:
            asked += 1
            if detect_language(passages[i][:400]) != lang:
                mixed += 1
                calls += sum(len(t) >= 40 for t in passages)
                repeated += asked
                break
        calls += asked
    return {"documents_of_several_passages": several, "mixed": mixed, "passage_identifications": calls,
            "probes_identified_twice": repeated}


def german(conn: sqlite3.Connection) -> dict[str, object]:
    """CPU of the German passages' tokens and what the compound caches hold afterwards."""
    from qa import compounds
    from qa.language import tokenize_with_sentences

    spans: dict[int, list[tuple[int, int]]] = {}
    for pid, start, end in conn.execute('SELECT passage_id, start, "end" FROM sentences ORDER BY rowid'):
        spans.setdefault(pid, []).append((start, end))
    rows = conn.execute("SELECT id, text FROM passages WHERE lang = 'de'").fetchall()
    compounds._german()
    started = time.process_time()
    for pid, text in rows:
        tokenize_with_sentences(text, spans.get(pid, []), "de")
    parts, split = compounds.german_parts.cache_info(), compounds._best_split.cache_info()
    return {"passages": len(rows), "cpu_s": round(time.process_time() - started, 2),
            "german_parts": [parts.currsize, parts.maxsize], "best_split": [split.currsize, split.maxsize]}


def word_memory(index: str, sizes: list[int], rounds: int) -> tuple[bool, dict[str, object]]:
    from qa.piece_cache import WordPieces
    from qa.use_cache import load_tokenizer

    passages, words = texts(index)
    out: dict[str, object] = {}
    reference = None
    same = True
    for _ in range(rounds):
        for size in sizes:
            tokenizer = load_tokenizer()
            tokenizer._viterbi = memory = WordPieces(tokenizer._viterbi, max_words=size)
            started = time.process_time()
            pieces = [tokenizer.encode(list(p), out_type=int, add_bos=False, add_eos=False) for p in passages]
            middle = time.process_time()
            spelled = tokenizer.encode(words, out_type=int, add_bos=True, add_eos=True)
            out.setdefault(str(size), []).append({"sentence_pieces_s": round(middle - started, 2),
                                                  "words_s": round(time.process_time() - middle, 2),
                                                  "remembered_at_end": len(memory._known)})
            if reference is None:
                reference = (pieces, spelled)
            else:
                same &= reference == (pieces, spelled)
    distinct = {part for p in passages for text in p for part in text.split()} | set(words)
    out["distinct_space_separated_words"] = len(distinct)
    return same, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1 << 16, 1 << 18])
    args = parser.parse_args()
    from qa.layout import current_data

    conn = sqlite3.connect(current_data(args.index) / "passages.sqlite")
    same, memory = word_memory(args.index, args.sizes, args.rounds)
    print(json.dumps({"language_identification": identifications(conn), "german": german(conn),
                      "word_memory": memory, "same_ids": same}))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
