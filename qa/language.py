"""Language identification and the per-language tokenizer of the lexical index."""
from __future__ import annotations

import re
import threading
import unicodedata

# Bump when `tokenize` or `query_tokens` give other tokens for the same text: an index
# records it, and one made with another version is re-tokenized by `qa index` (no
# re-embedding) and refused by search until then.
TOKENS_VERSION = 1

# Restricting the identifier to widely written languages keeps short questions from
# being labelled with a rare language that merely shares a few character n-grams.
LANGUAGES = ["ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr",
             "ga", "he", "hi", "hr", "hu", "hy", "id", "it", "ja", "ko", "lt", "lv", "ms", "no",
             "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv", "ta", "th", "tr", "uk", "ur",
             "vi", "zh"]

SNOWBALL = {"ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
            "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
            "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
            "it": "italian", "lt": "lithuanian", "no": "norwegian", "nl": "dutch",
            "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
            "sv": "swedish", "ta": "tamil", "tr": "turkish"}

# Scripts written without spaces between words: indexed as character bigrams.
_UNSEGMENTED = (r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f"
                r"\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff")
_TOKEN = re.compile(rf"[{_UNSEGMENTED}]+|[^\W{_UNSEGMENTED}]+", re.UNICODE)
_IS_UNSEGMENTED = re.compile(rf"[{_UNSEGMENTED}]")


class _Identifier:
    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def __call__(self, text: str) -> str:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from py3langid.langid import MODEL_FILE, LanguageIdentifier

                    model = LanguageIdentifier.from_model_file(MODEL_FILE)
                    model.set_languages(LANGUAGES)
                    self._model = model
        return self._model.classify(text[:2000])[0]


detect_language = _Identifier()


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


def tokenize(text: str, lang: str | None) -> list[str]:
    """Lexical tokens: stemmed words (Snowball, per language), or character bigrams for
    scripts written without spaces (Chinese, Japanese, Thai...)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    stemmer = _stemmers.get(lang) if lang else None
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if _IS_UNSEGMENTED.match(token):
            if len(token) == 1:
                tokens.append(token)
            else:
                tokens.extend(token[i:i + 2] for i in range(len(token) - 1))
        else:
            tokens.append(stemmer.stemWord(token) if stemmer else token)
    return tokens


class _Stopwords:
    """Per-language stopword lists (package `stop-words`), casefolded; empty when none."""

    def __init__(self) -> None:
        self.by_lang: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def get(self, lang: str | None) -> frozenset[str]:
        if lang not in self.by_lang:
            try:
                from stop_words import get_stop_words

                words = frozenset(unicodedata.normalize("NFKC", w).casefold() for w in get_stop_words(lang))
            except Exception:  # no list for this language
                words = frozenset()
            with self._lock:
                self.by_lang[lang] = words
        return self.by_lang[lang]


_stopwords = _Stopwords()


def query_tokens(text: str, lang: str | None) -> list[str]:
    """Tokens of a question for the lexical search: those of `tokenize` less its function
    words (stopwords of its language, never numbers), which in a small collection would
    otherwise match as strongly as the words that matter. All of them if nothing is left."""
    stop = _stopwords.get(lang)
    kept = [w for w in _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())
            if w not in stop or any(ch.isdigit() for ch in w)]
    tokens = tokenize(" ".join(kept), lang) if stop else []
    return tokens or tokenize(text, lang)


# Passages probed to tell whether a document mixes languages.
LANGUAGE_PROBES = 3


def passage_languages(texts: list[str], doc_lang: str) -> list[str]:
    """The language of each passage of a document whose language is `doc_lang`.

    Identification costs more than the rest of parsing together, so it runs once per
    document: a few passages spread over the document are probed, and only when one of
    them is in another language (a mixed document) is every passage identified. A
    passage's first few hundred characters tell its language as well as all of them."""
    probes = [i for i in range(len(texts)) if len(texts[i]) >= 40]
    if len(probes) > LANGUAGE_PROBES:
        step = len(probes) / LANGUAGE_PROBES
        probes = [probes[int(j * step)] for j in range(LANGUAGE_PROBES)]
    if len(texts) <= 1 or all(detect_language(texts[i][:400]) == doc_lang for i in probes):
        return [doc_lang] * len(texts)
    return [detect_language(t[:400]) if len(t) >= 40 else doc_lang for t in texts]
