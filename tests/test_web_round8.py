"""The chat every day, round 8: a real `qa serve` over round 7's folder (a journalist's, an analyst's
and a support desk's files in English and French: Markdown, PDF, Word, e-mail), driven in a real
browser (chromium) and through its API: a short question on a new topic, 200 % zoom on a short
window, the keyboard from the question box to the last reply, the API's link to a question
(docs/reliability.md "Session 23: the chat every day, round 8")."""
from __future__ import annotations

from test_web import ask_in_page, browser, open_page  # noqa: F401  (fixture)
from test_web_habits import APPROVED, CONTRACT, citations, desk, wait_answered  # noqa: F401  (fixture)

POOL = "Quand la piscine ferme-t-elle ?"
ORDER = "Where is order 5120?"


def test_browser_a_short_question_on_a_new_topic_is_searched_alone(desk, browser):
    """"Where is order 5120?" after a question on the harbour contract and one on the swimming pool
    was "Read with your previous question: How much is the harbour dredging contract worth? Quand la
    piscine ferme-t-elle ?" and its passage [2] was the harbour contract, "strong match": its order
    number was no word of its own ("order" alone is one). "Quand la piscine ferme-t-elle ?" after the
    harbour question was read with it too (its inverted "-t-elle" taken for a pronoun pointing back,
    where it repeats "la piscine"). Both are searched alone now; a follow-up still leans. The support
    desk's next order, "And order 4471?", was read with order 5120's question and showed its e-mail:
    a question with an order number of its own is searched alone."""
    page = open_page(browser, desk["url"])
    for question in (CONTRACT, POOL, ORDER, "Can it go by express courier?", "And order 4471?"):
        ask_in_page(page, question)
    assert page.locator("#qa-turn-2 .qa-followup").count() == 0
    assert citations(page, 2)[0].startswith("Conseil municipal du 12 mars · press/conseil.md")
    assert page.locator("#qa-turn-3 .qa-followup").count() == 0
    order = citations(page, 3)
    assert "support/shipping.eml" in order[0] and not any("harbour" in c for c in order)
    assert ORDER in page.locator("#qa-turn-4 .qa-followup").inner_text()  # "it": the order
    assert "support/shipping.eml" in citations(page, 4)[0]
    # (its passage [1] is still order 5120's English e-mail, order 4471's French one [2]: docs/reliability.md)
    assert page.locator("#qa-turn-5 .qa-followup").count() == 0
    assert any("support/refunds.eml" in c for c in citations(page, 5)[:2])
    page.context.close()


def test_browser_the_question_box_is_on_the_screen_at_200_percent_zoom_on_a_short_window(desk, browser):
    """At 200 % zoom on a laptop (1,280 × 800 and 1,366 × 768 screens: 640 × 400 and 683 × 384 CSS px)
    the chat box was 62 % of the window's height and the question box below the fold until the page
    was scrolled. It is on the screen now, with the conversation above it; a tall window's chat box
    keeps its 62 %."""
    for width, height in ((640, 400), (683, 384), (1300, 900)):
        page = open_page(browser, desk["url"], height=height, width=width)
        ask_in_page(page, CONTRACT)
        page.evaluate("window.scrollTo(0, 0)")
        box = page.locator("#qa-question textarea").bounding_box()
        chat = page.locator("#qa-chat .qa-turns").bounding_box()
        assert page.evaluate("scrollY") == 0 and box["y"] + box["height"] <= height, (width, height, box)
        assert chat["height"] >= 7 * 16 - 1
        if height == 900:
            assert abs(chat["height"] - 0.62 * height) < 1
        page.context.close()


def test_browser_escape_goes_from_the_question_box_to_the_last_reply_and_back(desk, browser):
    """From the question box a keyboard reader reached a reply by Shift+Tab from its last passage up
    (three stops a passage). Escape there now goes to the last reply's passage [1] (its citation, in
    view), and Escape in the conversation back to the question box; both say so (aria-keyshortcuts)."""
    page = open_page(browser, desk["url"])
    ask_in_page(page, CONTRACT)
    ask_in_page(page, POOL)
    box = page.locator("#qa-question textarea")
    box.focus()
    page.keyboard.press("Escape")
    page.wait_for_function("document.activeElement?.classList.contains('qa-open')", timeout=10000)
    focused = page.evaluate("""() => { const a = document.activeElement, t = a.closest('.qa-turn');
        const r = a.getBoundingClientRect(), c = document.querySelector('#qa-chat .qa-turns').getBoundingClientRect();
        return {turn: t && t.id, text: a.innerText, shortcut: a.getAttribute('aria-keyshortcuts'),
                seen: r.top >= c.top && r.bottom <= c.bottom}; }""")
    assert focused == {"turn": "qa-turn-2", "text": citations(page, 2)[0], "shortcut": "Escape", "seen": True}
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement === document.querySelector('#qa-question textarea')")
    assert box.get_attribute("aria-keyshortcuts") == "Escape"
    # typing in the box is untouched by it: the question typed is still there and asked
    box.fill("Who approves large refunds?")
    page.keyboard.press("Escape")
    assert box.input_value() == "Who approves large refunds?"
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    wait_answered(page, 3)
    page.context.close()


