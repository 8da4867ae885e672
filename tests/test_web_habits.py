"""The chat every day, round 7: a real `qa serve` over a small folder of a journalist's, an analyst's
and a support desk's files in English and French (Markdown, PDF, Word, e-mail), driven in a real
browser (chromium) and through its API: a follow-up's link shared, a conversation printed, the
document panel left with Escape (docs/reliability.md "Session 22: the chat every day, round 7")."""
from __future__ import annotations

import html
import re

import pytest

from qa import build_index
from test_web import answered, ask_in_page, browser, make_docx, make_pdf, open_page  # noqa: F401  (fixture)
from test_web_daily import serving

HARBOUR = ("# Harbour dredging contract\n\nThe city council approved the harbour dredging contract on 12 March "
           "2026. The contract is worth 4.8 million euros and runs for three years.\n\nWork starts in May at the "
           "northern quay. Fishing boats will moor at the southern pier while the northern quay is closed.\n\n"
           "The mayor said the dredging would let container ships of up to 9 metres draught enter the port.\n")
CONSEIL = ("# Conseil municipal du 12 mars\n\nLe conseil municipal a voté le budget des écoles : 1,2 million "
           "d'euros pour rénover l'école Jules-Ferry.\n\nLa piscine municipale fermera du 1er juillet au 31 août "
           "pour des travaux d'étanchéité.\n\nL'opposition a demandé un audit des comptes du port avant la "
           "signature du contrat de dragage.\n")
REFUND = """From: Marie Dupont <marie@example.org>
To: support@example.com
Subject: Remboursement de la commande 4471
Date: Tue, 03 Mar 2026 09:12:00 +0100
Content-Type: text/plain; charset=utf-8

Bonjour,

J'ai reçu la bouilloire cassée. Je souhaite un remboursement de la commande 4471.

Le colis est arrivé le 28 février avec le couvercle fendu.

Merci,
Marie
"""
LATE = """From: Tom Baker <tom@example.net>
To: support@example.com
Subject: Late delivery of order 5120
Date: Wed, 04 Mar 2026 14:30:00 +0000
Content-Type: text/plain; charset=utf-8

Hello,

My order 5120 was promised for Monday and has still not arrived. The tracking page says it is held at the Lyon depot.

Can you send the parcel by express courier instead?

Thanks, Tom
"""
CONTRACT = "How much is the harbour dredging contract worth?"
APPROVED = "Who approved it?"  # a follow-up: alone, it is about refunds' approval (escalation.docx)


