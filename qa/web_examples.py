"""Example questions for the chat, made from the indexed documents themselves: a few
documents' titles (or first sentences), in several languages when the index has them,
turned into prompts in each document's language."""
from __future__ import annotations

from .web_i18n import EXAMPLE_TEMPLATES

MAX_EXAMPLES = 5
MAX_CHARS = 90


def _gist(title: str | None, source: str, first: str | None) -> str | None:
    if title and title.strip() and title != source and title != source.rsplit("/", 1)[-1]:
        text = title.strip()
    elif first and first.strip():
        text = first.strip().split("\n", 1)[0]
        for stop in (". ", "。", "? ", "! "):
            text = text.split(stop, 1)[0]
    else:
        return None
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return text or None


def examples_from(store, limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to `limit` prompts, one per document, documents of new languages first."""
    rows = store.connection().execute(
        "SELECT d.title, d.source, d.lang, (SELECT p.text FROM passages p WHERE p.doc_id = d.id "
        "ORDER BY p.start LIMIT 1) FROM documents d ORDER BY d.id LIMIT 200").fetchall()
    chosen: list[str] = []
    seen_langs: set[str | None] = set()
    for fresh_language_only in (True, False):
        for title, source, lang, first in rows:
            if len(chosen) >= limit:
                return chosen
            if fresh_language_only and lang in seen_langs:
                continue
            gist = _gist(title, source, first)
            if gist is None:
                continue
            prompt = EXAMPLE_TEMPLATES.get(lang or "", "{}").format(gist) if title and gist == title.strip() else gist
            if prompt not in chosen:
                chosen.append(prompt)
                seen_langs.add(lang)
    return chosen
