"""The chat as it is used every day: a real `qa serve` over a hundred documents of mixed formats,
languages and scripts (Arabic, Persian), one with a very long file name, driven in a real
browser (chromium): filters that stay set, right-to-left text, a phone's screen, the document
list, a server restarted under an open page."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from qa import build_index
from qa.render import FULL_TURNS
from conftest import ROOT, SEEDS
from mixed_corpus import write_mixed
from servers import free_port, wait_until_up
from test_web import FIRST, FOLLOWUP, GOLD, ask_in_page, browser, choose, open_page, select_and_copy  # noqa: F401  (fixture)

LONG_NAME = ("Rapport_annuel_de_la_commission_d_enquete_parlementaire_sur_la_gestion_des_ressources_en_eau_"
             "potable_2024_version_definitive.md")
WATER_AR = """date: 2025-06-01

# تقرير عن المياه في المدينة

انقطعت المياه عن حي الزهراء يوم الثلاثاء بسبب أعمال الصيانة في المحطة الرئيسية.

قالت البلدية إن المياه ستعود يوم الخميس عند الساعة الثامنة صباحاً.
"""
INSURANCE_FA = """بیمه درمانی کارکنان

کارکنان جدید پس از سه ماه کار می‌توانند از بیمه درمانی تکمیلی استفاده کنند.

هزینه دندانپزشکی تا سقف ده میلیون ریال در سال پرداخت می‌شود.
"""
PIPES_FR = """date: 2024-11-20

# Rapport annuel de la commission d'enquête sur l'eau potable

La commission recommande de rénover les canalisations de plus de cinquante ans avant 2030.

