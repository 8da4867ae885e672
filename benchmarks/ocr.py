"""OCR: pages per second on this machine, and retrieval on scanned pages against the same text.

Each paragraph (the French seed article's, and the first XQuAD paragraphs in English and
German) is written once as a .txt file and once rendered as an image (Vera, 30 px, 80
characters a line; "photo": blurred, tilted, grey JPEG); both folders are indexed with `build_index` and the paragraph's
questions asked through `Retriever.search`. Reported: OCR images/s (Tesseract alone, one
image at a time, timed before the build, which then reads its cache), A4 pages/s at 300
dpi, the character error
of the OCR text (1 - difflib ratio), and MRR@10 / recall@1 for text vs OCR.

    python benchmarks/ocr.py [--paragraphs 20] [--json]
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]


def seed_set() -> tuple[list[str], list[tuple[str, int]]]:
    from conftest import SEED_NAME, SEEDS
    from test_seed_questions import QUESTIONS

    from qa.passages import chunk_document
    from qa.readers import read_document

    doc = read_document(SEEDS / SEED_NAME, SEED_NAME)
    paragraphs = [doc.text[c.start:c.end] for c in chunk_document(doc, 10_000)]
    return paragraphs, [(q, gold - 1) for _, q, gold in QUESTIONS]


def xquad_set(lang: str, n: int) -> tuple[list[str], list[tuple[str, int]]]:
    from common import xquad_dir

    from qa.squad import load_squad

    squad = load_squad(xquad_dir() / f"xquad.{lang}.json")
    questions = [(q.text, squad.gold[q.id]) for q in squad.questions if squad.gold[q.id] < n]
    return squad.contexts[:n], questions


def render(text: str, path: Path, photo: bool = False) -> None:
    from formats import text_image

    lines = [line for para in text.split("\n") for line in (textwrap.wrap(para, 80) or [""])]
    image = text_image(lines, width=1700, size=30, noise=photo)
    (image.convert("RGB").save(path.with_suffix(".jpg"), quality=75) if photo else image.save(path))


def full_pages(n: int = 4) -> dict:
    """Tesseract on whole A4 pages at 300 dpi (2480 x 3508 px, 52 lines of XQuAD text each)."""
    from common import xquad_dir
    from formats import text_image
    from PIL import Image

    from qa.readers import ocr
    from qa.squad import load_squad

    words = " ".join(load_squad(xquad_dir() / "xquad.en.json").contexts[:60])
    lines = textwrap.wrap(words, 95)
    options = ocr.OcrOptions(True, "eng", None)
    started = time.perf_counter()
    for i in range(n):
        page = Image.new("L", (2480, 3508), 255)
        page.paste(text_image(lines[i * 52:(i + 1) * 52], width=2300, size=38), (90, 150))
        ocr.recognise(f"page{i}", lambda: page, options)
    seconds = time.perf_counter() - started
    return {"a4_pages": n, "seconds": round(seconds, 1), "a4_pages_per_s": round(n / seconds, 3)}


def mrr(index: Path, questions: list[tuple[str, int]], suffix: str) -> tuple[float, float]:
    from qa import Retriever

    retriever = Retriever.open(index)
    rr, top1 = [], []
    for question, gold in questions:
        hits = retriever.search(question, k=10)
        ranks = [h.rank for h in hits if h.source == f"p{gold:03d}{suffix}"]
        rr.append(1 / ranks[0] if ranks else 0.0)
        top1.append(bool(ranks) and ranks[0] == 1)
    retriever.close()
    return sum(rr) / len(rr), sum(top1) / len(top1)


def run_set(name: str, paragraphs: list[str], questions, lang: str, tmp: Path, photo: bool = False) -> dict:
    from PIL import Image

    from qa import build_index
    from qa.readers import ocr

    text_dir, image_dir = tmp / name / "text", tmp / name / "images"
    text_dir.mkdir(parents=True)
    image_dir.mkdir()
    for i, para in enumerate(paragraphs):
        (text_dir / f"p{i:03d}.txt").write_text(para, encoding="utf-8")
        render(para, image_dir / f"p{i:03d}.png", photo)
    image_index = tmp / name / "image-index"
    options = ocr.OcrOptions(True, lang, image_index / "ocr-cache")
    started = time.perf_counter()
    errors = []
    for i, para in enumerate(paragraphs):
        path = image_dir / (f"p{i:03d}.jpg" if photo else f"p{i:03d}.png")
        key = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() + "-p1"
        got = ocr.recognise(key, lambda: Image.open(path), options)
        errors.append(1 - difflib.SequenceMatcher(None, " ".join(para.split()), " ".join(got.split())).ratio())
    seconds = time.perf_counter() - started
    build_index([text_dir], index=tmp / name / "text-index", progress=False)
    build_index([image_dir], index=image_index, progress=False, ocr_lang=lang)
    text_mrr, text_r1 = mrr(tmp / name / "text-index", questions, ".txt")
    ocr_mrr, ocr_r1 = mrr(image_index, questions, ".jpg" if photo else ".png")
    return {"set": name, "lang": lang, "pages": len(paragraphs), "questions": len(questions),
            "ocr_seconds": round(seconds, 1), "pages_per_s": round(len(paragraphs) / seconds, 2),
            "char_error": round(sum(errors) / len(errors), 4),
            "mrr10_text": round(text_mrr, 3), "mrr10_ocr": round(ocr_mrr, 3),
            "r1_text": round(text_r1, 3), "r1_ocr": round(ocr_r1, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=20, help="XQuAD paragraphs per language")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from qa.readers import ocr

    if not ocr.available():
        sys.exit("Tesseract is not installed (scripts/install-system.sh)")
    sets = [("seed-fr", *seed_set(), "fra", False), ("xquad-en", *xquad_set("en", args.paragraphs), "eng", False),
            ("xquad-en-photo", *xquad_set("en", args.paragraphs), "eng", True),
            ("xquad-de", *xquad_set("de", args.paragraphs), "deu", False)]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, paragraphs, questions, lang, photo in sets:
            results.append(run_set(name, paragraphs, questions, lang, Path(tmp), photo))
            if not args.json:
                print(results[-1], flush=True)
    pages = sum(r["pages"] for r in results)
    total = {"images": pages, "images_per_s": round(pages / sum(r["ocr_seconds"] for r in results), 2),
             **full_pages()}
    print(json.dumps({"sets": results, "total": total}, indent=1) if args.json else total)


if __name__ == "__main__":
    main()
