"""Two more ideas for Arabic questions against Spanish paragraphs (XQuAD ar->es, the weakest
pair), measured in bulk as benchmarks/xling_translit.py (same features, same split: choose on
even paragraphs, read off on odd ones), on top of the shipped fusion with the names query:

- Arabic questions normalised before they are embedded: short vowels and other marks removed
  (237 of the 1190 questions carry some), optionally alef forms folded (أ إ آ -> ا);
- the passage share of the dense score (passage cosine vs best sentence) for cross-language
  passages only.

    PYTHONPATH=. .venv/bin/python benchmarks/xling_ar.py [--share]   # normalisation [and passage share]
    PYTHONPATH=. .venv/bin/python benchmarks/xling_ar.py --respell   # names respelled before embedding

A third, `--respell`: the question embedded with the words whose skeleton matches index terms
replaced by those terms (its names in the paragraphs' spelling), alone or averaged with the
question as written.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import xling_translit as X  # noqa: E402
from qa.encoder import encoders  # noqa: E402
from qa.fusion import LEXICAL_WEIGHT_CROSS, LEXICAL_WEIGHT_SAME, NAMES_WEIGHT  # noqa: E402
from qa.language import detect_language  # noqa: E402
from qa.squad import load_squad  # noqa: E402

ALEF = re.compile("[أإآٱ]")


HARAKAT = re.compile("[\u064b-\u0652\u0670\u0640]")  # short vowels, shadda, sukun, dagger alef, tatweel


def no_marks(text: str) -> str:
    """Harakat removed; letters kept as written (NFD would also take the hamza off أ إ)."""
    return HARAKAT.sub("", unicodedata.normalize("NFC", text))


def no_marks_alef(text: str) -> str:
    return ALEF.sub("ا", no_marks(text))


def shipped(f: dict, share: float = 0.5, cross_share: float = 0.5) -> np.ndarray:
    s = np.where(f["same"], share, cross_share)
    dense = s * f["cos"] + (1 - s) * f["smax"]
    return (dense + np.where(f["same"], LEXICAL_WEIGHT_SAME, LEXICAL_WEIGHT_CROSS) * X.normalised(f["bm25"])
            + NAMES_WEIGHT * np.where(f["same"], 0.0, 1.0) * X.normalised(f["names"]))


def main() -> None:
    data, out = ROOT.parent / "shared" / "bench" / "xquad", ROOT / "benchmarks" / "out"
    encoder = encoders.get("use-m3")
    variants = {"names": X.skeleton_terms}
    cache: dict = {}
    runs = {k: X.features(data, out, *k, encoder, cache, variants) for k in X.CROSS + [("ar", "ar")]}
    even = lambda f: f["gold"] % 2 == 0  # noqa: E731
    odd = lambda f: f["gold"] % 2 == 1  # noqa: E731

    print("## Arabic questions normalised before embedding (dense and hybrid MRR@10; dev = even, held-out = odd)")
    texts = [x.text for x in load_squad(data / "xquad.es.json", data / "xquad.ar.json").questions]
    for name, fn in [("as written", None), ("marks removed", no_marks), ("marks removed, alef folded", no_marks_alef)]:
        row = []
        for key in [("ar", "es"), ("ar", "ar")]:
            f = runs[key]
            if fn is not None:
                qv = encoder.encode_documents([fn(t) for t in texts])
                f = {**f, "cos": qv @ f["vecs"].T, "smax": X.sentence_max(f, qv)}
            for label, score in [("dense", X.dense_only(f)), ("hybrid", shipped(f))]:
                row.append(f"{key[0]}->{key[1]} {label} {X.mrr10(score, f, even(f)):.4f}/{X.mrr10(score, f, odd(f)):.4f}")
        print(f"- {name}: " + "; ".join(row), flush=True)

    if "--share" not in sys.argv:
        return
    print("\n## passage share of the dense score for cross-language passages (same-language stays 0.5)")
    cross = [k for k in runs if k[0] != k[1]]
    for cs in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        dev = np.mean([X.mrr10(shipped(runs[k], cross_share=cs), runs[k], even(runs[k])) for k in cross])
        held = np.mean([X.mrr10(shipped(runs[k], cross_share=cs), runs[k], odd(runs[k])) for k in cross])
        ar = runs[("ar", "es")]
        print(f"- {cs}: 9-pair mean dev {dev:.4f} held-out {held:.4f}; ar->es dev "
              f"{X.mrr10(shipped(ar, cross_share=cs), ar, even(ar)):.4f} held-out {X.mrr10(shipped(ar, cross_share=cs), ar, odd(ar)):.4f}",
              flush=True)


if __name__ == "__main__" and "--respell" not in sys.argv:
    main()


def spelled(text: str, lang: str, vocabulary) -> str:
    """The question with each word that matches index terms by skeleton replaced by them
    (كم تمريرة اعترض جوش نورمان -> كم تمريرة اعترض جوش norman)."""
    from qa import transliterate as tr

    out = text
    for word in tr._raw_words(text):
        terms = vocabulary.matches(tr.candidate_words(word, lang))
        terms = [t for t in terms if not t.isdigit()]
        if terms:
            out = out.replace(word, " ".join(terms[:2]), 1)
    return out


def respelled_main() -> None:
    """Idea 3: embed the question with its names in the paragraphs' spelling, besides as written."""
    from qa import transliterate as tr
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    data, out = ROOT.parent / "shared" / "bench" / "xquad", ROOT / "benchmarks" / "out"
    encoder = encoders.get("use-m3")
    cache: dict = {}
    print("## questions embedded with their names respelled as the index spells them (dev/held-out MRR@10)")
    for q, p in [("ar", "es"), ("ru", "es"), ("ru", "en"), ("ar", "ar"), ("ru", "ru")]:
        f = X.features(data, out, q, p, encoder, cache, {"names": X.skeleton_terms})
        store = Store(current_data(out / f"index-{p}") / DB_NAME)
        vocabulary = tr.Vocabulary(store.vocabulary())
        store.close()
        texts = [x.text for x in load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json").questions]
        new = [spelled(t, detect_language(t), vocabulary) for t in texts]
        changed = sum(a != b for a, b in zip(texts, new))
        qv = encoder.encode_documents(new)
        g = {**f, "cos": qv @ f["vecs"].T, "smax": X.sentence_max(f, qv)}
        both = {**f, "cos": (f["cos"] + g["cos"]) / 2, "smax": (f["smax"] + g["smax"]) / 2}
        cells = []
        for label, h in [("as written", f), ("respelled", g), ("mean of both", both)]:
            cells.append(f"{label} {X.mrr10(shipped(h), h, h['gold'] % 2 == 0):.4f}/{X.mrr10(shipped(h), h, h['gold'] % 2 == 1):.4f}")
        print(f"- {q}->{p} ({changed} of {len(texts)} questions respelled): " + "; ".join(cells), flush=True)


if __name__ == "__main__" and "--respell" in sys.argv:
    respelled_main()
