"""Questions about a table's rows: the answer is the row, not the whole table (real files,
the default model, a real index)."""
from __future__ import annotations

import pytest

PRODUCTS = ["sku,product,price_eur,stock,warehouse",
            "A100,Blue kettle 1.7 litres,29.90,120,Lyon",
            "A101,Red toaster two slots,34.50,0,Lille",
            "A102,Steel coffee grinder,49.00,15,Lyon",
            "A103,Electric whisk,19.99,230,Nantes",
            "A104,Cast iron frying pan,59.00,42,Lille",
            "A105,Bamboo cutting board,14.50,310,Nantes"]
STAFF = [("nom", "service", "poste", "bureau"),
         ("Claire Dubois", "Comptabilité", "Cheffe comptable", "B204"),
         ("Marc Lefèvre", "Ressources humaines", "Responsable du recrutement", "A110"),
         ("Sophie Martin", "Informatique", "Administratrice réseau", "C301"),
         ("Nadia Haddad", "Communication", "Chargée de presse", "A205")]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    from openpyxl import Workbook

    from qa import Retriever, build_index

    root = tmp_path_factory.mktemp("tables")
    docs = root / "docs"
    docs.mkdir()
    (docs / "products.csv").write_text("\n".join(PRODUCTS) + "\n", encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = "Annuaire"
    for row in STAFF:
        sheet.append(row)
    book.save(docs / "annuaire.xlsx")
    build_index([docs], index=root / "index", progress=False)
    retriever = Retriever.open(root / "index")
    yield retriever
    retriever.close()


@pytest.mark.parametrize("question, row", [
    ("How much does the steel coffee grinder cost?", "A102 | Steel coffee grinder | 49.00 | 15 | Lyon"),
    ("Which warehouse has the bamboo cutting board?", "A105 | Bamboo cutting board | 14.50 | 310 | Nantes"),
    ("Qui s'occupe du recrutement ?", "Marc Lefèvre | Ressources humaines | Responsable du recrutement | A110"),
    ("Dans quel bureau travaille l'administratrice réseau ?",
     "Sophie Martin | Informatique | Administratrice réseau | C301"),
])
def test_the_answer_to_a_question_about_a_row_is_that_row(tables, question, row):
    top = tables.search(question, k=3)[0]
    assert row in top.text
    # the row alone: not the header row, not the rows around it
    assert top.answer.text == row
    assert top.text[top.answer.start:top.answer.end] == row


def test_a_row_shown_alone_in_the_chat_carries_its_header_row(tables):
    from qa.render import hit_html, table_header

    top = tables.search("How much does the steel coffee grinder cost?", k=3)[0]
    assert table_header(top) == "sku | product | price_eur | stock | warehouse"
    compact = hit_html(top, "en", full=False)
    gist = compact.split('class="qa-gist"')[1].split("</div>")[0]
    assert "price&#95;eur" in gist or "price_eur" in gist
    assert "Steel coffee grinder" in gist and "Blue kettle" not in gist
    # prose answers carry none
    prose = tables.search("Which warehouse has the bamboo cutting board?", k=3)[0]
    prose.answer = type(prose.answer)(prose.text[:5], 0, 5)
    assert table_header(prose) is None


TOWNS = ["Lyon", "Lille", "Nantes", "Brest", "Dijon", "Reims", "Tours", "Metz", "Nancy", "Caen", "Rouen", "Pau",
         "Nice", "Agen", "Albi", "Arles", "Auch", "Blois", "Bourges", "Cahors", "Cognac", "Colmar", "Dole", "Evian",
         "Foix", "Gap", "Laval", "Lens", "Lorient", "Macon", "Menton", "Millau", "Niort", "Orange", "Quimper",
         "Redon", "Rodez", "Saintes", "Sedan", "Sete", "Tarbes", "Thiers", "Toul", "Troyes", "Valence", "Vannes"]
TOWNS_HEADER = "| Town | Population | Region | Shops |"


def test_a_markdown_table_longer_than_a_passage_has_no_header_row_in_its_next_passage(tmp_path):
    """A Markdown table longer than a passage goes on in the next passage without its header row
    and its |---| line: that passage's first row was taken for a header. A question about it was
    answered with another row, and the chat showed it as the header of the others."""
    from qa import Retriever, build_index
    from qa.render import table_header

    docs = tmp_path / "docs"
    docs.mkdir()
    rows = [f"| {town} | {1000 + 37 * i} | {['north', 'south', 'east', 'west'][i % 4]} | {i + 3} shops |"
            for i, town in enumerate(TOWNS)]
    (docs / "towns.md").write_text("# Towns\n\n" + TOWNS_HEADER + "\n|---|---|---|---|\n" + "\n".join(rows) + "\n",
                                   encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        passages = sorted(retriever.search("towns population region shops", k=5), key=lambda h: h.start)
        assert len(passages) == 2 and passages[1].text.startswith(rows[40])  # Tarbes opens the second
        for town, row in [("Tarbes", rows[40]), ("Thiers", rows[41]), ("Lyon", rows[0])]:
            top = retriever.search(f"What is the population of {town}?", k=1)[0]
            assert top.answer.text == row
            # the header row where the passage holds it, none where it does not (never a town's row)
            assert table_header(top) == (TOWNS_HEADER if town == "Lyon" else None)
    finally:
        retriever.close()


def test_a_plain_table_longer_than_a_passage_has_no_header_row_in_its_next_passage(tmp_path):
    """A table of "a | b" lines (no bars at the ends, so no |---| line to tell its header) longer
    than a passage: its next passage's first row was taken for a header. A question about that
    row was answered with another one, and the chat showed that row as the header of the others.
    The passage that goes on from the one before (a later piece of the paragraph) says so."""
    from qa import Retriever, build_index
    from qa.render import table_header

    docs = tmp_path / "docs"
    docs.mkdir()
    header = "Town | Population | Region | Shops | Market"
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    rows = [f"{town} | {1000 + 37 * i} | {['north', 'south', 'east', 'west'][i % 4]} | {i + 3} shops | "
            f"on {days[i % 6]} mornings in the covered hall" for i, town in enumerate(TOWNS)]
    (docs / "towns.txt").write_text("Towns\n\n" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        passages = sorted(retriever.search("towns population region shops market", k=5), key=lambda h: h.start)
        assert len(passages) >= 2 and [p.continued for p in passages] == [False] + [True] * (len(passages) - 1)
        firsts = [next(i for i, row in enumerate(rows) if p.text.startswith(row)) for p in passages[1:]]
        for i in [*firsts, firsts[0] + 1, 0]:
            hit = next(h for h in retriever.search(f"What is the population of {TOWNS[i]}?", k=3) if rows[i] in h.text)
            assert hit.answer.text == rows[i]
            # the header row where the passage holds it, none where it does not (never a town's row)
            assert table_header(hit) == (header if i < firsts[0] else None)
    finally:
        retriever.close()
