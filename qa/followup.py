"""Follow-up questions in a conversation: whether a question leans on the earlier ones ("When?",
"Et son chiffre d'affaires ?", "How much does it cost?") and, if so, the earlier question it is
read with. The rule is chosen on a development split of hand-written dialogues
(benchmarks/followup_dev.py, docs/quality.md "Session 13: follow-up questions" and "Session 20:
follow-up questions in more languages")."""
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
# The earlier question's share of the query vector (the current question's is 1): enough to find
# its topic, not enough to find its answer again. Chosen on the dev dialogues (0.3 of 0.0-1.0).
PRIOR_WEIGHT = 0.3
# What joins the follow-up's lexical query: "topic", the title of the document the earlier
# question's first passage is in (`reads_topic`; else, or when it has none, the earlier question's
# tokens); True, the earlier question's tokens; False, nothing (without either, few follow-ups are
# found). The earlier question's tokens found its answer again: "Where was she born?" after "Who
# founded Verdant Freight?" showed the founding passage, not the one on her birth two lines below
# (Session 20: dev follow-ups hit@1 0.435 -> 0.826 on its dialogues, 0.773 -> 0.727 on Session 13's).
PRIOR_LEXICAL: bool | str = "topic"

# Words that point back to something named before, per language: pronouns and possessives of
# things, "there", by hand (closed classes; no package we depend on tags them). A short question's
# language is a guess, so a word of another language's list counts too, unless it is a function
# word of the question's own language (`_in`): Polish "a" (and) is the Portuguese article,
# Turkish "o" (it) the Portuguese one. Not Dutch "het", "zijn", "er" (also the article, "are",
# "there is"), nor Italian "ci", "ne": a question naming its topic holds them as often.
POINTING = {
    "en": "it its it's they them their theirs there that those",
    "fr": "il elle ils elles lui leur leurs son sa ses y",
    "de": "er sie ihm ihn ihr ihre ihren ihrem sein seine seinen seinem dort dafür davon",  # not "es", Spanish "is"
    "es": "su sus él ella ellos ellas allí ahí",
    "it": "suo sua suoi sue esso essa essi esse loro lì là",
    "pt": "seu sua seus suas dele dela deles delas ele ela eles elas nele nela lá ali",
    "nl": "hij hem zij ze haar hun daar",
    "ru": "он она оно они его её ее их ему ей им нём нем ней неё нее него нему ним них там",
    "pl": "on ona ono oni one jego jej ich jemu mu go ją nią niej nim nich tam",
    "tr": "o onu onun ona onlar onların orada orası oraya",
    "ar": "هم هناك",  # not هو, هي: also the copula of "ما هي عاصمة أستراليا؟" (what is the capital...)
    "zh": "它 它的 它们 其 那里 那儿",
    "ja": "その そこ それ",
}
# Pronouns of people only (en he/she; it lui/lei; zh 他/她; ja 彼/彼女). "What did his father repair?"
# asked after an unrelated question names its topic by what it asks: one of these points back only
# to an earlier question that asks who (`WHO`), as "Where was she born?" after "Who founded
# Verdant Freight?" (Session 19's case; docs/quality.md "Session 20"). A question of at most
# `MAX_OWN_WORDS` content words still leans whatever it holds.
PERSON = {
    "en": "he him his she her hers",
    "it": "lui lei",
    "zh": "他 他的 她 她的 他们 她们",
    "ja": "彼 彼女",
}
WHO = frozenset("""who whom whose qui wer wem wen wessen quién quiénes chi quem wie кто кого kto kogo kim kimin
                   谁 誰 من""".split())
