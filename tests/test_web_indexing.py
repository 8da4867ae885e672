"""An upload being indexed, seen from the page: a real `qa serve`, a real browser (chromium), a real
file that takes a few seconds to index (8,000 short paragraphs). A question asked meanwhile was
answered without the new file, and nothing on the page said an upload was in progress."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS
from qa import build_index
from test_web import answered, ask_in_page, browser, open_page  # noqa: F401  (fixture)
from test_web_daily import serving

QUESTION = "Who is the lighthouse keeper of Sein island?"
ITEMS = ["apples", "cement", "rope", "paint", "timber", "salt", "wool", "glass"]


KEEPER = "The lighthouse keeper of Sein island is Maëlle Tanguy: she lights the lamp at dusk every evening."


def write_slow_report(path: Path, entries: int = 8000, answer: str = KEEPER) -> None:
    """One answer among `entries` ledger lines: about seven seconds of indexing on two cores."""
    paras = [answer]
    paras += [f"Ledger entry {i}: the warehouse at dock {i % 37} received {i * 7 % 101} crates of {ITEMS[i % 8]} "
              f"on day {i % 28 + 1}." for i in range(entries)]
    path.write_text("\n\n".join(paras), encoding="utf-8")


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("indexing")
    index = root / "index"
    build_index([SEEDS], index=index, progress=False)
    with serving(index, root / "serve.log") as server:
        yield server | {"index": index, "root": root}


def status(page) -> str:
    return page.inner_text("#qa-indexing").strip()


def test_browser_a_question_asked_while_an_upload_is_indexed_says_so(seeds_server, browser, tmp_path):
    url = seeds_server["url"]
    other = open_page(browser, url)  # a second tab of the same server, which drops nothing
    page = open_page(browser, url)
    page.evaluate("""() => { window.qaSaid = []; const live = () => document.querySelector('#qa-live');
        new MutationObserver(() => live() && window.qaSaid.push(live().textContent))
        .observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    assert status(page) == "" and status(other) == ""
    write_slow_report(tmp_path / "report.txt")
    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    page.set_input_files("#qa-upload input[type=file]", [str(tmp_path / "report.txt")])
    page.wait_for_function("document.querySelector('#qa-indexing').innerText.includes('Indexing report.txt')",
                           timeout=15000)
    page.wait_for_function("window.qaSaid.some(s => s.includes('Indexing report.txt'))", timeout=5000)
    # asked in the other tab meanwhile: answered without the file, and says so; that tab shows the status
    ask_in_page(other, QUESTION)
    reply = other.locator("#qa-chat .qa-turn").last
    note = reply.locator(".qa-not-searched")
    assert note.count() == 1, "the answer does not say the file being added was not searched"
    assert "report.txt" in note.inner_text() and "not searched yet" in note.inner_text()
    assert "report.txt" not in reply.locator(".qa-hit .qa-cite").all_inner_texts().__str__()
    assert status(other) == "Indexing report.txt…"  # nothing else over it (no "0.1s")
    # the end: both tabs' status lines clear on their own, and the next question searches the file
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('Added')",
                           timeout=180000)
    page.wait_for_function("document.querySelector('#qa-indexing').innerText.trim() === ''", timeout=10000)
    other.wait_for_function("document.querySelector('#qa-indexing').innerText.trim() === ''", timeout=10000)
    ask_in_page(other, QUESTION)
    reply = other.locator("#qa-chat .qa-turn").last
    assert reply.locator(".qa-not-searched").count() == 0
    assert "report.txt" in reply.locator(".qa-hit .qa-cite").first.inner_text()
    assert "Maëlle Tanguy" in reply.locator(".qa-hit").first.inner_text()
    assert answered(other) == 2 and not page.dialogs and not other.dialogs


def test_browser_a_refused_upload_clears_the_status_and_says_why(seeds_server, browser, tmp_path):
    page = open_page(browser, seeds_server["url"])
    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    page.set_input_files("#qa-upload input[type=file]", [str(tmp_path / "broken.pdf")])
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('broken.pdf')",
                           timeout=60000)
    assert "Refused broken.pdf: unreadable" in page.inner_text("#qa-upload-status")
    page.wait_for_function("document.querySelector('#qa-indexing').innerText.trim() === ''", timeout=10000)
    ask_in_page(page, QUESTION)
    assert page.locator("#qa-chat .qa-turn").last.locator(".qa-not-searched").count() == 0


def test_browser_a_failed_upload_clears_the_status_and_shows_its_error(seeds_server, browser, tmp_path):
    """`qa index` holding the index: the upload fails (an error, not a refusal) and the status goes."""
    from filelock import FileLock

    page = open_page(browser, seeds_server["url"])
    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    (tmp_path / "notes.md").write_text("# Notes\n\nThe kiwis arrive in April.\n", encoding="utf-8")
    with FileLock(str(seeds_server["index"] / ".lock")):
        page.set_input_files("#qa-upload input[type=file]", [str(tmp_path / "notes.md")])
        page.locator(".toast-body", has_text="qa index").wait_for(timeout=60000)
    page.wait_for_function("document.querySelector('#qa-indexing').innerText.trim() === ''", timeout=10000)
    assert "notes.md" not in page.inner_text("#qa-doclist")


def test_api_answer_names_the_files_not_searched_yet(seeds_server, tmp_path):
    """`/answer` through gradio_client while `/upload` indexes a file: the answer names it in
    `not_searched_yet` (it said nothing: a caller took "not found" for "the file does not say")."""
    from gradio_client import Client, handle_file

    client = Client(seeds_server["url"], verbose=False)
    # (not report.txt's answer: the same words in two files are one hit, cited where it ranks best)
    write_slow_report(tmp_path / "ledger.txt", answer="The harbour master of Molène is Yannick Le Goff: he opens "
                                                      "the harbour gate at dawn.")
    question = "Who is the harbour master of Molène?"
    assert client.predict(question, 3, api_name="/answer")["not_searched_yet"] == []
    job = client.submit([handle_file(str(tmp_path / "ledger.txt"))], api_name="/upload")
    during = None
    for _ in range(300):
        got = client.predict(question, 3, api_name="/answer")
        if got["not_searched_yet"]:
            during = got
            break
        assert not job.done(), "the upload ended before any answer saw it being indexed"
    assert during is not None and during["not_searched_yet"] == ["ledger.txt"]
    assert all(p["source"] != "ledger.txt" for p in during["passages"])
    assert "ledger.txt" in job.result(timeout=180)[0]
    after = client.predict(question, 3, api_name="/answer")
    assert after["not_searched_yet"] == [] and after["passages"][0]["source"] == "ledger.txt"


def test_the_status_line_names_three_files_then_how_many_more():
    """Three hundred files dropped at once: the line names the first three and counts the others,
    in the page's language, rather than one line of three hundred names."""
    import html
    import re

    from qa.web_app import indexing_line

    def shown(line: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", line))

    names = tuple(f"scan-{i:03d}.pdf" for i in range(300))
    assert shown(indexing_line("en", names)) == "Indexing scan-000.pdf, scan-001.pdf, scan-002.pdf +297…"
    assert shown(indexing_line("en", names[:4])) == "Indexing scan-000.pdf, scan-001.pdf, scan-002.pdf +1…"
    assert shown(indexing_line("fr", names[:3])) == "Indexation de scan-000.pdf, scan-001.pdf, scan-002.pdf…"
    assert shown(indexing_line("de", names[:1])) == "scan-000.pdf wird indexiert…"
