"""The chat through a working day, round 4: a real `qa serve` over the seeds and a hearing's
subtitles, driven in a real browser (chromium): a slow link, a transcript's citation."""
from __future__ import annotations

import shutil

import pytest

from conftest import SEEDS
from qa import build_index
from servers import free_port
from test_subtitles import HEARING
from test_web import answered, ask_in_page, browser, open_page  # noqa: F401  (fixture)
from test_web_daily import start_serve, stop_serve


@pytest.fixture(scope="module")
def workday(tmp_path_factory):
    root = tmp_path_factory.mktemp("workday")
    docs = root / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "audition-canal.vtt").write_text(HEARING, encoding="utf-8")
    build_index([docs], index=root / "index", progress=False)
    port = free_port()
    proc = start_serve(root / "index", port, root / "serve.log")
    yield {"url": f"http://127.0.0.1:{port}", "index": root / "index", "root": root}
    stop_serve(proc)


def slow_link(page, latency_ms: int) -> None:
    """Every request of the page takes `latency_ms` more (a phone's link, a server far away)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency_ms,
                                                   "downloadThroughput": -1, "uploadThroughput": -1})


def questions(page) -> list[str]:
    return [q.strip() for q in page.locator("#qa-chat .qa-turn h2").all_inner_texts()]


def test_browser_a_question_sent_while_the_one_before_is_on_its_way_is_asked(workday, browser):
    """On a slow link a question typed while the one before was on its way was wiped from the box
    when that one reached the chat, and one sent while it was being answered was dropped from the
    conversation by its reply. Enter pressed twice on one question still asks it once."""
    page = open_page(browser, workday["url"])
    slow_link(page, 1500)
    first, second = "Pourquoi le canal a-t-il été fermé ?", "Combien a coûté la réparation de l'écluse ?"
    box = "#qa-question textarea"
    page.fill(box, first)
    page.press(box, "Enter")
    page.wait_for_timeout(200)
    page.press(box, "Enter")  # impatient: nothing seems to happen yet
    page.fill(box, second)
    page.locator("#qa-chat .qa-turn").first.wait_for(timeout=20000)  # the first, being answered
    assert page.input_value(box) == second
    page.press(box, "Enter")
    # held until the first's reply is in, and shown so (else nothing answered the Enter meanwhile)
    assert page.locator("#qa-question.qa-held").count() == 1 and page.input_value(box) == second
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 2", timeout=60000)
    page.wait_for_timeout(3000)  # and no third turn
    assert questions(page) == [first, second] and answered(page) == 2
    assert page.input_value(box) == "" and page.locator("#qa-question.qa-held").count() == 0
    assert "quatre millions" in page.locator("#qa-chat .qa-turn").last.locator(".qa-answer").first.inner_text()


def test_browser_a_transcript_is_cited_at_the_time_its_answer_is_said(workday, browser):
    """The passage starts with "Merci, madame la présidente." (00:11:51); the answer, two cues on,
    at 00:11:54: the citation and the copied citation said 00:11:51."""
    page = open_page(browser, workday["url"])
    ask_in_page(page, "Pourquoi le canal a-t-il été fermé ?")
    hit = page.locator("#qa-chat .qa-turn").last.locator(".qa-hit").first
    assert hit.locator(".qa-open").inner_text().endswith("audition-canal.vtt · §2 · 00:11:54")
    assert "Une écluse s'était effondrée" in hit.locator(".qa-answer").inner_text()
    hit.locator(".qa-copy").click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t.length > 0)", timeout=5000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.split("\n")[0].endswith("§2 · 00:11:54") and "00:11:51" not in copied
    # opened: the transcript gives each passage its first words' time, and the cited one, marked as
    # its answer is, the time the citation gave (it showed 00:11:51 only)
    hit.locator(".qa-open").click()
    cited = page.locator("#qa-doc .qa-cited")
    cited.wait_for(timeout=10000)
    assert cited.locator(".qa-pn").inner_text().split() == ["§2", "00:11:51", "00:11:54"]
    assert cited.locator(".qa-pn mark").inner_text() == "00:11:54"


def test_browser_a_document_opens_from_the_document_list(workday, browser):
    """The Documents tab listed every document, and none could be opened: only a citation opened
    one. Keyboard only: Enter on its name opens it at its start, its back link returns to the list."""
    page = open_page(browser, workday["url"], locale="fr-FR")
    page.locator("#qa-docs-tab-button").click()
    name = page.locator("#qa-doclist .qa-open", has_text="audition-canal.vtt")
    name.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.classList.contains('qa-doc-title')", timeout=10000)
    assert "Audition publique sur le canal de la Vesle" in page.inner_text("#qa-doc .qa-doc-title")
    assert "la séance est ouverte" in page.inner_text("#qa-doc")
    back = page.locator("#qa-doc .qa-back")
    assert back.inner_text() == "← Retour aux documents"
    back.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.closest('#qa-doclist') !== null", timeout=10000)
    assert page.evaluate("document.activeElement.textContent") == "audition-canal.vtt"