def desk_docs(docs) -> None:
    """The journalist's, analyst's and support desk's files, written into `docs`."""
    (docs / "press").mkdir(parents=True)
    (docs / "support").mkdir()
    (docs / "press" / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    (docs / "press" / "conseil.md").write_text(CONSEIL, encoding="utf-8")
    (docs / "support" / "refunds.eml").write_text(REFUND, encoding="utf-8")
    (docs / "support" / "shipping.eml").write_text(LATE, encoding="utf-8")
    make_docx(docs / "support" / "retours.docx",
              ["Un client peut retourner un article dans les 30 jours suivant la livraison.",
               "Le remboursement est versé sous 14 jours après réception du colis retourné.",
               "Un article cassé à la livraison est remboursé sans retour : une photo suffit."])
    make_docx(docs / "support" / "escalation.docx",
              ["A ticket open for more than 48 hours is escalated to the team lead.",
               "Refunds above 500 euros need the approval of the finance department."])
    make_pdf(docs / "energy-report.pdf",
             ["Solar panels produced 18 percent of the region's electricity in 2025.",
              "The grid operator plans two new substations near Millbrook by 2027."])


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    root = tmp_path_factory.mktemp("habits")
    desk_docs(root / "docs")
    index = root / "index"
    build_index([root / "docs"], index=index, progress=False)
    with serving(index, root / "serve.log") as server:
        yield server | {"index": index}


def citations(page, n: int) -> list[str]:
    return page.locator(f"#qa-turn-{n} .qa-reply .qa-open").evaluate_all("els => els.map(e => e.innerText)")


def wait_answered(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= {n}",
                           timeout=120000)


def test_browser_a_follow_ups_link_shows_the_same_passages_in_a_new_tab(desk, browser):
    """A follow-up ("Who approved it?", read with the question before it) had a link of its words
    alone (`?q=Who+approved+it%3F&k=5`): sent to a colleague, or opened in a new tab, it asked
    another question, answered from the refunds' escalation guide, where the conversation had
    answered from the harbour contract. Its link now names the question(s) it was read with
    (`after=`): opened anywhere it shows the same passages, says what it was read with, survives a
    reload, and the next follow-up there is read with the whole chain."""
    page = open_page(browser, desk["url"])
    ask_in_page(page, CONTRACT)
    ask_in_page(page, APPROVED)
    asked_here = citations(page, 2)
    assert asked_here[0].startswith("Harbour dredging contract · press/harbour.md")
    link = page.locator("#qa-turn-2").get_attribute("data-link")
    page.context.close()

    other = open_page(browser, desk["url"] + "/" + link)  # a new tab: no conversation of its own
    wait_answered(other, 1)
    assert other.locator("#qa-chat .qa-turn").count() == 1
    assert other.locator("#qa-q-1").inner_text() == APPROVED
    assert citations(other, 1) == asked_here
    assert CONTRACT in other.locator("#qa-turn-1 .qa-followup").inner_text()
    other.reload()
    other.wait_for_selector("#qa-question textarea", timeout=60000)
    wait_answered(other, 1)
    assert other.locator("#qa-chat .qa-turn").count() == 1 and citations(other, 1) == asked_here
    ask_in_page(other, "How much is it worth?")
    assert citations(other, 2)[0].startswith("Harbour dredging contract · press/harbour.md")
    assert CONTRACT in other.locator("#qa-turn-2 .qa-followup").inner_text()
    other.context.close()


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_browser_a_conversation_printed_is_whole_with_its_citations(desk, browser):
    """A journalist printing the conversation (or saving it as PDF, to file with the story) got the
    chat box as it stood on the screen: the questions scrolled out of it were not printed, the last
    reply was cut at the box's height, and the question box, filters, examples, the API's data and
    Gradio's footer were printed around it. Printed now: every question, every citation (title, file,
    §, date) and answer, and nothing of the controls."""
    import io

    import pypdf

    page = open_page(browser, desk["url"])
    asked = [CONTRACT, "Quand la piscine ferme-t-elle ?", "Où est le colis de Tom Baker ?"]
    for question in asked:
        ask_in_page(page, question)
    cited = [citations(page, n) for n in (1, 2, 3)]
    answers = page.locator("#qa-chat .qa-full mark.qa-answer, #qa-chat .qa-gist mark.qa-answer").evaluate_all("els => els.map(e => e.innerText)")
    examples = page.locator("#qa-examples button").evaluate_all("els => els.map(e => e.innerText)")
    assert all(len(c) == 5 for c in cited) and len(answers) == 15 and examples
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    printed = squeezed("".join(p.extract_text() for p in pdf.pages))
    for question in asked:
        assert squeezed(question) in printed
    for line in sum(cited, []) + answers:
        assert squeezed(line) in printed, line
    for control in examples + ["Passages as data", "Use via API", "New conversation", "Folder"]:
        assert squeezed(control) not in printed, control
    page.context.close()


def test_browser_escape_leaves_the_document_panel_for_the_answer_or_the_list(desk, browser):
    """A keyboard reader who opened a citation (Enter) is put on the cited paragraph; Escape did
    nothing there, so that going back meant Tab to the link at the document's end or Shift+Tab to
    the one at its top. Escape is now the panel's "Back to the answer" (its link says so to screen
    readers: `aria-keyshortcuts`), and from a document opened in the list, back to its name there."""
    page = open_page(browser, desk["url"])
    ask_in_page(page, "Quand la piscine ferme-t-elle ?")
    citation = page.locator("#qa-turn-1 .qa-full .qa-open")
    citation.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.classList.contains('qa-cited')", timeout=30000)
    assert page.locator("#qa-doc .qa-back").get_attribute("aria-keyshortcuts") == "Escape"
    page.keyboard.press("Escape")
    page.wait_for_function("document.activeElement === document.querySelector('#qa-turn-1 .qa-full .qa-open')",
                           timeout=5000)
    # a compact passage's citation too, and back to it
    second = page.locator("#qa-turn-1 .qa-compact .qa-open").first
    second.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.classList.contains('qa-cited')", timeout=30000)
    page.keyboard.press("Escape")
    page.wait_for_function("document.activeElement === document.querySelector('#qa-turn-1 .qa-compact .qa-open')",
                           timeout=5000)
    page.locator("#qa-docs-tab-button").click()
    page.locator("#qa-doclist .qa-open", has_text="harbour.md").click()
    page.wait_for_function("document.activeElement?.classList.contains('qa-doc-title')", timeout=10000)
    page.keyboard.press("Escape")
    page.wait_for_function("document.activeElement?.closest('#qa-doclist') !== null", timeout=10000)
    assert "harbour.md" in page.evaluate("document.activeElement.textContent")
    page.context.close()


def test_the_api_gives_each_passage_the_match_label_the_page_shows(desk, browser):
    """A support desk's script posting answers into tickets could not say what the page says of each
    passage ("strong match", "fair match", "weak match"): the API gave the score and the weak flag,
    and "strong" is a bar of the chat's own (`STRONG_SCORE`). Every passage of `/ask` and `/answer`
    (and `qa ask --json`, `Passage.to_dict`) has `match`, the page's label, for the same passages."""
    from gradio_client import Client

    client = Client(desk["url"], verbose=False)
    page = open_page(browser, desk["url"])
    asked = ["Quand la piscine ferme-t-elle ?", "Who approves large refunds?", "What did the opposition ask for?"]
    seen = set()
    for n, question in enumerate(asked, 1):
        ask_in_page(page, question)
        shown = page.locator(f"#qa-turn-{n} .qa-score").evaluate_all(
            "els => els.map(e => [...e.classList].find(c => c !== 'qa-score').slice(3))")
        answer = client.predict(question, 5, api_name="/answer")["passages"]
        assert [p["match"] for p in answer] == shown
        cited = citations(page, n)
        assert len(cited) == len(answer) and all(f"{p['source']} · §{p['paragraph']}" in c
                                                 for c, p in zip(cited, answer))
        assert [p["match"] for p in client.predict(question, 5, api_name="/ask")] == shown
        seen.update(shown)
    assert {"strong", "weak"} <= seen
    page.context.close()


def test_the_match_label_of_a_passage_at_the_bar_and_weak_over_it():
    """`Passage.match` and `to_dict`'s `match`, without a server (mutants23: the browser test's
    passages are far from the bar): a score at STRONG_SCORE is strong (as the page labelled it since
    session 13), just under it fair, and a weak passage weak whatever its score."""
    import json

    from qa.records import STRONG_SCORE, Passage

    def labelled(score: float, weak: bool = False) -> tuple[str, str]:
        p = Passage(1, score, "The pool closes at nine.", "pool.md", 1, 0, 24, None, None, None, weak=weak)
        return p.match, json.loads(json.dumps(p.to_dict()))["match"]

    assert labelled(STRONG_SCORE) == ("strong", "strong")
    assert labelled(STRONG_SCORE - 1e-6) == ("fair", "fair")
    assert labelled(0.9, weak=True) == ("weak", "weak")


@pytest.fixture(scope="module")
def desk_index(tmp_path_factory):
    """The desk's files indexed, without a server."""
    root = tmp_path_factory.mktemp("habits-unit")
    desk_docs(root / "docs")
    build_index([root / "docs"], index=root / "index", progress=False)
    return root / "index"


def test_a_follow_ups_link_carries_after_and_is_read_with_it_without_a_server(desk_index):
    """`ChatApp.answer`'s link of a follow-up names what it was read with (`after=`), `asked_before`
    reads it with a link, and `ChatApp.restore` (a reload) reads a stored follow-up's link with it
    (mutants23: only the browser test held these, through a `qa serve` that did not start under load)."""
    import json
    from urllib.parse import parse_qs

    from qa import Retriever
    from qa.web_app import ChatApp, asked_before, parse_link

    retriever = Retriever.open(desk_index)
    try:
        app = ChatApp(retriever)
        _, first, _ = app.answer(CONTRACT, 3, None, "en")
        _, data, link = app.answer(APPROVED, 3, None, "en", [CONTRACT])
        assert first[0]["source"] == data[0]["source"] == "press/harbour.md"
        assert parse_qs(link.lstrip("?"))["after"] == [CONTRACT] and parse_link(link)["after"] == CONTRACT
        _, alone, plain = app.answer(APPROVED, 3, None, "en")
        assert alone[0]["source"] != "press/harbour.md" and "after" not in parse_qs(plain.lstrip("?"))
        # a link read where the conversation is another, ends with its question, or has none
        assert asked_before(parse_link(link), []) == [CONTRACT]
        assert asked_before(parse_link(link), ["Where do fishing boats moor?"]) == ["Where do fishing boats moor?",
                                                                                    CONTRACT]
        assert asked_before(parse_link(link), [CONTRACT]) == [CONTRACT]
        assert asked_before(parse_link(plain), [CONTRACT]) == [CONTRACT]
        # a reload of a tab whose only stored link is the follow-up's (opened from a colleague's link)
        turns, _, asked = app.restore(json.dumps([link]), "en")
        assert len(turns) == 1 and asked == [CONTRACT, APPROVED]
        cited = re.findall(r"press/\w+\.md|support/\w+\.\w+", html.unescape(turns[0]))
        assert cited and cited[0] == "press/harbour.md", cited
    finally:
        retriever.close()
