"""Grid weak-match rules across languages on evidence that crosses languages as shared words do within
one (issue #15, docs/quality.md "Session 23"), on benchmarks/weak18_dump.py's dump.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak23_rules.py DUMP.pkl --features             # dev only
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak23_rules.py DUMP.pkl --grid [FAMILY ...]     # dev only
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak23_rules.py DUMP.pkl --rule NAME,ARGS --held-out

Evidence of a hit in another language than the question's, all of it in the dump or in the passage's text:
- `evidence`: the question's own tokens in the passage (BM25 in `lexical_evidence`'s units): across
  languages only names, numbers and cognates meet; the shipped rule needs 1.5 (`WEAK_LEXICAL`) in any
  language;
- `words_evidence`: the question's words translated by qa/word_translation.py (the same units); the
  shipped rule frees at 2.5 with a dense floor of 0.20 (`WEAK_WORDS`, `WEAK_WORDS_FLOOR`);
- `names_evidence`: names transliterated across scripts (qa/transliterate.py);
- the hit's ranks in the dense, lexical and translated-word channels (agreement of two channels);
- the question's numbers (digits) found in the passage's text (XQuAD's contexts, read here);
- a dense bar per passage language (the pools' languages, en and es, are the held-out pairs' too);
- `shared`: the union of `two`, `digit` and `tbar` (chosen on dev: `shared,1.25,0.12,1.0,0.22,0.235`, the
  numbers left out; 1.3 after the A guard of weak22_guard.py; it did not ship: docs/quality.md).

Split, measures, objective and scope as benchmarks/weak19_rules.py (quality.py's `is_dev`; only a
cross-language hit the shipped rule flags, of a question with no passage in its language shown and 50
candidates or more, can be freed: monolingual runs cannot move).
"""
from __future__ import annotations

import argparse
import functools
import pickle
import re
import sys
from itertools import product
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from weak18_cross_rules import report, shipped  # noqa: E402
from weak19_rules import cross, dev_training, grid  # noqa: E402
from weak22_rules import tag  # noqa: E402

from qa.squad import load_squad  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "xquad"
_DIGITS = re.compile(r"\d+")
_PARAGRAPH = re.compile(r"p(\d{5})\.txt")


@functools.cache
def contexts(lang: str) -> list[str]:
    return load_squad(DATA / f"xquad.{lang}.json").contexts


def digits(h: dict, q: dict) -> int:
    """How many of the question's numbers the passage's text holds (-1: the question has none)."""
    asked = set(_DIGITS.findall(q["question"]))
    if not asked:
        return -1
    text = contexts(q["_pool"])[int(_PARAGRAPH.search(h["source"]).group(1))]
    return len(asked & set(_DIGITS.findall(text)))


def rank(h: dict, channel: str) -> int:
    r = h[f"{channel}_rank"]
    return 99 if r is None else r


