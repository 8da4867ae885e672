"""The chat every day, round 6: a real `qa serve` over the seeds, a hearing's subtitles and a
support team's notes (one `notes.md` per client folder), driven in a real browser (chromium) and
through its API: a pasted question the API cut without saying so, an example clicked while a
question was held, a reply copied into an e-mail, narrowing to one client's folder
(docs/reliability.md "Session 21: the chat every day, round 6")."""
from __future__ import annotations

import re
import shutil
from html import unescape

import pytest

from conftest import SEEDS
from qa import build_index
from qa.retrieval import MAX_QUESTION_CHARS
from qa.web_i18n import TEXTS
from test_subtitles import HEARING
from test_web import answered, ask_in_page, browser, open_page, select_and_copy  # noqa: F401  (fixture)
from test_web_daily import serving
from test_web_workday import questions, slow_link

CANAL = "Pourquoi le canal a-t-il été fermé ?"
REPAIR = "Combien a coûté la réparation de l'écluse ?"
# a support team's notes: the same file name in each client's folder
CLIENTS = {
    "acme": "The customer uses the Roadrunner router. It drops the Wi-Fi connection every night at 2 a.m.\n\n"
            "The firmware update 4.2 fixes the nightly drop.",
    "globex": "The customer uses the Hank billing portal. It refuses invoices over 10,000 euros.\n\n"
              "Invoices over 10,000 euros must be split until the March release.",
    "initech": "The customer uses the TPS report generator. It prints the cover sheet twice.\n\n"
               "Turn off duplex printing in the TPS settings.",
}
CUSTOMER = "What does the customer use?"


@pytest.fixture(scope="module")
def routine(tmp_path_factory):
    root = tmp_path_factory.mktemp("routine")
    docs = root / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "audition-canal.vtt").write_text(HEARING, encoding="utf-8")
    for client, notes in CLIENTS.items():
        (docs / "clients" / client).mkdir(parents=True)
        (docs / "clients" / client / "notes.md").write_text(f"# Support notes\n\n{notes}\n", encoding="utf-8")
    index = root / "index"
    build_index([docs], index=index, progress=False)
    with serving(index, root / "serve.log") as server:
        yield server | {"index": index}


def test_the_api_says_when_a_question_was_too_long_to_search_whole(routine):
    """`/ask` and `/answer` searched a pasted text by its first 2,000 characters and said nothing
    (the chat's reply and `qa ask` say it): a script sending whole e-mails could not know that the
    question at their end was never searched. `/answer` says it in `question_cut`, and every
    passage of `/ask` carries it; a question searched whole has `question_cut` null (`/answer`)
    or no such key (`/ask`), and the existing fields are as they were."""
    from gradio_client import Client

    client = Client(routine["url"], verbose=False)
    pasted = "Le canal est resté fermé tout l'été.\n" * 80 + "Combien a coûté la réparation ?"
    answer = client.predict(pasted, 3, api_name="/answer")
    cut = answer["question_cut"]
    assert cut["length"] == len(" ".join(pasted.split())) and cut["searched_chars"] == MAX_QUESTION_CHARS
    assert pasted.startswith(cut["searched"]) and "Combien" not in cut["searched"]
    assert f"{cut['length']} characters long" in cut["note"] and str(MAX_QUESTION_CHARS) in cut["note"]
    assert {"passages", "partial", "missing_shards", "followup_of", "not_searched_yet"} <= set(answer)
    assert len(answer["passages"]) == 3 and answer["partial"] is False
    passages = client.predict(pasted, 3, api_name="/ask")
    assert len(passages) == 3 and all(p["question_cut"] == cut for p in passages)
    assert [p["text"] for p in passages] == [p["text"] for p in answer["passages"]]
    whole = client.predict(REPAIR, 3, api_name="/answer")
    assert whole["question_cut"] is None and "question_cut" not in client.predict(REPAIR, 3, api_name="/ask")[0]