Le coût total des travaux est estimé à quatre milliards d'euros, financé pour moitié par l'État.
"""
TOWNS = ["Lyon", "Nantes", "Lille", "Brest", "Rennes", "Nice", "Metz", "Caen", "Dijon", "Tours"]


def write_daily(docs: Path) -> None:
    shutil.copytree(SEEDS, docs)
    write_mixed(docs)
    (docs / "ar").mkdir()
    (docs / "ar" / "تقرير_المياه.md").write_text(WATER_AR, encoding="utf-8")
    (docs / "ar" / "بیمه.txt").write_text(INSURANCE_FA, encoding="utf-8")
    (docs / "reports").mkdir()
    (docs / "reports" / LONG_NAME).write_text(PIPES_FR, encoding="utf-8")
    (docs / "archive").mkdir()
    for i in range(90):
        town = TOWNS[i % 10]
        (docs / "archive" / f"bulletin_{i:03d}.md").write_text(
            f"date: 2022-{i % 12 + 1:02d}-15\n\n# Bulletin municipal de {town} n°{i}\n\n"
            f"La bibliothèque de {town} ouvre le samedi de {9 + i % 3} heures à midi.\n", encoding="utf-8")


def start_serve(index: Path, port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = open(log, "w")
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port)],
                            stdout=out, stderr=subprocess.STDOUT, env=env)
    proc.log = out
    if not wait_until_up(proc, f"http://127.0.0.1:{port}"):
        proc.kill()
        pytest.fail("qa serve did not start:\n" + log.read_text())
    return proc


def stop_serve(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    proc.log.close()


@contextmanager
def serving(index: Path, log: Path) -> Iterator[dict]:
    """`qa serve` of `index` on a free port while the block runs: its "url" and "port"."""
    port = free_port()
    proc = start_serve(index, port, log)
    try:
        yield {"url": f"http://127.0.0.1:{port}", "port": port}
    finally:
        stop_serve(proc)


@pytest.fixture(scope="module")
def daily(tmp_path_factory):
    """`qa serve` over the seeds, the mixed corpus, two right-to-left documents, a report with a
    130-character file name and 90 bulletins: 98 documents."""
    root = tmp_path_factory.mktemp("daily")
    write_daily(root / "docs")
    index = root / "index"
    build_index([root / "docs"], index=index, progress=False)
    with serving(index, root / "serve.log") as server:
        yield server | {"index": index, "root": root}


def test_browser_reply_says_the_filters_it_was_searched_with(daily, browser):
    """A folder filter stays set for the next question: a question on another topic then got
    "no passage clearly answers" with nothing saying that the filter had left the answer out."""
    page = open_page(browser, daily["url"])
    choose(page, "#qa-folders", "en/")
    ask_in_page(page, "Who picks the apples in Kent?")
    line = page.locator("#qa-chat .qa-turn").last.locator(".qa-filters")
    assert line.inner_text() == "Searched only in Folder: en/ (clear the filters to search every document)."
    ask_in_page(page, "Quand la bibliothèque de Nice ouvre-t-elle le samedi ?")  # in archive/, left out
    turn = page.locator("#qa-chat .qa-turn").last
    assert "Folder: en/" in turn.locator(".qa-filters").inner_text()
    assert "archive/" not in turn.locator(".qa-reply").inner_text()
    # with the filter cleared, the next reply says none and finds the bulletin
    page.locator("#qa-folders .token-remove.remove-all").click()
    ask_in_page(page, "Quand la bibliothèque de Nice ouvre-t-elle le samedi ?")
    turn = page.locator("#qa-chat .qa-turn").last
    assert turn.locator(".qa-filters").count() == 0 and "archive/bulletin_" in turn.locator(".qa-cite").first.inner_text()
    # Enter in a date box asks the question in the question box, with the date
    page.fill("#qa-question textarea", "Who picks the apples in Kent?")
    page.fill("#qa-since textarea, #qa-since input", "2025")
    page.fill("#qa-until textarea, #qa-until input", "2025-04")
    page.press("#qa-until textarea, #qa-until input", "Enter")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 4", timeout=30000)
    turn = page.locator("#qa-chat .qa-turn").last
    assert turn.locator(".qa-question").inner_text().strip() == "Who picks the apples in Kent?"
    assert "From (date): 2025 · Until (date): 2025-04" in turn.locator(".qa-filters").inner_text()
    assert {c.split(" · ")[1] for c in turn.locator(".qa-cite a.qa-open").all_inner_texts()} == {"en/trains.md"}
    # a link with filters, on a French page: said in French, the date too
    french = open_page(browser, f"{daily['url']}/?q=pommes&k=3&lang=fr&since=2023-01", locale="fr-FR")
    french.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 1", timeout=120000)
    assert french.locator("#qa-chat .qa-filters").inner_text() == (
        "Recherche limitée à Langue du document : fr · Depuis (date) : 2023-01 "
        "(effacez les filtres pour chercher dans tous les documents).")
    assert not page.dialogs and not french.dialogs


# Where the first letter and the final punctuation of an element's text are drawn: in a line laid
# out right to left the final "؟" or "." is left of the first letter.
ENDS = """(e) => { const w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT, {acceptNode: (n) =>
      n.parentElement.closest('.qa-sr, .qa-link') || !n.textContent.trim() ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
    const nodes = []; while (w.nextNode()) nodes.push(w.currentNode);
    const r = document.createRange(), first = nodes[0], last = nodes[nodes.length - 1];
    const i = first.textContent.search(/\\S/), text = last.textContent.trimEnd();
    r.setStart(first, i); r.setEnd(first, i + 1); const a = r.getBoundingClientRect();
    r.setStart(last, text.length - 1); r.setEnd(last, text.length); const z = r.getBoundingClientRect();
    return {first: first.textContent[i], last: text.slice(-1), firstX: a.left, lastX: z.left,
            box: e.getBoundingClientRect().right, firstRight: a.right}; }"""


def test_browser_right_to_left_text_reads_right_to_left(daily, browser):
    """An Arabic question and passage were laid out left to right inside the page's English: the
    question mark and the full stop stood at the sentence's start (its right end), and the lines
    hugged the left margin."""
    page = open_page(browser, daily["url"])
    ask_in_page(page, "متى ستعود المياه؟")
    turn = page.locator("#qa-chat .qa-turn").last
    question = turn.locator(".qa-question").evaluate(ENDS)
    assert question["first"] == "م" and question["last"] == "؟" and question["lastX"] < question["firstX"], question
    answer = turn.locator(".qa-full .qa-text").evaluate(ENDS)
    assert answer["first"] == "ق" and answer["last"] == "." and answer["lastX"] < answer["firstX"], answer
    assert answer["box"] - answer["firstRight"] < 40  # starts at the right margin
    turn.locator(".qa-open").first.click()
    cited = page.locator("#qa-doc .qa-cited .qa-pt")
    cited.wait_for(timeout=30000)
    in_panel = cited.evaluate(ENDS)
    assert in_panel["last"] == "." and in_panel["lastX"] < in_panel["firstX"], in_panel
    # the title reads right to left, its file name left to right: "ar/…" then ".md", not "md · 2025-06-01.ar/…"
    source = page.locator("#qa-doc .qa-doc-title small").first
    assert source.inner_text().startswith("ar/") and source.inner_text().endswith(".md")
    name = source.evaluate(ENDS)
    assert name["first"] == "a" and name["last"] == "d" and name["firstX"] < name["lastX"], name
    # the page's own words stay left to right; a screen reader still hears "Answer:" first
    assert turn.locator(".qa-cite").first.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert turn.locator(".qa-full .qa-sr").inner_text().strip() == "Answer:"


def test_browser_long_file_names_keep_everything_in_view(daily, browser):
    """A 130-character file name with no space ran out of the chat's box (the citation's end,
    its date and score cut off) and widened the document list to 1045 px in a 480 px panel,
    pushing every document's passage count out of the window."""
    page = open_page(browser, daily["url"])
    ask_in_page(page, "Combien coûtent les travaux sur les canalisations ?")
    turn = page.locator("#qa-chat .qa-turn").last
    cite = turn.locator(".qa-cite").first
    assert LONG_NAME in cite.inner_text().replace("\n", "")
    box = page.locator("#qa-chat .qa-turns")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), "the chat scrolls sideways"
    right = box.bounding_box()["x"] + box.bounding_box()["width"]
    score = cite.locator(".qa-score")
    assert score.bounding_box()["x"] + score.bounding_box()["width"] <= right
    turn.locator(".qa-open").first.click()
    page.locator("#qa-doc .qa-cited").wait_for(timeout=30000)
    side = page.locator("#qa-side").bounding_box()
    title = page.locator("#qa-doc .qa-doc-title").bounding_box()
    assert title["x"] + title["width"] <= side["x"] + side["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the document list: every passage count in the panel, the list scrolling inside it
    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    page.locator("#qa-doclist tr", has_text="bulletin_089.md").wait_for(state="attached", timeout=10000)
    counts = page.locator("#qa-doclist td.qa-count")
    assert counts.count() == 98
    side = page.locator("#qa-side").bounding_box()
    for n in (0, 97):
        cell = counts.nth(n)
        cell.scroll_into_view_if_needed()
        b = cell.bounding_box()
        assert b["x"] >= side["x"] and b["x"] + b["width"] <= side["x"] + side["width"] + 1, (n, b, side)
    assert page.evaluate("document.documentElement.scrollHeight") < 2 * 900  # 98 rows do not make the page 4500 px


def test_browser_phone_screen(daily, browser):
    """At 390x844 the question box was 99 px wide beside the passages slider: its placeholder
    over four lines, a question typed into a slot."""
    page = open_page(browser, daily["url"], height=844, width=390)
    box = page.locator("#qa-question textarea").bounding_box()
    assert box["width"] >= 0.6 * 390, box
    ask_in_page(page, "Combien coûtent les travaux sur les canalisations ?")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    turns = page.locator("#qa-chat .qa-turns")
    assert turns.evaluate("e => e.scrollWidth <= e.clientWidth")
    # a Chinese page: a match label is one word, not broken over two lines ("强匹 / 配")
    chinese = open_page(browser, daily["url"], locale="zh-CN", height=844, width=390)
    ask_in_page(chinese, "Combien coûtent les travaux sur les canalisations ?")
    # (where it falls at a line's end depends on the citation before it: here its line is made 2em wide)
    label = chinese.locator("#qa-chat .qa-score").first
    assert label.inner_text() in ("强匹配", "中等匹配", "弱匹配")
    assert label.evaluate("e => { e.parentElement.style.display = 'inline-block'; e.parentElement.style.width = '2em';"
                          " return e.getClientRects().length; }") == 1


@pytest.mark.parametrize("width, height", [(820, 1180), (1024, 768)])
def test_browser_tablet_screen(daily, browser, width, height):
    """On a tablet (or a window of half a laptop's screen) the document panel stands beside the
    chat, whose column is then narrower than a phone's screen: the question box was 141 px wide
    (820 px) and 234 px (1024 px) beside the passages slider, its placeholder over three lines."""
    page = open_page(browser, daily["url"], height=height, width=width)
    chat = page.locator("#qa-chat").bounding_box()
    box = page.locator("#qa-question textarea").bounding_box()
    assert box["width"] >= 0.6 * chat["width"] and box["height"] < 40, (box, chat)
    ask_in_page(page, "Combien coûtent les travaux sur les canalisations ?")
    assert page.locator("#qa-side").bounding_box()["x"] > chat["x"] + chat["width"] - 1  # still beside


def test_browser_bold_text_is_drawn_in_one_font(daily, browser):
    """Gradio's Source Sans Pro SemiBold holds a handful of letters: a question or a highlighted
    answer (weight 600) mixed it with another font, "Bestellung" drawn as "ʙestellung"."""
    page = open_page(browser, daily["url"])
    ask_in_page(page, "Who picks the apples in Kent? ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    for selector in ("#qa-chat .qa-turn:last-child .qa-question", "#qa-chat .qa-full mark.qa-answer", "#qa-title h1"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        assert len(fonts) == 1, (selector, fonts)


def test_browser_server_restarted_under_an_open_page_keeps_the_conversation(daily, browser, tmp_path):
    """`qa serve` restarted while the page stayed open: the page showed its conversation, but the
    new server knew nothing of it, so the next question replaced the whole conversation with
    itself, and a follow-up ("Why?") was searched alone."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_serve(daily["index"], port, tmp_path / "first.log")
    try:
        page = open_page(browser, url)
        ask_in_page(page, "Who picks the apples in Kent?")
        ask_in_page(page, FIRST)
        stop_serve(proc)
        proc = start_serve(daily["index"], port, tmp_path / "second.log")
        ask_in_page(page, FOLLOWUP)
        questions = [q.strip() for q in page.locator("#qa-chat .qa-question").all_inner_texts()]
        assert questions == ["Who picks the apples in Kent?", FIRST, FOLLOWUP]
        turn = page.locator("#qa-chat .qa-turn").last
        assert turn.locator(".qa-notice").inner_text() == "The server was restarted: your conversation was asked again."
        assert turn.locator(".qa-followup").inner_text().startswith(f"Read with your previous question: {FIRST}")
        assert GOLD in turn.locator(".qa-full").inner_text()
        # the next question is an ordinary one again; the back button still goes through them
        ask_in_page(page, "Night trains from Vienna?")
        assert page.locator("#qa-chat .qa-turn").count() == 4
        assert page.locator("#qa-chat .qa-turn").last.locator(".qa-notice").count() == 0
        page.go_back()
        page.wait_for_function("location.search.includes('Pourquoi')", timeout=10000)
        # a question asked while the server is down stays in its box ("Connection to the server was
        # lost"); when the server is back, Gradio mounts the page again, which emptied the box: the
        # question is asked then
        stop_serve(proc)
        page.fill("#qa-question textarea", "Who picks the apples in Kent?")
        page.press("#qa-question textarea", "Enter")
        page.wait_for_timeout(1000)
        proc = start_serve(daily["index"], port, tmp_path / "third.log")
        page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 5", timeout=120000)
        assert page.locator("#qa-chat .qa-question").last.inner_text().strip() == "Who picks the apples in Kent?"
        assert not page.dialogs
    finally:
        stop_serve(proc)


def test_browser_question_typed_not_sent_survives_the_server_coming_back(daily, browser, tmp_path):
    """A question typed (not sent) while the server was down was wiped when Gradio mounted the
    page again on the server's return (after anything else was clicked meanwhile, here a
    citation); a reload wiped it too."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_serve(daily["index"], port, tmp_path / "first.log")
    try:
        page = open_page(browser, url)
        ask_in_page(page, "Who picks the apples in Kent?")
        stop_serve(proc)
        draft = "Quels trains de nuit partent de Vienne ?"
        page.fill("#qa-question textarea", draft)
        # the page's elements as they are now: Gradio's mount on the server's return replaces them
        page.evaluate("document.querySelector('#qa-question textarea').dataset.before = '1'")
        # a citation opened while the server is down: "Connection to the server was lost"
        page.locator("#qa-chat .qa-open").first.click()
        page.wait_for_timeout(1000)
        proc = start_serve(daily["index"], port, tmp_path / "second.log")
        page.wait_for_function("!document.querySelector('#qa-question textarea[data-before]')"
                               " && document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 1",
                               timeout=120000)
        page.wait_for_timeout(1500)
        assert page.input_value("#qa-question textarea") == draft
        assert page.locator("#qa-chat .qa-turn").count() == 1  # kept, not asked
        # a reload keeps it too; once sent it is not offered again
        page.reload()
        page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 1",
                               timeout=120000)
        page.wait_for_timeout(1500)
        assert page.input_value("#qa-question textarea") == draft
        page.press("#qa-question textarea", "Enter")
        page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 2",
                               timeout=120000)
        page.reload()
        page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 2",
                               timeout=120000)
        page.wait_for_timeout(1500)
        assert page.input_value("#qa-question textarea") == ""
    finally:
        stop_serve(proc)


