"""A passage's document context in the lexical index: its document's title.

A passage such as "-a, --all / include entries starting with ." rarely names its document
("ls"), which its title does ("LS(1) User Commands LS(1)"). Every passage of a document
carries its title's tokens among its own, so that a question naming the document matches
all of its passages. Merged with the passage's words rather than kept as terms of their own
("t:ls"): as their own terms, the few passages that also name the document in their text
(NAME, SYNOPSIS, SEE ALSO) scored the name twice and kept outranking the answering option
(development man pages, hybrid MRR@10: own terms 0.476, merged 0.553, none 0.425; see
docs/quality.md).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .language import tokenize
from .records import PART_SEPARATOR

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def is_file_name(title: str, source: str) -> bool:
    """Whether `title` is only the document's file name (with or without its extension),
    which a reader puts when the document has no title of its own: the name says nothing
    the citation does not, and a generated one ("000_00b606b2294fa235") is noise."""
    name = source.rsplit(PART_SEPARATOR, 1)[-1].rsplit("/", 1)[-1].strip()
    title = title.strip()
    return title in (name, _EXTENSION.sub("", name))


def title_tokens(title: str | None, source: str, lang: str | None) -> list[str]:
    """The title tokens every passage of the document carries: none for a missing title, a
    file name, or the start of a long first line that a reader cut to make a title ("…", see
    `qa.readers.text.first_heading`): that is a paragraph's first words, not a title."""
    return list(_title_tokens(title, source, lang))


@lru_cache(maxsize=256)  # a document's passages ask for it in a row (re-tokenizing an index)
def _title_tokens(title: str | None, source: str, lang: str | None) -> tuple[str, ...]:
    if not title or not title.strip() or title.endswith("…") or is_file_name(title, source):
        return ()
    return tuple(tokenize(title, lang))


def with_title(tokens: list[str], text: str, title: str | None, context: list[str]) -> list[str]:
    """A passage's `tokens` and its document's title tokens `context`, unless the passage's
    `text` holds the title: the title's own line, or a document of one passage that a reader
    titled with its first line, where the title would only count those words twice."""
    if not context or not title:
        return tokens
    line = " ".join(title.split())
    if line and line in " ".join(text.split()):
        return tokens
    return tokens + context