def test_browser_an_example_clicked_while_a_question_is_held_is_asked_after_it(routine, browser):
    """A question typed and sent while the reply before it was coming is held in the box; an
    example clicked then replaced it: the typed question was lost. Both are asked now, in the
    order given, each once."""
    page = open_page(browser, routine["url"], locale="fr-FR")
    example = page.locator("#qa-examples .gallery-item").first
    wanted = example.inner_text().strip()
    slow_link(page, 1500)
    box = "#qa-question textarea"
    page.fill(box, CANAL)
    page.press(box, "Enter")
    page.locator("#qa-chat .qa-turn").first.wait_for(timeout=20000)
    page.fill(box, REPAIR)
    page.press(box, "Enter")
    assert page.locator("#qa-question.qa-held").count() == 1
    example.click()
    assert page.input_value(box) == REPAIR  # the held question stays in the box
    page.wait_for_function("(document.querySelector('#qa-live') || {}).textContent?.includes(" + repr(
        TEXTS["fr"]["held"][:20]) + ")", timeout=5000)
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= 3", timeout=90000)
    page.wait_for_timeout(3000)  # and no fourth turn
    assert questions(page) == [CANAL, REPAIR, wanted] and answered(page) == 3
    assert page.input_value(box) == "" and page.locator("#qa-question.qa-held").count() == 0


def words_of(locator) -> str:
    """An element's text without what is said to screen readers only ("Answer:")."""
    return locator.evaluate("e => { const c = e.cloneNode(true); c.querySelectorAll('.qa-sr').forEach((s) => s.remove());"
                            " return c.textContent.trim(); }")


def test_browser_a_reply_copied_into_an_e_mail_is_its_text_not_the_pages_styles(routine, browser):
    """A reply selected and copied (Ctrl+C) into an e-mail carried Chrome's copy of Gradio's styles,
    inlined on every element, and the copy and link icons' svg: 57 kB of HTML for five passages,
    pasted with the page's fonts, colours and icons. The clipboard's HTML is now the reply's own
    markup: the question, the citations as links that ask it again, the passages with their
    highlighted answer, the folded passages as their summary; its plain text is as before."""
    page = open_page(browser, routine["url"])
    ask_in_page(page, CANAL)
    text, html = select_and_copy(page, "#qa-turn-1")
    assert len(html) < 8000, len(html)
    assert "style=" not in html and "<svg" not in html and "<button" not in html and "data-" not in html
    cited = re.findall(r'<a href="([^"]*)"[^>]*class="qa-open"', html)
    assert len(cited) == 5 and {unescape(href) for href in cited} == {page.url}
    assert f">{CANAL}</h2>" in html and html.count('<mark class="qa-answer">') == 5
    full = words_of(page.locator("#qa-turn-1 .qa-full .qa-text"))
    assert full in text and CANAL in text and "Answer:" not in text and "Answer:" not in html
    # a passage of the document panel, selected and copied: its words, without paragraph numbers
    page.locator("#qa-turn-1 .qa-full .qa-open").click()
    page.locator("#qa-doc .qa-cited").wait_for(timeout=10000)
    text, html = select_and_copy(page, "#qa-doc .qa-cited")
    assert text.strip() == words_of(page.locator("#qa-doc .qa-cited .qa-pt"))
    assert "style=" not in html


