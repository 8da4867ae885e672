"""Sentence spans: offsets exact, and no sentence ends at a comma."""
from __future__ import annotations

from qa.sentences import sentence_spans

ARABIC = ("لم يتخلى فريق بانثرز سوى عن 308 نقطة، ليحتل المركز السادس في الدوري، متصدراً في الوقت عينه "
          "دوري كرة القدم الأميركية. وقد تصدر المدافع المعترض كاوان شورت الفريق في الاستحواذ مع 11 استحواذاً.")


def test_arabic_commas_do_not_end_sentences():
    spans = sentence_spans(ARABIC, "ar")
    texts = [ARABIC[s:e] for s, e in spans]
    assert len(texts) == 2
    assert texts[0].startswith("لم يتخلى") and texts[0].endswith("الأميركية.")
    assert not any(t.endswith(("،", ",")) for t in texts)


def test_spans_are_exact_and_stripped():
    text = "  Première phrase, avec une virgule. Deuxième phrase !  Troisième ?  "
    spans = sentence_spans(text, "fr")
    texts = [text[s:e] for s, e in spans]
    assert texts == ["Première phrase, avec une virgule.", "Deuxième phrase !", "Troisième ?"]
