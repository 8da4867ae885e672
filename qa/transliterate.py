"""Names and numbers across scripts: a question written in Cyrillic, Arabic or Chinese shares no
lexical token with Latin-script paragraphs, even where it names the same people, places and
numbers. Its likely names are transliterated to Latin and met with the index's vocabulary by a
consonant skeleton (Аллена -> allen, نورمان -> nwrman -> "nrmn" = norman). The other way, in
collections holding the scripts of South Asia, a question's words written in Latin letters are met
with those scripts' terms the same way (`LatinWord`)."""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from typing import Iterable

from .language import _breaks, _stemmers, _stopwords, _tokens, _WORD_STATUS

# Russian-Latin/BGN writes дж, ж, х, ш as dzh, zh, kh, sh (closer to English spellings than
# ICU's default ž, h, š); Any-Latin covers the other scripts.
_TRANSLITERATION = "Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower"
# A skeleton shorter than this matches too many unrelated words.
MIN_SKELETON = 3
# A skeleton that stands for more distinct vocabulary terms than this is ambiguous: left out.
MAX_TERMS = 4
# Chinese characters: pinyin, one syllable per character, rarely spells a name as Latin
# scripts do (诺曼 nuo man, Norman). Measured on the development split (docs/quality.md).
HAN = False
# The scripts of South Asia (Devanagari to Sinhala) write English loanwords by their sound (ਡਰਾਈਵਰ
# driver, પાર્કિંગ parking, ਹੈਲਪਲਾਈਨ helpline), and their readers often type their own words in Latin
# letters ("umar hadd kinni hai", "garba no fado"): where a collection holds one of these languages,
# a question's Latin words are met with its terms in these scripts by skeleton too (docs/quality.md,
# "Session 23"). Other non-Latin scripts are left out: their Latin-script questions were not measured.
_SOUNDED = re.compile("[\u0900-\u0dff]")
SOUNDED_LANGS = frozenset({"hi", "mr", "ne", "bn", "gu", "pa", "or", "ta", "te", "kn", "ml", "si"})


class _Transliterators(threading.local):
    def __init__(self) -> None:
        import icu

        self.to_latin = icu.Transliterator.createInstance(_TRANSLITERATION)


_translit = _Transliterators()


def to_latin(text: str) -> str:
    return _translit.to_latin.transliterate(text)


def _is_latin(word: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in word)


def _raw_words(text: str) -> list[str]:
    """ICU words of `text` (NFKC), case kept."""
    text = unicodedata.normalize("NFKC", text)
    icu, iterator = _breaks.icu, _breaks.iterator
    ustring = icu.UnicodeString(text)
    iterator.setText(ustring)
    found, start = [], 0
    for end in iterator:
        if iterator.getRuleStatus() >= _WORD_STATUS:
            found.append(str(ustring[start:end]))
        start = end
    return found


class LatinWord(str):
    """A question's word written in Latin letters (Latin-ASCII, lower case), met only with index
    terms in the scripts of South Asia (`Vocabulary.matches`)."""

    __slots__ = ()


def candidate_words(text: str, lang: str | None, sounded: bool = False) -> list[str]:
    """The words of a question that may be names or numbers written in a non-Latin script, in
    Latin-ASCII: in a script with case, capitalised words; in a caseless one (Arabic, Hebrew,
    Chinese...), every word; numbers in non-ASCII digits. Function words are left out. Each
    word is given as written and as stemmed in its language (Аллена: allena, allen).
    `sounded` (the collection holds a language of `SOUNDED_LANGS`): its Latin words too, as
    `LatinWord`s."""
    if text.isascii() and not sounded:  # every word is Latin
        return []
    stop = _stopwords.get(lang)
    stemmer = _stemmers.get(lang) if lang else None
    out: list[str] = []
    for word in _raw_words(text):
        if _is_latin(word):
            if sounded and word.casefold() not in stop:
                latin = to_latin(word.casefold())
                if latin.isalpha() and len(skeleton(latin)) >= MIN_SKELETON:
                    out.append(LatinWord(latin))
            continue
        folded = word.casefold()
        if not HAN and any(unicodedata.name(ch, "").startswith("CJK") for ch in word):
            continue
        if any(ch.isdigit() for ch in word):
            out.append(to_latin(word))
            continue
        if folded in stop or (word.lower() != word.upper() and not word[0].isupper()):
            continue
        forms = {folded, stemmer.stemWord(folded) if stemmer is not None else folded}
        if folded.startswith("ال") and len(folded) > 4:  # Arabic article
            forms.add(folded[2:])
        out.extend(dict.fromkeys(to_latin(f).replace(" ", "") for f in forms))
    return list(dict.fromkeys(w for w in out if w))


def latin_tokens(text: str, qlang: str | None, plang: str | None) -> list[str]:
    """The question's candidate words in Latin-ASCII, tokenised as language `plang` would be."""
    return _tokens(candidate_words(text, qlang), [], plang)


_DIGRAPHS = [("shch", "s"), ("dzh", "j"), ("zh", "j"), ("kh", "k"), ("sh", "s"), ("ch", "k"),
             ("th", "t"), ("ph", "f"), ("ts", "s"), ("ck", "k"), ("gh", "g")]
_LETTERS = str.maketrans({"v": "f", "p": "b", "q": "k", "c": "k", "g": "j", "z": "s", "x": "s"})
_DROP = re.compile(r"[^bdfjklmnrst]")  # vowels, semivowels (w, y) and h, which scripts write apart
_REPEATS = re.compile(r"(.)\1+")


def skeleton(latin: str) -> str:
    """A word's consonants, folded to what Latin, Cyrillic and Arabic spellings of one name
    share: Norman, Норман (norman) and نورمان (nwrman) give "nrmn"; a final s is dropped
    (Panthers / Пэнтерс / البانثرز)."""
    w = "".join(ch for ch in unicodedata.normalize("NFKD", latin.lower()) if "a" <= ch <= "z")
    for a, b in _DIGRAPHS:
        w = w.replace(a, b)
    w = _REPEATS.sub(r"\1", _DROP.sub("", w.translate(_LETTERS)))
    return w[:-1] if len(w) > MIN_SKELETON and w.endswith("s") else w


class Vocabulary:
    """The Latin-script terms of a lexical index by skeleton, and its terms in the scripts of South
    Asia by the skeleton of their Latin spelling (for `LatinWord`s)."""

    def __init__(self, terms: Iterable[str]) -> None:
        by: dict[str, set[str]] = defaultdict(set)
        sounded: dict[str, set[str]] = defaultdict(set)
        for term in terms:
            if term.isdigit():
                continue
            if _is_latin(term):
                s = skeleton(term)
                if len(s) >= MIN_SKELETON:
                    by[s].add(term)
            elif _SOUNDED.search(term):
                s = skeleton(to_latin(term))
                if len(s) >= MIN_SKELETON:
                    sounded[s].add(term)
        self.by_skeleton = {s: sorted(t) for s, t in by.items() if len(t) <= MAX_TERMS}
        self.by_sound = {s: sorted(t) for s, t in sounded.items() if len(t) <= MAX_TERMS}

    def matches(self, words: Iterable[str]) -> list[str]:
        """Index terms whose skeleton is that of one of `words` (Latin-ASCII): a `LatinWord`'s
        among the terms in the scripts of South Asia, another's among the Latin ones; digits as
        they are."""
        out: list[str] = []
        for w in words:
            if w.isdigit():
                out.append(w)
                continue
            out.extend((self.by_sound if isinstance(w, LatinWord) else self.by_skeleton).get(skeleton(w), ()))
        return list(dict.fromkeys(out))
