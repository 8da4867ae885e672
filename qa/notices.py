"""What a reply says beside its passages: that the question's language is one the index's
model was not trained on, so that only words shared with the documents can match it."""
from __future__ import annotations

from typing import Iterable

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


class Notice(str):
    """A notice's English text (what the CLI and the API give), with its `key` and `values`
    so that the chat can say it in its reader's language (qa/render.py, "notice_" + key)."""

    key: str = ""
    values: dict = {}

    def __new__(cls, text: str, key: str, **values: object) -> "Notice":
        made = super().__new__(cls, text)
        made.key, made.values = key, values
        return made

    def __reduce__(self):  # pickled whole (the cluster's shards send their hits)
        return (_notice, (str(self), self.key, self.values))


def _notice(text: str, key: str, values: dict) -> Notice:
    return Notice(text, key, **values)


def language_name(code: str, display: str = "en") -> str:
    """The language's name, in the language `display`."""
    import icu

    name = icu.Locale(code).getDisplayLanguage(icu.Locale(display))
    return name if name and name != code else code


def language_notice(model: str, languages: frozenset[str] | None, question_lang: str | None,
                    passage_langs: Iterable[str | None], question: str | None = None) -> str | None:
    """A notice when the question's language is not among the model's and no passage found
    is in it: the dense half cannot match it across languages and the lexical half has no
    words in common with the documents; and when, the other way round, the question's language
    is among the model's and no passage found is in one of them (`unknown_documents`). Given the `question`, only when the identifier is sure
    of its language (`qa.language.NOTICE_PROBABILITY`): a name or a word or two is not told
    it is in Catalan."""
    passage_langs = [lang for lang in passage_langs if lang]
    if languages is None or not question_lang or not passage_langs or question_lang in passage_langs:
        return None
    found = list(dict.fromkeys(passage_langs))
    # the other way round: a question in one of the model's languages and passages in none of them
    # (English asked of Greek notices: the dense half cannot cross over, the lexical half shares no word)
    documents_outside = question_lang in languages and not any(lang in languages for lang in found)
    if question_lang in languages and not documents_outside:
        return None
    if question is not None:
        from .language import NOTICE_PROBABILITY, detect_language

        if detect_language.probability(question) < NOTICE_PROBABILITY:
            return None
    if documents_outside:
        return Notice(f"The passages found are in {', '.join(language_name(lang) for lang in found)}, which the "
                      f"index's model ({model}) was not trained on, and your question seems to be in "
                      f"{language_name(question_lang)}: matching across languages is weak for them. Ask in the "
                      f"documents' language, or index with `qa index --model e5-small`, which covers about a "
                      f"hundred languages.", "unknown_documents", model=model, language=question_lang, found=found)
    return Notice(f"Your question seems to be in {language_name(question_lang)}, which the index's model "
                  f"({model}) was not trained on, and the passages found are in "
                  f"{', '.join(language_name(lang) for lang in found)}: matching across "
                  f"languages is weak for it. Ask in the documents' language, or index with "
                  f"`qa index --model e5-small`, which covers about a hundred languages.",
                  "unknown_language", model=model, language=question_lang, found=found)
