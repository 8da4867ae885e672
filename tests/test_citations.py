"""Citations that check out: a paragraph longer than a passage is several passages, each cited with
its part ("§1 (2/3)") in the CLI, the JSON, the chat's reply and its document panel (real files,
the real default model, a real index)."""
from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest


STEPS = " ".join(f"Step {n}: restart the router number {n} and wait for the green light before calling the "
                 "helpdesk." for n in range(40))
KEY = "The spare key for the server room is kept in the red tin behind the reception desk."
LONG = STEPS[:len(STEPS) // 2] + " " + KEY + " " + STEPS[len(STEPS) // 2:]
TEXT = f"{LONG}\n\nThe canteen closes at three on Fridays.\n"


@pytest.fixture(scope="module")
def long_index(tmp_path_factory):
    from qa import Retriever, build_index

    docs = tmp_path_factory.mktemp("longpara-docs")
    (docs / "longpara.txt").write_text(TEXT, encoding="utf-8")
    (docs / "copy.txt").write_text(TEXT, encoding="utf-8")  # the same words: cited once, "also in" the copy
    index = tmp_path_factory.mktemp("longpara-index")
    build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    yield retriever
    retriever.close()


def _key_hit(retriever):
    hits = retriever.search("Where is the spare key for the server room kept?", k=5)
    return next(h for h in hits if KEY in h.text), hits


def test_each_part_of_a_long_paragraph_is_cited_apart(long_index):
    from qa.cli import format_hits
    from qa.render import citation

    hit, hits = _key_hit(long_index)
    doc = long_index.document(hit.doc_id)
    first = [p for p in doc["passages"] if p["paragraph"] == 1]
    assert len(first) >= 3  # the paragraph is cut in several passages
    where = [p["id"] for p in first].index(hit.id) + 1
    assert 1 < where  # the key is past the paragraph's first passage
    # `paragraph` keeps its meaning; the part and the count are told apart, and checked against the document
    assert (hit.paragraph, hit.part, hit.parts) == (1, where, len(first))
    label = f"§1 ({where}/{len(first)})"
    assert hit.to_dict()["paragraph"] == 1 and hit.to_dict()["part"] == where
    assert f"longpara.txt · {label}" in citation(hit) or f"copy.txt · {label}" in citation(hit)
    assert label in format_hits(hits)
    # the copy's same passage is named with its part too
    assert any(label in place for place in hit.also_in)
    # a paragraph of one passage is cited as before
    canteen = long_index.search("When does the canteen close on Fridays?", k=1)[0]
    assert (canteen.paragraph, canteen.part, canteen.parts) == (2, None, None)
    assert re.search(r"§2( ·|$)", citation(canteen))
    assert [(p["part"], p["parts"]) for p in first] == [(n, len(first)) for n in range(1, len(first) + 1)]


def test_the_document_panel_gives_each_part_its_own_id_and_number(long_index):
    from qa.render import document_panel

    hit, _ = _key_hit(long_index)
    doc = long_index.document(hit.doc_id)
    html = document_panel(doc, hit.id, None, "de")
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # each passage its own HTML id
    cited = re.search(r'<div class="qa-para qa-cited" id="([^"]+)">'
                      r'<span class="qa-pn" dir="ltr" title="([^"]+)">(.*?)</span>', html)
    assert cited.group(1) == f"qa-para-1-{hit.part}"
    assert html_unescape(cited.group(2)) == f"Absatz 1, Teil {hit.part} von {hit.parts}"
    assert cited.group(3) == f"§1<br>&#40;{hit.part}&#47;{hit.parts}&#41;"
    assert 'id="qa-para-2"><span class="qa-pn" dir="ltr">§2</span>' in html  # a paragraph of one passage as before


def test_every_passage_is_read_with_the_part_its_document_gives_it(long_index):
    """A passage read by id (a hit, `also_in`'s places) gets the part and count the document's
    passages in order give it: the first, the middle ones and the last of the long paragraph,
    and the paragraph of one passage after it."""
    store = long_index.store
    documents = store.documents()
    assert sorted(d["source"] for d in documents) == ["copy.txt", "longpara.txt"]
    for document in documents:
        passages = long_index.document(document["id"])["passages"]
        assert len(passages) >= 4 and passages[-1]["parts"] is None
        ids = [p["id"] for p in passages]
        read, places = store.passages(ids), store.places(ids)
        assert [(read[i]["part"], read[i]["parts"]) for i in ids] == [(p["part"], p["parts"]) for p in passages]
        assert [places[i][1] for i in ids] == [f"{document['source']} §{p['paragraph']}"
                                               + (f" ({p['part']}/{p['parts']})" if p["part"] else "")
                                               for p in passages]


def test_parts_rules():
    from qa.citations import number_parts, paragraph_label

    assert paragraph_label(4) == "§4" and paragraph_label(4, 2, 3) == "§4 (2/3)"
    rows = [{"paragraph": n} for n in (1, 2, 2, 2, 3, 4, 4)]
    number_parts(rows)
    assert [(r["part"], r["parts"]) for r in rows] == [(None, None), (1, 3), (2, 3), (3, 3), (None, None),
                                                     (1, 2), (2, 2)]
