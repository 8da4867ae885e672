"""What a reply says beside its passages: that the question's language is one the index's
model was not trained on, so that only words shared with the documents can match it."""
from __future__ import annotations

from typing import Iterable

# A question of fewer words is too short to tell its language, and gets no notice: on the
# development half of XQuAD's questions in the model's languages (en, de, es, ru), runs of 1, 2,
# 3 and 4 of their words were taken for a language outside the model's 35-51%, 10-16%, 4-8% and
# 2-5% of the time (benchmarks/short_questions_lang.py; docs/quality.md, "Keyword questions").
MIN_WORDS = 4

# Languages of the default model, Google's multilingual USE v3 (its model card); zh-tw is
# written Chinese too, which the language identifier labels zh.
MODEL_LANGUAGES: dict[str, frozenset[str]] = {
    "use-m3": frozenset({"ar", "zh", "nl", "en", "de", "fr", "it", "pt", "es", "ja", "ko", "ru",
                         "pl", "th", "tr"}),
}


def model_languages(encoder) -> frozenset[str] | None:
    """The languages the encoder was trained on, when known (None: unknown, say nothing)."""
    languages = getattr(encoder, "languages", None)
    if languages:
        return frozenset(languages)
    return MODEL_LANGUAGES.get(encoder.name)


def word_count(text: str) -> int:
    """Words with a letter in them (ICU word breaks: scripts without spaces too)."""
    from .language import question_words

    return sum(any(c.isalpha() for c in word) for word in question_words(text)[0])


def language_name(code: str) -> str:
    import icu

    name = icu.Locale(code).getDisplayLanguage(icu.Locale("en"))
    return name if name and name != code else code


def language_notice(model: str, languages: frozenset[str] | None, question_lang: str | None,
                    passage_langs: Iterable[str | None], question: str | None = None) -> str | None:
    """A notice when the question's language is not among the model's and no passage found
    is in it: the dense half cannot match it across languages and the lexical half has no
    words in common with the documents. Nothing is said of a `question` of fewer than
    `MIN_WORDS` words (keywords), whose language cannot be told."""
    passage_langs = [lang for lang in passage_langs if lang]
    if languages is None or not question_lang or question_lang in languages or not passage_langs:
        return None
    if question is not None and word_count(question) < MIN_WORDS:
        return None
    if question_lang in passage_langs:
        return None
    found = ", ".join(language_name(lang) for lang in dict.fromkeys(passage_langs))
    return (f"Your question seems to be in {language_name(question_lang)}, which the index's model "
            f"({model}) was not trained on, and the passages found are in {found}: matching across "
            f"languages is weak for it. Ask in the documents' language, or index with "
            f"`qa index --model e5-small`, which covers about a hundred languages.")
