"""Follow-up questions (qa/followup.py): a question that cannot stand alone is read with the
conversation's earlier one, says so, and a question on a new topic is searched alone. Real
model, real FAISS, real files."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import qa
from qa import Retriever, build_index
from qa.errors import BadQuestion
from qa.followup import leans_on_previous, read_with
from conftest import ROOT, ask_at_terminal

DOCS = {
    "bluepeak.md": """# Bluepeak Software

Bluepeak Software was started in 2015 by Priya Raman, a former bank analyst who wanted simpler accounting tools for small shops.

The firm is based in Toronto, Canada, where its offices occupy two floors of a former piano factory on King Street.

For the fiscal year 2023 Bluepeak posted revenue of 31 million dollars, and its staff grew to 190 employees.
""",
    "northwind.md": """# Northwind Robotics

Northwind Robotics was founded in 2009 by the engineers Alice Moreno and Tom Becker, who met while building farm machinery.

The company is headquartered in Leeds, England, in a converted textile mill on the bank of the River Aire.

In 2023 Northwind Robotics reported revenue of 84 million pounds, and it employs about 430 people.
""",
    "kessler.md": """# Brauerei Kessler

Die Brauerei Kessler wurde 1874 von Johann Kessler in Bamberg gegründet und ist bis heute im Besitz der Familie.

Der Firmensitz liegt in der Bamberger Altstadt, direkt am Ufer der Regnitz, wo auch der Biergarten der Brauerei liegt.

Im Jahr 2023 erzielte die Brauerei einen Umsatz von 19 Millionen Euro und beschäftigte 85 Mitarbeiter.
""",
    "laiterie.md": """# Laiterie du Vercors

La Laiterie du Vercors a été fondée en 1962 par Marcel Gontier, un éleveur de Villard-de-Lans, avec huit fermes voisines.

Son siège se trouve à Villard-de-Lans, dans l'Isère, où se trouvent aussi la fromagerie et le magasin de vente directe.

En 2023, la coopérative a réalisé un chiffre d'affaires de 27 millions d'euros et compte 115 salariés.
""",
    "velos.md": """# Cycles Armor

Cycles Armor est une entreprise de vélos électriques créée en 2018 à Lorient par Gaëlle Le Bihan et Yann Caradec.

L'entreprise est installée dans l'ancienne base de sous-marins de Lorient, en Bretagne, où elle assemble ses cadres.

Cycles Armor a vendu 9 000 vélos en 2023 pour un chiffre d'affaires de 14 millions d'euros, et emploie 62 salariés.
""",
    "geography.md": """# Capitals

The capital of Australia is Canberra, a planned city chosen in 1908 as a compromise between Sydney and Melbourne.