def test_browser_narrowing_to_one_clients_folder(routine, browser):
    """A support team keeps one folder per client, each with its `notes.md`. The folder filter
    offered the top-level folders only ("clients/"), so that a question about one client was
    answered from the others' notes too; a link naming one client's folder (`?in=clients/globex`,
    as `qa ask --in clients/globex` takes it) was silently widened to every document. The filter
    offers the folders below the top level as well, and such a link keeps its folder."""
    page = open_page(browser, routine["url"])
    page.click("#qa-folders input")
    page.locator('li[role="option"]').first.wait_for(timeout=10000)
    offered = page.locator('li[role="option"]').all_inner_texts()
    assert [o.strip() for o in offered if o.strip().startswith("clients/")] == [
        "clients/", "clients/acme/", "clients/globex/", "clients/initech/"]
    page.locator('li[role="option"][aria-label="clients/globex/"]').click()
    page.keyboard.press("Escape")
    ask_in_page(page, CUSTOMER)
    hits = page.locator("#qa-turn-1 .qa-hit .qa-open")
    assert {h.split(" · ")[1] for h in hits.all_inner_texts()} == {"clients/globex/notes.md"}
    assert "clients/globex/" in page.locator("#qa-turn-1 .qa-filters").inner_text()
    link = page.url
    assert "in=clients%2Fglobex%2F" in link or "in=clients/globex/" in link
    # the link, opened elsewhere (or `?in=` without the slash, as typed for `qa ask --in`), keeps the folder
    for address in (link, routine["url"] + "/?q=What+does+the+customer+use%3F&k=5&in=clients/acme"):
        other = open_page(browser, address)
        other.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length === 1",
                                timeout=60000)
        sources = {h.split(" · ")[1] for h in other.locator("#qa-turn-1 .qa-hit .qa-open").all_inner_texts()}
        assert len(sources) == 1 and sources <= {"clients/globex/notes.md", "clients/acme/notes.md"}
        assert "in=clients" in other.url
        other.close()


# Files a day's uploads bring that the readers refuse, with the reasons they give: told in the
# page's language since this session (the first 33 of the readers' reasons were, session 20)
REFUSED = {
    "photo.jpg": (b"\xff\xd8\xff\xe0 not really a jpeg" * 5, "not a readable image (OSError)"),
    "talk.srt": (b"just some words, no cues\n", "no subtitles in .srt"),
    "table.csv": (bytes(range(32)) * 100, "binary content, not CSV"),
    "mail.eml": (b"hello there\nno headers at all\n", "not an e-mail (no headers)"),
    "cal.ics": (b"BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n", "no events in the calendar"),
    "letter.rtf": (b"plain text, not rtf", "not an RTF file"),
    "box.mbox": (b"nothing here\n", "no messages in the mailbox"),
    "old.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
                 "not a valid .docx (an old binary Office file? save it as .docx)"),
}


def test_more_readers_refusals_are_told_in_the_page_language(tmp_path):
    """Images that are not, subtitles without cues, binary CSV, mail without headers, empty
    calendars and mailboxes, plain text named .rtf, an old Word file named .docx: the readers'
    reasons were shown in English inside a translated line ("Refusé photo.jpg : illisible : not a
    readable image (OSError)"). They are in every page language now, the technical detail kept."""
    from qa.readers import UnreadableDocument, read_document
    from qa.web_i18n import LANGS
    from qa.web_reasons import reason_text

    for name, (data, expected) in REFUSED.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(UnreadableDocument) as info:
            read_document(tmp_path / name, name)
        why = str(info.value)
        assert why == expected, name
        for lang in LANGS:
            told = reason_text(why, lang)
            assert (told == why) == (lang == "en"), (lang, name, told)
            assert ".docx" in told if name == "old.docx" else True
            assert "OSError" in told if name == "photo.jpg" else True
    assert reason_text(REFUSED["old.docx"][1], "fr") == ("pas un .docx valide (un ancien fichier Office binaire ? "
                                                        "enregistrez-le en .docx)")



def test_the_refusal_of_an_upload_is_its_own_not_a_file_whose_name_ends_as_its():
    """The build's reason for an upload is found by its name, at the top of the files indexed
    together or in a folder below: not by a name that merely ends as it does ("old-report.docx"
    dropped with "report.docx", each refused for its own reason; mutants22)."""
    from qa.web_uploads import refusal

    skipped = [("old-report.docx", "no text in .docx"), ("2026/report.docx", "not a valid .docx (bad zip)")]
    assert refusal(skipped, "report.docx") == "not a valid .docx (bad zip)"
    assert refusal(skipped, "old-report.docx") == "no text in .docx"
    assert refusal(skipped, "eport.docx") is None and refusal([], "report.docx") is None

