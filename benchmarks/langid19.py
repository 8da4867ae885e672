"""Language identification of questions and paragraphs in languages outside USE-m3's 16, by the
languages py3langid is restricted to (docs/quality.md "Session 19: languages the identifier did
not know").

Data: benchmarks/langid19/sentences.json (hand-written, 19 languages, 8 short questions and 2
paragraphs each; questions 1-4 and paragraph 1 dev, questions 5-8 and paragraph 2 held-out), and
as a guard XQuAD's questions (whole and their last 1-4 words, as `notice_probability.py`) and
paragraphs in en es de zh ar ru (the model's languages: a language outside them there is a false
notice) and vi.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/langid19.py --split dev
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/langid19.py --split heldout --configs shipped current
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/langid19.py --split earlier --no-xquad   # Sessions 17-18's
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/langid19.py --split dev --no-xquad --configs shipped current --unmarked-vi
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from common import xquad_dir
from qa import language
from qa.language import NOTICE_PROBABILITY, detect_language, words
from qa.notices import MODEL_LANGUAGES

HERE = Path(__file__).resolve().parent
MODEL = MODEL_LANGUAGES["use-m3"]
# languages that stem and read alike for qa (Malay is stemmed as Indonesian; Serbian, Croatian and
# Bosnian written in Latin letters are one language to a reader)
ALIKE = {"ms": "id", "bs": "hr", "sr": "hr"}

# qa.language.LANGUAGES before session 19
SHIPPED = ["ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr", "ga", "he", "hi", "hr",
           "hu", "hy", "id", "it", "ja", "ko", "lt", "lv", "ms", "no", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sr",
           "sv", "ta", "th", "tr", "uk", "ur", "vi", "zh", "am", "bn", "gu", "ka", "km", "kn", "lo", "ml", "my", "or",
           "pa", "si", "te"]
# Widely written languages py3langid knows besides the shipped ones (each with a Wikipedia of
# its own and millions of writers); the last line: languages of Africa and Asia written in Latin
# or Cyrillic letters.
WIDE = ["sw", "tl", "af", "sq", "az", "be", "bs", "gl", "is", "mk", "mt", "cy", "ne", "mr", "kk",
        "uz", "jv", "tg", "ky", "mn", "ps", "ku", "lb", "eo", "la", "oc", "fy", "gd",
        "so", "ha", "yo", "zu", "xh", "ig", "rw", "mg", "sn", "st", "om", "tt", "ba", "tk", "ug", "sd"]


def configs(full: LanguageIdentifier) -> dict[str, list[str]]:
    known = set(full.nb_classes)
    return {
        "shipped": SHIPPED,
        "sw-tl": SHIPPED + ["sw", "tl"],
        "current": list(language.LANGUAGES),
        "wide": SHIPPED + [lang for lang in WIDE if lang in known and lang not in SHIPPED],
        "all": sorted(known - {"zxx"}),
    }


def identifier(languages: list[str]) -> LanguageIdentifier:
    model = LanguageIdentifier.from_model_file(MODEL_FILE)
    model.set_languages(list(dict.fromkeys(languages)))
    return model


def use(model: LanguageIdentifier) -> None:
    detect_language._model = model


def same(got: str, want: str) -> bool:
    return ALIKE.get(got, got) == ALIKE.get(want, want)


def earlier() -> dict[str, tuple[list[str], list[str]]]:
    """Sessions 17's and 18's questions (benchmarks/weak17, weak18: both their splits, read
    before; dev data here) and their documents' paragraphs, by language."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for path in sorted((HERE / "weak17").glob("*.json")) + sorted((HERE / "weak18").glob("*.json")):
        folder = json.loads(path.read_text(encoding="utf-8"))
        questions, paragraphs = out.setdefault(folder["lang"], ([], []))
        questions += [q["q"] for q in folder["questions"]] + folder["off_topic"]
        paragraphs += [p for doc in folder["docs"].values() for p in doc.split("\n\n") if len(p) >= 40]
    return out


def hand(split: str) -> dict[str, tuple[list[str], list[str]]]:
    if split == "earlier":
        return earlier()
    data = json.loads((HERE / "langid19" / "sentences.json").read_text(encoding="utf-8"))
    q, p = (slice(0, 4), slice(0, 1)) if split == "dev" else (slice(4, 8), slice(1, 2))
    return {lang: (v["questions"][q], v["paragraphs"][p]) for lang, v in data.items() if not lang.startswith("_")}


def outside_rows(split: str) -> dict:
    per_lang = {}
    totals = Counter()
    misses = []
    for lang, (questions, paragraphs) in hand(split).items():
        row = Counter()
        for q in questions:
            got = detect_language(q)
            p = detect_language.probability(q)
            row["q"] += 1
            row["q_right"] += got == lang
            row["q_alike"] += same(got, lang)
            row["q_sure_right"] += same(got, lang) and p >= NOTICE_PROBABILITY
            row["q_model"] += got in MODEL
            if not same(got, lang):
                misses.append((lang, q, got, round(p, 3)))
        for text in paragraphs:
            row["p"] += 1
            row["p_alike"] += same(detect_language(text), lang)
        per_lang[lang] = row
        totals.update(row)
    return {"per_lang": per_lang, "totals": totals, "misses": misses}