def test_the_api_answer_gives_the_link_to_the_question_on_the_page(desk, browser):
    """A script posting the API's answer into a ticket had to build the page's link to the question
    itself (`?q=...&after=<followup_of>&k=...`). `/answer` gives it (`link`), the page's own: opened,
    it shows the API's passages, a follow-up's with the question it was read with; with filters too."""
    from gradio_client import Client

    client = Client(desk["url"], verbose=False)
    answer = client.predict(APPROVED, 5, None, [CONTRACT], api_name="/answer")
    assert answer["followup_of"] == CONTRACT and "after=" in answer["link"]
    page = open_page(browser, desk["url"])
    ask_in_page(page, CONTRACT)
    ask_in_page(page, APPROVED)
    assert answer["link"] == page.locator("#qa-turn-2").get_attribute("data-link")
    other = open_page(browser, desk["url"] + "/" + answer["link"])
    wait_answered(other, 1)
    shown = citations(other, 1)
    assert len(shown) == len(answer["passages"]) and all(f"{p['source']} · §{p['paragraph']}" in c
                                                         for c, p in zip(shown, answer["passages"]))
    filtered = client.predict(ORDER, 3, {"folders": ["support/"]}, api_name="/answer")
    assert filtered["link"] == "?q=Where+is+order+5120%3F&k=3&in=support%2F"
    page.context.close()
    other.context.close()


# WCAG's contrast ratio of an element's text against the first background behind it that is not
# transparent (the body's at the end)
CONTRAST = """(sel) => { const e = document.querySelector(sel); if (!e) return null;
  const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
  const fg = rgb(getComputedStyle(e).color);
  let n = e, bg = [255, 255, 255];
  while (n) { const v = rgb(getComputedStyle(n).backgroundColor); if (v.length < 4 || v[3] > 0.5) { bg = v; break; } n = n.parentElement; }
  const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const a = lum(fg), b = lum(bg); return Math.round((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) * 10) / 10; }"""
READ = {"answer": "#qa-turn-1 .qa-full mark.qa-answer", "compact answer": "#qa-turn-1 .qa-gist mark.qa-answer",
        "filters": "#qa-turn-1 .qa-filters", "read with": "#qa-turn-2 .qa-followup",
        "question cut": "#qa-turn-3 .qa-notice", "cited paragraph": "#qa-doc .qa-cited .qa-pt"}


def test_browser_a_dark_system_gets_answers_and_notes_that_can_be_read(desk, browser):
    """With the system set to dark (a journalist's laptop at night), Gradio draws the page dark, and
    every highlighted answer was near-white on yellow (1.2:1), the cited paragraph in the document
    panel as well; "Read with…", the filters line and the notices were grey or dark blue on near-black.
    Each is now at least WCAG's 4.5:1, in the light page as in the dark one."""
    for scheme in ("dark", "light"):
        context = browser.new_context(viewport={"width": 1300, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(desk["url"] + "/?q=Where+is+order+5120%3F&k=5&in=support%2F")
        page.wait_for_selector("#qa-question textarea", timeout=60000)
        wait_answered(page, 1)
        assert page.evaluate("document.body.classList.contains('dark')") == (scheme == "dark")
        ask_in_page(page, "Can it go by express courier?")
        ask_in_page(page, "Where is order 5120? " + "Please tell me where my parcel is, it is late. " * 45)
        page.locator("#qa-turn-1 .qa-open").first.click()
        page.wait_for_selector("#qa-doc .qa-cited", timeout=60000)
        ratios = {name: page.evaluate(CONTRAST, sel) for name, sel in READ.items()}
        assert all(r is not None and r >= 4.5 for r in ratios.values()), f"{scheme}: {ratios}"
        context.close()