# A question that starts with one of these adds to the one before ("And Bluepeak's?"); Arabic
# writes "and" onto the next word ("وأين", and where: `ARABIC_AND`).
LEADING = {
    "en": "and also", "fr": "et aussi", "de": "und auch", "es": "y", "it": "e ed", "pt": "e", "nl": "en",
    "ru": "а и", "pl": "a i", "tr": "peki ya", "zh": "那 那么 还有", "ja": "じゃあ では それで",
}
# Question words that the function-word lists of these languages lack (`qa.language.function_words`):
# without them "有多少员工？" (how many employees?) had two content words of its own (多少, 员工).
ASKING = {
    "ar": "أين متى كم ماذا كيف لماذا هل أي",
    "zh": "什么 哪里 哪儿 多少 怎么 为什么 什么时候 吗 呢 哪个",
    "ja": "いつ 誰 いくら どう なぜ か ます すか ありま です 何人 い",  # ICU splits ありますか so
    "tr": "kaç var hangi nasıl mı mi mu mü zaman",
    "ru": "кем",
}
ARABIC_AND = re.compile(r"^و(?:أين|متى|كم|ما|ماذا|من|كيف|لماذا|هل|أي)$")
# Arabic writes "its", "her", "their" onto the noun ("مقرها", its headquarters): a word of at least
# four letters ending so points back.
ARABIC_SUFFIX = re.compile(r"^[\u0621-\u064a]{2,}(?:ها|هم)$")
# A French inverted pronoun ("-t-il", "sont-elles") points back when it is the subject
# ("Combien coûte-t-il ?"), not when it repeats a subject the question names ("Quand les pommes
# sont-elles récoltées en Normandie ?"): it counts only with at most this many content words.
INVERSION = re.compile(r"-(?:t-)?(?:il|elle|ils|elles)\b", re.IGNORECASE)  # not "on": it names no one
MAX_WORDS_WITH_INVERSION = 2
# ... nor when a determiner and a noun stand before the inverted verb: the pronoun repeats that
# subject ("Quand la piscine ferme-t-elle ?", asked after a question on a harbour contract, was read
# with it), where "Combien de jours dure-t-il ?" and "Où l'a-t-il dit ?" name none.
NAMED_SUBJECT = re.compile(r"(?:\b(?:le|la|les|ce|cet|cette|ces)\s+|\bl['’])[^\W\d_][\w'’]*\s+[\w'’]+"
                           r"-(?:t-)?(?:il|elle|ils|elles)\b", re.IGNORECASE)
# A reference of its own, a number of at least four digits that is no year ("Where is order 5120?",
# "Wo ist Bestellung 5120?"), names what the question asks about: "order" alone was one content word,
# and the question was read with whatever was asked before it. A question holding one stands alone,
# even one starting with "and": "And order 4471?" after a question on order 5120 was read with it and
# showed order 5120's e-mail. A year ("And in 2019?") or a short number ("What about 500 euros?")
# asks the same thing of another time or amount.
_REFERENCE = re.compile(r"\d{4,}")
_YEAR = re.compile(r"1\d{3}|20\d{2}|21\d{2}")

_words = lambda lists: {lang: frozenset(words.split()) for lang, words in lists.items()}  # noqa: E731
_POINTING, _PERSON, _LEADING, _ASKING = _words(POINTING), _words(PERSON), _words(LEADING), _words(ASKING)


def _in(lists: dict[str, frozenset[str]], word: str, lang: str, own_function_words: frozenset[str]) -> bool:
    """Whether `word` is in `lang`'s list, or in another language's and no function word of `lang`."""
    if word in lists.get(lang, ()):
        return True
    return word not in own_function_words and any(word in words for words in lists.values())


# ICU's Chinese dictionary writes some pronouns together with the word after them ("她在哪里出生？",
# where was she born?: 她在, 哪里, 出生; also 他是, 他有, 它是, 那是, 那些): the pronoun was never seen, and
# the word counted as one of the question's own. A word that is a Chinese pointing, person or leading
# word followed by one of these (a verb that follows a subject, an adverb, a preposition, a measure
# word) is read as the two, as ICU splits "她几岁". Not any function word after it: the `stop-words`
# list holds 人 (他人, others), 此 (彼此, each other), 后 (其后); nor Japanese's 彼 (彼得, Peter):
# ICU does not glue Japanese pronouns (彼女は, その本社 are split).
_GLUED_AFTER = frozenset("在 是 有 要 会 能 不 也 都 还 曾 将 就 把 被 给 从 为 于 和 些 个 几".split())
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# and "who" as well (谁是, 谁在: "谁是绿原货运公司的创始人？" asked who unseen, `WHO`)
_CUE_WORDS = frozenset(w for lists in (POINTING, PERSON, LEADING) for w in lists["zh"].split()) | {"谁"}