The capital of Canada is Ottawa, chosen by Queen Victoria in 1857 over Toronto, Montreal and Quebec City.
""",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("followup")
    docs = root / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    build_index([docs], index=root / "index", progress=False)
    return root / "index"


@pytest.fixture(scope="module")
def retriever(index):
    r = Retriever.open(index)
    yield r
    r.close()


def first(hits) -> str:
    return hits[0].text


@pytest.mark.parametrize("earlier, question, gold", [
    ("Wer hat die Brauerei Kessler gegründet?", "Wann?", "1874 von Johann Kessler"),
    ("Who founded Northwind Robotics?", "When?", "founded in 2009"),
    ("Qui a fondé la Laiterie du Vercors ?", "En quelle année ?", "fondée en 1962"),
])
def test_a_followup_finds_its_passage_with_the_earlier_question_and_says_so(retriever, earlier, question, gold):
    alone = retriever.search(question, k=5)
    assert gold not in first(alone)  # alone, the question names nothing to search for
    hits = retriever.search(question, k=5, previous=["What is the capital of Canada?", earlier])
    assert gold in first(hits)
    assert all(h.followup_of == earlier for h in hits)
    assert hits[0].to_dict()["followup_of"] == earlier


def test_a_chain_of_followups_goes_back_to_the_question_it_started_from(retriever):
    hits = retriever.search("Und wo ist der Firmensitz?", k=3,
                            previous=["Wer hat die Brauerei Kessler gegründet?", "Wann?"])
    assert "Bamberger Altstadt" in first(hits)
    assert hits[0].followup_of == "Wer hat die Brauerei Kessler gegründet? Wann?"


@pytest.mark.parametrize("earlier, question, gold", [
    ("Who started Bluepeak Software?", "What is the capital of Australia?", "Canberra"),
    ("Qui a fondé la Laiterie du Vercors ?", "Who founded Northwind Robotics?", "Alice Moreno"),
    ("How many employees does Northwind Robotics have?", "Wer hat die Brauerei Kessler gegründet?", "Johann Kessler"),
])
def test_a_new_topic_is_searched_alone(retriever, earlier, question, gold):
    alone = retriever.search(question, k=5)
    hits = retriever.search(question, k=5, previous=[earlier])
    assert gold in first(hits)
    assert [(h.id, h.score) for h in hits] == [(h.id, h.score) for h in alone]
    assert all(h.followup_of is None for h in hits)


def test_without_previous_nothing_changes(retriever, index):
    question = "When was Bluepeak Software started?"
    plain = retriever.search(question, k=5)
    for hits in (retriever.search(question, k=5, previous=None), retriever.search(question, k=5, previous=[]),
                 retriever.search_many([question], k=5, previous=[None])[0],
                 qa.search(question, k=5, index=index)):
        assert [h.to_dict() for h in hits] == [h.to_dict() for h in plain]
    assert all(h.followup_of is None for h in plain) and "2015" in first(plain)
    # a follow-up asked of an empty conversation is searched alone too
    assert [h.id for h in retriever.search("When?", k=5, previous=[])] == [h.id for h in retriever.search("When?", k=5)]


def test_module_search_takes_previous(index):
    hits = qa.search("Et son chiffre d'affaires ?", k=3, index=index, previous=["Qui a fondé la Laiterie du Vercors ?"])
    assert "27 millions" in first(hits) and hits[0].followup_of == "Qui a fondé la Laiterie du Vercors ?"


def test_previous_must_be_a_list_of_questions(retriever):
    with pytest.raises(BadQuestion):
        retriever.search("When?", previous="Who started Bluepeak Software?")


@pytest.mark.parametrize("question", ["When?", "Combien ?", "Wann?", "¿En qué año?", "How tall is it?",
                                      "Et son chiffre d'affaires ?", "Where are its offices?", "And Bluepeak's?",
                                      "Und wo ist der Firmensitz?", "¿Y dónde está?",
                                      # a year or a short number asks the same of another time or amount; an
                                      # inverted pronoun with no subject named before it points back
                                      "And in 2019?", "What about 500 euros?", "Combien de jours dure-t-il ?",
                                      "Où l'a-t-il dit ?", "Combien coûte-t-il ?"])
def test_questions_that_lean_on_the_earlier_one(question):
    assert leans_on_previous(question)


@pytest.mark.parametrize("question", ["What is the capital of Australia?", "¿Cuál es la capital de Canadá?",
                                      "Wie hoch ist die Zugspitze?", "Comment prépare-t-on la bouillabaisse ?",
                                      "Quels risques le Premier ministre chinois a-t-il évoqués ?",
                                      "Which is the highest mountain in Africa?",
                                      "Quand les pommes sont-elles récoltées en Normandie ?",
                                      # "fire", "point", "bill" are in the English stopword list: these were
                                      # read with whatever the chat had asked before them
                                      "Where is the fire assembly point?", "When do I get my refund?",
                                      "Who signed the bill?",
                                      # an order number of its own, or a subject the inverted pronoun repeats
                                      # (session 23: read with a question on a harbour contract)
                                      "Where is order 5120?", "Wo ist Bestellung 5120?", "订单5120在哪里？",
                                      "And order 4471?", "Et la commande 4471 ?", "What about 4471?",
                                      "Quand la piscine ferme-t-elle ?", "Quand l'école ouvre-t-elle ?"])
def test_questions_that_stand_alone(question):
    assert not leans_on_previous(question)
    assert read_with(question, ["Who started Bluepeak Software?"]) is None


def test_cli_ask_after(index):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "qa", "ask", "--index", str(index), "-k", "2",
           "--after", "Wer hat die Brauerei Kessler gegründet?", "Wann?"]
    shown = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Read with your previous question: Wer hat die Brauerei Kessler gegründet?")
    assert "[1] kessler.md §1" in shown.stdout and "1874" in shown.stdout
    data = json.loads(subprocess.run(cmd + ["--json"], capture_output=True, text=True, env=env, timeout=600).stdout)
    assert data[0]["followup_of"] == "Wer hat die Brauerei Kessler gegründet?" and "1874" in data[0]["text"]


def test_a_terminal_session_reads_a_followup_after_the_earlier_question(index):
    """`qa ask` at a terminal (a real pseudo-terminal) is a conversation: "Wann?" after a question
    about the brewery is read with it."""
    returncode, out, err = ask_at_terminal(["--json", "-k", "1", "--index", str(index)],
                                           ["Wer hat die Brauerei Kessler gegründet?", "Wann?", ""])
    assert returncode == 0, err
    first_, second = [json.loads(line) for line in out.splitlines()]
    assert first_["passages"][0]["followup_of"] is None
    assert second["passages"][0]["followup_of"] == "Wer hat die Brauerei Kessler gegründet?"
    assert "1874" in second["passages"][0]["text"]


def test_a_sharded_index_reads_followups_too(tmp_path, index):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    build_index([docs], index=tmp_path / "sharded", shards=2, progress=False)
    sharded = Retriever.open(tmp_path / "sharded")
    try:
        hits = sharded.search("Wann?", k=3, previous=["Wer hat die Brauerei Kessler gegründet?"])
        assert "1874" in first(hits) and hits[0].followup_of == "Wer hat die Brauerei Kessler gegründet?"
        topic = sharded.search("What is the capital of Australia?", k=3, previous=["Wann?"])
        assert topic[0].followup_of is None and "Canberra" in first(topic)
    finally:
        sharded.close()


def test_an_earlier_question_of_no_text_is_left_out_not_blamed_on_the_question(retriever, index):
    """A question of invisible characters only (a zero-width space, a control character: no
    whitespace to `strip`) is refused, but the chat keeps it among the conversation's earlier
    questions: each later question was then refused as "empty" until the chat was cleared. Such
    an earlier question is left out, as an empty one is; one that is not text is refused as such."""
    from qa.web_app import ChatApp

    question = "Who founded Northwind Robotics?"
    alone = [h.id for h in retriever.search(question, k=3)]
    for junk in ("\u200b", "\x00\x01", " \u2060 ", None):
        hits = retriever.search(question, k=3, previous=[junk])
        assert [h.id for h in hits] == alone and hits[0].followup_of is None
    # after such a question, a follow-up is read with the question before it
    hits = retriever.search("When?", k=3, previous=["Who founded Northwind Robotics?", "\u200b"])
    assert "founded in 2009" in first(hits) and hits[0].followup_of == "Who founded Northwind Robotics?"
    for bad in ([3], [["Who founded Northwind Robotics?"]], {"Who founded Northwind Robotics?": 1}):
        with pytest.raises(BadQuestion, match="earlier questions"):
            retriever.search("When?", k=3, previous=bad)
    # the chat: its reply to a later question is passages, not an error
    body, data, _ = ChatApp(retriever).answer(question, 3, None, "en", ["\u200b"])
    assert [d["id"] for d in data] == alone and "qa-error" not in body


def test_a_followup_of_no_words_of_its_own_keeps_the_earlier_question_s_words(seed_index):
    """ "Pourquoi ?" asks about the earlier answer itself, most often in the same passage: it is read
    with the earlier question's tokens, not with the title of the document that question found (the
    seed article's every passage holds its title, so that title alone found its first passage)."""
    from qa.followup import reads_topic

    first = "Quel pays limite les exportations de puces vers la Chine ?"
    assert not reads_topic("Pourquoi ?", "hybrid") and reads_topic("Et combien de salariés ?", "hybrid")
    r = Retriever.open(seed_index)
    try:
        hits = r.search("Pourquoi ?", 3, previous=[first])
        assert hits[0].followup_of == first
        assert "l’espionnage ou les applications militaires" in hits[0].text, hits[0].text[:120]
    finally:
        r.close()
