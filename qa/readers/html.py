"""HTML (and the XHTML chapters of e-books): block-level text in document order."""
from __future__ import annotations

import re

from ..records import Document
from .text import UnreadableDocument, decode_text, iso_date, join_blocks, table_pieces

_BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li pre blockquote td th dd dt figcaption caption address div section article "
    "header footer main aside nav table tr thead tbody tfoot ul ol dl form fieldset details summary "
    "figure hr body html center legend".split())
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object"]
_SPACES = re.compile(r"[^\S\n]+")
_ONE_LINE = re.compile(r"\s+")


def html_pieces(tree) -> list[tuple[str, int | bool]]:
    """(text, heading) of every block of the parsed page, in document order: a heading's level
    (1 for h1 ... 6 for h6), False for any other block.

    Text directly inside an outer block ("<div>Intro<p>...</p>Outro</div>") is a piece
    of its own between its inner blocks; `<br>` is a line break."""
    tree.strip_tags(_SKIP)
    root = tree.body or tree.root
    pieces: list[tuple[str, int | bool]] = []
    if root is None:
        return pieces
    buffer: list[str] = []
    headings: list[int] = []  # levels of the heading elements around the text being collected

    def flush() -> None:
        if buffer:
            lines = (_SPACES.sub(" ", line).strip() for line in "".join(buffer).split("\n"))
            text = "\n".join(line for line in lines if line)
            if text:
                pieces.append((text, headings[-1] if headings else False))
            buffer.clear()

    # iterative walk: hostile pages nest deeper than Python's recursion limit
    stack: list[tuple[object, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag
        if not entering:
            flush()
            if tag in _HEADINGS:
                headings.pop()
            continue
        if tag == "-text":
            buffer.append(node.text_content or "")
            continue
        if tag == "br":
            buffer.append("\n")
            continue
        if tag.startswith("-"):  # comments, doctype
            continue
        if tag == "table" and (rows := _data_rows(node)) is not None:
            flush()
            pieces.extend((piece, False) for piece in table_pieces(rows))
            continue
        if tag in _BLOCKS:
            flush()
            if tag in _HEADINGS:
                headings.append(int(tag[1]))
            stack.append((node, False))
        children = list(node.iter(include_text=True))
        stack.extend((child, True) for child in reversed(children))
    flush()
    return pieces


_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})
_LAYOUT = "p,div,table,ul,ol,dl,h1,h2,h3,h4,h5,h6,pre,blockquote,section,article"


def _data_rows(table) -> list[list[str]] | None:
    """The cells of a data table, row by row; None for a table used for page layout
    (cells holding paragraphs, lists or tables), whose blocks are read one by one."""
    rows: list[list[str]] = []
    for child in table.iter():
        for tr in (child.iter() if child.tag in _ROW_GROUPS else [child]):
            if tr.tag != "tr":
                continue
            cells = []
            for cell in tr.iter():
                if cell.tag not in _CELLS:
                    continue
                if cell.css_first(_LAYOUT) is not None:
                    return None
                cells.append(" ".join(cell.text(deep=True, separator=" ").split()))
            rows.append(cells)
    return rows or None


def html_meta(tree) -> tuple[str | None, str | None]:
    """The page's <title> and its date from the usual meta tags."""
    title = tree.css_first("title")
    title_text = _ONE_LINE.sub(" ", title.text()).strip() if title else None
    for selector in ('meta[name="date"]', 'meta[property="article:published_time"]',
                     'meta[name="dc.date"]', 'meta[name="DC.date"]', "time[datetime]"):
        node = tree.css_first(selector)
        value = node and (node.attributes.get("content") or node.attributes.get("datetime"))
        if value:
            return title_text or None, iso_date(value)
    return title_text or None, None


def parse_html(markup: str):
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(markup)


def main_content(markup: str, pieces: list[tuple[str, int | bool]]) -> list[tuple[str, int | bool]]:
    """The run of pieces that trafilatura counts as the page's main content: menus,
    banners and sidebars before it, "read also" lists, comments and footers after it go.
    The text stays ours (trafilatura only says where the content starts and ends), so
    offsets into the extracted text stay exact. Everything between the first and the last
    piece it keeps stays too: it drops code listings and figure captions that belong to
    the article. Where it finds nothing, every piece stays."""
    import trafilatura

    try:
        extracted = trafilatura.extract(markup, include_tables=True, include_comments=False, favor_recall=True,
                                        deduplicate=False, output_format="txt", with_metadata=False)
    except Exception:  # the extractor failing on an odd page costs the page nothing
        extracted = None
    if not extracted:
        return pieces
    # trafilatura puts our blocks in the same order but spaces and breaks lines its own way:
    # compare without spacing, and walk both texts in step
    whole = _key(extracted)
    cursor = 0
    matched = []
    for i, (text, _) in enumerate(pieces):
        key = _key(text)
        at = whole.find(key, cursor)
        # a short piece must come next, or "Contact" in a menu would count because the
        # article says "contact" further on
        if key and at >= 0 and (len(key) >= 40 or at - cursor <= 20):
            matched.append(i)
            cursor = at + len(key)
    if not matched:
        return pieces
    return pieces[matched[0]:matched[-1] + 1]


# Spacing, the pipes and rules of table rows, and the invisible format characters that
# trafilatura leaves out: Persian's zero-width non-joiner (in most of its sentences), soft
# hyphens, zero-width spaces and joiners, direction marks. A piece holding one was not found
# in its text, and the page was cut before it.
_UNSPACED = re.compile(r"[\s|\-\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")


def _key(text: str) -> str:
    """Text compared without its spacing, its invisible characters, and the pipes and rules
    of table rows."""
    return _UNSPACED.sub("", text)


def read_html(raw: bytes, source: str) -> Document:
    markup = decode_text(raw)
    tree = parse_html(markup)
    title, date = html_meta(tree)
    pieces = html_pieces(tree)
    if not pieces:
        raise UnreadableDocument("no text in HTML")
    pieces = main_content(markup, pieces)
    text, blocks = join_blocks([(piece, None, heading) for piece, heading in pieces])
    if not title:
        title = next((text[b.start:b.end] for b in blocks if b.heading), None)
    return Document(source, text, blocks, title, date)
