"""Follow-up questions in a conversation: whether a question leans on the earlier ones ("When?",
"Et son chiffre d'affaires ?", "How much does it cost?") and, if so, the earlier question it is
read with. The rule is chosen on a development split of hand-written dialogues
(benchmarks/followup_dev.py, docs/quality.md "Session 13: follow-up questions")."""
from __future__ import annotations

import re
from typing import Sequence

from .language import detect_language, function_words, question_words

# A question of at most this many content words of its own ("When?", "Combien ?", "How tall
# is it?") cannot name what it asks about: it is read with the earlier question. (Content words:
# less the function words, chosen on the dev dialogues over the stopwords, Session 17.)
MAX_OWN_WORDS = 1
# With a word that points back (a pronoun, a possessive, a leading "and"), up to this many:
# "Where are its offices?", "Et son chiffre d'affaires ?"; a longer question names its topic.
MAX_WORDS_WITH_CUE = 3
# Earlier questions looked at: a chain of follow-ups ("Who founded X?" "When?" "And where?")
# is read with the self-contained question it started from.
MAX_PREVIOUS = 3
# The earlier question's share of the query vector (the current question's is 1), and its
# tokens join the lexical query: enough to find its topic, not enough to find its answer again.
# Chosen on the dev dialogues (0.3 of 0.0-1.0; without its tokens, few follow-ups are found).
PRIOR_WEIGHT = 0.3
# Whether the earlier question's tokens join the lexical query too.
PRIOR_LEXICAL = True

# Words that point back to something named before. Looked for in every language at once: the
# language of a two-word question is a guess (so not German "es", Spanish for "is").
POINTING = frozenset("""
it its it's they them their theirs he him his she her there that those
il elle ils elles lui leur leurs son sa ses y
er sie ihm ihn ihr ihre ihren ihrem sein seine seinen seinem dort dafür davon
su sus él ella ellos ellas allí ahí
""".split())
# A French inverted pronoun ("-t-il", "sont-elles") points back when it is the subject
# ("Combien coûte-t-il ?"), not when it repeats a subject the question names ("Quand les pommes
# sont-elles récoltées en Normandie ?"): it counts only with at most this many content words.
INVERSION = re.compile(r"-(?:t-)?(?:il|elle|ils|elles)\b", re.IGNORECASE)  # not "on": it names no one
MAX_WORDS_WITH_INVERSION = 2
# A question that starts with one of these adds to the one before ("And Bluepeak's?").
LEADING = frozenset("and et und y also aussi auch".split())


def own_words(question: str) -> tuple[list[str], list[str]]:
    """The question's words (case-folded) and its content words: less the function words of its
    language (those the lexical query leaves out), not its stopwords: the English stopword list
    (1,333 words) holds "fire", "point", "system", "name", so that "Where is the fire assembly
    point?" had one word of its own and was read with whatever was asked before it."""
    lang = detect_language(question)
    found = list(question_words(question, lang)[0])
    stop = function_words(lang)
    return found, list(dict.fromkeys(w for w in found if w not in stop and any(ch.isalpha() for ch in w)))


def leans_on_previous(question: str) -> bool:
    """Whether `question` cannot stand alone: few content words of its own, or a few with a
    word that points back."""
    found, content = own_words(question)
    if len(content) <= MAX_OWN_WORDS:
        return True
    if INVERSION.search(question) and len(content) <= MAX_WORDS_WITH_INVERSION:
        return True
    found = own_words(INVERSION.sub(" ", question))[0]
    cue = bool(found) and found[0] in LEADING or any(w in POINTING for w in found)
    return cue and len(content) <= MAX_WORDS_WITH_CUE


def read_with(question: str, previous: Sequence[str] | None) -> str | None:
    """The earlier question(s) `question` is read with, as one text, or None when it stands alone
    (or there is none). A chain of follow-ups goes back to the question it started from."""
    earlier = [p for p in (previous or [])[-MAX_PREVIOUS:] if p and p.strip()]
    if not earlier or not leans_on_previous(question):
        return None
    start = len(earlier) - 1
    while start > 0 and leans_on_previous(earlier[start]):
        start -= 1
    return " ".join(earlier[start:])