def test_browser_reload_before_the_reply_asks_the_question_again(daily, browser):
    """A reload between Enter and the reply (a slow server, an impatient F5) lost the question:
    only answered questions were kept for the tab."""
    page = open_page(browser, daily["url"])
    ask_in_page(page, "Who picks the apples in Kent?")
    # the page is reloaded before the reply to the next question comes: its search never leaves
    page.route("**/gradio_api/queue/join*", lambda route: route.abort())
    page.fill("#qa-question textarea", "Night trains from Vienna?")
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn').length === 2", timeout=10000)
    assert page.locator("#qa-chat .qa-turn[data-done]").count() == 1
    page.unroute("**/gradio_api/queue/join*")
    page.reload()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 2", timeout=120000)
    assert [q.strip() for q in page.locator("#qa-chat .qa-question").all_inner_texts()] == \
        ["Who picks the apples in Kent?", "Night trains from Vienna?"]
    assert "en/trains.md" in page.locator("#qa-chat .qa-turn").last.locator(".qa-cite").first.inner_text()
    # asked once: the next reload shows the two questions, not a third
    page.reload()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 2", timeout=120000)
    page.wait_for_timeout(2000)
    assert page.locator("#qa-chat .qa-turn").count() == 2


def test_browser_filters_offer_a_folder_indexed_from_the_terminal(daily, browser, tmp_path):
    """`qa index --add` from the terminal under an open page: the header and the document list
    followed at the next question, the Folder filter did not (only a reload showed the new folder)."""
    index = tmp_path / "index"
    shutil.copytree(daily["index"], index)
    port = free_port()
    proc = start_serve(index, port, tmp_path / "serve.log")
    try:
        page = open_page(browser, f"http://127.0.0.1:{port}")
        ask_in_page(page, "Who picks the apples in Kent?")
        (tmp_path / "interviews").mkdir()
        (tmp_path / "interviews" / "mayor.md").write_text(
            "# Interview with the mayor\n\nThe mayor said that the new tram line opens in 2027.\n",
            encoding="utf-8")
        build_index([tmp_path / "interviews"], index=index, progress=False, add=True)
        ask_in_page(page, "When does the new tram line open?")
        assert "mayor.md" in page.locator("#qa-chat .qa-turn").last.locator(".qa-cite").first.inner_text()
        # offered without a reload; chosen, it filters the next question, and stays chosen
        choose(page, "#qa-folders", "mayor.md")
        ask_in_page(page, "Who picks the apples in Kent?")
        turn = page.locator("#qa-chat .qa-turn").last
        assert {c.split(" · ")[1] for c in turn.locator(".qa-cite a.qa-open").all_inner_texts()} == {"mayor.md"}
        assert "Folder: mayor.md" in turn.locator(".qa-filters").inner_text()
        assert "mayor.md" in page.inner_text("#qa-folders")
        # removed from the terminal: its citations say so, not "No document with id 98"
        from qa.indexer import remove_documents

        remove_documents(index, ["mayor.md"])
        turn.locator(".qa-open").first.click()
        error = page.locator("#qa-doc .qa-error")
        error.wait_for(timeout=30000)
        assert "This document is no longer in the index" in error.inner_text() and "ask the question again" in \
            error.inner_text()
    finally:
        stop_serve(proc)


