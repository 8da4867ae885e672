"""The chat every day, round 5: a real `qa serve` over the seeds and a hearing's subtitles, in an
index whose languages an older identifier gave, driven in a real browser (chromium): what the
index needs said on the page, an example clicked during a reply, the keyboard's way back from a
document (docs/reliability.md "Session 20: the chat every day, round 5")."""
from __future__ import annotations

import json
import re
import shutil
import sqlite3
import unicodedata
from html import unescape

import pytest

from conftest import SEEDS
from qa import build_index
from qa.layout import current_data
from qa.retrieval import MAX_QUESTION_CHARS, clean_question, question_cut, searched_part
from qa.store import DB_NAME
from qa.web_i18n import TEXTS
from test_subtitles import HEARING
from test_web import answered, ask_in_page, browser, open_page, select_and_copy  # noqa: F401  (fixture)
from test_web_a11y import active
from test_web_daily import serving
from test_web_workday import questions, slow_link

CANAL = "Pourquoi le canal a-t-il été fermé ?"
REPAIR = "Combien a coûté la réparation de l'écluse ?"


@pytest.fixture(scope="module")
def everyday(tmp_path_factory):
    """The seeds and a French hearing, indexed, then recorded as labelled by another language
    identifier (as every index made before session 19 is, or after a py3langid upgrade)."""
    root = tmp_path_factory.mktemp("everyday")
    docs = root / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "audition-canal.vtt").write_text(HEARING, encoding="utf-8")
    index = root / "index"
    build_index([docs], index=index, progress=False)
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        conn.execute("UPDATE meta SET value = '1:0000000000000000' WHERE key = 'identifier'")
    with serving(index, root / "serve.log") as server:
        yield server | {"index": index, "docs": docs, "log": root / "serve.log"}


def test_browser_an_example_clicked_while_a_reply_is_coming_is_held_then_asked(everyday, browser):
    """An example ("Try") clicked while the reply before it was coming went through two round trips
    of its own, not held as a typed question is (session 19): nothing on the page answered the
    click, and on a slow link it raced the reply before it. It is now put in the box, held and
    shown so, then asked once that reply is in; clicked when nothing is coming, it asks at once."""
    page = open_page(browser, everyday["url"], locale="fr-FR")
    example = page.locator("#qa-examples .gallery-item").first
    wanted = example.inner_text().strip()
    slow_link(page, 1500)
    box = "#qa-question textarea"
    page.fill(box, CANAL)
    page.press(box, "Enter")
    page.locator("#qa-chat .qa-turn").first.wait_for(timeout=20000)  # the first, being answered
    assert not page.locator("#qa-chat .qa-turn").first.get_attribute("data-done")
    example.click()
    assert page.locator("#qa-question.qa-held").count() == 1 and page.input_value(box) == wanted
    assert page.get_attribute("#qa-question", "title") == TEXTS["fr"]["held"]
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 2", timeout=60000)
    page.wait_for_timeout(3000)  # and no third turn
    assert questions(page) == [CANAL, wanted] and answered(page) == 2
    assert page.input_value(box) == "" and page.locator("#qa-question.qa-held").count() == 0
    # nothing coming: an example asks at once, as the conversation's next question
    page.locator("#qa-examples .gallery-item").last.click()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 3", timeout=60000)
    assert questions(page)[-1] == page.locator("#qa-examples .gallery-item").last.inner_text().strip()


def test_browser_tab_from_the_cited_paragraph_leads_back_to_the_answer(everyday, browser):
    """After a citation opened with the keyboard, Tab from the cited paragraph went on to Gradio's
    footer ("Use via API"), away from the chat. The document ends with the way back: Tab reaches
    "Back to the answer", and Enter there returns to the citation. Opened from the document list,
    it leads back to the list."""
    page = open_page(browser, everyday["url"])
    ask_in_page(page, CANAL)
    citation = page.locator("#qa-turn-1 .qa-full .qa-open")
    citation.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.classList.contains('qa-cited')", timeout=30000)
    page.keyboard.press("Tab")
    assert active(page).startswith("a#.qa-back-end@") and page.evaluate("!!document.activeElement.closest('#qa-doc')")
    assert page.evaluate("document.activeElement.textContent") == TEXTS["en"]["back"]
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement === document.querySelector('#qa-turn-1 .qa-full .qa-open')",
                           timeout=5000)
    # from the document list: the end of the document leads back to its name in the list
    page.locator("#qa-docs-tab-button").click()
    page.locator("#qa-doclist .qa-open", has_text="audition-canal.vtt").click()
    page.wait_for_function("document.activeElement?.classList.contains('qa-doc-title')", timeout=10000)
    end = page.locator("#qa-doc .qa-back-end")
    assert end.inner_text() == TEXTS["en"]["back_list"]
    end.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.closest('#qa-doclist') !== null", timeout=10000)


