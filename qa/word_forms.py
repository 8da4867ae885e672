"""The tokens one word of ICU's word breaks gives, as people type numbers, versions and codes.

ICU keeps a word whole across inner periods, commas and apostrophes (2.3.1, 4,90, l'Europe):
it is split there (`pieces`), so that numbers match whatever separators a language writes them
with. People then type the same number, version or code in other ways than the text, and a
piece alone ("3", "1") matches every passage with a small number. So a word also gives:

- a number with separators, its digits joined (`number`): thousands grouped by threes
  without them (480.000, 480,000 and 480000 are "480000"), anything else with periods (4,90
  and 4.90 are "4.90"; 2.3.1 and v2.3.1 are "2.3.1", and v2.3.1 gives 2, 3, 1 as 2.3.1 does);
- a word of letters and digits (a product code, a unit glued to its number), its runs of
  letters and of digits (MC9400: mc, 9400; e21: e, 21; 15000h: 15000, h; v2: v, 2), so that
  "mc 9400" meets MC9400;
- such a code written with Cyrillic letters that look like Latin ones (a Russian keyboard's
  е21 for E21), the code in Latin letters.

And two neighbouring words (`joined`) give, besides themselves:
- joined by a hyphen, unless both are numbers or one is a clitic (`CLITICS`): the word without
  it (Wi-Fi: wifi; e-mail: email; NB-AX3000: nbax3000), so that either spelling meets the other;
- a number of one to three digits and a group of three after a space (15 000, 1 094, the
  French and Russian thousands): the number without the space (15000, 1094).
"""
from __future__ import annotations

import re

# ICU's inner separators of a word (see qa.language._segment)
INNER = re.compile(r"['’‘.,:;⁄·‧]")
_NUMBER = re.compile(r"v?(\d+(?:[.,]\d+)+)")
_GROUPS = re.compile(r"[.,]")


def _mark_ranges() -> str:
    """A character class body of the combining marks (Mn, Mc, Me) of the BMP, as ranges."""
    import unicodedata

    marks = [c for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")]
    ranges, first = [], marks[0]
    for prev, c in zip(marks, marks[1:] + [-1]):
        if c != prev + 1:
            ranges.append(f"\\u{first:04x}" + (f"-\\u{prev:04x}" if prev > first else ""))
            first = c
    return "".join(ranges)


# a code's runs of digits and of letters with their combining marks, which \w leaves out: a
# Bengali classifier after a number (৮টি: 8, টি) was cut to ট
_RUNS = re.compile(rf"\d+|[^\W\d_](?:[^\W\d_]|[{_mark_ranges()}])*")
_HAS_DIGIT = re.compile(r"\d")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Cyrillic letters (case-folded) drawn as Latin ones, as a Russian keyboard types a code's letters
_CYRILLIC_LATIN = str.maketrans("авекмнорстухі", "abekmhopctyxi")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN_LOOKING = re.compile("[авекмнорстухі\\d]+")
HYPHENS = frozenset("-\u2010\u2011")
# Pronouns and particles that French, Portuguese and Catalan write after a hyphen (a-t-il,
# dit-elle, est-ce, c'est-à-dire, disse-lhe, chama-se): such a pair is no spelling of one word,
# and joined it made a rare token ("at", "til") that matched every passage with the same turn of
# phrase. The same list for every language: a question's words are cut before its language is
# known (`qa.language.question_words`).
CLITICS = frozenset({"t", "il", "ils", "elle", "elles", "on", "je", "j", "tu", "nous", "vous", "ce", "c", "y", "en",
                     "le", "la", "les", "lui", "leur", "moi", "toi", "là", "ci", "à", "se", "lhe", "lhes", "me", "te",
                     "nos", "vos", "o", "os", "a", "as", "lo", "los", "las", "no", "na", "nas", "hi", "ho"})
# a space, no-break space, thin and narrow no-break spaces: what thousands are grouped with
_GROUP_SPACES = frozenset(" \u00a0\u2009\u202f")
_SHORT_NUMBER = re.compile(r"\d{1,3}")
_THOUSANDS = re.compile(r"\d{3}(?:[.,]\d+)?")


def number(text: str) -> str | None:
    """The digits of a number written with separators (`text`: a word), or None: see above."""
    m = _NUMBER.fullmatch(text)
    if m is None:
        return None
    groups = _GROUPS.split(m.group(1))
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return "".join(groups)
    return ".".join(groups)


def _code_forms(piece: str) -> list[str]:
    """The runs of letters and digits of a code, and its Latin form when written in Cyrillic."""
    if not (_HAS_DIGIT.search(piece) and _HAS_LETTER.search(piece)):
        return []
    out = _RUNS.findall(piece)
    if len(out) < 2:
        return []
    if _CYRILLIC.search(piece) and _LATIN_LOOKING.fullmatch(piece):
        out.append(piece.translate(_CYRILLIC_LATIN))
    return out


def pieces(word: str) -> list[str]:
    """The tokens of one ICU word (case-folded): its pieces between inner separators, then
    its number and code forms (see above)."""
    if word.isalpha():  # most words: nothing to add (a quick test before the regular expressions)
        return [word]
    if not INNER.search(word):
        return [word, *_code_forms(word)]
    joined = number(word)
    if joined is not None and word[0] == "v":  # v2.3.1 is the version 2.3.1, not a code v2
        word = word[1:]
    out = [w for w in INNER.split(word) if w]
    extra = [form for w in out for form in _code_forms(w)]
    if joined is not None:
        extra.append(joined)
    return out + extra


def joined(previous: str, gap: str, word: str) -> str | None:
    """The form of two neighbouring words (ICU words, case-folded) separated by `gap` written
    as one (see above), or None."""
    if gap == " " and not (previous.isdigit() and word[:1].isdigit()):  # most pairs
        return None
    if gap in HYPHENS:
        left, right = INNER.split(previous)[-1], INNER.split(word)[0]
        if not left or not right or left.isdigit() and right.isdigit() or left in CLITICS or right in CLITICS:
            return None
        return left + right
    if gap in _GROUP_SPACES and _SHORT_NUMBER.fullmatch(previous) and _THOUSANDS.fullmatch(word):
        head, *rest = _GROUPS.split(word)
        return previous + head + "".join("." + g for g in rest)
    return None