def test_browser_a_long_conversation_folds_its_earlier_answers(daily, browser):
    """A day's questions in one tab: the whole conversation is sent and drawn again at every
    question, so that each took longer than the one before (45 questions of 20 passages: 2 MB,
    1.3 s instead of 0.3 s). Answers before the last `FULL_TURNS` are folded to their question
    and a link that asks it again; a reload keeps them folded."""
    page = open_page(browser, daily["url"])
    asked = [f"Quand la bibliothèque de {TOWNS[i % 10]} ouvre-t-elle le samedi ? ({i})" for i in range(FULL_TURNS + 2)]
    for n, question in enumerate(asked):
        ask_in_page(page, question)
        if n == 0:
            page.locator("#qa-turn-1 .qa-open").first.click()
            page.wait_for_selector("#qa-doc .qa-cited")
    # "Back to the answer" of a turn folded since goes to its question
    page.locator("#qa-doc .qa-back").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'qa-q-1'", timeout=5000)
    turns = page.locator("#qa-chat .qa-turn")
    assert turns.count() == FULL_TURNS + 2
    full = [turns.nth(n).locator(".qa-hit").count() > 0 for n in range(FULL_TURNS + 2)]
    assert full == [False, False] + [True] * FULL_TURNS
    first = turns.first
    assert first.locator(".qa-question").inner_text().strip() == asked[0]  # the question stays, as a heading
    again = first.locator("a.qa-again")
    assert again.inner_text() == "Answer folded to keep the page quick: ask it again"
    # a reload asks the tab's questions again and draws the earlier ones folded too
    page.reload()
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === {FULL_TURNS + 2}",
                           timeout=60000)
    assert page.locator("#qa-chat .qa-turn:has(.qa-hit)").count() == FULL_TURNS
    # the link asks the folded question again, in full, as the conversation's new last turn
    page.locator("#qa-turn-1 a.qa-again").click()
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === {FULL_TURNS + 3}",
                           timeout=60000)
    last = page.locator("#qa-chat .qa-turn").last
    assert last.locator(".qa-question").inner_text().strip() == asked[0]
    assert "Lyon" in last.locator(".qa-hit").first.inner_text()
    # its address is the question's own (a reload there asks nothing more)
    page.wait_for_function("!location.search.includes('again')", timeout=5000)
    page.reload()
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === {FULL_TURNS + 3}",
                           timeout=60000)
    page.wait_for_timeout(1500)
    assert page.locator("#qa-chat .qa-turn").count() == FULL_TURNS + 3


