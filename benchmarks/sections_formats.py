"""The sections collection (benchmarks/data/sections_docs, Markdown) as web pages, .docx files and
PDFs with bookmarks, for `sections_dev.py --format html|docx|pdf`: the same text, its headings as
h1-h6 / "Heading N" styles / outline entries nested by `#` level, lists as list items, code as
preformatted text. Written with markdown-it-py (its HTML), python-docx (a paragraph per Markdown
block, `add_heading` at the `#` level) and reportlab (platypus paragraphs, headings bookmarked)."""
from __future__ import annotations

import html
import shutil
from pathlib import Path


def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _inline(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak",):
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def to_html(text: str) -> str:
    tokens = _markdown().parse(text)
    title = next((_inline(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"), "")
    body = _markdown().render(text)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><main>{body}</main></body></html>")


def write_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    tokens = _markdown().parse(text)
    lists: list[str] = []
    rows: list[list[str]] | None = None
    for i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Bullet" if token.type == "bullet_list_open" else "List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "heading_open":
            document.add_heading(_inline(tokens[i + 1]), level=int(token.tag[1]))
        elif token.type == "paragraph_open" and rows is None:
            words = _inline(tokens[i + 1])
            if words.strip():
                document.add_paragraph(words, style=lists[-1] if lists else None)
        elif token.type in ("fence", "code_block"):
            document.add_paragraph(token.content.rstrip("\n"))
        elif token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows is not None:
            rows[-1].append(_inline(token))
        elif token.type == "table_close":
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            rows = None
    document.save(path)


def write_pdf(text: str, path: Path) -> None:
    """A PDF as a word processor exports one: wrapped paragraphs, headings in larger type, and
    the headings in its outline (bookmarks, nested by `#` level)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, Preformatted, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = []
    tokens = _markdown().parse(text)
    bullets: list[str] = []
    for i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            bullets.append("•")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            bullets.pop()
        elif token.type == "heading_open":
            level = int(token.tag[1])
            flowable = Paragraph(html.escape(_inline(tokens[i + 1])), styles[f"Heading{min(level, 6)}"])
            flowable.outline_level = level - 1
            story.append(flowable)
        elif token.type == "paragraph_open":
            words = html.escape(_inline(tokens[i + 1])).replace("\n", "<br/>")
            if words.strip():
                story.append(Paragraph(words, styles["Normal"], bulletText="•" if bullets else None))
        elif token.type in ("fence", "code_block"):
            story.append(Preformatted(token.content.rstrip("\n"), styles["Code"]))

    class Outlined(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            level = getattr(flowable, "outline_level", None)
            if level is not None:
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)

    Outlined(str(path), pagesize=A4).build(story)


def convert(docs: Path, out: Path, fmt: str) -> Path:
    """`docs`' Markdown files written as `fmt` under `out` (made afresh)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for md in sorted(docs.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        target = out / (md.stem + "." + fmt)
        if fmt == "html":
            target.write_text(to_html(text), encoding="utf-8")
        elif fmt == "pdf":
            write_pdf(text, target)
        else:
            write_docx(text, target)
    return out
