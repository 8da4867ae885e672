"""The chat for people who use a keyboard or a screen reader, in their language: a real `qa serve`
and a real browser (chromium), its accessibility tree read through the DevTools protocol."""
from __future__ import annotations

import pytest

from qa.errors import BadQuestion
from qa.filters import make_where
from qa.web_i18n import LANGS, TEXTS, error_text
from test_web import ask_in_page, browser, open_page, served  # noqa: F401  (fixtures)

# Roles a person acts on: each needs a name that says what it does.
INTERACTIVE = {"button", "link", "textbox", "searchbox", "combobox", "checkbox", "radio", "slider", "spinbutton",
               "tab", "switch", "menuitem", "DisclosureTriangle", "listbox"}
# Gradio's own English names, which a French page must not read out
GRADIO_ENGLISH = ("Textbox", "number input for", "range slider for", "Reset to default value",
                  "Click to upload or drop files")
APPLES_FR = "Quand les pommes sont-elles récoltées en Normandie ?"


def controls(page) -> list[tuple[str, str]]:
    """(role, accessible name) of every interactive element a screen reader can reach."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    return [(n["role"]["value"], (n.get("name") or {}).get("value") or "") for n in nodes
            if not n.get("ignored") and (n.get("role") or {}).get("value") in INTERACTIVE]


def active(page) -> str:
    """What has the keyboard focus: tag, id and classes, @ the nearest element with an id."""
    return page.evaluate("""() => { const e = document.activeElement;
        return `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')}@${e.parentElement?.closest('[id]')?.id}`; }""")


def live_text(page) -> str:
    return page.evaluate("(document.querySelector('#qa-live') || {}).textContent || ''")


def test_browser_every_control_has_a_name_in_the_page_language(served, browser):
    page = open_page(browser, served["url"], locale="fr-FR")
    ask_in_page(page, APPLES_FR)
    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    page.locator("#qa-upload button").first.wait_for(timeout=10000)
    page.wait_for_timeout(300)
    found = controls(page)
    assert len(found) > 25
    unnamed = [role for role, name in found if not name.strip()]
    assert not unnamed, found
    names = {name for _, name in found}
    assert not [n for n in names if any(english in n for english in GRADIO_ENGLISH)], names
    fr = TEXTS["fr"]
    for role, name in [("textbox", fr["question"]), ("button", fr["ask"]), ("spinbutton", fr["passages"]),
                       ("slider", fr["passages"]), ("button", fr["reset"]), ("button", fr["copy"]),
                       ("link", fr["link"]), ("button", fr["clear"]), ("combobox", fr["folder"]),
                       ("textbox", fr["since"]), ("button", fr["upload_hint"])]:
        assert (role, name) in found, (role, name)
    assert page.evaluate("document.documentElement.lang") == "fr"


def test_browser_keyboard_only(served, browser):
    page = open_page(browser, served["url"])
    # ask: the question box has the focus on arrival, Enter asks
    assert active(page).startswith("textarea")
    page.keyboard.type("Who filed most generative AI patents?")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 1", timeout=120000)
    # the reply is announced (passage [1]'s citation and answer), the focus stays in the question box
    page.wait_for_function("(document.querySelector('#qa-live') || {}).textContent?.includes('[1]')", timeout=5000)
    assert "Answer:" in live_text(page) and active(page).startswith("textarea")
    assert page.locator("#qa-live[aria-live='polite']").count() == 1
    assert page.locator("#qa-chat [aria-live]").count() == 0  # not the whole history
    # Tab reaches every control of the page (and comes round again)
    seen = set()
    for _ in range(70):
        page.keyboard.press("Tab")
        seen.add(active(page))
    for wanted in ("a#.qa-open", "button#.qa-copy", "a#.qa-link", "summary#.", "button#qa-clear",
                   "textarea#.", "button#.submit-button", "input#range_id_0", "button#qa-docs-tab-button"):
        assert any(s.startswith(wanted) for s in seen), (wanted, seen)
    assert any(s.startswith("input#") and s.endswith("@qa-folders") for s in seen)  # the filters
    assert any(s.startswith("input#") and s.endswith("@qa-langs") for s in seen)
    assert any(s.startswith("textarea#") and s.endswith("@qa-since") for s in seen)
    # open a citation with Enter: the document shows, the focus is on the cited passage
    citation = page.locator("#qa-turn-1 .qa-full .qa-open")
    citation.focus()
    ring = citation.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert ring.startswith("solid") and float(ring.split()[1].rstrip("px")) >= 2  # a visible focus ring
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.classList.contains('qa-cited')", timeout=30000)
    assert "§" in page.evaluate("document.activeElement.innerText")
    # back to the answer: the focus returns to the citation it came from
    for _ in range(10):
        if "qa-back" in active(page):
            break
        page.keyboard.press("Shift+Tab")
    assert "qa-back" in active(page)
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement === document.querySelector('#qa-turn-1 .qa-full .qa-open')",
                           timeout=5000)
    # copy a citation with Enter; the button keeps the focus and "Copied" is said
    page.keyboard.press("Tab")
    while "qa-copy" not in active(page):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("(document.querySelector('#qa-live') || {}).textContent?.includes('Copied')", timeout=5000)
    assert "qa-copy" in active(page) and "§" in page.evaluate("navigator.clipboard.readText()")
    # a compact hit opens with Enter on its summary
    summary = page.locator("#qa-turn-1 details.qa-compact summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#qa-turn-1 details.qa-compact").first.evaluate("e => e.open")
    # a new conversation from the keyboard: empty, and the focus back in the question box
    page.locator("#qa-clear").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn').length === 0", timeout=10000)
    assert active(page).startswith("textarea")
    # upload: the Documents tab opens with Enter, Tab reaches the drop area, a button (a file
    # chooser from Enter there shows in headless chromium only now and then: not asserted)
    page.locator("#qa-docs-tab-button").focus()
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if "upload-container" in active(page):
            break
    assert active(page).startswith("button#.upload-container")
    assert not page.dialogs


def test_browser_screen_reader_reads_passages_in_their_language(served, browser):
    page = open_page(browser, served["url"])
    ask_in_page(page, APPLES_FR)
    turn = page.locator("#qa-turn-1")
    # the question is the turn's heading; the conversation is a named region
    assert turn.locator("h2.qa-question").inner_text().strip() == APPLES_FR
    assert page.locator("#qa-chat [role='region'][aria-label='Conversation']").count() == 1
    # named by the question alone, the turn too: its link beside the heading, not in it (every
    # question was "… Link to this question" in a list of headings)
    assert page.get_by_role("heading", name=APPLES_FR, exact=True).count() == 1
    assert page.get_by_role("region", name=APPLES_FR, exact=True).count() == 1
    assert turn.locator(".qa-asked .qa-link").get_attribute("aria-label") == "Link to this question"
    # headings: the page's title, then one level below it each question
    assert page.locator("h1").all_inner_texts() == ["qa: ask your documents, in any language"]
    # French passages on an English page say so; the highlight is announced as the answer
    assert turn.locator(".qa-full .qa-text").get_attribute("lang") == "fr"
    assert turn.locator(".qa-full .qa-sr").first.text_content().strip() == "Answer:"
    langs = turn.locator("details.qa-compact .qa-gist").evaluate_all("es => es.map(e => e.lang)")
    cites = turn.locator("details.qa-compact .qa-open").all_inner_texts()
    assert any("fr/pommes.md" in c for c in cites)
    assert all(lang == "fr" for c, lang in zip(cites, langs) if "fr/pommes.md" in c)
    assert all(lang == "" for c, lang in zip(cites, langs) if "en/" in c)
    # in the document panel too
    turn.locator(".qa-full .qa-open").click()
    page.wait_for_function("document.activeElement?.classList.contains('qa-cited')", timeout=30000)
    assert page.locator("#qa-doc .qa-cited .qa-pt").get_attribute("lang") == "fr"
    assert page.locator("#qa-doc h2.qa-doc-title").count() == 1
    # on a French page the French passages carry no lang, the English ones do
    fr = open_page(browser, served["url"], locale="fr-FR")
    ask_in_page(fr, "Quand les pommes sont-elles cueillies dans le Kent ?")
    turn = fr.locator("#qa-turn-1")
    pairs = list(zip(turn.locator(".qa-open").all_inner_texts(),
                     turn.locator(".qa-hit .qa-text").evaluate_all("es => es.map(e => e.lang)")))
    assert any("en/apples.md" in c for c, _ in pairs)
    assert all(lang == "en" for c, lang in pairs if "en/" in c), pairs
    assert all(lang == "" for c, lang in pairs if "fr/pommes.md" in c), pairs
    assert turn.locator(".qa-full .qa-sr").first.text_content().strip() == "Réponse :"


def test_browser_filter_errors_in_the_page_language(served, browser):
    page = open_page(browser, served["url"], locale="fr-FR")
    page.fill("#qa-since textarea, #qa-since input", "hier")
    ask_in_page(page, APPLES_FR)
    error = page.locator("#qa-turn-1 .qa-error")
    assert error.inner_text().endswith("Depuis (date) doit être une date écrite AAAA, AAAA-MM ou AAAA-MM-JJ, "
                                       "pas « hier ».")
    assert "Erreur :" in error.text_content()
    page.wait_for_function("(document.querySelector('#qa-live') || {}).textContent?.includes('hier')", timeout=5000)
    page.fill("#qa-since textarea, #qa-since input", "2025")
    page.fill("#qa-until textarea, #qa-until input", "2024")
    ask_in_page(page, APPLES_FR)
    assert page.locator("#qa-turn-2 .qa-error").inner_text().endswith(
        "La date de début (2025) est après la date de fin (2024).")
    de = open_page(browser, served["url"], locale="de-DE")
    de.fill("#qa-until textarea, #qa-until input", "2024-13-99x")
    ask_in_page(de, APPLES_FR)
    assert "Bis (Datum) muss ein Datum der Form JJJJ" in de.locator("#qa-turn-1 .qa-error").inner_text()


def test_browser_language_notice_in_the_page_language(served, browser):
    greek = "Ποιος ανακοίνωσε ότι η Κίνα έχει τις περισσότερες αιτήσεις διπλωμάτων ευρεσιτεχνίας;"
    page = open_page(browser, served["url"], locale="fr-FR")
    ask_in_page(page, greek)
    notice = page.locator("#qa-turn-1 .qa-notice").inner_text()
    assert notice.startswith("Votre question semble être en grec, une langue sur laquelle le modèle de l'index "
                             "(use-m3) n'a pas été entraîné, et les passages trouvés sont en ")
    assert "français" in notice and "qa index --model e5-small" in notice
    page.wait_for_function("(document.querySelector('#qa-live') || {}).textContent?.includes('grec')", timeout=5000)


@pytest.mark.parametrize("kwargs", [{"since": "yesterday"}, {"until": "31/12"}, {"since": "2025", "until": "2024"},
                                    {"folders": ["../etc"]}, {"langs": ["français"]}])
def test_filter_errors_have_words_in_every_language(kwargs):
    with pytest.raises(BadQuestion) as info:
        make_where(**kwargs)
    english = str(info.value)
    assert "error_" + info.value.key in TEXTS["en"]  # the CLI and the API keep their own message
    said = {lang: error_text(info.value, lang) for lang in LANGS}
    assert len(set(said.values())) == len(LANGS) and english not in said.values()
    for value in info.value.values.values():
        assert all(str(value) in text for text in said.values())