def test_browser_a_passage_selected_and_copied_is_the_documents_text(daily, browser):
    """A journalist quotes a passage by selecting it and pressing Ctrl+C: the clipboard held the
    words said to screen readers before the highlighted answer ("… Answer:Le coût total…"), a
    misquote pasted into an article."""
    from gradio_client import Client

    question = "Quel est le coût total des travaux sur les canalisations ?"
    hit = Client(daily["url"], verbose=False).predict(question, 5, api_name="/ask")[0]
    assert hit["source"] == f"reports/{LONG_NAME}" and "quatre milliards" in hit["answer"]["text"]
    page = open_page(browser, daily["url"])
    ask_in_page(page, question)
    assert select_and_copy(page, "#qa-chat .qa-full mark.qa-answer").text == hit["answer"]["text"]
    assert select_and_copy(page, "#qa-chat .qa-full .qa-text").text == hit["text"]
    page.locator("#qa-chat .qa-open").first.click()
    page.wait_for_selector("#qa-doc .qa-cited")
    assert select_and_copy(page, "#qa-doc .qa-cited .qa-pt").text == hit["text"]
    # a screen reader still hears "Answer:" before the highlight
    assert page.locator("#qa-chat .qa-full .qa-sr").first.text_content().strip() == "Answer:"


