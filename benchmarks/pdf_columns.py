"""Two-column PDFs: XQuAD's articles set in two columns, read with and without the column reading
(`qa.readers.pdf_layout`), and the one-column reports of pdf_articles.py checked unchanged.

Each article is set on A4 pages (DejaVu Sans 9.5/12.5, the title across the page, then its
paragraphs in two columns, a blank line between paragraphs, a running footer), drawn in one of two
orders: `columns`, the left column's lines then the right's (as TeX and most layout programs
write a page), or `rows`, each height's lines left then right across the page in one text object
(as producers that sort a page's text by height write it: pypdf joins the two lines). Asked: every
question of the split (k=10); a hit is gold when it is in the question's article and holds the
middle 40 characters of the answer's sentence (pdf_articles.py's rule).

`--pages` only reads: how many pages of each kind of PDF the column/table reading takes over
(one-column reports must be none) and the CPU time of reading them with and without it.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/pdf_columns.py --pages
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/pdf_columns.py --split dev --langs en,de
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pdf_articles  # noqa: E402

FOOTER = "Encyclopedia extracts · page {page}"


def write_two_columns(path: Path, title: str, paragraphs: list[str], order: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", pdf_articles.FONT))
    width, height = A4
    margin, gutter, leading, size = 56, 24, 12.5, 9.5
    column = (width - 2 * margin - gutter) / 2
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [*simpleSplit(paragraph, "DejaVu", size, column), ""]
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(title)
    page = 1
    while lines:
        top = height - 60
        if page == 1:
            c.setFont("DejaVu", 14)
            c.drawString(margin, top, title)
            top -= 30
        rows = int((top - 60) / leading)
        left, right, lines = lines[:rows], lines[rows:2 * rows], lines[2 * rows:]
        text = c.beginText()
        text.setFont("DejaVu", size)
        placed = [(i, x, side[i]) for i in range(rows) for x, side in ((margin, left), (margin + column + gutter, right))
                  if i < len(side) and side[i]]
        if order == "columns":
            placed.sort(key=lambda item: item[1])
        for i, x, line in placed:
            text.setTextOrigin(x, top - i * leading)
            text.textOut(line)
        c.drawText(text)
        c.setFont("DejaVu", 7)
        c.drawCentredString(width / 2, 30, FOOTER.format(page=page))
        c.showPage()
        page += 1
    c.save()


def without_layout():
    """The reader as it was: every page as pypdf reads it."""
    from qa.readers import pdf_layout

    pdf_layout.page_text = lambda textpage: None


def write_all(folder: Path, articles: list[dict], kind: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for a, article in enumerate(articles):
        title = article.get("title") or f"Article {a}"
        paragraphs = [" ".join(p["context"].split()) for p in article["paragraphs"]]
        if kind == "report":
            pdf_articles.write_pdf(folder / f"a{a:02d}.pdf", title, paragraphs)
        else:
            write_two_columns(folder / f"a{a:02d}.pdf", title, paragraphs, kind)


def pages(data: Path, langs: list[str]) -> None:
    import pypdfium2 as pdfium

    from qa.readers import pdf_layout, read_document

    print("| lang | PDFs | pages | report pages taken over | columns pages | rows pages | "
          "CPU s reading reports: pypdf only / with layout |")
    print("|---|---|---|---|---|---|---|")
    for lang in langs:
        articles = json.loads((data / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
        with tempfile.TemporaryDirectory() as tmp:
            counts, total = {}, 0
            for kind in ("report", "columns", "rows"):
                folder = Path(tmp) / kind
                write_all(folder, articles, kind)
                taken = 0
                for path in sorted(folder.glob("*.pdf")):
                    pdf = pdfium.PdfDocument(path)
                    for i in range(len(pdf)):
                        textpage = pdf[i].get_textpage()
                        taken += pdf_layout.page_text(textpage) is not None
                        total += kind == "report"
                        textpage.close()
                    pdf.close()
                counts[kind] = taken
            reports = sorted((Path(tmp) / "report").glob("*.pdf"))
            cpu = []
            for layout in (False, True):
                saved = pdf_layout.page_text
                if not layout:
                    pdf_layout.page_text = lambda textpage: None
                start = time.process_time()
                for path in reports:
                    read_document(path, path.name)
                cpu.append(time.process_time() - start)
                pdf_layout.page_text = saved
            print(f"| {lang} | {len(reports)} | {total} | {counts['report']} | {counts['columns']} | {counts['rows']} | "
                  f"{cpu[0]:.2f} / {cpu[1]:.2f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", default="en,es,de,ru")
    ap.add_argument("--split", default="dev", choices=("dev", "held"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    ap.add_argument("--pages", action="store_true", help="only count the pages taken over, and time reading")
    ap.add_argument("--orders", default="rows,columns")
    ap.add_argument("--without-layout", action="store_true", help="read as before: pypdf's order")
    args = ap.parse_args()
    data = Path(args.data)
    if args.pages:
        pages(data, args.langs.split(","))
        return
    if args.without_layout:
        without_layout()
    from qa import Retriever, build_index

    reader = "pypdf order" if args.without_layout else "columns read"
    print("| lang | order | reader | questions | MRR@10 | first | answer-hit@1 |")
    print("|---|---|---|---|---|---|---|")
    for lang in args.langs.split(","):
        articles = json.loads((data / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
        asked = pdf_articles.questions(data, lang, args.split)
        stems = {a: f"a{a:02d}" for a in range(len(articles))}
        for order in args.orders.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "pdf"
                write_all(folder, articles, order)
                build_index([folder], index=Path(tmp) / "index", progress=False)
                retriever = Retriever.open(Path(tmp) / "index")
                r = pdf_articles.evaluate(retriever, asked, stems, {})
                retriever.close()
            print(f"| {lang} | {order} | {reader} | {r['questions']} | {r['mrr10']:.3f} | {r['first']:.3f} | "
                  f"{r['answer_hit1']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
