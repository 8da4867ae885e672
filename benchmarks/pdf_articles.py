"""XQuAD's articles as PDF reports: what reading PDFs costs against the same text as plain files.

Each XQuAD article (5 paragraphs) is typeset with reportlab as a small report (A5, DejaVu Sans,
justified paragraphs, a running header with the article's title and a footer "Page N" on every
page, as reports have), and, beside it, written as a plain text file with its paragraphs apart
(benchmarks/xquad_articles.py). Both collections are indexed and every question asked (k=10).

A hit is the gold one when it is in the question's article and holds the answer's sentence
(its middle 40 characters, whitespace and cut-word hyphens aside): a PDF passage need not be
the paragraph (page breaks cut paragraphs). Reported: MRR@10, first, answer-hit@1 (the top
hit's highlighted answer holds a gold answer), answer junk (answers holding the running header
or footer). Split by article as xquad_articles.py: even articles development, odd held-out.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/pdf_articles.py [--langs en,es,de,ru] [--split dev]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Latin, Greek, Cyrillic (not CJK, not shaped Arabic)
HEADER = "Encyclopedia extracts · {title}"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"-\s*\n\s*", "", text).split()).replace("- ", "").casefold()


def write_pdf(path: Path, title: str, paragraphs: list[str]) -> None:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    style = ParagraphStyle("body", fontName="DejaVu", fontSize=9.5, leading=12.5, alignment=TA_JUSTIFY, spaceAfter=7)
    heading = ParagraphStyle("title", fontName="DejaVu", fontSize=14, leading=18, spaceAfter=10)

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("DejaVu", 7)
        canvas.drawString(40, A5[1] - 28, HEADER.format(title=title))
        canvas.drawRightString(A5[0] - 40, 22, f"Page {doc.page}")
        canvas.restoreState()

    story = [Paragraph(title, heading)] + [Paragraph(p.replace("&", "&amp;").replace("<", "&lt;"), style)
                                           for p in paragraphs]
    SimpleDocTemplate(str(path), pagesize=A5, leftMargin=40, rightMargin=40, topMargin=45, bottomMargin=40,
                      title=title).build(story, onFirstPage=decorate, onLaterPages=decorate)


def questions(data: Path, lang: str, split: str) -> list[tuple[str, int, str, list[str]]]:
    """(question, article, answer sentence, answers) of the split."""
    from qa.sentences import sentence_spans

    out = []
    articles = json.loads((data / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
    for a, article in enumerate(articles):
        if (a % 2 == 0) != (split == "dev"):
            continue
        for p in article["paragraphs"]:
            context = p["context"]
            spans = sentence_spans(context, lang)
            for q in p["qas"]:
                at = q["answers"][0]["answer_start"]
                s, e = next(((s, e) for s, e in spans if s <= at < e), (0, len(context)))
                out.append((q["question"], a, context[s:e], [x["text"] for x in q["answers"]]))
    return out


def evaluate(retriever, asked, stems: dict[int, str], title_of: dict[int, str]) -> dict:
    rr = first = hit = junk = 0.0
    for question, article, sentence, answers in asked:
        key = _norm(sentence)
        mid = key[max(0, len(key) // 2 - 20):len(key) // 2 + 20]
        hits = retriever.search(question, k=10)
        rank = next((n for n, h in enumerate(hits, 1)
                     if Path(h.source).stem == stems[article] and mid in _norm(h.text)), None)
        rr += 1 / rank if rank else 0.0
        first += rank == 1
        answer = hits[0].answer.text if hits and hits[0].answer else ""
        hit += any(_norm(x) in _norm(answer) for x in answers)
        junk += bool(re.search(r"Page \d+|Encyclopedia extracts", answer))
    n = len(asked)
    return {"questions": n, "mrr10": rr / n, "first": first / n, "answer_hit1": hit / n, "answer_junk": junk / n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", default="en,es,de,ru")
    ap.add_argument("--split", default="dev", choices=("dev", "held"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    ap.add_argument("--skip-text", action="store_true", help="only the PDF collection")
    args = ap.parse_args()
    from qa import Retriever, build_index

    data = Path(args.data)
    print("| lang | collection | questions | MRR@10 | first | answer-hit@1 | answers with header/footer |")
    print("|---|---|---|---|---|---|---|")
    for lang in args.langs.split(","):
        articles = json.loads((data / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
        asked = questions(data, lang, args.split)
        stems = {a: f"a{a:02d}" for a in range(len(articles))}
        titles = {a: articles[a].get("title") or f"Article {a}" for a in range(len(articles))}
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            for kind in (("pdf",) if args.skip_text else ("txt", "pdf")):
                folder = tmp / kind
                folder.mkdir()
                for a, article in enumerate(articles):
                    paragraphs = [" ".join(p["context"].split()) for p in article["paragraphs"]]
                    if kind == "pdf":
                        write_pdf(folder / f"{stems[a]}.pdf", titles[a], paragraphs)
                    else:
                        (folder / f"{stems[a]}.txt").write_text(titles[a] + "\n\n" + "\n\n".join(paragraphs) + "\n",
                                                                encoding="utf-8")
                build_index([folder], index=tmp / f"index-{kind}", progress=False)
                retriever = Retriever.open(tmp / f"index-{kind}")
                r = evaluate(retriever, asked, stems, titles)
                retriever.close()
                print(f"| {lang} | {kind} | {r['questions']} | {r['mrr10']:.3f} | {r['first']:.3f} | "
                      f"{r['answer_hit1']:.3f} | {r['answer_junk']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
