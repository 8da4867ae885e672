"""The marks that end a sentence or a clause, in the scripts `qa` reads: one definition for the
readers (a short line ending with none is a heading) and the answer (a sentence ending with none,
alone on its line, is a heading), both of which import it."""
from __future__ import annotations

import re

# The full stops of every script, with those of scripts that have their own: Devanagari's danda
# and double danda, Urdu ۔, Arabic ؟, Armenian ։, Ethiopic ። and its question mark ፧ (with ፡ for
# the full stop typed as ፡፡), Myanmar ။, Khmer ។, Tibetan །. Without them every last sentence of a
# paragraph in Amharic or Armenian was taken for a heading (session 21).
SENTENCE_STOPS: frozenset[str] = frozenset(".!?…。！？।۔؟॥։።፧፡။។།")
# What ends a clause or closes a quote: a line ending with one is no heading either (Arabic ، ؛,
# Ethiopic ፣ ፤, Myanmar ၊, and Khmer's ៕, which ends a section).
CLAUSE_MARKS: frozenset[str] = frozenset(";,:»\"'”’)]；，：،؛፣፤၊៕")


def class_of(marks: frozenset[str]) -> str:
    """`marks` as a regular expression's character class, in a stable order."""
    return "[" + "".join(re.escape(m) for m in sorted(marks)) + "]"
