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


def test_a_panic_of_the_segmenter_gives_one_sentence_and_the_file_is_indexed(tmp_path):
    from qa import Retriever, build_index

    # sentencex (Rust) panics on this German text: pyo3 raises a BaseException, which
    # stopped `qa index` altogether
    text = "Der Wert in der Tabelle ist A\u00a0."
    assert sentence_spans(text, "de") == [(0, len(text))]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tabelle.txt").write_text("Die Tabelle der Werte\n\n" + ("Dieser Absatz beschreibt die Werte "
                                      "der Tabelle und ihre Bedeutung für den Leser. " * 3) + text + "\n",
                                      encoding="utf-8")
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert report.passages_embedded >= 1 and not report.skipped
    retriever = Retriever.open(tmp_path / "index")
    hits = retriever.search("Welcher Wert steht in der Tabelle?", k=1)
    retriever.close()
    assert hits and hits[0].source == "tabelle.txt"


def test_a_tables_rows_are_its_sentences_and_prose_around_it_is_cut_as_before():
    text = ("Tarifs 2026\n\nsku | name | price\nA1 | Blue kettle | 29.90\nA2 | Red toaster | 34.50\n\n"
            "Prices include VAT. Delivery is free.")
    texts = [text[s:e] for s, e in sentence_spans(text, "en")]
    assert texts == ["Tarifs 2026", "sku | name | price", "A1 | Blue kettle | 29.90", "A2 | Red toaster | 34.50",
                     "Prices include VAT.", "Delivery is free."]
    markdown = "| Plan | Price |\n|------|------:|\n| Basic | 5 € |\n| Pro | 12 € |"
    assert [markdown[s:e] for s, e in sentence_spans(markdown, "en")] == [
        "| Plan | Price |", "| Basic | 5 € |", "| Pro | 12 € |"]  # the |---| line is no sentence
    # one line with a bar is prose
    assert len(sentence_spans("Choose A | B here. Then go on.", "en")) == 2