def test_browser_icons_sit_on_their_line(daily, browser):
    """Gradio draws every `svg` as a block: the link icon went under its question, and the copy
    button (Gradio's button padding) under its citation, so that each question's box was two
    lines high with nothing on its second but the icon."""
    page = open_page(browser, daily["url"])
    ask_in_page(page, "Who picks the apples in Kent?")
    turn = page.locator("#qa-chat .qa-turn").last
    boxes = turn.evaluate("""t => {
        const box = (s) => { const r = t.querySelector(s).getBoundingClientRect(); return [r.top, r.bottom]; };
        const q = t.querySelector('.qa-asked');
        return {question: box('.qa-asked'), line: parseFloat(getComputedStyle(q).lineHeight),
                pad: parseFloat(getComputedStyle(q).paddingTop) + parseFloat(getComputedStyle(q).paddingBottom),
                icon: box('.qa-link svg'), cite: box('.qa-full .qa-open'), copy: box('.qa-full .qa-copy svg')}; }""")
    top, bottom = boxes["question"]
    assert bottom - top <= boxes["line"] + boxes["pad"] + 2  # one line
    assert top <= boxes["icon"][0] and boxes["icon"][1] <= bottom
    assert boxes["copy"][0] < boxes["cite"][1]  # on the citation's (last) line, not below it