def lettered(text: str) -> list[str]:
    return [w for w in words(text) if any(ch.isalpha() for ch in w)]


def xquad_labels(split: str) -> dict:
    """Labels of XQuAD questions (whole and last 1-4 words) and paragraphs, by split of articles
    (dev even, held-out odd, as notice_probability.py)."""
    part = slice(1, None, 2) if split == "heldout" else slice(0, None, 2)
    out = {"questions": [], "paragraphs": []}
    folder = xquad_dir()
    for lang in ("en", "es", "de", "zh", "ar", "ru", "vi"):
        data = json.loads((folder / f"xquad.{lang}.json").read_text(encoding="utf-8"))
        for article in data["data"][part]:
            for paragraph in article["paragraphs"]:
                out["paragraphs"].append((lang, detect_language(paragraph["context"][:400])))
                for qa in paragraph["qas"]:
                    kept = lettered(qa["question"])
                    for n in (1, 2, 3, 4, None):
                        text = qa["question"] if n is None or n >= len(kept) else " ".join(kept[-n:])
                        out["questions"].append((lang, n, detect_language(text), detect_language.probability(text)))
    return out


def unmarked_vi() -> None:
    """XQuAD's 1,190 Vietnamese questions typed without marks (ICU's Latin-ASCII, đ as d), as
    identified alone and against a Vietnamese collection (`question_language`)."""
    from qa.language import _unmark, question_language

    data = json.loads((xquad_dir() / "xquad.vi.json").read_text(encoding="utf-8"))
    questions = [_unmark(qa["question"]).replace("đ", "d").replace("Đ", "D")
                 for a in data["data"] for p in a["paragraphs"] for qa in p["qas"]]
    alone = Counter(detect_language(q) for q in questions)
    against = Counter(question_language(q, {"vi"}) for q in questions)
    print(f"  XQuAD vi without marks: read as vi {alone['vi']}/{len(questions)} ({alone.most_common(6)}); "
          f"against a Vietnamese collection {against['vi']}/{len(questions)} ({against.most_common(6)})")


def summary(name: str, rows: dict, xq: dict, base: dict | None) -> None:
    t = rows["totals"]
    print(f"== {name}")
    print(f"  hand questions: right {t['q_right']}/{t['q']}, alike {t['q_alike']}/{t['q']}, "
          f"alike and sure (p >= {NOTICE_PROBABILITY}) {t['q_sure_right']}/{t['q']}, read as a model language "
          f"{t['q_model']}/{t['q']}; paragraphs alike {t['p_alike']}/{t['p']}")
    print("  by language (alike/questions, sure, as model lang | paragraphs): " + ", ".join(
        f"{lang} {r['q_alike']}/{r['q']} {r['q_sure_right']} {r['q_model']} | {r['p_alike']}"
        for lang, r in rows["per_lang"].items()))
    for lang, q, got, p in rows["misses"]:
        print(f"    miss {lang}: {q!r} -> {got} ({p})")
    inside = [r for r in xq["questions"] if r[0] != "vi"]
    false = sum(1 for _, _, got, p in inside if got not in MODEL and p >= NOTICE_PROBABILITY)
    whole_in = [r for r in inside if r[1] is None]
    wrong_whole = sum(1 for lang, _, got, _ in whole_in if got != lang)
    vi_whole = [r for r in xq["questions"] if r[0] == "vi" and r[1] is None]
    vi_right = sum(1 for _, _, got, _ in vi_whole if got == "vi")
    para_wrong = sum(1 for lang, got in xq["paragraphs"] if got != lang)
    print(f"  XQuAD (model languages en es de zh ar ru): false notices {false}/{len(inside)} (whole and 1-4 last "
          f"words), whole questions misread {wrong_whole}/{len(whole_in)}; vi whole questions right "
          f"{vi_right}/{len(vi_whole)}; paragraphs misread {para_wrong}/{len(xq['paragraphs'])}")
    if base is not None:
        changed = sum(1 for a, b in zip(base["questions"], xq["questions"]) if a[2] != b[2])
        changed_whole = Counter((a[0], a[2], b[2]) for a, b in zip(base["questions"], xq["questions"])
                                if a[2] != b[2] and a[1] is None)
        pchanged = sum(1 for a, b in zip(base["paragraphs"], xq["paragraphs"]) if a[1] != b[1])
        print(f"  against shipped: XQuAD question labels changed {changed}/{len(xq['questions'])}, whole "
              f"questions {sum(changed_whole.values())}: {dict(changed_whole.most_common(12))}; paragraphs "
              f"changed {pchanged}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=["dev", "heldout", "earlier"], required=True)
    parser.add_argument("--configs", nargs="*")
    parser.add_argument("--no-xquad", action="store_true")
    parser.add_argument("--unmarked-vi", action="store_true", help="also XQuAD vi's questions without marks")
    args = parser.parse_args()
    full = LanguageIdentifier.from_model_file(MODEL_FILE)
    chosen = configs(full)
    base = None
    for name in args.configs or list(chosen):
        use(identifier(chosen[name]))
        rows = outside_rows(args.split)
        xq = {"questions": [], "paragraphs": []} if args.no_xquad else xquad_labels(args.split)
        summary(name, rows, xq, base)
        if args.unmarked_vi:
            unmarked_vi()
        if name == "shipped":
            base = xq


if __name__ == "__main__":
    main()