@functools.cache
def rules() -> dict:
    r = lambda a, b, s: [round(a + s * k, 4) for k in range(int(round((b - a) / s)) + 1)]  # noqa: E731

    def lexlow(e, f):  # the question's own tokens (names, numbers, cognates) at a lower bar across languages
        return cross(lambda h, q: h["evidence"] >= e and h["dense"] >= f)

    def two(e, w, f):  # both lexical channels: own tokens and translated words
        return cross(lambda h, q: h["evidence"] >= e and h["words_evidence"] >= w and h["dense"] >= f)

    def lexsum(a, t, f):  # own tokens + a x translated words + names
        return cross(lambda h, q: h["evidence"] + a * h["words_evidence"] + h["names_evidence"] >= t
                     and h["dense"] >= f)

    def words(w, f):  # translated words at another bar than the shipped 2.5 / 0.20
        return cross(lambda h, q: h["words_evidence"] >= w and h["dense"] >= f)

    def agree(a, b, n, f):  # first (or among the first n) of two channels at once
        return cross(lambda h, q: rank(h, a) < n and rank(h, b) < n and h["dense"] >= f)

    def digit(f):  # one of the question's numbers in the passage
        return cross(lambda h, q: digits(h, q) >= 1 and h["dense"] >= f)

    def tbar(en, es):  # a dense bar per passage language (learned on the dev pairs into en and es)
        return cross(lambda h, q: h["dense"] >= {"en": en, "es": es}.get(h["plang"], 1.0))

    def both(w, f, fd):  # two, or one of the question's numbers in the passage (digit)
        return cross(lambda h, q: (h["evidence"] > 0 and h["words_evidence"] >= w and h["dense"] >= f)
                     or (h["dense"] >= fd and digits(h, q) >= 1))

    def shared(w, f, fd, en, es):  # both, or over a dense bar per passage language (tbar)
        return cross(lambda h, q: (h["evidence"] > 0 and h["words_evidence"] >= w and h["dense"] >= f)
                     or (h["dense"] >= fd and digits(h, q) >= 1)
                     or h["dense"] >= {"en": en, "es": es}.get(h["plang"], 1.0))

    return {
        "shipped": (lambda: shipped, [()]),
        "lexlow": (lexlow, list(product(r(0.25, 1.5, 0.05), r(0.08, 0.22, 0.01)))),
        "two": (two, list(product([0.01, 0.1, 0.25, 0.5, 0.75], r(0.25, 2.5, 0.25), r(0.08, 0.22, 0.01)))),
        "lexsum": (lexsum, list(product([0.25, 0.5, 0.75, 1.0], r(1.0, 3.0, 0.1), r(0.08, 0.22, 0.01)))),
        "words": (words, list(product(r(0.5, 2.5, 0.1), r(0.10, 0.22, 0.01)))),
        "agree": (agree, [(a, b, n, f) for a, b in (("dense", "words"), ("dense", "lex"), ("words", "lex"))
                          for n in (1, 2, 3) for f in r(0.08, 0.22, 0.01)]),
        "digit": (digit, list(product(r(0.08, 0.22, 0.01)))),
        "tbar": (tbar, list(product(r(0.16, 0.24, 0.005), r(0.16, 0.24, 0.005)))),
        "shared": (shared, list(product([1.0, 1.25, 1.5], [0.10, 0.12, 0.14], [0.08, 0.12], r(0.21, 0.24, 0.005),
                                        r(0.225, 0.24, 0.005)))),
        "both": (both, list(product(r(0.75, 2.0, 0.25), r(0.08, 0.18, 0.01), r(0.08, 0.20, 0.02)))),
    }


def show_features(dump: dict) -> None:
    """Dev: cross-language gold the shipped rule flags against dev off-topic questions' cross-language
    top hits it flags: how many of each meet each kind of evidence."""
    def feats(h, q):
        return [h["dense"], h["evidence"], h["words_evidence"], h["names_evidence"], rank(h, "dense"),
                rank(h, "words"), rank(h, "lex"), digits(h, q)]
    x, y = dev_training(dump, feats, off_top=1)
    g, o = x[y == 1], x[y == 0]
    names = ["dense", "evidence", "words", "names", "dense rank", "words rank", "lex rank", "digits"]
    for c, name in enumerate(names):
        pg, po = np.percentile(g[:, c], [10, 50, 90]), np.percentile(o[:, c], [10, 50, 90, 100])
        print(f"{name:10s} gold ({len(g)}) {pg[0]:.3f} / {pg[1]:.3f} / {pg[2]:.3f}   "
              f"off-topic top hits ({len(o)}) {po[0]:.3f} / {po[1]:.3f} / {po[2]:.3f} / max {po[3]:.3f}")
    print(f"questions with numbers: gold {int((g[:, 7] >= 0).sum())} (found in the passage {int((g[:, 7] >= 1).sum())}), "
          f"off-topic {int((o[:, 7] >= 0).sum())}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--grid", nargs="*")
    ap.add_argument("--rule")
    ap.add_argument("--features", action="store_true")
    ap.add_argument("--held-out", action="store_true", help="also read the held-out split (once, after choosing)")
    args = ap.parse_args()
    dump = pickle.loads(Path(args.dump).read_bytes())
    tag(dump)
    if args.features:
        show_features(dump)
    if args.grid is not None:
        grid(dump, args.grid or [f for f in rules() if f != "shipped"], rules())
    if args.rule:
        name, *values = args.rule.split(",")
        report(dump, shipped, "shipped", args.held_out)
        flag = rules()[name][0](*[v if v.isalpha() else float(v) if "." in v else int(v) for v in values])
        report(dump, flag, args.rule, args.held_out)


if __name__ == "__main__":
    main()
