"""An e-mail's header lines (From/To as the mail reader writes them, and the "Von:/An:/Betreff:"
lines a reply quotes) are never the answer sentence beside another sentence: asked in the chat,
"Warum ist der Drucker kaputt?" highlighted panne.msg's From/To lines (docs/quality.md, Session 19).
Real model, real index, a committed .msg and a hand-made .eml."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from formats import message
from qa.readers import read_document
from qa.sentences import mail_header_lines

FIXTURES = Path(__file__).parent / "fixtures"

REPLY = ("Danke, der Techniker kommt morgen.\n\n"
         "-----Ursprüngliche Nachricht-----\n"
         "Von: Jonas Keller <jonas.keller@example.org>\n"
         "Gesendet: Montag, 17. Februar 2025 09:12\n"
         "An: Support <support@example.org>\n"
         "Betreff: Drucker kaputt\n"
         "Der Drucker im Archiv ist kaputt, weil seine Fixiereinheit durchgebrannt ist.")
HEADER_WORDS = ("From:", "To:", "Von:", "An:", "Gesendet:", "Betreff:")


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from qa import Retriever, build_index

    docs = tmp_path_factory.mktemp("mail") / "docs"
    docs.mkdir()
    shutil.copy(FIXTURES / "panne.msg", docs / "panne.msg")
    (docs / "archiv.eml").write_bytes(bytes(message("AW: Drucker kaputt", REPLY, sender="Support <support@example.org>",
                                                    to="Jonas Keller <jonas.keller@example.org>")))
    directory = tmp_path_factory.mktemp("mail-index")
    build_index([docs], index=directory, progress=False)
    retriever = Retriever.open(directory)
    yield retriever, docs
    retriever.close()


def answers(index, question: str, source: str) -> list:
    retriever, docs = index
    hits = [h for h in retriever.search(question, k=10) if h.source == source]
    assert hits, f"{source} not found for {question!r}"
    doc_text = read_document(docs / source, source).text
    for hit in hits:  # the citations' offsets: the passage is the document's, the answer the passage's
        assert doc_text[hit.start:hit.end] == hit.text
        assert hit.answer is not None and hit.text[hit.answer.start:hit.answer.end] == hit.answer.text
    return hits


def test_the_msg_header_lines_are_never_the_answer(index):
    hits = answers(index, "Warum ist der Drucker kaputt?", "panne.msg")
    head = next(h for h in hits if "From: Léa Moreau" in h.text)
    assert head.answer.text == "Imprimante du deuxième étage en panne"  # the subject, not who wrote to whom
    for hit in hits:
        assert not any(word in hit.answer.text for word in HEADER_WORDS)


def test_a_quoted_header_in_a_reply_is_not_the_answer_nor_part_of_it(index):
    hit = answers(index, "Warum ist der Drucker kaputt?", "archiv.eml")[0]
    assert "Fixiereinheit durchgebrannt" in hit.answer.text
    assert not any(word in hit.answer.text for word in HEADER_WORDS)


def test_header_lines_found():
    text = "Subject line\n\nFrom: Léa <lea@example.org>\nTo: Support\n\nQ: When?\nA: Tomorrow.\n\n" + REPLY
    found = [text[s:e] for s, e in mail_header_lines(text)]
    assert found == ["From: Léa <lea@example.org>\nTo: Support",
                     "Von: Jonas Keller <jonas.keller@example.org>\nGesendet: Montag, 17. Februar 2025 09:12\n"
                     "An: Support <support@example.org>\nBetreff: Drucker kaputt"]
    assert mail_header_lines("A: the answer is the contract.\nNote: it ends in March.") == []
    # a lone line of another label is a header when it holds an address (a forward's "De: ..." alone)
    lone = "Bonjour,\nDe : Léa Moreau <lea@example.org>\nVoici la facture."
    assert [lone[s:e] for s, e in mail_header_lines(lone)] == ["De : Léa Moreau <lea@example.org>"]


def test_a_quoted_header_running_into_a_sentence_is_cut_from_a_passage_of_several():
    """A reply quotes the header right above its message's first line, with no full stop between:
    one sentence. In a passage of several sentences (the quoted message goes on), the best one is
    that header-and-first-line sentence, and its header lines, with what stands before them, are
    cut from the answer (`_without_mail_headers`), as in a passage of one sentence."""
    from qa.answer import best_sentence
    from qa.encoder import encoders

    encoder = encoders.get("use-m3")
    quoted = REPLY.split("\n\n", 1)[1] + " Bitte schicken Sie bis Freitag einen Techniker vorbei."
    question = "Warum ist der Drucker kaputt?"
    answer = best_sentence(encoder, question, encoder.encode_query(question), quoted, "de")
    assert answer.text.startswith("Der Drucker im Archiv ist kaputt"), answer.text
    assert "Fixiereinheit durchgebrannt" in answer.text
    assert not any(word in answer.text for word in HEADER_WORDS) and "Nachricht" not in answer.text