def test_browser_filters_and_examples_still_work_after_the_server_restarted(daily, browser, tmp_path):
    """A folder filter set, or an example clicked, on a page whose server was restarted (a deploy, a
    crash) while it stayed open: the new process checked the page's values against the choices it was
    built with (none: each page is given its own at its load), so that the question was refused
    inside Gradio ("Value: 'en/' is not in the list of choices: []", an HTTP 500) and nothing at all
    happened on the page; an example clicked did nothing either (IndexError)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_serve(daily["index"], port, tmp_path / "first.log")
    try:
        page = open_page(browser, url)
        choose(page, "#qa-folders", "en/")
        ask_in_page(page, "Who picks the apples in Kent?")
        stop_serve(proc)
        proc = start_serve(daily["index"], port, tmp_path / "second.log")
        page.fill("#qa-question textarea", "Quand la bibliothèque de Nice ouvre-t-elle le samedi ?")
        page.press("#qa-question textarea", "Enter")
        page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 2",
                               timeout=30000)
        turn = page.locator("#qa-chat .qa-turn").last
        assert "Folder: en/" in turn.locator(".qa-filters").inner_text()
        assert "archive/" not in turn.locator(".qa-reply").inner_text()
        example = page.locator("#qa-examples button").first
        asked = example.inner_text().strip()
        example.click()
        page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 3",
                               timeout=30000)
        assert page.locator("#qa-chat .qa-question").last.inner_text().strip() == asked
        assert "Value:" not in (tmp_path / "second.log").read_text()
    finally:
        stop_serve(proc)


def test_browser_a_reload_after_the_back_button_asks_nothing_again(daily, browser):
    """The back button to an earlier question, then a reload (F5, a phone waking up): that question
    was asked again as a new turn at the end of the conversation, and the URL's question was out
    of view."""
    page = open_page(browser, daily["url"])
    questions = ["Who picks the apples in Kent?", "Quand la bibliothèque de Nice ouvre-t-elle le samedi ?",
                 "Night trains from Vienna?"]
    for q in questions:
        ask_in_page(page, q)
    page.go_back()
    page.go_back()
    page.wait_for_function("location.search.includes('Kent')", timeout=10000)
    page.reload()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 3", timeout=60000)
    page.wait_for_timeout(1500)
    assert [q.strip() for q in page.locator("#qa-chat .qa-question").all_inner_texts()] == questions
    assert "Kent" in page.url
    assert page.evaluate("""() => Math.abs(document.querySelector('#qa-turn-1').getBoundingClientRect().top
        - document.querySelector('#qa-chat .qa-turns').getBoundingClientRect().top) < 20""")
    # a question asked from there is the conversation's next one, read after the last
    ask_in_page(page, "Who picks the apples in Kent?")
    assert page.locator("#qa-chat .qa-turn").count() == 4