@pytest.mark.parametrize("width", [390, 1300])
def test_browser_the_upload_hint_does_not_cover_the_drop_area(everyday, browser, width):
    """Gradio lays a file box's label over the box: the hint ("Drop files here: text, HTML, PDF,
    …", four lines on a phone, two in the side column) covered "Drop File Here" and its icon."""
    page = open_page(browser, everyday["url"], width=width)
    page.locator("#qa-docs-tab-button").click()
    drop = page.locator("#qa-upload button.upload-container")
    drop.wait_for(timeout=10000)
    hint = page.locator("#qa-upload [data-testid=block-label]").bounding_box()
    area = drop.bounding_box()
    assert hint["y"] + hint["height"] <= area["y"] + 1, (hint, area)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_browser_a_reply_copied_into_an_e_mail_links_its_citations_to_the_question(everyday, browser):
    """A reply selected and copied (Ctrl+C) into an e-mail keeps its citations as links: they led
    to the chat's empty front page (`href="#"`), as did a citation opened in a new tab. They are
    the question's address now, which asks it again; a click on the page still opens the document."""
    page = open_page(browser, everyday["url"])
    ask_in_page(page, CANAL)
    html = select_and_copy(page, "#qa-turn-1").html
    asked = page.url
    cited = re.findall(r'<a href="([^"]*)"[^>]*class="qa-open"', html)
    assert len(cited) == 5 and {unescape(href) for href in cited} == {asked}, cited
    other = browser.new_page()
    other.goto(unescape(cited[2]))
    other.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 1", timeout=60000)
    assert other.locator("#qa-turn-1 .qa-question").inner_text() == CANAL
    other.close()
    page.locator("#qa-turn-1 .qa-full .qa-open").click()
    page.locator("#qa-doc .qa-cited").wait_for(timeout=10000)
    assert page.url == asked


def test_the_part_of_a_long_question_searched_keeps_its_line_breaks():
    assert searched_part("Quand ?\n\n  Et où ?") == "Quand ?\n\n  Et où ?"  # short: as typed
    pasted = "Bonjour,\n\n" + "Le canal est fermé depuis mars.\n" * 100 + "Pourquoi ?"
    part = searched_part(pasted)
    assert pasted.startswith(part) and "\n" in part and "Pourquoi" not in part
    assert clean_question(part) == clean_question(pasted).rstrip() and len(clean_question(part)) <= MAX_QUESTION_CHARS
    controls = "中\x00\u200b 文" * 3000  # control and format characters are searched as spaces
    assert clean_question(searched_part(controls)) == clean_question(controls).rstrip()

    def collapsed(text: str) -> str:  # as `clean_question` reads it, not cut
        return " ".join("".join(" " if unicodedata.category(ch)[0] == "C" and ch not in "\n\t" else ch
                                for ch in text).split())

    # exactly the part searched, no more and no less (mutants21): spaces collapsed count once, leading
    # ones not at all, and a control or format character counts as a space
    for text in (pasted, " \n\t  " + pasted, controls, "a \u200b\u200b b " * 600):
        assert collapsed(searched_part(text)) == clean_question(text).rstrip(), repr(text[:20])
    # the length said (reply, `qa ask`, the API's `question_cut`) counts the text as searched: a control
    # or format character as a space, collapsed with those beside it (mutants22: 15,000 said, not 9,000)
    assert question_cut(controls)["length"] == len(collapsed(controls)) == 9000
    assert question_cut(pasted)["length"] == len(collapsed(pasted)) and question_cut("Pourquoi ?") is None



def test_the_chat_app_says_a_question_was_cut_without_a_server(seed_index):
    """`ChatApp.ask` and `ask_answer` (the API's `/ask` and `/answer`) say a question was cut in
    `question_cut`, checked here on the object itself: the API's test needs a `qa serve`, which did not
    start within its 300 s on a machine at a load of 20 (mutants22)."""
    from qa import Retriever
    from qa.web_app import ChatApp

    pasted = "The report was long and said little.\n" * 80 + "Who filed most generative AI patents?"
    retriever = Retriever.open(seed_index)
    try:
        app = ChatApp(retriever)
        answer, passages = app.ask_answer(pasted, 2), app.ask(pasted, 2)
        whole, whole_passages = app.ask_answer("Who filed most generative AI patents?", 2), app.ask("brevets", 2)
    finally:
        retriever.close()
    assert answer["question_cut"] == question_cut(pasted) and answer["question_cut"]["length"] > MAX_QUESTION_CHARS
    assert len(passages) == 2 and all(p["question_cut"] == question_cut(pasted) for p in passages)
    assert whole["question_cut"] is None and whole_passages and "question_cut" not in whole_passages[0]

