"""Citations that check out in the chat (a real `qa serve`, a real chromium): each part of a long
paragraph cited apart and opened in the document panel at that part; the example questions
follow a `qa index` run from the terminal under the open page."""
from __future__ import annotations

import re

import pytest

from qa import build_index
from test_web import ask_in_page, browser, open_page  # noqa: F401  (fixture)
from test_web_daily import serving

STEPS = " ".join(f"Step {n}: restart the router number {n} and wait for the green light before calling the "
                 "helpdesk." for n in range(40))
KEY = "The spare key for the server room is kept in the red tin behind the reception desk."
HANDBOOK = (f"# Staff handbook\n\n{STEPS[:len(STEPS) // 2]} {KEY} {STEPS[len(STEPS) // 2:]}\n\n"
            "The canteen closes at three on Fridays.\n")


@pytest.fixture(scope="module")
def handbook_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("cite")
    (root / "docs").mkdir()
    (root / "docs" / "handbook.md").write_text(HANDBOOK, encoding="utf-8")
    index = root / "index"
    build_index([root / "docs"], index=index, progress=False)
    with serving(index, root / "serve.log") as server:
        yield server | {"index": index, "root": root}


def test_browser_a_part_of_a_long_paragraph_is_cited_and_opened_as_that_part(handbook_server, browser):
    page = open_page(browser, handbook_server["url"])
    ask_in_page(page, "Where is the spare key for the server room kept?")
    turn = page.locator("#qa-chat .qa-turn").last
    cites = turn.locator(".qa-cite a.qa-open").all_inner_texts()
    labels = [re.search(r"§\S+( \(\d+/\d+\))?", c).group(0) for c in cites]
    assert len(labels) == len(set(labels))  # no two citations of one reply alike
    first = turn.locator(".qa-hit").first
    cite = first.locator("a.qa-open").inner_text()
    part, parts = map(int, re.search(r"§1 \((\d+)/(\d+)\)", cite).groups())
    assert 1 < part <= parts
    first.locator("a.qa-open").click()
    page.locator("#qa-doc .qa-cited").wait_for(timeout=30000)
    panel = page.locator("#qa-doc")
    ids = panel.evaluate("e => [...e.querySelectorAll('[id]')].map(x => x.id)")
    assert len(ids) == len(set(ids))
    cited = panel.locator(".qa-cited")
    assert cited.count() == 1 and cited.get_attribute("id") == f"qa-para-1-{part}"
    assert cited.locator(".qa-pn").inner_text().split("\n")[:2] == ["§1", f"({part}/{parts})"]
    assert cited.locator(".qa-pn").get_attribute("title") == f"Paragraph 1, part {part} of {parts}"
    assert KEY in cited.locator(".qa-pt").inner_text()
    # the copied citation names the part too
    assert f"§1 ({part}/{parts})" in first.locator(".qa-copy").get_attribute("data-copy")


def test_browser_examples_follow_an_index_run_from_the_terminal(handbook_server, browser, tmp_path):
    """`qa index` under the open page: the header, the document list and the filters followed at
    the next question, the example questions ("Try") only after a reload (one asked about a
    document no longer in the index)."""
    from qa.indexer import remove_documents

    page = open_page(browser, handbook_server["url"])
    page.wait_for_function("document.querySelector('#qa-examples').innerText.includes('Staff handbook')",
                           timeout=30000)
    (tmp_path / "interviews").mkdir()
    (tmp_path / "interviews" / "mayor.md").write_text(
        "# Interview with the mayor\n\nThe mayor said that the new tram line opens in 2027.\n", encoding="utf-8")
    build_index([tmp_path / "interviews"], index=handbook_server["index"], progress=False, add=True)
    remove_documents(handbook_server["index"], ["handbook.md"])
    ask_in_page(page, "When does the new tram line open?")
    assert "mayor.md" in page.locator("#qa-chat .qa-turn").last.locator(".qa-cite").first.inner_text()
    assert "1 documents" in page.inner_text("#qa-stats")  # the header followed already
    page.wait_for_timeout(500)  # the reply's outputs are drawn together; a moment for the examples' redraw
    examples = page.inner_text("#qa-examples")
    assert "Interview with the mayor" in examples and "Staff handbook" not in examples
