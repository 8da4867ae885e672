"""A link whose folder filter (`?in=`) names a folder the index no longer holds (moved, renamed, or
removed by `qa index` since the link was shared) was asked over every document without a word: the
folder filter cannot offer the folder, so the page asked without it, and the reply read as an answer
from that folder. A real `qa serve`, in chromium."""
from __future__ import annotations

from urllib.parse import urlencode

from qa.web_i18n import TEXTS
from test_web import answered, browser, open_page  # noqa: F401  (fixture)
from test_web_languages import APPLES_FR


def test_browser_a_link_to_a_folder_the_index_no_longer_holds_says_so(languages_server, browser):
    link = "/?" + urlencode({"q": APPLES_FR, "in": "archive-2019/"})
    page = open_page(browser, languages_server["url"] + link, locale="fr-FR")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 1", timeout=60000)
    turn = page.locator("#qa-chat .qa-turn").first
    said = turn.inner_text()
    expected = TEXTS["fr"]["error_folder_unknown"].split("«")[0].strip()  # "Aucun document indexé n'est dans"
    assert expected in said and "archive-2019" in said and "fr/" in said, said
    assert turn.locator(".qa-hit").count() == 0  # not answered from every document
    assert turn.get_attribute("data-link") and "in=archive-2019" in turn.get_attribute("data-link")
    # reloaded, the conversation is asked again as it was: the same, not widened either
    page.reload()
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 1", timeout=60000)
    page.wait_for_timeout(1500)
    assert answered(page) == 1 and page.locator("#qa-chat .qa-hit").count() == 0
    assert expected in page.locator("#qa-chat .qa-turn").first.inner_text()
    # a folder it holds, spelt without its slash, still narrows and answers
    page.goto(languages_server["url"] + "/?" + urlencode({"q": APPLES_FR, "in": "fr"}))
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 1", timeout=60000)
    sources = page.locator("#qa-chat .qa-turn").last.locator(".qa-open").all_inner_texts()
    assert sources and all("fr/" in s for s in sources), sources


def test_a_reloaded_conversation_keeps_a_link_s_folder_the_index_no_longer_holds(seed_index):
    """A reload asks the tab's stored links again (`ChatApp.restore`): a link's folder that the index
    no longer holds is searched as given, so the reply says so, as the link did when first opened,
    rather than answering from every document (mutants22: the browser test's reload drew the link
    again, its turn not stored, so `restore`'s own folder list went unchecked). A second link with no
    folder is answered."""
    import json

    from qa import Retriever
    from qa.web_app import ChatApp, link_folders

    retriever = Retriever.open(seed_index)
    try:
        question = "Who filed most generative AI patents?"
        gone = "?" + urlencode({"q": question, "k": 3, "in": "archive-2019/"})
        turns, _, asked = ChatApp(retriever).restore(json.dumps([gone, "?" + urlencode({"q": question, "k": 3})]),
                                                        "en")
    finally:
        retriever.close()
    assert len(turns) == 2 and asked == [question, question] and "archive-2019" in gone
    assert TEXTS["en"]["error_folder_unknown"].split("“")[0] in turns[0] and "qa-hit" not in turns[0]
    assert "qa-hit" in turns[1]
    # a blank folder of a link (`in=+`) is no folder: searched as none, not said as "Folder: " (mutants22)
    assert link_folders([" ", "fr", "archive-2019/"], ["en/", "fr/"]) == ["fr/", "archive-2019/"]
