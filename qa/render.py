"""Replies of the chat and the document panel as HTML. Document text is always escaped:
shown, never interpreted."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from .citations import cited_time, cue_time, element_id, paragraph_label, timed_place
from .notices import language_name
from .records import Passage
from .sentences import headed, table_rows
from .web_i18n import direction, t

# Every ASCII punctuation mark becomes a character reference, so that neither the HTML
# sanitizer nor the Markdown renderer can see markup (tags, links, emphasis, math) in
# a document's text: it is displayed exactly as written.
_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")
# Passages of a document shown at once in the document panel.
PANEL_PASSAGES = 60
# Turns of a conversation shown with their answers; earlier ones keep their question and a link
# that asks it again. The whole conversation is sent and drawn again at every question: at 45
# questions of 20 passages it was 2 MB and a question took 1.3 s to show instead of 0.3 s.
FULL_TURNS = 10


COPY_ICON = ('<svg viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" aria-hidden="true">'
             '<rect x="5" y="5" width="9" height="9" rx="1.5"/><path d="M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 '
             '2 3.5v6A1.5 1.5 0 0 0 3.5 11H5"/></svg>')
LINK_ICON = ('<svg viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" aria-hidden="true">'
             '<path d="M6.5 9.5l3-3M7 4.5l1-1a2.8 2.8 0 0 1 4 4l-1 1M9 11.5l-1 1a2.8 2.8 0 0 1-4-4l1-1"/></svg>')


def escape_text(text: str) -> str:
    escaped = _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)
    return escaped.replace("\n", "<br>")


def attr(text: str) -> str:
    """A value for a double-quoted HTML attribute: every punctuation mark a character reference."""
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text).replace("\n", "&#10;")


def citation(hit: Passage) -> str:
    parts = [f"{hit.source}"] + ([hit.section] if hit.section else []) + [paragraph_label(hit.paragraph, hit.part,
                                                                                           hit.parts)]
    if hit.page:
        parts.append(f"p. {hit.page}")
    if hit.time:  # a transcript: when the answer is said, else when the passage starts
        parts.append(cited_time(hit))
    if hit.date:
        parts.append(hit.date)
    if hit.authors:
        parts.append(hit.authors)
    if hit.ocr:
        parts.append("OCR")  # the text was recognised from an image: it may hold misreadings
    title = f"{hit.title} · " if hit.title and hit.title != hit.source else ""
    return title + " · ".join(parts)


def citation_text(hit: Passage) -> str:
    """What "copy citation" puts on the clipboard: plain text."""
    return f"{citation(hit)}\n“{plain_passage(hit.text, hit.source)}”"


def answer_mark(text: str, lang: str | None) -> str:
    """The answer sentence, highlighted; a screen reader, which does not say the highlight, is
    told "Answer:" before it (in the page's language)."""
    # its own `dir`: the text around it takes its direction from the document's words, not from this one
    return (f'<span class="qa-sr" dir="{direction(lang)}">{escape_text(t(lang, "answer_is"))} </span>'
            f'<mark class="qa-answer">{text}</mark>')


# Document text and questions take their direction from their own first letters: an Arabic or
# Persian passage is laid out right to left (its final punctuation at its left end), whatever the
# page's language.
DIR_AUTO = ' dir="auto"'


def lang_attr(text_lang: str | None, page_lang: str | None) -> str:
    """` lang="xx"` for text in another language than the page's, so that a screen reader
    pronounces it in its own."""
    if not text_lang or text_lang == page_lang or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", text_lang):
        return ""
    return f' lang="{text_lang}"'


# A Markdown heading's marks ("## " at a line's start): a passage of a Markdown file that starts
# with its heading was shown "# Support notes". Only in Markdown files: a "#" starts a line of a
# plain text file for other reasons (a shell comment, "#1 on the list").
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(?=\S)", re.M)
MARKDOWN_SUFFIXES = (".md", ".markdown")


def heading_marks(text: str, source: str) -> list[tuple[int, int, int]]:
    """(marks' start, heading's start, its line's end) of each Markdown heading in `text`."""
    if not source.lower().endswith(MARKDOWN_SUFFIXES):
        return []
    return [(m.start(), m.end(), (text.find("\n", m.end()) + 1 or len(text) + 1) - 1)
            for m in _MD_HEADING.finditer(text)]


def _shown(text: str, start: int, end: int, headings: list[tuple[int, int, int]]) -> str:
    """text[start:end] as HTML: headings' marks left out, their words in bold."""
    out, at = [], start
    for mark, head, line_end in headings:
        if line_end <= at or mark >= end:
            continue
        out.append(escape_text(text[at:max(at, mark)]))
        words = text[max(at, head):min(end, line_end)]
        if words:
            out.append(f'<b class="qa-heading">{escape_text(words)}</b>')
        at = min(end, line_end)
    out.append(escape_text(text[at:end]))
    return "".join(out)


def passage_html(text: str, source: str, answer: tuple[int, int] | None, lang: str | None) -> str:
    """A passage's text, escaped, its answer highlighted, Markdown headings without their marks."""
    headings = heading_marks(text, source)
    if answer is None:
        return _shown(text, 0, len(text), headings)
    a0, a1 = answer
    return (_shown(text, 0, a0, headings) + answer_mark(_shown(text, a0, a1, headings), lang)
            + _shown(text, a1, len(text), headings))


def plain_passage(text: str, source: str) -> str:
    """A passage's text as plain text, Markdown headings without their marks."""
    for mark, head, _ in reversed(heading_marks(text, source)):
        text = text[:mark] + text[head:]
    return text


def highlighted(hit: Passage, lang: str | None = None) -> str:
    return passage_html(hit.text, hit.source, (hit.answer.start, hit.answer.end) if hit.answer else None, lang)


def _cite_line(hit: Passage, lang: str, link: str | None = None) -> str:
    """The citation, a link that opens the document (the page's script). Its address asks the
    question again (`link`): a reply selected and copied into an e-mail, or a citation opened in a
    new tab, led to the chat's empty front page (`#`)."""
    label = hit.match
    answer = f' data-a0="{hit.answer.start}" data-a1="{hit.answer.end}"' if hit.answer else ""
    return (f'<span class="qa-cite"><b>[{hit.rank}]</b> '
            f'<a href="{attr(link or "#")}" class="qa-open" data-doc="{hit.doc_id}" data-passage="{hit.id}"{answer} '
            f'title="{attr(t(lang, "open"))}"{DIR_AUTO}>{escape_text(citation(hit))}</a> '
            f'<span class="qa-score qa-{label}" title="{attr(t(lang, "score"))} {hit.score:.3f}">'
            f'{escape_text(t(lang, label))}</span> '
            + (f'<span class="qa-stale">{escape_text(t(lang, "stale_" + hit.source_changed))}</span> '
               if hit.source_changed in ("changed", "removed") else "")
            + _also_in(hit, lang)
            + f'<button type="button" class="qa-copy" data-copy="{attr(citation_text(hit))}" '
            f'data-done="{attr(t(lang, "copied"))}" title="{attr(t(lang, "copy"))}" '
            f'aria-label="{attr(t(lang, "copy"))}">{COPY_ICON}</button></span>')


def table_header(hit: Passage) -> str | None:
    """The header row above the passage's answer when the answer is a row of a table."""
    if hit.answer is None or "|" not in hit.answer.text:
        return None
    span = (hit.answer.start, hit.answer.end)
    for rows in table_rows(hit.text):
        if span in rows[1:] and headed(hit.text, rows, hit.continued):
            s, e = rows[0]
            return hit.text[s:e]
    return None


def _also_in(hit: Passage, lang: str, shown: int = 3) -> str:
    if not hit.also_in:
        return ""
    more = len(hit.also_in) - shown
    places = "; ".join(hit.also_in[:shown]) + (f" (+{more})" if more > 0 else "")
    return (f'<span class="qa-also" title="{attr("; ".join(hit.also_in))}">'
            f'{escape_text(t(lang, "also_in"))}: {escape_text(places)}</span> ')


def hit_html(hit: Passage, lang: str, full: bool, link: str | None = None) -> str:
    if full:
        return (f'<div class="qa-hit qa-full" data-rank="{hit.rank}">{_cite_line(hit, lang, link)}'
                f'<div class="qa-text"{DIR_AUTO}{lang_attr(hit.lang, lang)}>{highlighted(hit, lang)}</div></div>')
    answer = (escape_text(hit.answer.text) if hit.answer else escape_text(plain_passage(hit.text, hit.source)[:200]))
    header = table_header(hit)
    if header:  # a row alone does not say which column is the price
        answer = f'<span class="qa-header">{escape_text(header)}</span><br>' + answer
    return (f'<details class="qa-hit qa-compact" data-rank="{hit.rank}"><summary>{_cite_line(hit, lang, link)}'
            f'<div class="qa-gist"{DIR_AUTO}{lang_attr(hit.lang, lang)}>{answer_mark(answer, lang)}</div></summary>'
            f'<div class="qa-text"{DIR_AUTO}{lang_attr(hit.lang, lang)}>{highlighted(hit, lang)}</div></details>')


def reply(hits: list[Passage], lang: str = "en", filtered: bool = False, link: str | None = None) -> str:
    """The answer to one question, as HTML: the best passage in full, the others compact
    (citation and answer sentence; the passage on a click). `link`: the address that asks it."""
    if not hits:
        return f'<p class="qa-none">{escape_text(t(lang, "no_match" if filtered else "empty_index"))}</p>'
    parts = []
    if hits[0].followup_of:
        parts.append(f'<p class="qa-followup">{escape_text(t(lang, "read_with", question=hits[0].followup_of))}</p>')
    if hits[0].notice:
        parts.append(f'<p class="qa-notice">{escape_text(notice_text(hits[0].notice, lang))}</p>')
    if hits[0].weak:
        parts.append(f'<p class="qa-none"><b>{escape_text(t(lang, "no_answer"))}</b> '
                     f'{escape_text(t(lang, "closest"))}</p>')
        hits = hits[:1]
    parts += [hit_html(hit, lang, full=n == 0, link=link) for n, hit in enumerate(hits)]
    return "\n".join(parts)


def filters_line(where: dict | None, lang: str) -> str:
    """The filters a reply was searched with, said in the reply: they stay set for the next
    question, and a reply without the answer may only mean the filters left it out."""
    where = where or {}
    colon = {"zh": "：", "ja": "：", "fr": " : "}.get(lang, ": ")
    parts = [t(lang, label) + colon + ", ".join(values) for label, values in
             (("folder", where.get("folders") or []), ("language", where.get("langs") or []),
              ("since", [where["since"]] if where.get("since") else []),
              ("until", [where["until"]] if where.get("until") else [])) if values]
    if not parts:
        return ""
    return f'<p class="qa-filters">{escape_text(t(lang, "filtered", filters=" · ".join(parts)))}</p>'


def notice_text(notice: str, lang: str) -> str:
    """A reply's notice in the page's language (language names too) when it says which one it is."""
    key = getattr(notice, "key", None)
    if key not in ("unknown_language", "unknown_documents"):
        return notice
    v = notice.values
    found = ("、" if lang == "zh" else ", ").join(language_name(code, lang) for code in v["found"])
    return t(lang, f"notice_{key}", language=language_name(v["language"], lang), model=v["model"], found=found)


def error_reply(message: str, lang: str | None = None, alert: bool = False) -> str:
    """An error, in words: `alert` where it appears alone (the document panel), to be said at once."""
    role = ' role="alert"' if alert else ""
    return (f'<p class="qa-error"{role}><span aria-hidden="true">⚠</span> '
            f'<span class="qa-sr">{escape_text(t(lang, "error"))} </span>{escape_text(message)}</p>')


def share_query(question: str, k: int, where: dict | None, after: str | None = None) -> str:
    """`?q=...&k=...` plus the filters: the link that asks this question again. `after`: the earlier
    question(s) a follow-up was read with (`followup_of`), so that the link, opened in a new tab or
    by someone else, reads it with them and shows the same passages ("Who approved it?" alone is
    another question)."""
    params: list[tuple[str, str]] = [("q", question)] + ([("after", after)] if after else []) + [("k", str(k))]
    where = where or {}
    params += [("in", f) for f in where.get("folders") or ()]
    params += [("lang", x) for x in where.get("langs") or ()]
    params += [(key, where[key]) for key in ("since", "until") if where.get(key)]
    return "?" + urlencode(params)


def turn(n: int, question: str, body: str, lang: str, link: str | None, restored: bool = False) -> str:
    """One question and its answer; `link` is None while the answer is being searched. A turn
    `restored` after a reload already has its entry in the browser's history."""
    state = f' data-link="{attr(link)}" data-done="1"' if link is not None else ""
    state += ' data-pushed="1"' if restored else ""
    share = (f' <a class="qa-link" href="{attr(link)}" title="{attr(t(lang, "link"))}" aria-label="{attr(t(lang, "link"))}" '
             f'data-done="{attr(t(lang, "copied"))}">{LINK_ICON}</a>' if link is not None else "")
    # the question is the turn's heading: a screen reader goes from question to question. The link
    # beside it, not in it: a heading's name is its whole text ("When…? Link to this question")
    return (f'<section class="qa-turn" id="qa-turn-{n}" data-turn="{n}" aria-labelledby="qa-q-{n}"{state}>'
            f'<div class="qa-asked"{DIR_AUTO}><h2 class="qa-question" id="qa-q-{n}"{DIR_AUTO}>{escape_text(question)}'
            f'</h2>{share}</div><div class="qa-reply">{body}</div></section>')


_REPLY = '<div class="qa-reply">'
_FOLDED = '<div class="qa-reply qa-folded">'


def fold_earlier(turns: list[str], lang: str | None, keep: int = FULL_TURNS) -> list[str]:
    """The turns with all but the last `keep` answered ones folded: their question (a heading,
    with its link) and a link that asks it again, instead of their passages."""
    return [_folded(html, lang) if n < len(turns) - keep else html for n, html in enumerate(turns)]


def _folded(html: str, lang: str | None) -> str:
    if _FOLDED in html or _REPLY not in html:  # (document text and questions are escaped: no quote in them)
        return html
    head = html[:html.index(_REPLY)]
    link = re.search(r' data-link="([^"]*)"', head)
    if link is None:  # still being searched
        return html
    # `again`: a page load of a question already in the conversation asks nothing (it is the back
    # button's address, reloaded), except from here
    return (head + f'{_FOLDED}<p><a class="qa-again" href="{link.group(1)}{attr("&again=1")}">'
            f'{escape_text(t(lang, "folded"))}</a>'
            '</p></div></section>')


def conversation(turns: list[str], lang: str | None = None) -> str:
    """The turns; with none yet, a short box saying what to do (in `lang`), so that the example
    questions below it are in view on a first visit."""
    # the page's language for the script (the <html> element's `lang`), named region for screen readers
    # and its direction: an Arabic page's replies read right to left (passages keep their own, `dir="auto"`)
    region = (f' role="region" aria-label="{attr(t(lang, "conversation"))}"'
              + (f' data-lang="{lang}" dir="{direction(lang)}"' if lang else ""))
    if not turns:
        intro = f'<p class="qa-intro">{escape_text(t(lang, "intro"))}</p>' if lang else ""
        return f'<div class="qa-turns qa-empty"{region}>{intro}</div>'
    return f'<div class="qa-turns"{region}>' + "".join(turns) + "</div>"


def document_panel(doc: dict, passage_id: int | None, answer: tuple[int, int] | None, lang: str,
                   page: int | None = None) -> str:
    """An indexed document for the side panel: its passages with paragraph numbers (and PDF
    pages) in the margin, the cited one highlighted with its answer sentence; long documents
    are shown `PANEL_PASSAGES` passages at a time around the cited one."""
    passages = doc["passages"]
    text = doc["text"]
    pos = next((n for n, p in enumerate(passages) if p["id"] == passage_id), 0)
    page_no = page if page is not None else pos // PANEL_PASSAGES
    pages = max(1, -(-len(passages) // PANEL_PASSAGES))
    page_no = min(max(page_no, 0), pages - 1)
    shown = passages[page_no * PANEL_PASSAGES:(page_no + 1) * PANEL_PASSAGES]
    title = doc.get("title") or doc["source"]
    # the file name and date isolated (`bdi`): after a right-to-left title, "ar/x.md · 2025-06-01" was
    # reordered into "md · 2025-06-01.ar/x"
    head = escape_text(title) + (f' <small><bdi>{escape_text(doc["source"])}</bdi></small>'
                                 if title != doc["source"] else "")
    if doc.get("date"):
        head += f' <small>· <bdi>{escape_text(doc["date"])}</bdi></small>'
    rows = [f'<a href="#" class="qa-back" aria-keyshortcuts="Escape">{escape_text(t(lang, "back"))}</a>',
            f'<h2 class="qa-doc-title"{DIR_AUTO}{lang_attr(doc.get("lang"), lang)}>{head}</h2>']
    if page_no > 0:
        rows.append(f'<a href="#" class="qa-open qa-page" data-doc="{doc["id"]}" data-pageno="{page_no - 1}">'
                    f'{escape_text(t(lang, "earlier"))}</a>')
    last_page = None
    for p in shown:
        body = text[p["start"]:p["end"]]
        cited = p["id"] == passage_id
        marked = cited and answer and 0 <= answer[0] < answer[1] <= len(body)
        inner = passage_html(body, doc["source"], (answer[0], answer[1]) if marked else None, lang)
        part, parts = p.get("part"), p.get("parts")
        margin = escape_text(paragraph_label(p["paragraph"], part, parts)).replace(" ", "<br>", 1)
        page, time = timed_place(p.get("page"), doc.get("meta") or {})
        if time:  # a transcript: every passage's time (each one's differs)
            margin += f"<br>{time}"
            # and, highlighted as the answer is, the time the citation gave: when the answer is said
            marked = cited and answer and 0 <= answer[0] < answer[1] <= len(body)
            said_at = cue_time(doc.get("meta") or {}, p["start"] + answer[0]) if marked else None
            if said_at and said_at != time:
                margin += f'<br><mark class="qa-said">{said_at}</mark>'
        elif page and page != last_page:
            margin += f"<br>p. {page}"
            last_page = page
        # a part's number said in words to a screen reader and on hover ("Paragraph 1, part 2 of 3");
        # the margin left to right in every page: in a right-to-left one "§1" read "1§" (§ and digits
        # take the direction around them)
        said = (f' title="{attr(t(lang, "part_of", paragraph=p["paragraph"], part=part, parts=parts))}"'
                if part else "")
        rows.append(f'<div class="qa-para{" qa-cited" if cited else ""}" id="{element_id(p["paragraph"], part)}">'
                    f'<span class="qa-pn" dir="ltr"{said}>{margin}</span>'
                    f'<div class="qa-pt"{DIR_AUTO}{lang_attr(p.get("lang") or doc.get("lang"), lang)}>{inner}</div></div>')
    if page_no < pages - 1:
        rows.append(f'<a href="#" class="qa-open qa-page" data-doc="{doc["id"]}" data-pageno="{page_no + 1}">'
                    f'{escape_text(t(lang, "later"))}</a>')
    # and at its end: Tab from the cited paragraph went on to Gradio's footer ("Use via API"), away
    # from the chat; a reader at the bottom of a long document had to scroll up for the way back
    rows.append(f'<p class="qa-end"><a href="#" class="qa-back-end">{escape_text(t(lang, "back"))}</a></p>')
    return f'<div class="qa-document" dir="{direction(lang)}">' + "".join(rows) + "</div>"


LIST_ROWS = 500


def document_list(documents: list[dict], uploaded: set[str], lang: str) -> str:
    """The indexed documents with their passage counts (the first `LIST_ROWS`, documents added
    from the page first); those added from the page are marked."""
    rows = []
    ordered = sorted(documents, key=lambda d: d["source"] not in uploaded)
    for d in ordered[:LIST_ROWS]:
        mark = ' <span class="qa-uploaded">↑</span>' if d["source"] in uploaded else ""
        title = f' <small{DIR_AUTO}>{escape_text(d["title"])}</small>' if d.get("title") and d["title"] != d["source"] else ""
        # the name opens the document in the panel (its first paragraphs)
        name = (f'<a href="#" class="qa-open" data-doc="{d["id"]}" title="{attr(t(lang, "open_document"))}"'
                f'{DIR_AUTO}>{escape_text(d["source"])}</a>' if d.get("id") is not None else escape_text(d["source"]))
        rows.append(f'<tr data-source="{attr(d["source"])}"><td>{name}{mark}{title}</td>'
                    f'<td class="qa-count">{d["passages"]}</td></tr>')
    if len(ordered) > LIST_ROWS:
        rows.append(f'<tr><td>… {len(ordered) - LIST_ROWS}</td><td></td></tr>')
    return (f'<table class="qa-doclist" dir="{direction(lang)}"><thead><tr><th>{escape_text(t(lang, "documents"))}</th>'
            f'<th>{escape_text(t(lang, "passages"))}</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")
