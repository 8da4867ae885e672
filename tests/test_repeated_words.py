"""The same words in several places (a reply quoting the message it answers, a copied file) are
one hit that names the other places, and `k` hits are still `k` different passages (real files,
the default model, real single and sharded indexes)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.readers.mail import unquote

THREAD = Path(__file__).parent / "fixtures" / "mail" / "printer-thread.mbox"
E42 = "Error E42 means the paper tray sensor is dirty. We will send a technician on Wednesday to clean it."
FLOOR3 = ("The printer on floor 3 shows error E42 every morning and stops printing until someone restarts "
          "it.")


def test_a_replys_quoted_lines_are_unquoted_and_apart_from_the_reply():
    body = "Fine.\nOn Monday, Ann wrote:\n> Hello,\n>\n> The plan is ready.\n>> older line\n> back\nBye"
    assert unquote(body) == ("Fine.\nOn Monday, Ann wrote:\n\nHello,\n\nThe plan is ready.\n\nolder line\n\n"
                             "back\n\nBye")
    assert unquote("No quote here.\n\nTwo paragraphs.") == "No quote here.\n\nTwo paragraphs."


@pytest.fixture(scope="module", params=[None, 2], ids=["single", "sharded"])
def thread(request, tmp_path_factory):
    from qa import Retriever, build_index

    root = tmp_path_factory.mktemp("thread")
    docs = root / "docs"
    docs.mkdir()
    shutil.copy(THREAD, docs / "thread.mbox")
    (docs / "notes.txt").write_text("These notes are kept by the office manager.\n\n" + E42 + "\n\nThe toner is ordered from Brother.\n",
                                    encoding="utf-8")
    shutil.copy(docs / "notes.txt", docs / "notes-copy.txt")
    build_index([docs], index=root / "index", shards=request.param, progress=False)
    retriever = Retriever.open(root / "index")  # a sharded index opens as one
    assert type(retriever).__name__ == ("Retriever" if request.param is None else "ShardedRetriever")
    yield retriever
    retriever.close()


def test_words_quoted_and_copied_are_one_hit_naming_the_other_places(thread):
    hits = thread.search("What does error E42 mean?", k=5)
    texts = [" ".join(h.text.split()) for h in hits]
    assert len(texts) == len(set(texts)), texts
    top = hits[0]
    assert top.text == E42 and top.answer.text == E42
    # the message that says it, the reply that quotes it, the note and its copy: one hit
    others = set(top.also_in) | {f"{top.source} §{top.paragraph}"}
    assert {o.split(" §")[0] for o in others} == {"thread.mbox › #2", "thread.mbox › #3", "notes.txt",
                                                 "notes-copy.txt"}
    floor3 = next(h for h in hits if h.text == FLOOR3)  # Alice's first message, quoted twice
    assert len(floor3.also_in) == 2


def test_k_hits_are_k_different_passages_when_places_repeat_the_best(thread):
    hits = thread.search("What does error E42 mean?", k=3)
    assert len(hits) == 3 and len({h.text for h in hits}) == 3
    assert [h.rank for h in hits] == [1, 2, 3]


def test_the_chat_and_qa_ask_name_the_other_places(thread):
    from qa.cli import format_hits
    from qa.render import escape_text, hit_html

    top = thread.search("What does error E42 mean?", k=3)[0]
    html = hit_html(top, "fr", full=True)
    assert "Mêmes mots aussi dans" in html and all(escape_text(place) in html for place in top.also_in[:3])
    assert "(same words also in: " + "; ".join(top.also_in) + ")" in format_hits([top])


def test_passages_that_only_begin_alike_stay_apart_and_whitespace_does_not_count():
    from qa.retrieval import distinct_top

    # a whole text is compared only when the first words agree (qa.retrieval._HEAD_WORDS)
    ranked = [(0.9, 0.9, 1), (0.8, 0.8, 2), (0.7, 0.7, 3), (0.6, 0.6, 4), (0.5, 0.5, 5)]
    places = {1: (E42, "a.txt §1"), 2: (E42.replace("Wednesday", "Thursday"), "b.txt §1"),
              3: ("\n " + E42.replace(" ", " \n\t"), "c.txt §2"), 4: ("Other words.", "d.txt §1"),
              5: (E42.replace("Wednesday", "Thursday") + " ", "e.txt §4")}
    top, also = distinct_top(ranked, places, 2)
    assert [i for _, _, i in top] == [1, 2]
    assert also == {1: ["c.txt §2"], 2: ["e.txt §4"]}
    # a candidate without a place (no longer in the index) is passed over: k come from the others
    top, also = distinct_top([(1.0, 1.0, 9)] + ranked, places, 3)
    assert [i for _, _, i in top] == [1, 2, 4] and also == {1: ["c.txt §2"], 2: ["e.txt §4"]}


DISCLAIMER = ("This message and its attachments are confidential and meant only for the people it is addressed to. "
              "If you received it by mistake, tell the sender and delete it.")


def footer_mails(docs: Path, copies: int) -> Path:
    """`copies` order mails, each a paragraph of its own and the same DISCLAIMER footer."""
    docs.mkdir()
    for i in range(copies):
        (docs / f"mail{i:02d}.txt").write_text(f"Order {100 + i}\n\nYour order number {100 + i} of {i + 2} chairs "
                                               f"ships from aisle {i} on Monday.\n\n{DISCLAIMER}\n", encoding="utf-8")
    return docs


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_k_hits_are_k_different_passages_when_more_places_repeat_than_the_spare(tmp_path, shards):
    """A paragraph that many files repeat (a mail footer in every message): past DUPLICATE_SPARE
    copies the spare candidates held nothing but copies, and `k=3` gave one hit, though other
    passages were candidates too."""
    from qa import Retriever, build_index
    from qa.retrieval import DUPLICATE_SPARE

    copies = DUPLICATE_SPARE + 4
    build_index([footer_mails(tmp_path / "docs", copies)], index=tmp_path / "index", shards=shards, progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        question = "What should I do with a confidential message I received by mistake?"
        for k in (1, 3, 5):
            hits = retriever.search(question, k=k)
            assert len(hits) == k and len({" ".join(h.text.split()) for h in hits}) == k
            assert hits[0].text == DISCLAIMER and len(set(hits[0].also_in)) >= min(copies - 1, DUPLICATE_SPARE)
            assert all(place.endswith(" §2") and f"{hits[0].source} §2" != place for place in hits[0].also_in)
            assert [h.rank for h in hits] == list(range(1, k + 1))
        assert [[h.id for h in hits] for hits in retriever.search_many([question, "chairs from aisle 3"], k=3)] \
            == [[h.id for h in retriever.search(q, k=3)] for q in (question, "chairs from aisle 3")]
    finally:
        retriever.close()


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_k_hits_when_more_places_repeat_a_paragraph_than_the_search_has_candidates(tmp_path, shards):
    """A footer in more files than a search's candidates (`CANDIDATES` of each kind): every
    candidate was a copy of it, and `k=3` gave one hit though the index holds other passages."""
    from qa import Retriever, build_index
    from qa.retrieval import CANDIDATES, DUPLICATE_SPARE

    copies = CANDIDATES + 15
    build_index([footer_mails(tmp_path / "docs", copies)], index=tmp_path / "index", shards=shards, progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        question = "What should I do with a confidential message I received by mistake?"
        for k in (1, 3, 5):
            hits = retriever.search(question, k=k)
            assert len(hits) == k and len({" ".join(h.text.split()) for h in hits}) == k, (k, len(hits))
            assert hits[0].text == DISCLAIMER and len(set(hits[0].also_in)) >= DUPLICATE_SPARE
        dense = retriever.search(question, k=3, mode="dense")
        assert len(dense) == 3
        # only the footer holds the question's words: one passage is all a lexical search has
        assert [h.text for h in retriever.search(question, k=3, mode="lexical")] == [DISCLAIMER]
        assert [[h.id for h in hits] for hits in retriever.search_many([question, "chairs from aisle 3"], k=3)] \
            == [[h.id for h in retriever.search(q, k=3)] for q in (question, "chairs from aisle 3")]
    finally:
        retriever.close()


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_a_copy_whose_file_was_deleted_is_neither_shown_for_a_live_one_nor_named(tmp_path, shards):
    """Copies of a file, the one shown and another deleted since `qa index`: the hit shown was
    the deleted copy, marked "removed", while the live one was only named in `also_in`, beside
    the other deleted one (and the next hits likewise)."""
    from qa import Retriever, build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a", "b", "c", "d"):
        (docs / f"notes-{name}.txt").write_text("These notes are kept by the office manager.\n\n" + E42
                                                + "\n\nThe toner is ordered from Brother.\n", encoding="utf-8")
    build_index([docs], index=tmp_path / "index", shards=shards, progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        question = "What does error E42 mean?"
        before = retriever.search(question, k=3)
        assert before[0].text == E42 and len(before[0].also_in) == 3
        deleted = {before[0].source, before[0].also_in[0].split(" §")[0]}
        for name in deleted:
            (docs / name).unlink()
        hits = retriever.search(question, k=3)
        assert hits[0].text == E42 and len({h.text for h in hits}) == 3
        for hit in hits:  # every hit shown from a live copy, which names only the other live one
            assert hit.source not in deleted and hit.source_changed is None, (hit.source, hit.source_changed)
            every = {"notes-a.txt", "notes-b.txt", "notes-c.txt", "notes-d.txt"}
            assert [place.split(" §")[0] for place in hit.also_in] == sorted(every - deleted - {hit.source})
        assert [h.rank for h in hits] == [1, 2, 3] and [h.score for h in hits] == sorted((h.score for h in hits),
                                                                                          reverse=True)
        for name in {"notes-a.txt", "notes-b.txt", "notes-c.txt", "notes-d.txt"} - deleted:
            (docs / name).unlink()
        # every copy deleted: the best is shown, said removed, and names none of the others
        hits = retriever.search(question, k=3)
        assert hits[0].text == E42 and hits[0].source_changed == "removed" and hits[0].also_in == []
    finally:
        retriever.close()


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_a_copy_whose_file_was_edited_is_not_shown_for_one_as_indexed(tmp_path, shards):
    """Copies of a file, the one shown edited since `qa index` (the words no longer in it): it was
    shown, marked "changed", while a copy still as indexed was only named in `also_in`."""
    from qa import Retriever, build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    text = "These notes are kept by the office manager.\n\n" + E42 + "\n\nThe toner is ordered from Brother.\n"
    for name in ("a", "b", "c"):
        (docs / f"notes-{name}.txt").write_text(text, encoding="utf-8")
    build_index([docs], index=tmp_path / "index", shards=shards, progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        question = "What does error E42 mean?"
        before = retriever.search(question, k=3)
        assert before[0].text == E42 and len(before[0].also_in) == 2
        edited = before[0].source
        (docs / edited).write_text(text.replace(E42, "Error E42 was fixed by the new firmware."), encoding="utf-8")
        hits = retriever.search(question, k=3)
        assert hits[0].text == E42 and hits[0].source != edited and hits[0].source_changed is None
        assert [place.split(" §")[0] for place in hits[0].also_in] == \
            sorted({"notes-a.txt", "notes-b.txt", "notes-c.txt"} - {edited, hits[0].source})
    finally:
        retriever.close()


def test_a_lexical_search_describes_only_the_passages_it_shows_and_answers_as_if_it_described_all(
        tmp_path, monkeypatch):
    """Lexical mode ranks by BM25 alone: the stored vectors and sentences (a hit's dense score for
    its weak flag, its answer) of the passages shown are all it needs. It read those of every
    candidate, and a question whose candidates were all copies of one paragraph did so in each of
    `widen_short`'s passes (50, 200, 800 candidates at 100,000 passages: issue #14), with the
    model asked each time. Same hits, to the field, as when every candidate is described."""
    from dataclasses import asdict

    import qa.retrieval as retrieval
    from qa import Retriever, build_index
    from qa.retrieval import CANDIDATES

    copies = CANDIDATES + 15
    build_index([footer_mails(tmp_path / "docs", copies)], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    questions = ["What should I do with a confidential message I received by mistake?",
                 "a confidential message about the order of chairs from aisle 3", "chairs from aisle 3"]
    try:
        described, asked = [], []
        describe, encode = retrieval.describe_candidates, retriever._view.encoder.encode_queries
        monkeypatch.setattr(retrieval, "describe_candidates",
                            lambda view, qvec, mode, near, lex, **kw: described.append([i for i, _ in lex])
                            or describe(view, qvec, mode, near, lex, **kw))
        monkeypatch.setattr(retriever._view.encoder, "encode_queries", lambda texts: asked.append(texts)
                            or encode(texts))
        shown = {}
        for q in questions:
            for k in (1, 3, 5):
                described.clear()
                asked.clear()
                hits = retriever.search(q, k=k, mode="lexical")
                shown[q, k] = [asdict(h) for h in hits]
                assert hits and len({" ".join(h.text.split()) for h in hits}) == len(hits)
                assert len(described) == 1 and sorted(described[0]) == sorted(h.id for h in hits), (q, k)
                # the first pass embeds while BM25 runs; a widened one only for the questions it keeps
                assert len(asked) <= 2, (q, k, len(asked))
        footer = shown[questions[0], 3]
        assert footer[0]["text"] == DISCLAIMER and len(footer[0]["also_in"]) == copies - 1
        # every candidate described, as before: the same hits, scores, weak flags and answers
        monkeypatch.setattr(retrieval, "shown_of", lambda candidates, top: candidates)
        for (q, k), hits in shown.items():
            assert [asdict(h) for h in retriever.search(q, k=k, mode="lexical")] == hits, (q, k)
        assert max(len(d) for d in described) > CANDIDATES  # the widened pass, every candidate
        many = retriever.search_many(questions, k=3, mode="lexical")
        assert [[asdict(h) for h in hits] for hits in many] == [shown[q, 3] for q in questions]
    finally:
        retriever.close()
