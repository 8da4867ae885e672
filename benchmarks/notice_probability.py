"""How often the language notice (`qa.notices.language_notice`) would name a language the
question is not in, by the identifier's probability (`qa.language.NOTICE_PROBABILITY`).

XQuAD questions and their last 1-4 words (short questions and keyword queries, as people
type them) in en es de zh ar ru (the default model's languages: a notice there is false) and
vi (outside them: a notice is due). Split by article: even articles dev (choose), odd held-out.

    PYTHONPATH=. .venv/bin/python benchmarks/notice_probability.py
"""
from __future__ import annotations

import json
from pathlib import Path

from qa.language import detect_language, words
from qa.notices import MODEL_LANGUAGES

XQUAD = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "xquad"
LANGS = ["en", "es", "de", "zh", "ar", "ru", "vi"]
OUTSIDE = "vi"


def lettered(text: str) -> list[str]:
    return [w for w in words(text) if any(ch.isalpha() for ch in w)]


def rows(split: slice) -> list[tuple[str, int | None, str, float]]:
    """(question language, words kept (None: the whole question), identified, probability)."""
    out = []
    for lang in LANGS:
        data = json.loads((XQUAD / f"xquad.{lang}.json").read_text(encoding="utf-8"))
        for article in data["data"][split]:
            for paragraph in article["paragraphs"]:
                for qa in paragraph["qas"]:
                    question = qa["question"]
                    kept = lettered(question)
                    for n in (1, 2, 3, 4, None):
                        text = question if n is None or n >= len(kept) else " ".join(kept[-n:])
                        out.append((lang, n, detect_language(text), detect_language.probability(text)))
    return out


def main() -> None:
    model = MODEL_LANGUAGES["use-m3"]
    for name, split in (("dev (even articles)", slice(0, None, 2)), ("held-out (odd articles)", slice(1, None, 2))):
        data = rows(split)
        inside = [r for r in data if r[0] != OUTSIDE]
        outside = [r for r in data if r[0] == OUTSIDE]
        whole = [r for r in outside if r[1] is None]
        print(name)
        for bar in (0.0, 0.5, 0.9, 0.99, 0.999):
            false = sum(1 for _, _, got, p in inside if got not in model and p >= bar)
            due = sum(1 for _, _, got, p in outside if got == OUTSIDE and p >= bar)
            due_whole = sum(1 for _, _, got, p in whole if got == OUTSIDE and p >= bar)
            print(f"  probability >= {bar}: false notices {false}/{len(inside)} ({false / len(inside):.3f}); "
                  f"{OUTSIDE} told {due}/{len(outside)} ({due / len(outside):.3f}), whole questions "
                  f"{due_whole}/{len(whole)}")


if __name__ == "__main__":
    main()
