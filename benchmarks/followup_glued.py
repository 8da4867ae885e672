"""Chinese pronouns glued to the next word (qa.followup._unglued, docs/quality.md "Session 21: pronouns
glued to the next word in Chinese and Japanese follow-ups"): the stand-alone questions of XQuAD zh
(1,190, none a follow-up) read as follow-ups after an earlier question that asks who and one that
does not, and the words of its questions and passages that are read as a pronoun and a function word.
Run once on main and once on the branch (PYTHONPATH) to compare.

    PYTHONPATH=$PWD:$PWD/benchmarks python benchmarks/followup_glued.py
"""
from __future__ import annotations

import sys
from collections import Counter

EARLIER = {"who": "谁创办了绿原货运公司？", "other": "加拿大的首都是哪里？"}


def main() -> int:
    from common import load_xquad
    from qa import followup
    from qa.language import question_words

    data = load_xquad(("zh",))["zh"]
    questions, contexts = [q for q, _ in data["questions"]], data["contexts"]
    for name, earlier in EARLIER.items():
        read = [q for q in questions if followup.read_with(q, [earlier]) is not None]
        print(f"after {name} ({earlier}): {len(read)} of {len(questions)} XQuAD zh questions read as follow-ups")
        for q in read:
            print(f"  {q}")
    unglued = getattr(followup, "_unglued", None)
    if unglued is None:
        return 0
    split: Counter[str] = Counter()
    for text in questions + contexts:
        for word in question_words(text, "zh")[0]:
            if len(unglued([word])) == 2:
                split[word] += 1
    print("words read as a pronoun and a function word (questions and passages):",
          " ".join(f"{w} {n}" for w, n in split.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