def test_browser_files_refused_on_a_french_page_say_why_in_french(routine, browser, tmp_path):
    """The same files dropped at once on a French page: each refused with its own reason, in French.
    Every file a reader refused was said to have "no text" (the upload looked its reason up by the
    name of a document the index does not hold: none, so the fallback), a broken photo or an old
    Word file alike, whatever the page's language."""
    page = open_page(browser, routine["url"], locale="fr-FR")
    page.locator("#qa-docs-tab-button").click()
    names = ["photo.jpg", "talk.srt", "mail.eml", "old.docx"]
    for name in names:
        (tmp_path / name).write_bytes(REFUSED[name][0])
    page.set_input_files("#qa-upload input[type=file]", [str(tmp_path / name) for name in names])
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('old.docx')",
                           timeout=120000)
    status = page.locator("#qa-upload-status").inner_text()
    for english in ("readable image", "no subtitles", "no headers", "old binary Office"):
        assert english not in status, status
    for key in ("reason_bad_image", "reason_no_subtitles", "reason_not_mail"):
        assert TEXTS["fr"][key].split("(")[0].split("{")[0].strip() in status, (key, status)
    assert "un ancien fichier Office binaire" in status and not page.dialogs


@pytest.mark.parametrize("width,height", [(1300, 900), (390, 844)])
def test_browser_a_persian_page_is_persian_and_right_to_left(routine, browser, width, height):
    """A Persian browser got the English page, laid out left to right (`RTL` listed Persian, but
    the chat had no Persian words). Its labels, intro, notes and the server's words are Persian now,
    the page right to left, a French passage still left to right inside it."""
    from test_web_languages import computed_direction, page_in

    page = open_page(browser, routine["url"], locale="fa-IR", width=width, height=height)
    page_in(page, "fa")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    for selector in ("#qa-chat .qa-turns", "#qa-question", "#qa-title", "#qa-side"):
        assert computed_direction(page.locator(selector).first) == "rtl", selector
    ask_in_page(page, CANAL)
    turn = page.locator("#qa-turn-1")
    assert set(turn.locator(".qa-score").all_inner_texts()) <= {TEXTS["fa"][k] for k in ("strong", "fair", "weak")}
    assert turn.locator(".qa-copy").first.get_attribute("aria-label") == TEXTS["fa"]["copy"]
    assert computed_direction(turn.locator(".qa-full .qa-text")) == "ltr"  # the French passage
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_folders_offered_keep_every_top_level_one_and_merge_across_shards():
    """Past `MAX_FOLDER_CHOICES` folders the shallowest are offered (every top-level one is);
    the shards' lists merge with each folder's subfolders after it."""
    from qa.filters import MAX_FOLDER_CHOICES, _shallowest, merge_choices

    tree = {"a/": 0, "b/": 0, "z.md": 0} | {f"a/{i:04d}/": 1 for i in range(MAX_FOLDER_CHOICES)}
    offered = _shallowest(tree)
    assert len(offered) == MAX_FOLDER_CHOICES and {"a/", "b/", "z.md"} <= set(offered)
    assert offered[:2] == ["a/", "a/0000/"]
    one = {"folders": ["clients/"], "folder_tree": ["clients/", "clients/acme/"], "langs": ["en"], "dates": []}
    two = {"folders": ["clients/", "en/"], "folder_tree": ["clients/", "clients/globex/", "en/"], "langs": ["en"],
           "dates": []}
    merged = merge_choices([one, two])
    assert merged["folders"] == ["clients/", "en/"]
    assert merged["folder_tree"] == ["clients/", "clients/acme/", "clients/globex/", "en/"]
