"""A Markdown heading that starts a passage was shown with its marks in the chat ("# Pommes de
Normandie" above the passage, in the reply, the document panel and the copied citation): a real
`qa serve` of real Markdown files, in chromium."""
from __future__ import annotations

from test_web import ask_in_page, browser, open_page  # noqa: F401  (fixture)
from test_web_languages import APPLES_FR


def test_headings_lose_their_marks_in_markdown_files_only():
    from qa.render import passage_html, plain_passage

    text = "## Support notes\n\nThe customer uses #hashtags.\n# Next"
    shown = passage_html(text, "clients/acme/notes.md", (18, 47), "en")
    assert shown.count("&#35;") == 1  # (every "#" of the text is a character reference: only #hashtags' is left)
    assert '<b class="qa-heading">Support notes</b>' in shown and '<b class="qa-heading">Next</b>' in shown
    assert shown.count('class="qa-answer"') == 1 and "&#35;hashtags" in shown  # a "#" inside a line stays
    assert plain_passage(text, "notes.markdown") == "Support notes\n\nThe customer uses #hashtags.\nNext"
    # "#" with no space after it starts no heading in Markdown either ("#1", a hashtag): kept (mutants22)
    assert plain_passage("#1 on the list\n#bread", "shopping.md") == "#1 on the list\n#bread"
    # a plain text file's "#" is its own (a comment, "#1"): kept
    assert plain_passage("# 1 on the list\nbread", "shopping.txt") == "# 1 on the list\nbread"
    assert "&#35; 1 on the list" in passage_html("# 1 on the list\nbread", "shopping.txt", None, "en")
    # an answer that starts in the heading: one highlight, the marks still left out
    assert passage_html("# Title\nwords", "a.md", (0, 13), "en").count('class="qa-answer"') == 1
    assert "&#35;" not in passage_html("# Title\nwords", "a.md", (0, 13), "en")



def test_a_compact_passage_without_an_answer_sentence_shows_no_marks():
    """A passage shown compact (not [1]) whose answer sentence was not found shows its first 200
    characters: without the heading's marks too (mutants22); a plain text file's "#" kept."""
    from qa.records import Passage
    from qa.render import hit_html

    def compact(source: str) -> str:  # the line shown folded (the gist), not the link's href="#"
        shown = hit_html(Passage(2, 0.5, "## Support notes\n\nThe customer uses Linux.", source, 1, 0, 42, None,
                                 None, None), "en", full=False)
        return shown.split('class="qa-gist"', 1)[1].split("</div>", 1)[0]

    assert "&#35;" not in compact("clients/acme/notes.md") and "Support notes" in compact("clients/acme/notes.md")
    assert "&#35;&#35; Support notes" in compact("clients/acme/notes.txt")

def test_browser_a_passage_starting_with_its_heading_shows_no_marks(languages_server, browser):
    page = open_page(browser, languages_server["url"], locale="fr-FR")
    ask_in_page(page, APPLES_FR)
    first = page.locator("#qa-turn-1 .qa-hit").first
    assert "fr/pommes.md" in first.locator(".qa-open").inner_text()
    text = first.locator(".qa-text").inner_text()
    assert not text.lstrip().startswith("#") and text.lstrip().startswith("Pommes de Normandie"), text
    assert first.locator(".qa-heading").inner_text() == "Pommes de Normandie"
    assert "“#" not in first.locator(".qa-copy").get_attribute("data-copy")
    first.locator(".qa-open").click()
    page.wait_for_function("document.activeElement?.classList.contains('qa-cited')", timeout=30000)
    cited = page.locator("#qa-doc .qa-cited .qa-pt").inner_text()
    assert cited.lstrip().startswith("Pommes de Normandie"), cited