def _unglued(words: list[str]) -> list[str]:
    """`words` with each Chinese cue word (or 谁) glued to one of `_GLUED_AFTER` (她在) as the two (她, 在)."""
    out: list[str] = []
    for word in words:
        if len(word) > 1 and word not in _CUE_WORDS and word[-1] in _GLUED_AFTER and word[:-1] in _CUE_WORDS \
                and _HAN.fullmatch(word):
            out += [word[:-1], word[-1]]
        else:
            out.append(word)
    return out


def _is_reference(word: str) -> bool:
    """Whether `word` is a number of at least four digits, not a year (`_REFERENCE`)."""
    return bool(_REFERENCE.fullmatch(word)) and not _YEAR.fullmatch(word)


def own_words(question: str) -> tuple[list[str], list[str]]:
    """The question's words (case-folded) and its content words: less the function words of its
    language (those the lexical query leaves out), not its stopwords: the English stopword list
    (1,333 words) holds "fire", "point", "system", "name", so that "Where is the fire assembly
    point?" had one word of its own and was read with whatever was asked before it."""
    lang = detect_language(question)
    stop = function_words(lang) | _ASKING.get(lang, frozenset())
    found = _unglued(list(question_words(question, lang)[0]))
    content = (w for w in found if (w not in stop and not ARABIC_AND.match(w) and any(ch.isalpha() for ch in w)
               and w not in _POINTING.get(lang, ())) or _is_reference(w))  # a pronoun is none ("它的总部")
    return found, list(dict.fromkeys(content))


def cues(question: str, earlier: str | None = None) -> bool:
    """Whether `question` holds a word that points back (`POINTING`; a person's pronoun, `PERSON`,
    only when `earlier` is None or asks who) or starts with "and" (`LEADING`)."""
    found = own_words(INVERSION.sub(" ", question))[0]
    if not found:
        return False
    lang = detect_language(question)
    stop = function_words(lang)
    if _in(_LEADING, found[0], lang, stop) or ARABIC_AND.match(found[0]):
        return True
    if any(_in(_POINTING, w, lang, stop) or ARABIC_SUFFIX.match(w) for w in found):
        return True
    asks_who = earlier is None or any(w in WHO for w in own_words(earlier)[0])
    return asks_who and any(_in(_PERSON, w, lang, stop) for w in found)


def reads_topic(question: str, mode: str) -> bool:
    """Whether `question`, a follow-up searched in `mode`, is read with its earlier question's topic
    document (`PRIOR_LEXICAL`; its lexical query only, so not in dense mode): when it has words of
    its own ("Where was she born?", "Combien de salariés ?"): it asks something else of the same
    topic. One of none ("Why?", "When?", "Selon qui ?") asks about the earlier answer itself, most
    often in the same passage: the earlier question's tokens find it ("Pourquoi ?" after a question
    on the seed article, whose every passage has its title)."""
    return PRIOR_LEXICAL == "topic" and mode != "dense" and bool(own_words(question)[1])


def leans_on_previous(question: str, earlier: str | None = None) -> bool:
    """Whether `question` cannot stand alone: few content words of its own, or a few with a
    word that points back (`cues`; `earlier`: the question(s) it would be read with, None for any)."""
    found, content = own_words(question)
    if any(_is_reference(w) for w in found):  # "And order 4471?" after order 5120's question: not its passages
        return False
    if len(content) <= MAX_OWN_WORDS:
        return True
    if INVERSION.search(question) and len(content) <= MAX_WORDS_WITH_INVERSION \
            and not NAMED_SUBJECT.search(question):
        return True
    return len(content) <= MAX_WORDS_WITH_CUE and cues(question, earlier)


def read_with(question: str, previous: Sequence[str] | None) -> str | None:
    """The earlier question(s) `question` is read with, as one text, or None when it stands alone
    (or there is none). A chain of follow-ups goes back to the question it started from."""
    earlier = [p for p in (previous or [])[-MAX_PREVIOUS:] if p and p.strip()]
    if not earlier:
        return None
    start = len(earlier) - 1
    while start > 0 and leans_on_previous(earlier[start], " ".join(earlier[:start])):
        start -= 1
    prior = " ".join(earlier[start:])
    return prior if leans_on_previous(question, prior) else None
