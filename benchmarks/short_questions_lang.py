"""How often a few words of a question are taken for a language outside the model's (what
`qa.notices.MIN_WORDS` was chosen on): runs of n consecutive words of XQuAD questions, the
language identifier's label inside or outside use-m3's languages.

    python benchmarks/short_questions_lang.py              # development half (the first half of the questions)
    python benchmarks/short_questions_lang.py --held-out   # the second half, read once
"""
from __future__ import annotations

import argparse
import random

from common import load_xquad

from qa.language import detect_language, question_words
from qa.notices import MODEL_LANGUAGES


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", action="store_true")
    args = parser.parse_args()
    inside = MODEL_LANGUAGES["use-m3"]
    rnd = random.Random(0)
    for lang, data in load_xquad().items():
        questions = [q for q, _ in data["questions"]]
        half = len(questions) // 2
        questions = questions[half:] if args.held_out else questions[:half]
        cells = []
        for n in (1, 2, 3, 4, 5):
            outside = total = 0
            for q in questions:
                words = [w for w in question_words(q)[0] if any(c.isalpha() for c in w)]
                if len(words) < n:
                    continue
                start = rnd.randrange(len(words) - n + 1)
                total += 1
                outside += detect_language(" ".join(words[start:start + n])) not in inside
            cells.append(f"{n}w {outside / max(total, 1):.2f}")
        print(f"{lang} ({'outside' if lang not in inside else 'inside'} the model's languages), "
              f"share labelled outside: " + "  ".join(cells))


if __name__ == "__main__":
    main()