def test_browser_a_pasted_text_too_long_to_search_whole_says_so_and_survives_a_reload(everyday, browser):
    """A text pasted as a question (an article, an e-mail thread) is searched by its first
    `MAX_QUESTION_CHARS` characters only, and nothing said so: a question at its end was not
    searched. Its link held it whole: 8,100 characters of Chinese made a 73 KB address, which the
    server refused ("Invalid HTTP request"), so that a reload (or the back button) to it showed an
    error page instead of the conversation. The reply says what was searched, in the page's
    language; the address asks that part, and a reload draws the conversation again."""
    page = open_page(browser, everyday["url"], locale="zh-CN")
    pasted = "中国总理呼吁什么？" * 900
    ask_in_page(page, pasted)
    cut = page.locator("#qa-turn-1 .qa-cut")
    assert cut.inner_text() == TEXTS["zh"]["question_cut"].format(length=8100, searched=MAX_QUESTION_CHARS)
    assert page.locator("#qa-turn-1 .qa-hit").count() > 0
    assert len(page.url) < 20000
    page.reload()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 1", timeout=60000)
    page.wait_for_timeout(2000)  # and the question is not asked again as a new turn
    assert page.locator("#qa-chat .qa-turn").count() == 1
    # drawn again as what was searched, which needs no note
    assert page.locator("#qa-turn-1 .qa-question").inner_text() == pasted[:MAX_QUESTION_CHARS]
    # a question that fits is searched whole, and its reply says nothing of the kind
    ask_in_page(page, "中国总理呼吁什么？")
    assert page.locator("#qa-turn-2 .qa-cut").count() == 0


def test_browser_an_index_labelled_by_an_older_identifier_is_told_once(everyday, browser):
    """An index whose languages another identifier gave (searched all the same) was said in the
    server's log only: the chat showed nothing while a question in a mislabelled passage's
    language could miss it. The conversation's first reply says so, in the page's language,
    without the server's paths; the replies after it do not; a reload draws it once; after
    `qa index` repaired the index, a new conversation does not say it."""
    assert "qa index" in everyday["log"].read_text()  # the log that the notice sends the operator to
    page = open_page(browser, everyday["url"], locale="fr-FR")
    ask_in_page(page, CANAL)
    first = page.locator("#qa-turn-1")
    assert first.locator(".qa-upkeep").inner_text() == TEXTS["fr"]["notice_identifier"]
    assert "écluse" in first.locator(".qa-hit").first.inner_text()  # answered all the same
    assert str(everyday["index"]) not in first.inner_text()
    page.wait_for_function("(document.querySelector('#qa-live') || {}).textContent?.includes('identificateur')",
                           timeout=5000)
    ask_in_page(page, REPAIR)
    assert page.locator("#qa-turn-2 .qa-upkeep").count() == 0
    page.reload()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 2", timeout=60000)
    assert page.locator("#qa-chat .qa-upkeep").count() == 1 and page.locator("#qa-turn-1 .qa-upkeep").count() == 1
    # repaired as the log says (its languages identified again): no more notice
    report = build_index([everyday["docs"]], index=everyday["index"], progress=False)
    assert report.identified > 0 and report.passages_embedded == 0
    page.locator("#qa-clear").click()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn').length === 0", timeout=10000)
    ask_in_page(page, CANAL)
    assert page.locator("#qa-turn-1 .qa-hit").count() > 0 and page.locator("#qa-chat .qa-upkeep").count() == 0


def test_a_sharded_index_says_it_when_one_shard_was_labelled_by_another_identifier(tmp_path):
    """Each shard records its identifier (and is repaired by its own build): one stale shard is
    enough for the chat's first reply to say so."""
    from qa import Retriever
    from qa.render import escape_text
    from qa.web_app import ChatApp
    from test_identifier_change import stores

    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "audition-canal.vtt").write_text(HEARING, encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    app = ChatApp(Retriever.open(index))
    assert not app.relabel_needed() and app.upkeep_html("de") == ""
    shard_dbs = stores(index)
    assert len(shard_dbs) == 2
    with sqlite3.connect(shard_dbs[1]) as conn:
        conn.execute("UPDATE meta SET value = '1:0000000000000000' WHERE key = 'identifier'")
    assert app.relabel_needed() and escape_text(TEXTS["de"]["notice_identifier"]) in app.upkeep_html("de")
    body, _, _ = app.answer(CANAL, 3, None, "de", first=True)
    assert body.startswith('<p class="qa-notice qa-upkeep">')
    assert "qa-upkeep" not in app.answer(CANAL, 3, None, "de")[0]
    # a reloaded tab's conversation says it in its first reply drawn again (mutants21: not said survived)
    link = app.answer(CANAL, 3, None, "de")[2]
    restored, _, _ = app.restore(json.dumps([link, link]), "de")
    assert len(restored) == 2 and "qa-upkeep" in restored[0] and "qa-upkeep" not in restored[1]
    build_index([docs], index=index, progress=False)
    assert not app.relabel_needed()
    app.retriever.close()
