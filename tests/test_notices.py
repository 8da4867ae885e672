"""A question in a language the index's model does not know, against documents in other
languages, is told so: in the API answer, once in the CLI's output, once in the chat."""
from __future__ import annotations

from qa.cli import format_hits
from qa.notices import language_notice, model_languages
from qa.render import escape_text, reply

GREEK = "Ποιος ανακοίνωσε ότι η Κίνα έχει τις περισσότερες αιτήσεις διπλωμάτων ευρεσιτεχνίας;"
HINDI = "जनरेटिव एआई के सबसे ज़्यादा पेटेंट किस देश के आविष्कारकों ने दाखिल किए?"


def test_questions_in_languages_outside_the_model_are_told(retriever):
    assert "el" not in model_languages(retriever.encoder) and "fr" in model_languages(retriever.encoder)
    for question, name in ((GREEK, "Greek"), (HINDI, "Hindi")):
        hits = retriever.search(question, k=3)
        assert hits and hits[0].lang == "fr"
        notice = hits[0].notice
        assert notice is not None and name in notice and "French" in notice and "e5-small" in notice
        assert {h.notice for h in hits} == {notice}
        assert hits[0].to_dict()["notice"] == notice
        assert format_hits(hits).count(notice) == 1
        assert reply(hits).count(escape_text(notice)) == 1


def test_questions_in_the_models_languages_are_not(retriever):
    for question in ("Où Li Qiang a-t-il parlé ?", "Who filed the most generative AI patents?",
                     "哪个国家的发明者申请了最多的生成式人工智能专利？"):
        hits = retriever.search(question, k=3)
        assert hits and all(h.notice is None for h in hits)
        assert "e5-small" not in format_hits(hits) and "qa-notice" not in reply(hits)


def test_no_notice_when_the_documents_share_the_questions_language():
    assert language_notice("use-m3", frozenset({"en"}), "el", ["en", "el"]) is None
    assert language_notice("use-m3", frozenset({"en"}), "el", ["en"]) is not None
    assert language_notice("some/model", None, "el", ["en"]) is None  # languages unknown: say nothing


def test_no_notice_when_the_question_is_too_short_to_tell_its_language(retriever):
    # the identifier takes these for Danish, Catalan, Amharic...: not languages to tell the user about
    for question in ("Li Qiang", "AI?", "?", "2024", "brevets", "IA", "Shanghai", "brevets Chine"):
        hits = retriever.search(question, k=3)
        assert hits and all(h.notice is None for h in hits), (question, hits[0].lang, hits[0].notice)
    assert language_notice("use-m3", frozenset({"en"}), "ca", ["fr"], "Li Qiang") is None
    assert language_notice("use-m3", frozenset({"en"}), "el", ["fr"], GREEK) is not None


def test_questions_about_documents_in_languages_outside_the_model_are_told(tmp_path):
    """The other way round: an English question of Greek notices (the chat's audience asks in its
    own language) is matched across languages by neither half; the reply says so, in the page's
    language in the chat. A question in the documents' language is not told anything."""
    from qa import Retriever, build_index
    from qa.render import notice_text
    from test_outside_weak import ANSWERED, POOL

    (tmp_path / "docs").mkdir()
    for name, text in POOL.items():
        (tmp_path / "docs" / name).write_text(text + "\n", encoding="utf-8")
    build_index([tmp_path / "docs"], index=tmp_path / "index", progress=False)
    r = Retriever.open(tmp_path / "index")
    try:
        hits = r.search("How much does the monthly membership card cost for students?", k=3)
        assert hits and {h.lang for h in hits} == {"el"}
        notice = hits[0].notice
        assert notice is not None and notice.key == "unknown_documents"
        assert "Greek" in notice and "English" in notice and "e5-small" in notice
        assert hits[0].to_dict()["notice"] == str(notice) and format_hits(hits).count(str(notice)) == 1
        assert "grec" in notice_text(notice, "fr") and "anglais" in notice_text(notice, "fr")
        for question, _ in ANSWERED:
            assert all(h.notice is None for h in r.search(question, k=3)), question
    finally:
        r.close()
    assert language_notice("use-m3", frozenset({"en", "fr"}), "en", ["el", "hi"]) is not None
    assert language_notice("use-m3", frozenset({"en", "fr"}), "en", ["el", "fr"]) is None  # French can answer it
    assert language_notice("use-m3", frozenset({"en", "fr"}), "en", ["el", "en"]) is None
    assert language_notice("use-m3", frozenset({"en", "fr"}), "en", ["el"], "Li Qiang") is None  # not sure it is English
