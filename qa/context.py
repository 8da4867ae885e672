"""A passage's document context on the dense side: its document's head, embedded once.

A man page's paragraph is an option and one line ("-a, --all / include entries starting
with ."): its vector says nothing of `ls`, of listing files, of the page it belongs to. A
document of several passages gets one more vector at build time, its head (its title, when
it is a real one, and the start of its text: a man page's NAME and SYNOPSIS, an article's
lead), and a passage's dense score mixes in the question's cosine to its document's head
(`qa.fusion.dense_score`, weight `Calibration.context_weight`). A document of one passage
gets none: its passage is its whole context, and its score stays what it was (every XQuAD
paragraph). Chosen on development data (German man pages, XQuAD's development languages):
see docs/quality.md, "Session 6".
"""
from __future__ import annotations

from .titles import title_tokens

# Characters of the document's text (after its title) in its head: 600 kept a man page's
# NAME, SYNOPSIS and the start of its DESCRIPTION (dev: 300 and 600 within 0.01, 600 better dense).
HEAD_CHARS = 600
# 2: documents of several passages carry their head's vector. An index of version 1 gets them
# at its next `qa index` (heads embedded, no passage re-embedded); until then it is searched
# without context, for every passage alike.
CONTEXT_VERSION = 2


def document_head(title: str | None, source: str, lang: str | None, text: str, chars: int = HEAD_CHARS) -> str:
    """The text embedded as a document's context: its title (none for a file name or a
    reader's cut of a first line, as in `qa.titles`) and the first `chars` of its text."""
    line = " ".join(title.split()) if title and title_tokens(title, source, lang) else ""
    body = " ".join(text.split())
    if line and body.startswith(line):
        body = body[len(line):].lstrip()
    return f"{line}\n{body[:chars]}" if line else body[:chars]


def context_current(meta: dict[str, str]) -> bool:
    """Whether every document of several passages in this index (`Store.meta()`) has its context."""
    return int(meta.get("context_version", 1)) == CONTEXT_VERSION
