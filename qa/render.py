"""Replies of the chat as HTML. Document text is always escaped: shown, never interpreted."""
from __future__ import annotations

import re

from .records import Passage

# Every ASCII punctuation mark becomes a character reference, so that neither the HTML
# sanitizer nor the Markdown renderer can see markup (tags, links, emphasis, math) in
# a document's text: it is displayed exactly as written.
_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")


def escape_text(text: str) -> str:
    escaped = _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)
    return escaped.replace("\n", "<br>")


def citation(hit: Passage) -> str:
    parts = [f"{hit.source}", f"§{hit.paragraph}"]
    if hit.page:
        parts.append(f"p. {hit.page}")
    if hit.date:
        parts.append(hit.date)
    parts.append(f"score {hit.score:.3f}")
    title = f"{hit.title} · " if hit.title and hit.title != hit.source else ""
    return title + " · ".join(parts)


def highlighted(hit: Passage) -> str:
    text = hit.text
    if hit.answer is None:
        return escape_text(text)
    a = hit.answer
    return (escape_text(text[:a.start]) + '<mark class="qa-answer">' + escape_text(text[a.start:a.end])
            + "</mark>" + escape_text(text[a.end:]))


def context_block(hit: Passage, context: list[dict]) -> str:
    if len(context) <= 1:
        return ""
    rows = []
    for item in context:
        here = item["id"] == hit.id
        body = highlighted(hit) if here else escape_text(item["text"])
        rows.append(f'<p class="{"qa-here" if here else "qa-near"}"><small>§{item["paragraph"]}</small> {body}</p>')
    first, last = context[0]["paragraph"], context[-1]["paragraph"]
    return (f'<details class="qa-context"><summary>Show in the document (§{first}–§{last})</summary>'
            + "".join(rows) + "</details>")


def reply(hits: list[Passage], contexts: dict[int, list[dict]] | None = None) -> str:
    """The assistant's message for a list of hits, as HTML."""
    contexts = contexts or {}
    if not hits:
        return "<p>The index is empty: there is nothing to search.</p>"
    parts = []
    if hits[0].notice:
        parts.append(f'<p class="qa-notice">{escape_text(hits[0].notice)}</p>')
    if hits[0].weak:
        parts.append('<p class="qa-none"><b>No passage in the documents answers this question.</b> '
                     "The closest one, a weak match:</p>")
        hits = hits[:1]
    for hit in hits:
        weak = ' <span class="qa-weak">weak match</span>' if hit.weak else ""
        parts.append(
            f'<div class="qa-hit"><div class="qa-cite"><b>[{hit.rank}]</b> {escape_text(citation(hit))}{weak}</div>'
            f'<div class="qa-text">{highlighted(hit)}</div>{context_block(hit, contexts.get(hit.id, []))}</div>')
    return "\n".join(parts)


def error_reply(message: str) -> str:
    return f'<p class="qa-error">⚠ {escape_text(message)}</p>'
