"""A hash per XQuAD language of every token the lexical side makes of it: each paragraph
tokenized in its identified language, each question's `query_tokens` in its identified language
and its `tokenize` in each of the seven. Run before and after a change to the tokens: equal
hashes, unchanged tokens (and unchanged figures of docs/quality.md).

    PYTHONPATH=. python benchmarks/xquad_token_hashes.py [../shared/bench/xquad]
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from qa.language import detect_language, query_tokens, tokenize

LANGS = ["en", "es", "de", "zh", "ar", "ru", "vi"]


def main(folder: Path) -> None:
    for lang in LANGS:
        data = json.loads((folder / f"xquad.{lang}.json").read_text(encoding="utf-8"))
        digest, texts = hashlib.sha256(), 0
        for article in data["data"]:
            for paragraph in article["paragraphs"]:
                context = paragraph["context"]
                digest.update(repr(tokenize(context, detect_language(context[:5000]))).encode())
                texts += 1
                for qa in paragraph["qas"]:
                    question = qa["question"]
                    digest.update(repr(query_tokens(question, detect_language(question))).encode())
                    for other in LANGS:
                        digest.update(repr(tokenize(question, other)).encode())
                    texts += 1
        print(lang, texts, digest.hexdigest()[:16], flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "bench" / "xquad")
